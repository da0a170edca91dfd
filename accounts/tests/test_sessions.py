"""Sessions: __Host- cookies, rotation at sign-in, idle and absolute limits, ending them."""

import time

import pytest
from django.conf import settings
from django.test import Client

from accounts import services
from accounts.middleware import LAST_SEEN_KEY, SIGNED_IN_AT_KEY
from accounts.models import ApiToken
from accounts.tests.conftest import password_step, sign_in
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_cookies_are_host_prefixed_secure_httponly_and_samesite(alan):
    assert settings.SESSION_COOKIE_NAME.startswith("__Host-")
    assert settings.CSRF_COOKIE_NAME.startswith("__Host-")
    client = Client()
    response = sign_in(client, "alan")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] in ("Lax", "Strict")
    assert cookie["path"] == "/" and not cookie["domain"]


def test_the_session_key_changes_at_sign_in(alan):
    client = Client()
    password_step(client, "alan")
    before = client.session.session_key
    from accounts.tests.conftest import code_step, current_code

    code_step(client, current_code())
    assert before and client.session.session_key != before


def test_a_replayed_cookie_after_sign_out_reaches_only_the_sign_in_page(alan):
    client = Client()
    sign_in(client, "alan")
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/logout/")
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert thief.get("/")["Location"].startswith("/accounts/login/")


def _age_session(client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_an_idle_session_ends(alan):
    client = Client()
    sign_in(client, "alan")
    _age_session(client, LAST_SEEN_KEY, settings.SESSION_IDLE_SECONDS - 60)
    assert client.get("/").status_code == 200
    _age_session(client, LAST_SEEN_KEY, settings.SESSION_IDLE_SECONDS + 1)
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_reading_pages_writes_the_session_and_last_seen_at_most_once_a_minute(alan):
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    sign_in(client, "alan")
    _age_session(client, LAST_SEEN_KEY, 5)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert not any("django_session" in w or "usersessions_usersession" in w for w in writes)

    seen_before = UserSession.objects.get(user=alan).last_seen_at
    _age_session(client, LAST_SEEN_KEY, 61)
    assert client.get("/").status_code == 200
    assert UserSession.objects.get(user=alan).last_seen_at > seen_before
    stored = Session.objects.get(session_key=client.session.session_key).get_decoded()
    assert int(time.time()) - stored[LAST_SEEN_KEY] < 5


def test_a_session_ends_after_its_absolute_lifetime_even_when_busy(alan):
    assert settings.SESSION_IDLE_SECONDS == 30 * 60 and settings.SESSION_COOKIE_AGE == 12 * 3600
    client = Client()
    sign_in(client, "alan")
    _age_session(client, SIGNED_IN_AT_KEY, settings.SESSION_COOKIE_AGE + 1)
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_sign_out_my_other_sessions(alan):
    mine, other = Client(), Client()
    sign_in(mine, "alan")
    from accounts.tests.conftest import code_at

    sign_in(other, "alan", code=code_at("JBSWY3DPEHPK3PXP", 1))
    response = mine.post("/accounts/me/sessions/end-others/")
    assert response.status_code == 302
    assert mine.get("/").status_code == 200
    assert other.get("/")["Location"].startswith("/accounts/login/")
    assert AuditEntry.objects.filter(verb="accounts.sessions.ended", extra__scope="others").count() == 1


def test_disabling_a_user_ends_its_sessions_and_tokens_at_once(personas):
    from portal.testing import enrol_totp

    alan = personas.alan_analyst
    enrol_totp(alan)
    session_client = Client()
    sign_in(session_client, "alan")
    _token, raw = services.token_create(actor=alan, name="script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/users/me/").status_code == 200
    started = time.perf_counter()
    services.user_disable(actor=personas.alice_focal, user=alan)
    assert session_client.get("/")["Location"].startswith("/accounts/login/")
    assert api.get("/api/v1/users/me/").status_code == 401
    assert time.perf_counter() - started < 1.0
    assert not ApiToken.objects.filter(user=alan, revoked_at__isnull=True).exists()


def test_a_security_stamp_change_ends_sessions_even_without_session_tracking(alan):
    client = Client()
    sign_in(client, "alan")
    from allauth.usersessions.models import UserSession

    UserSession.objects.all().delete()  # e.g. a session the tracker missed
    services._bump_stamp(alan)
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_a_password_reset_ends_every_session(alan):
    import re

    from operations.models import OutboxMessage

    victim_session = Client()
    sign_in(victim_session, "alan")
    resetter = Client()
    resetter.post("/accounts/password/reset/", {"username": "alan"})
    link = re.search(r"http://[^/]+(/accounts/password/reset/key/\S+)", OutboxMessage.objects.get().body).group(1)
    form_page = resetter.get(link, follow=True)
    resetter.post(
        form_page.redirect_chain[-1][0],
        {"password1": "another long passphrase", "password2": "another long passphrase"},
    )
    assert victim_session.get("/")["Location"].startswith("/accounts/login/")
    assert AuditEntry.objects.filter(verb="accounts.password.reset").count() == 1
