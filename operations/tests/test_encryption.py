"""Encryption at rest: fails closed, round-trips falsy values, rotates, supports exact-match lookups."""

import base64
import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import Invitation, Role, User
from accounts.services import invitation_send
from operations import crypto
from portal.testing import UserFactory

NEW_KEY = base64.urlsafe_b64encode(b"n" * 32).decode()
OLD_KEY = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC0="  # the test settings' key
NEW_HASH_KEY = base64.urlsafe_b64encode(b"h" * 32).decode()
OLD_HASH_KEY = "aGFzaC1rZXktaGFzaC1rZXktaGFzaC1rZXktaGFzaC0="  # the test settings' hash key


def stored(table: str, column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - fixed names
        return cursor.fetchone()[0]


@pytest.mark.parametrize("value", [False, 0, "", 0.0, [], {}, None, True, "text", {"a": [1, "b"]}])
def test_falsy_and_other_values_round_trip(value):
    assert crypto.decrypt_value(crypto.encrypt_value(value)) == value
    assert type(crypto.decrypt_value(crypto.encrypt_value(value))) is type(value)


def test_a_json_field_stores_false_zero_and_empty_not_null():
    field = crypto.EncryptedJSONField()
    for value in (False, 0, ""):
        prepared = field.get_prep_value(value)
        assert prepared.startswith("enc1:")
        assert field.from_db_value(prepared, None, connection) == value


@pytest.mark.parametrize(
    "stored_value",
    [
        "plain@example.org",
        "enc1:deadbeef:AAAA",
        "enc1:{kid}:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
        "enc1:{kid}:%%%",
    ],
)
def test_decryption_failure_raises_and_never_returns_the_stored_bytes(stored_value):
    kid = crypto.encryption_keys()[0][0]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_value(stored_value.format(kid=kid))


def test_a_tampered_ciphertext_raises():
    value = crypto.encrypt_value("alice@example.org")
    prefix, kid, payload = value.split(":", 2)
    raw = bytearray(base64.b64decode(payload))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_value(f"{prefix}:{kid}:{base64.b64encode(bytes(raw)).decode()}")


@pytest.mark.django_db
def test_reading_a_row_whose_value_was_replaced_in_the_database_raises():
    user = UserFactory(email="carol@example.org")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET email = %s WHERE id = %s", ["carol@example.org", user.pk])
    with pytest.raises(crypto.DecryptionError):
        User.objects.get(pk=user.pk)


@pytest.mark.django_db
def test_personal_fields_are_ciphertext_in_the_database_and_the_keys_are_not_secret_key(settings):
    user = UserFactory(email="dana@example.org", first_name="Dana", last_name="Quist")
    for column in ("email", "first_name", "last_name"):
        assert stored("accounts_user", column, user.pk).startswith("enc1:")
    assert "dana" not in stored("accounts_user", "email", user.pk).lower()
    assert settings.SECRET_KEY not in settings.FIELD_ENCRYPTION_KEYS


@pytest.mark.django_db
def test_a_key_missing_from_the_configuration_fails_closed(settings):
    user = UserFactory(email="erin@example.org")
    settings.FIELD_ENCRYPTION_KEYS = NEW_KEY  # the old key was dropped too early
    with pytest.raises(crypto.DecryptionError, match="No configured key"):
        User.objects.get(pk=user.pk)


@pytest.mark.django_db
def test_exact_match_lookups_use_the_keyed_hash(personas):
    found = User.objects.filter(email_hash=crypto.keyed_hash("  ALICE@example.org ")).get()
    assert found == personas.alice_focal
    assert crypto.keyed_hash("alice@example.org") != crypto.keyed_hash("alan@example.org")
    with pytest.raises(Exception):  # noqa: B017 - any lookup but isnull is refused on ciphertext
        list(User.objects.filter(email="alice@example.org"))


@pytest.mark.django_db
def test_rotate_keys_re_encrypts_every_row_and_is_idempotent(personas, settings):
    users = list(User.objects.order_by("pk"))
    before = {u.pk: stored("accounts_user", "email", u.pk) for u in users}
    settings.FIELD_ENCRYPTION_KEYS = f"{NEW_KEY},{OLD_KEY}"
    new_id = crypto.key_id(base64.urlsafe_b64decode(NEW_KEY))
    out = io.StringIO()
    call_command("rotate_keys", stdout=out, stderr=io.StringIO())
    for user in users:
        value = stored("accounts_user", "email", user.pk)
        assert value.startswith(f"enc1:{new_id}:")
        assert value != before[user.pk]
        assert stored("accounts_user", "first_name", user.pk).startswith(f"enc1:{new_id}:")
    again = io.StringIO()
    call_command("rotate_keys", stdout=again, stderr=io.StringIO())
    assert "Re-encrypted 0 value(s)" in again.getvalue()
    # The old key can now be removed: every value still reads.
    settings.FIELD_ENCRYPTION_KEYS = NEW_KEY
    assert {u.pk: u.email for u in User.objects.all()} == {u.pk: u.email for u in users}


@pytest.mark.django_db
def test_rotate_keys_also_re_encrypts_the_mfa_secrets(personas, settings):
    from allauth.mfa.models import Authenticator

    from portal.testing import enrol_totp

    enrol_totp(personas.alan_analyst)
    settings.FIELD_ENCRYPTION_KEYS = f"{NEW_KEY},{OLD_KEY}"
    call_command("rotate_keys", stdout=io.StringIO(), stderr=io.StringIO())
    secret = Authenticator.objects.get(user=personas.alan_analyst).data["secret"]
    assert secret.startswith(f"enc1:{crypto.key_id(base64.urlsafe_b64decode(NEW_KEY))}:")
    settings.FIELD_ENCRYPTION_KEYS = NEW_KEY
    assert crypto.decrypt_value(secret) == "JBSWY3DPEHPK3PXP"


@pytest.mark.django_db
def test_rotate_keys_reports_values_no_key_can_decrypt(personas, settings):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET phone = %s WHERE id = %s", ["+61 400 000 000", personas.alan_analyst.pk]
        )
    settings.FIELD_ENCRYPTION_KEYS = f"{NEW_KEY},{OLD_KEY}"
    with pytest.raises(CommandError, match="could not be decrypted"):
        call_command("rotate_keys", stdout=io.StringIO(), stderr=io.StringIO())


# --- FIELD_HASH_KEY rotation --------------------------------------------------------------------


def hash_key_id(raw: str) -> str:
    return crypto.key_id(base64.urlsafe_b64decode(raw))


def switch_hash_key(settings, *, previous: str = OLD_HASH_KEY) -> None:
    """Deploy a new hash key, the old one kept as previous (the first step of a rotation)."""
    settings.FIELD_HASH_KEY = NEW_HASH_KEY
    settings.FIELD_HASH_KEY_PREVIOUS = previous


def rotate_hash_key(*args: str) -> str:
    out = io.StringIO()
    call_command("rotate_keys", "--hash-key", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_e_mail_lookups_work_before_during_and_after_a_hash_key_rotation(personas, settings):
    assert User.objects.with_email(" ALICE@example.org").get() == personas.alice_focal
    switch_hash_key(settings)
    # New key deployed, command not yet run: rows hashed under the old key are found, and so are new ones.
    assert User.objects.with_email("alice@example.org").get() == personas.alice_focal
    newcomer = UserFactory(email="newcomer@example.org")
    assert User.objects.with_email("newcomer@example.org").get() == newcomer
    rotate_hash_key()
    assert User.objects.with_email("alice@example.org").get() == personas.alice_focal
    # The previous key removed: every address is still found, under the new key alone.
    settings.FIELD_HASH_KEY_PREVIOUS = ""
    for user in User.objects.all():
        assert User.objects.with_email(user.email).get() == user
    assert not User.objects.with_email("nobody@example.org").exists()


@pytest.mark.django_db
def test_an_invitation_to_an_existing_address_finds_the_account_in_the_rotation_window(personas, settings):
    switch_hash_key(settings)
    users_before = User.objects.count()
    invitation = invitation_send(
        actor=personas.alice_focal, email="Alan@example.org", agency=personas.alpha_agency, role=Role.VIEWER
    )
    assert invitation.accepted_user is None  # no second account for the same address
    assert User.objects.count() == users_before


@pytest.mark.django_db
def test_without_the_previous_key_rows_not_yet_recomputed_are_not_found(personas, settings):
    switch_hash_key(settings, previous="")
    assert not User.objects.with_email("alice@example.org").exists()  # why the previous key must stay
    rotate_hash_key()  # the command needs only the plaintext, so it also repairs this
    assert User.objects.with_email("alice@example.org").get() == personas.alice_focal


@pytest.mark.django_db
def test_rotate_keys_hash_key_recomputes_every_e_mail_hash_once(personas, settings):
    invitation_send(
        actor=personas.alice_focal, email="invitee@example.org", agency=personas.alpha_agency, role=Role.VIEWER
    )
    rows = User.objects.count() + Invitation.objects.count()
    switch_hash_key(settings)
    first = rotate_hash_key()
    assert f"Recomputed {rows} lookup hash(es) with hash key {hash_key_id(NEW_HASH_KEY)}." in first
    again = rotate_hash_key()
    assert "Recomputed 0 lookup hash(es)" in again
    assert "Nothing depends on FIELD_HASH_KEY_PREVIOUS any more: you may remove it." in again


@pytest.mark.django_db
def test_after_hash_key_rotation_a_dump_holds_no_e_mail_hash_under_the_old_key(personas, settings):
    from operations.plaintext import raw_dump_text

    invitation_send(
        actor=personas.alice_focal, email="invitee@example.org", agency=personas.alpha_agency, role=Role.VIEWER
    )
    emails = [user.email for user in User.objects.all()] + ["invitee@example.org"]
    old_hashes = {crypto.keyed_hash(email) for email in emails}
    assert all(old in raw_dump_text() for old in old_hashes)  # the check can fail
    switch_hash_key(settings)
    rotate_hash_key()
    dump = raw_dump_text()
    assert [old for old in old_hashes if old in dump] == []
    assert all(crypto.keyed_hash(email) in dump for email in emails)


@pytest.mark.parametrize(
    ("current", "previous", "named"),
    [
        (NEW_HASH_KEY, "not a key!", "FIELD_HASH_KEY_PREVIOUS"),
        (NEW_HASH_KEY, base64.urlsafe_b64encode(b"s" * 16).decode(), "FIELD_HASH_KEY_PREVIOUS"),
        (NEW_HASH_KEY, f"{OLD_HASH_KEY},{OLD_HASH_KEY[:-8]}", "FIELD_HASH_KEY_PREVIOUS"),
        (OLD_HASH_KEY, OLD_HASH_KEY, "FIELD_HASH_KEY_PREVIOUS holds the current FIELD_HASH_KEY"),
        (f"{NEW_HASH_KEY},{OLD_HASH_KEY}", "", "FIELD_HASH_KEY holds one key"),
        (base64.urlsafe_b64encode(b"s" * 20).decode(), "", "Each FIELD_HASH_KEY key must be 32 bytes"),
    ],
)
@pytest.mark.django_db
def test_a_malformed_hash_key_configuration_fails_loudly_naming_the_variable(settings, current, previous, named):
    settings.FIELD_HASH_KEY = current
    settings.FIELD_HASH_KEY_PREVIOUS = previous
    with pytest.raises(ImproperlyConfigured, match=named):
        crypto.keyed_hash("alice@example.org")
    with pytest.raises(ImproperlyConfigured, match=named):
        rotate_hash_key()


@pytest.mark.django_db
def test_rotate_keys_hash_key_reports_recovery_codes_still_hashed_under_the_previous_key(personas, settings):
    RecoveryCodes.activate(personas.alan_analyst)
    switch_hash_key(settings)
    out = rotate_hash_key("--verbosity", "2")
    assert f"1 user(s) have unused codes hashed under the previous key {hash_key_id(OLD_HASH_KEY)} (alan)" in out
    assert "cannot be recomputed" in out and "keep FIELD_HASH_KEY_PREVIOUS" in out
    # Once alan has new codes, nothing needs the previous key.
    Authenticator.objects.filter(user=personas.alan_analyst, type=Authenticator.Type.RECOVERY_CODES).delete()
    RecoveryCodes.activate(personas.alan_analyst)
    assert "Nothing depends on FIELD_HASH_KEY_PREVIOUS any more" in rotate_hash_key()


@pytest.mark.django_db
def test_a_wrong_previous_hash_key_is_reported_and_the_e_mail_hashes_are_recomputed_anyway(personas, settings):
    RecoveryCodes.activate(personas.alan_analyst)
    switch_hash_key(settings, previous=base64.urlsafe_b64encode(b"w" * 32).decode())
    with pytest.raises(CommandError, match=f"hashed under key {hash_key_id(OLD_HASH_KEY)}, which is neither"):
        rotate_hash_key()
    settings.FIELD_HASH_KEY_PREVIOUS = ""
    assert User.objects.with_email("alice@example.org").get() == personas.alice_focal


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_dump_of_the_database_after_the_demo_load_holds_no_readable_personal_field():
    from operations.plaintext import personal_values_of_users, plaintext_leaks, raw_dump_text

    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    values = personal_values_of_users()
    assert len(values.get("accounts.User.email", ())) >= 10  # the demo users' e-mail addresses were read back
    dump = raw_dump_text()
    assert plaintext_leaks(dump) == []
    # The check can fail: a value written in clear (e.g. into a free-text field) is found.
    leaked = sorted(values["accounts.User.email"])[0]
    assert plaintext_leaks(dump + f"\nnote mentioning {leaked} in clear") != []
