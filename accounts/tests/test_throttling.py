"""Throttling covers every method and username variant, keys on the real client IP, and cools off."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts import throttle
from accounts.models import SignInThrottle
from accounts.tests.conftest import code_step, current_code, password_step
from audit.models import AuditEntry
from portal.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db
WRONG = "not-the-password-at-all"


def fail_passwords(n: int, username: str = "alan", **extra) -> None:
    for _ in range(n):
        password_step(Client(), username, WRONG, **extra)


def reaches_second_factor(username: str = "alan", **extra) -> bool:
    response = password_step(Client(), username, TEST_PASSWORD, **extra)
    return response.status_code == 302 and response["Location"].startswith("/accounts/2fa/authenticate/")


def test_after_five_failures_even_the_right_password_waits(alan):
    fail_passwords(5)
    assert not reaches_second_factor()
    page = password_step(Client(), "alan", TEST_PASSWORD).content.decode()
    assert "Too many failed attempts" in page
    assert AuditEntry.objects.filter(verb="accounts.sign_in.locked_out").count() == 1


@pytest.mark.parametrize("variant", ["ALAN", " alan ", "Alan", "\uff41\uff4c\uff41\uff4e"])
def test_username_variants_share_one_counter(alan, variant):
    fail_passwords(5, variant)
    assert not reaches_second_factor("alan")


def test_an_attacker_elsewhere_does_not_lock_the_victim_out_of_their_own_address(alan):
    fail_passwords(8, REMOTE_ADDR="203.0.113.9")
    assert reaches_second_factor(REMOTE_ADDR="198.51.100.7")


def test_a_spoofed_forwarded_for_header_is_ignored(alan, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(6):
        password_step(Client(), "alan", WRONG, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert not reaches_second_factor(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.9.9.9")


def test_behind_a_trusted_proxy_the_right_most_hop_is_the_client(alan, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(6):
        # The attacker writes whatever it likes on the left; the proxy appends the real address.
        password_step(Client(), "alan", WRONG, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.9", **proxy)
    assert not reaches_second_factor(HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert reaches_second_factor(HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7", **proxy)


def test_the_client_ip_rule(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert throttle.client_ip(rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="6.6.6.6")) == "192.0.2.1"
    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.1, 10.0.0.1")
    assert throttle.client_ip(request) == "192.0.2.1"
    assert throttle.client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="garbage, x")) == "10.0.0.2"


def test_the_lock_grows_exponentially_and_is_capped_at_fifteen_minutes():
    free = throttle.IP_AND_USERNAME.free
    assert [throttle.lock_seconds(free + k, free) for k in range(-1, 3)] == [0, 30, 60, 120]
    assert throttle.lock_seconds(free + 100, free) == 15 * 60


def test_the_lock_ends_after_the_cool_off(alan):
    fail_passwords(6)
    assert not reaches_second_factor()
    SignInThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert reaches_second_factor()


def test_totp_guessing_is_throttled_and_the_right_code_then_waits(alan):
    client = Client()
    password_step(client, "alan")
    for _ in range(5):
        code_step(client, "000000")
    response = code_step(client, current_code())
    assert "Too many failed attempts" in response.content.decode()
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_recovery_code_guessing_counts_on_the_same_second_factor_counter(alan):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(alan).new_codes
    client = Client()
    password_step(client, "alan")
    for _ in range(5):
        code_step(client, "12345678")
    assert "Too many failed attempts" in code_step(client, codes[0]).content.decode()


def test_webauthn_failures_are_throttled(alan, rf):
    from allauth.core import context

    from accounts.forms import MfaAuthenticateWebAuthnForm

    for _ in range(5):
        with context.request_context(rf.post("/", REMOTE_ADDR="192.0.2.5")):
            form = MfaAuthenticateWebAuthnForm(user=alan, data={"credential": '{"id": "x"}'})
            assert not form.is_valid()
    with context.request_context(rf.post("/", REMOTE_ADDR="192.0.2.5")):
        form = MfaAuthenticateWebAuthnForm(user=alan, data={"credential": '{"id": "x"}'})
        form.is_valid()
    assert "Too many failed attempts" in str(form.errors)


def test_reauthentication_by_password_is_throttled(alan, rf):
    from allauth.core import context

    from accounts.forms import PortalReauthenticateForm

    request = rf.post("/")
    request.user = alan
    for _ in range(5):
        with context.request_context(request):
            assert not PortalReauthenticateForm(user=alan, data={"password": WRONG}).is_valid()
    with context.request_context(request):
        form = PortalReauthenticateForm(user=alan, data={"password": TEST_PASSWORD})
        assert not form.is_valid()
    assert "Too many failed attempts" in str(form.errors)


def test_password_reset_requests_are_throttled(alan):
    from operations.models import OutboxMessage

    for _ in range(3):
        Client().post("/accounts/password/reset/", {"username": "alan"})
    response = Client().post("/accounts/password/reset/", {"username": " ALAN "})
    assert "Too many failed attempts" in response.content.decode()
    assert OutboxMessage.objects.filter(recipient=alan).count() <= 3


def test_failed_api_tokens_are_throttled_per_address(alan):
    from accounts import services

    _token, raw = services.token_create(actor=alan, name="script")
    for n in range(20):
        assert Client().get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Bearer bpp_wrong{n}").status_code == 401
    assert Client().get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 429
    assert (
        Client().get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR="198.51.100.7").status_code
        == 200
    )


def test_the_throttle_stores_no_username_or_address(alan):
    fail_passwords(2)
    keys = list(SignInThrottle.objects.values_list("key", flat=True))
    assert keys and not any("alan" in k or "127.0.0.1" in k for k in keys)
