"""Recovery codes are stored only as keyed hashes, work once, and are shown once."""

import base64
import re
import secrets
from importlib import import_module

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.apps import apps
from django.db import connection
from django.test import Client

from accounts import recovery_codes
from accounts.tests.conftest import code_step, password_step, sign_in
from operations.crypto import encrypt_value, hash_keys, key_id

NEW_HASH_KEY = base64.urlsafe_b64encode(b"h" * 32).decode()
OLD_HASH_KEY = "aGFzaC1rZXktaGFzaC1rZXktaGFzaC1rZXktaGFzaC0="  # the test settings' hash key
OLD_ID, NEW_ID = (key_id(base64.urlsafe_b64decode(raw)) for raw in (OLD_HASH_KEY, NEW_HASH_KEY))

CODE = re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b")


def signed_in(username: str = "alan") -> Client:
    client = Client()
    assert sign_in(client, username)["Location"] == "/"
    return client


def generate(client: Client) -> list[str]:
    """Press "Generate" and open the page that shows the new codes (once)."""
    response = client.post("/accounts/2fa/recovery-codes/generate/")
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    return CODE.findall(client.get("/accounts/2fa/recovery-codes/").content.decode())


def every_value_in_the_database() -> str:
    with connection.cursor() as cursor:
        dump = []
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            dump.extend(str(row) for row in cursor.fetchall())
    return "\n".join(dump)


def test_the_installed_class_is_the_hashed_one():
    assert RecoveryCodes is recovery_codes.HashedRecoveryCodes


def test_codes_are_random_readable_and_stored_only_as_hashes(alan):
    client = signed_in()
    client.post("/accounts/2fa/recovery-codes/generate/")
    data = Authenticator.objects.get(user=alan, type=Authenticator.Type.RECOVERY_CODES).data
    assert set(data) == {"hashes", "used", "hash_key"}
    assert len(data["hashes"]) == 10 and data["used"] == []
    assert data["hash_key"] == hash_keys()[0][0]  # the id of the FIELD_HASH_KEY that hashed them
    # The codes are waiting (encrypted) in the session to be shown; none is in the database in clear.
    dump = every_value_in_the_database()
    codes = CODE.findall(client.get("/accounts/2fa/recovery-codes/").content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert code not in dump and code.replace("-", "") not in dump and code.lower() not in dump
        assert recovery_codes.code_hash(code) in data["hashes"]


def test_codes_are_shown_once_then_only_how_many_remain(alan):
    client = signed_in()
    codes = generate(client)
    assert len(codes) == 10
    assert client.get("/accounts/2fa/recovery-codes/download/").status_code == 403
    sign_in(Client(), "alan", code=codes[3])
    page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert CODE.findall(page) == []
    assert not any(code in page or code.replace("-", "") in page for code in codes)
    assert "9 out of 10" in page


def test_each_code_works_once_even_for_a_copy_loaded_before_it_was_used(alan):
    codes = RecoveryCodes.activate(alan).new_codes
    authenticator = Authenticator.objects.get(user=alan, type=Authenticator.Type.RECOVERY_CODES)
    first, stale = authenticator.wrap(), Authenticator.objects.get(pk=authenticator.pk).wrap()
    assert first.validate_code(codes[0])
    assert not stale.validate_code(codes[0])  # another worker holding an old copy of the row
    assert not first.validate_code(codes[0])
    assert stale.validate_code(codes[1].lower().replace("-", " "))  # case and separators do not matter
    assert Authenticator.objects.get(pk=authenticator.pk).data["used"] == [0, 1]


def test_a_wrong_or_empty_code_is_refused(alan):
    RecoveryCodes.activate(alan)
    wrapper = Authenticator.objects.get(user=alan, type=Authenticator.Type.RECOVERY_CODES).wrap()
    assert not wrapper.validate_code(recovery_codes.new_code())
    assert not wrapper.validate_code("")
    assert not wrapper.validate_code("----")


def test_signing_in_with_a_recovery_code_through_the_pages(alan):
    codes = generate(signed_in())
    client = Client()
    password_step(client, "alan")
    assert code_step(client, codes[5])["Location"] == "/"
    assert client.get("/").status_code == 200
    again = Client()
    password_step(again, "alan")
    assert code_step(again, codes[5]).status_code == 200  # the form again, with an error
    assert again.get("/")["Location"].startswith("/accounts/login/")


def test_generating_new_codes_invalidates_the_old_ones(alan):
    client = signed_in()
    old = generate(client)
    new = generate(client)
    assert set(old).isdisjoint(new)
    wrapper = Authenticator.objects.get(user=alan, type=Authenticator.Type.RECOVERY_CODES).wrap()
    assert not wrapper.validate_code(old[0])
    assert wrapper.validate_code(new[0])


def test_seed_based_codes_from_before_are_converted_to_hashes_of_the_unused_ones(alan):
    seed = secrets.token_hex(40)
    legacy = recovery_codes._derive(seed)
    authenticator = Authenticator.objects.create(
        user=alan,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": encrypt_value(seed), "used_mask": 0b1, "viewed_at": 1.0},
    )
    import_module("accounts.migrations.0003_hash_recovery_codes").hash_recovery_codes(apps, None)
    data = Authenticator.objects.get(pk=authenticator.pk).data
    assert set(data) == {"hashes", "used", "viewed_at", "hash_key"}
    assert len(data["hashes"]) == 9 and seed not in str(data)
    wrapper = Authenticator.objects.get(pk=authenticator.pk).wrap()
    assert not wrapper.validate_code(legacy[0])  # used before the conversion
    assert wrapper.validate_code(legacy[1])
    assert not wrapper.validate_code(legacy[1])


def test_an_unconverted_seed_based_authenticator_still_signs_in_once(alan):
    seed = secrets.token_hex(40)
    legacy = recovery_codes._derive(seed)
    Authenticator.objects.create(
        user=alan, type=Authenticator.Type.RECOVERY_CODES, data={"seed": encrypt_value(seed), "used_mask": 0}
    )
    assert sign_in(Client(), "alan", code=legacy[2])["Location"] == "/"
    data = Authenticator.objects.get(user=alan, type=Authenticator.Type.RECOVERY_CODES).data
    assert "seed" not in data and len(data["hashes"]) == 10 and data["used"] == [2]


# --- FIELD_HASH_KEY rotation: the hashes cannot be recomputed, so codes are checked under every key ----------


def recovery_data(user) -> dict:
    return Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).data


def test_codes_made_under_the_previous_hash_key_still_work_once_after_the_switch(alan, settings):
    codes = RecoveryCodes.activate(alan).new_codes
    settings.FIELD_HASH_KEY, settings.FIELD_HASH_KEY_PREVIOUS = NEW_HASH_KEY, OLD_HASH_KEY
    authenticator = Authenticator.objects.get(user=alan, type=Authenticator.Type.RECOVERY_CODES)
    first, stale = authenticator.wrap(), Authenticator.objects.get(pk=authenticator.pk).wrap()
    assert first.validate_code(codes[0])
    assert not stale.validate_code(codes[0])  # still once, also for another worker's old copy
    assert not first.validate_code(codes[0])
    assert sign_in(Client(), "alan", code=codes[1])["Location"] == "/"  # through the pages
    again = Client()
    password_step(again, "alan")
    assert code_step(again, codes[1]).status_code == 200  # refused the second time
    assert recovery_data(alan)["used"] == [0, 1] and recovery_data(alan)["hash_key"] == OLD_ID
    # The previous key removed too early: the remaining old codes no longer work (hence the report).
    settings.FIELD_HASH_KEY_PREVIOUS = ""
    assert not Authenticator.objects.get(pk=authenticator.pk).wrap().validate_code(codes[2])


def test_codes_generated_after_the_switch_are_hashed_under_the_new_key_only(alan, settings):
    settings.FIELD_HASH_KEY, settings.FIELD_HASH_KEY_PREVIOUS = NEW_HASH_KEY, OLD_HASH_KEY
    client = Client()
    assert sign_in(client, "alan")["Location"] == "/"
    codes = generate(client)
    assert recovery_data(alan)["hash_key"] == NEW_ID
    settings.FIELD_HASH_KEY_PREVIOUS = ""
    assert sign_in(Client(), "alan", code=codes[0])["Location"] == "/"


def test_sets_from_before_key_ids_were_recorded_get_the_key_configured_at_the_migration(alan, settings):
    codes = [recovery_codes.new_code() for _ in range(3)]
    legacy = {"hashes": [recovery_codes.code_hash(code) for code in codes], "used": []}
    authenticator = Authenticator.objects.create(user=alan, type=Authenticator.Type.RECOVERY_CODES, data=legacy)
    migration = import_module("accounts.migrations.0004_recovery_codes_record_their_hash_key")
    # During a rotation the migration cannot know which key hashed a set: it leaves it unmarked.
    settings.FIELD_HASH_KEY, settings.FIELD_HASH_KEY_PREVIOUS = NEW_HASH_KEY, OLD_HASH_KEY
    migration.record_hash_key(apps, None)
    assert "hash_key" not in Authenticator.objects.get(pk=authenticator.pk).data
    # Outside a rotation every existing set was hashed under the one configured key.
    settings.FIELD_HASH_KEY, settings.FIELD_HASH_KEY_PREVIOUS = OLD_HASH_KEY, ""
    migration.record_hash_key(apps, None)
    assert Authenticator.objects.get(pk=authenticator.pk).data == {**legacy, "hash_key": OLD_ID}


def test_an_unmarked_set_is_checked_under_every_key_and_learns_its_key_when_a_code_is_used(alan, settings):
    codes = [recovery_codes.new_code() for _ in range(3)]
    legacy = {"hashes": [recovery_codes.code_hash(code) for code in codes], "used": []}
    authenticator = Authenticator.objects.create(user=alan, type=Authenticator.Type.RECOVERY_CODES, data=legacy)
    settings.FIELD_HASH_KEY, settings.FIELD_HASH_KEY_PREVIOUS = NEW_HASH_KEY, OLD_HASH_KEY
    assert authenticator.wrap().validate_code(codes[2])
    assert Authenticator.objects.get(pk=authenticator.pk).data == {
        "hashes": legacy["hashes"],
        "used": [2],
        "hash_key": OLD_ID,
    }
