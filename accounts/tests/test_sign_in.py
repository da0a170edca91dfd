"""Sign-in: username variants, password, and the mandatory second factor."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client

from accounts.tests.conftest import SECRET, code_at, code_step, current_code, password_step, previous_code, sign_in
from audit.models import AuditEntry
from portal.testing import TEST_PASSWORD, UserFactory, enrol_totp

pytestmark = pytest.mark.django_db


def test_password_then_totp_reaches_the_home_page(alan):
    client = Client()
    response = sign_in(client, "alan")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(verb="accounts.sign_in.succeeded", actor_id=alan.pk).count() == 1


def test_the_password_alone_does_not_sign_in(alan):
    client = Client()
    response = password_step(client, "alan")
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/")["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/users/me/").status_code in (401, 403)


@pytest.mark.parametrize("typed", ["ALAN", "  alan  ", "Alan\t", "\uff41\uff4c\uff41\uff4e"])  # last: full-width
def test_username_is_case_insensitive_trimmed_and_nfkc_normalised(alan, typed):
    response = password_step(Client(), typed)
    assert response["Location"].startswith("/accounts/2fa/authenticate/")


def test_a_totp_code_works_only_once(alan):
    code = current_code()
    assert sign_in(Client(), "alan", code=code)["Location"] == "/"
    second = Client()
    password_step(second, "alan")
    response = code_step(second, code)
    assert response.status_code == 200  # the form again, with an error
    assert second.get("/")["Location"].startswith("/accounts/login/")


def test_a_used_code_is_refused_by_another_process_too(alan):
    """allauth remembers used codes in the (per-process) cache; the portal keeps the last step in the database."""
    from django.core.cache import cache

    code = current_code()
    assert sign_in(Client(), "alan", code=code)["Location"] == "/"
    cache.clear()  # what a second worker process would see
    other = Client()
    password_step(other, "alan")
    code_step(other, code)
    assert other.get("/")["Location"].startswith("/accounts/login/")


def test_an_older_code_is_refused_after_a_newer_one_was_used(alan):
    assert sign_in(Client(), "alan", code=current_code())["Location"] == "/"
    other = Client()
    password_step(other, "alan")
    code_step(other, previous_code())
    assert other.get("/")["Location"].startswith("/accounts/login/")


def test_the_totp_secret_is_encrypted_at_rest(alan):
    data = Authenticator.objects.get(user=alan, type=Authenticator.Type.TOTP).data
    assert SECRET not in str(data)
    assert data["secret"].startswith("enc1:")


def test_recovery_codes_work_once(alan):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(alan).new_codes
    stored = Authenticator.objects.get(user=alan, type=Authenticator.Type.RECOVERY_CODES).data
    assert not any(code in str(stored) for code in codes)  # only keyed hashes and the used indexes
    assert sign_in(Client(), "alan", code=codes[0])["Location"] == "/"
    again = Client()
    password_step(again, "alan")
    code_step(again, codes[0])
    assert again.get("/")["Location"].startswith("/accounts/login/")
    assert AuditEntry.objects.filter(verb="accounts.recovery_code.used", target_id=str(alan.pk)).count() == 1


def test_a_user_without_a_factor_can_only_enrol(personas):
    client = Client()
    response = password_step(client, "avery")
    assert response.status_code == 302
    assert client.get("/")["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/accounts/me/")["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/api/v1/users/me/").status_code in (401, 403)
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200


def test_enrolling_totp_at_first_sign_in_opens_the_portal(personas, django_capture_on_commit_callbacks):
    client = Client()
    password_step(client, "avery")
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": code_at(secret)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/users/me/").status_code == 200
    assert AuditEntry.objects.filter(verb="accounts.factor.added", target_id=str(personas.avery_viewer.pk)).exists()


def test_system_administrators_with_a_security_key_cannot_sign_in_with_a_code(db, settings, rf):
    from allauth.core import context

    from accounts.forms import MfaAuthenticateForm

    settings.REQUIRE_WEBAUTHN_FOR_ADMINS = True
    admin = UserFactory(username="root", role="system_admin")
    enrol_totp(admin, SECRET)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.WEBAUTHN, data={"name": "key"})
    request = rf.post("/accounts/2fa/authenticate/")
    with context.request_context(request):
        form = MfaAuthenticateForm(user=admin, data={"code": current_code()})
        assert not form.is_valid()
    assert "security key" in str(form.errors["code"])


def test_the_admin_session_counts_only_a_security_key_as_its_second_factor(db, settings, rf):
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.mfa import mark_second_factor_passed, session_passed_second_factor

    settings.REQUIRE_WEBAUTHN_FOR_ADMINS = True
    admin = UserFactory(username="root", role="system_admin")
    request = rf.get("/")
    request.user, request.session = admin, SessionStore()
    mark_second_factor_passed(request, Authenticator.Type.TOTP)
    assert not session_passed_second_factor(request)
    mark_second_factor_passed(request, Authenticator.Type.WEBAUTHN)
    assert session_passed_second_factor(request)


def test_an_administrator_with_only_totp_is_sent_to_add_a_security_key(db, settings):
    settings.REQUIRE_WEBAUTHN_FOR_ADMINS = True
    admin = UserFactory(username="root", role="system_admin")
    client = Client()
    password_step(client, "root")
    assert client.get("/")["Location"] == "/accounts/2fa/webauthn/add/"
    enrol_totp(admin, SECRET)
    assert client.get("/")["Location"] == "/accounts/2fa/webauthn/add/"


def test_security_keys_are_offered_to_everyone(alan):
    client = Client()
    password_step(client, "alan")
    page = client.get("/accounts/2fa/authenticate/").content.decode()
    assert "Use a security key" in page
    client2 = Client()
    sign_in(client2, "alan")
    assert client2.get("/accounts/2fa/").status_code in (200, 302)


def test_allauth_keeps_no_plaintext_email_table(alan):
    sign_in(Client(), "alan")
    Client().post("/accounts/password/reset/", {"username": "alan"})
    assert EmailAddress.objects.count() == 0


def test_the_sign_in_page_is_labelled_and_shows_an_error_summary(db):
    page = Client().post("/accounts/login/", {"login": "", "password": ""}).content.decode()
    assert '<label for="id_login">' in page and '<label for="id_password">' in page
    assert "There is a problem" in page


def test_sign_in_failures_are_audited_without_the_password(alan):
    password_step(Client(), "alan", "wrong-password-123456")
    entry = AuditEntry.objects.get(verb="accounts.sign_in.failed")
    assert entry.target_id == str(alan.pk) and entry.actor_id is None
    assert "wrong-password" not in str(entry.extra) + str(entry.changes)


def test_a_password_is_stored_with_argon2id(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = UserFactory()
    user.set_password(TEST_PASSWORD)
    assert user.password.startswith("argon2$argon2id$")
