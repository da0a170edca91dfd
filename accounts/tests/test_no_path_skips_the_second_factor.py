"""No way in gives a session without the second factor: pages, API, tokens, password reset, admin."""

import re

import pytest
from django.test import Client

from accounts.models import ApiToken
from accounts.tests.conftest import password_step, sign_in
from operations.models import OutboxMessage
from portal.testing import UserFactory, enrol_totp, force_login_without_second_factor

pytestmark = pytest.mark.django_db


def test_a_session_that_skipped_the_second_factor_is_signed_out_on_pages(alan):
    client = Client()
    force_login_without_second_factor(client, alan)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/accounts/me/")["Location"].startswith("/accounts/login/")


def test_the_api_refuses_a_session_that_skipped_the_second_factor(alan):
    client = Client()
    force_login_without_second_factor(client, alan)
    assert client.get("/api/v1/users/me/", HTTP_ACCEPT="application/json").status_code in (401, 403)


def test_the_api_accepts_a_session_that_passed_the_second_factor(alan):
    client = Client()
    sign_in(client, "alan")
    response = client.get("/api/v1/users/me/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["username"] == "alan"


def test_the_api_refuses_a_session_half_way_through_sign_in(alan):
    client = Client()
    password_step(client, "alan")
    assert client.get("/api/v1/users/me/").status_code in (401, 403)
    assert client.post("/api/v1/tokens/", {"name": "x"}, content_type="application/json").status_code in (401, 403)
    assert not ApiToken.objects.exists()


def test_a_token_cannot_create_tokens(alan):
    from accounts import services

    _token, raw = services.token_create(actor=alan, name="script")
    response = Client().post(
        "/api/v1/tokens/", {"name": "more"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_password_reset_does_not_sign_in(alan):
    client = Client()
    client.post("/accounts/password/reset/", {"username": "alan"})
    body = OutboxMessage.objects.get(recipient=alan).body
    link = re.search(r"http://[^/]+(/accounts/password/reset/key/\S+)", body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "a brand new long passphrase", "password2": "a brand new long passphrase"},
    )
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith("/accounts/login/")
    alan.refresh_from_db()
    assert alan.check_password("a brand new long passphrase")
    # Signing in with the new password still stops at the second factor.
    assert password_step(Client(), "alan", "a brand new long passphrase")["Location"].startswith(
        "/accounts/2fa/authenticate/"
    )


def test_the_admin_login_form_is_replaced_by_the_portal_sign_in(db):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Client().post("/admin/login/", {"username": "x", "password": "y"}).status_code == 302


def test_the_admin_is_for_system_administrators_only(alan):
    client = Client()
    sign_in(client, "alan")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert client.get(response["Location"])["Location"].startswith("/accounts/login/")


def test_a_system_administrator_who_passed_the_second_factor_reaches_the_admin(db):
    root = UserFactory(username="root", role="system_admin")
    enrol_totp(root)
    client = Client()
    sign_in(client, "root")
    assert client.get("/admin/").status_code == 200


def test_a_system_administrator_who_skipped_the_second_factor_does_not_reach_the_admin(db):
    root = UserFactory(username="root", role="system_admin")
    enrol_totp(root)
    client = Client()
    force_login_without_second_factor(client, root)
    assert client.get("/admin/").status_code == 302
