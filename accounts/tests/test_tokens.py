"""API tokens: issued by command or by the user after re-authentication, hashed, expiring, revocable."""

import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken, hash_secret
from accounts.tests.conftest import sign_in
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_issue_token_prints_the_token_as_the_last_line(alan):
    out = StringIO()
    call_command("issue_token", "ALAN", "--days", "7", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(user=alan)
    assert token.key_hash == hash_secret(raw) and raw not in token.key_hash
    assert timedelta(days=6) < token.expires_at - timezone.now() <= timedelta(days=7)
    response = bearer(raw).get("/api/v1/users/me/")
    assert response.status_code == 200 and response.json()["username"] == "alan"


def test_issue_token_names_the_bad_argument(db):
    with pytest.raises(CommandError, match="username"):
        call_command("issue_token", "nobody")


def test_issue_token_refuses_bad_days(alan):
    with pytest.raises(CommandError, match="--days"):
        call_command("issue_token", "alan", "--days", "0")


def test_an_expired_or_revoked_token_is_refused(alan):
    token, raw = services.token_create(actor=alan, name="t")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(raw).get("/api/v1/users/me/").status_code == 401
    token2, raw2 = services.token_create(actor=alan, name="t2")
    services.token_revoke(actor=alan, token=token2)
    assert bearer(raw2).get("/api/v1/users/me/").status_code == 401


def test_the_api_lists_creates_and_revokes_own_tokens_from_a_fresh_session(alan, personas):
    services.token_create(actor=personas.bea_analyst, name="not alan's")
    client = Client()
    sign_in(client, "alan")
    created = client.post("/api/v1/tokens/", {"name": "script", "days": 30}, content_type="application/json")
    assert created.status_code == 201
    raw = created.json()["token"]
    assert bearer(raw).get("/api/v1/users/me/").status_code == 200
    listed = client.get("/api/v1/tokens/").json()
    listed = listed["results"] if isinstance(listed, dict) else listed
    assert [t["name"] for t in listed] == ["script"] and "token" not in listed[0]
    other = ApiToken.objects.get(name="not alan's")
    assert client.delete(f"/api/v1/tokens/{other.pk}/").status_code == 404
    assert client.delete(f"/api/v1/tokens/{created.json()['id']}/").status_code == 204
    assert bearer(raw).get("/api/v1/users/me/").status_code == 401
    assert {"accounts.token.created", "accounts.token.revoked"} <= set(
        AuditEntry.objects.values_list("verb", flat=True)
    )


def test_unknown_fields_are_rejected(alan):
    client = Client()
    sign_in(client, "alan")
    response = client.post(
        "/api/v1/tokens/", {"name": "x", "user": 999, "expires_at": "2099-01-01"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"user", "expires_at"}
    assert not ApiToken.objects.exists()


def test_creating_a_token_needs_a_recent_authentication(alan):
    client = Client()
    client.force_login(alan)  # passed the second factor, but not just now
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] = time.time() - 3600
    session.save()
    assert client.post("/api/v1/tokens/", {"name": "x"}, content_type="application/json").status_code == 403
    page = client.post("/accounts/me/tokens/", {"name": "x", "days": 30})
    assert page.status_code == 302 and page["Location"].startswith("/accounts/reauthenticate/")
    assert not ApiToken.objects.exists()


def test_creating_a_token_in_the_ui_shows_it_once(alan):
    client = Client()
    sign_in(client, "alan")
    response = client.post("/accounts/me/tokens/", {"name": "ui token", "days": 10})
    assert response.status_code == 200
    raw = response.context["raw"]
    assert bearer(raw).get("/api/v1/users/me/").status_code == 200
    assert raw not in client.get("/accounts/me/").content.decode()


def test_users_me_is_read_only(alan):
    _token, raw = services.token_create(actor=alan, name="t")
    assert bearer(raw).post("/api/v1/users/me/", {}, content_type="application/json").status_code == 405
    assert bearer(raw).delete("/api/v1/users/me/").status_code == 405
