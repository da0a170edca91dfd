"""Helpers for the accounts tests: sign in through the real pages, as a browser would."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from portal.testing import TEST_PASSWORD, enrol_totp

SECRET = "JBSWY3DPEHPK3PXP"


def code_at(secret: str, offset_steps: int = 0) -> str:
    # allauth's own HOTP (pyotp refuses the 80-bit demo secret).
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset_steps))


def current_code(secret: str = SECRET) -> str:
    return code_at(secret)


def previous_code(secret: str = SECRET) -> str:
    return code_at(secret, -1)


def password_step(client: Client, username: str, password: str = TEST_PASSWORD, **extra):
    client.get("/accounts/login/", **extra)
    return client.post("/accounts/login/", {"login": username, "password": password}, **extra)


def code_step(client: Client, code: str, **extra):
    return client.post("/accounts/2fa/authenticate/", {"code": code}, **extra)


def sign_in(client: Client, username: str, *, code: str | None = None, password: str = TEST_PASSWORD, **extra):
    """Password, then the TOTP code; returns the last response."""
    response = password_step(client, username, password, **extra)
    assert response.status_code == 302, response.content[:2000]
    assert response["Location"].startswith("/accounts/2fa/authenticate/"), response["Location"]
    return code_step(client, code or current_code(), **extra)


@pytest.fixture
def alan(personas):
    enrol_totp(personas.alan_analyst, SECRET)
    return personas.alan_analyst


@pytest.fixture
def fresh_client():
    return Client()
