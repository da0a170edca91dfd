"""Contact fields encrypted at rest; the password policy; nothing secret in the audit trail."""

import json

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from accounts.models import User
from accounts.tests.conftest import current_code, password_step, sign_in
from audit.models import AuditEntry
from operations.crypto import keyed_hash
from portal.testing import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def raw_row(user) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT first_name, last_name, email, phone, email_hash FROM accounts_user WHERE id = %s", [user.pk]
        )
        return dict(zip(["first_name", "last_name", "email", "phone", "email_hash"], cursor.fetchone(), strict=True))


def test_contact_fields_hold_no_plaintext_in_the_database(db):
    user = UserFactory(first_name="Siti", last_name="Rahmawati", email="siti@imigrasi.example", phone="+62 21 555")
    row = raw_row(user)
    for name, value in (("first_name", "Siti"), ("last_name", "Rahmawati"), ("email", "siti@"), ("phone", "555")):
        assert value not in row[name] and row[name].startswith("enc1:"), name
    assert row["email_hash"] == keyed_hash("siti@imigrasi.example")
    again = User.objects.get(pk=user.pk)
    assert (again.first_name, again.email) == ("Siti", "siti@imigrasi.example")


def test_exact_email_lookups_use_the_hash(db):
    user = UserFactory(email="Person@Example.org")
    assert User.objects.get(email_hash=keyed_hash("person@example.org ")) == user


def test_an_email_change_through_update_fields_keeps_the_hash_in_step(db):
    user = UserFactory(email="old@example.org")
    user.email = "new@example.org"
    user.save(update_fields=["email"])
    assert raw_row(user)["email_hash"] == keyed_hash("new@example.org")


@pytest.mark.parametrize(
    "password",
    ["elevenchars", "password1234", "qwerty123456", "1qaz2wsx3edc", "x" * 257],
)
def test_short_common_breached_and_overlong_passwords_are_refused(db, password):
    with pytest.raises(ValidationError):
        validate_password(password, UserFactory.build(username="someone"))


@pytest.mark.parametrize(
    "password",
    ["twelve chars", "all lower case words are fine here", "é" * 12, "a" * 30 + "b" * 34, "p" * 200 + "q" * 56],
)
def test_long_passphrases_without_composition_rules_are_accepted(db, password):
    validate_password(password, UserFactory.build(username="someone"))


def test_the_breached_list_ships_with_provenance():
    from accounts.validators import BREACHED_LIST, _breached

    assert BREACHED_LIST.exists() and len(_breached()) >= 30000
    assert (BREACHED_LIST.parent / "PROVENANCE.md").exists()


def test_no_password_or_code_reaches_the_audit_trail(alan):
    code = current_code()
    password_step(Client(), "alan", "my-wrong-secret-passphrase")
    sign_in(Client(), "alan", code=code)
    dump = json.dumps(list(AuditEntry.objects.values("verb", "changes", "extra", "actor_label", "target_id")))
    for secret in ("my-wrong-secret-passphrase", TEST_PASSWORD, code, "JBSWY3DPEHPK3PXP"):
        assert secret not in dump


def test_changing_my_details_needs_re_authentication_and_is_audited_without_values(alan):
    client = Client()
    client.force_login(alan)  # second factor passed, but not recently
    assert client.get("/accounts/me/profile/")["Location"].startswith("/accounts/reauthenticate/")
    fresh = Client()
    sign_in(fresh, "alan")
    data = {"first_name": "Alan", "last_name": "Turing", "email": "alan@new.example", "phone": "", "job_title": "x"}
    assert fresh.post("/accounts/me/profile/", data).status_code == 302
    alan.refresh_from_db()
    assert alan.email == "alan@new.example"
    entry = AuditEntry.objects.get(verb="accounts.profile.changed")
    assert "alan@new.example" not in json.dumps(entry.extra) and "email" in entry.extra["fields"]


def test_factor_pages_ask_for_re_authentication(alan):
    client = Client()
    client.force_login(alan)
    for url in (
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/2fa/webauthn/add/",
        "/accounts/2fa/totp/deactivate/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "reauthenticate" in response["Location"], url


def test_the_account_pages_render(alan):
    client = Client()
    sign_in(client, "alan")
    for url in (
        "/accounts/me/",
        "/accounts/2fa/",
        "/accounts/sessions/",
        "/accounts/me/tokens/new/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/2fa/webauthn/add/",
        "/accounts/password/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    assert client.get("/accounts/email/")["Location"] == "/accounts/me/profile/"
