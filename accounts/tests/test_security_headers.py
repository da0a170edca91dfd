"""Security headers on every response, no-store for signed-in content, and a clean deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from accounts.tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def assert_security_headers(response) -> None:
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_sign_in_page_carries_the_security_headers(db):
    response = Client().get("/accounts/login/", secure=True)
    assert_security_headers(response)
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


def test_signed_in_pages_and_api_are_not_stored(alan):
    client = Client()
    sign_in(client, "alan")
    for url in ("/", "/accounts/me/", "/api/v1/users/me/"):
        response = client.get(url, secure=True)
        assert "no-store" in response["Cache-Control"], url
        assert "max-age=31536000" in response["Strict-Transport-Security"]
    assert_security_headers(client.get("/accounts/me/", secure=True))


def test_error_responses_carry_the_headers_too(alan):
    client = Client()
    sign_in(client, "alan")
    response = client.get("/accounts/users/", secure=True)
    assert response.status_code == 403
    assert_security_headers(response)


def test_no_inline_script_on_the_sign_in_and_second_factor_pages(alan):
    from accounts.tests.conftest import password_step

    client = Client()
    login_page = client.get("/accounts/login/").content.decode()
    password_step(client, "alan")
    mfa_page = client.get("/accounts/2fa/authenticate/").content.decode()
    import re

    for page in (login_page, mfa_page):
        for tag in re.findall(r"<script\b[^>]*>", page):
            # External files, nonce'd, or inert JSON data blocks only.
            assert "src=" in tag or "nonce=" in tag or 'type="application/json"' in tag, tag
        assert " style=" not in page


def test_unused_methods_answer_405(alan):
    client = Client()
    sign_in(client, "alan")
    assert client.put("/accounts/me/").status_code == 405
    assert client.get("/accounts/me/sessions/end-others/").status_code == 405
    assert client.patch("/api/v1/users/me/", {}, content_type="application/json").status_code == 405


@pytest.mark.slow
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-0123456789",
        "AUDIT_SIGNING_KEY": "audit-signing-key-for-the-check",
        "FIELD_ENCRYPTION_KEYS": "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC0=",
        "FIELD_HASH_KEY": "aGFzaC1rZXktaGFzaC1rZXktaGFzaC1rZXktaGFzaC0=",
        "ALLOWED_HOSTS": "portal.example.org",
        "PORTAL_VAR_DIR": str(tmp_path),
    }
    for name in (
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "DEBUG",
        "SESSION_COOKIE_NAME",
    ):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
