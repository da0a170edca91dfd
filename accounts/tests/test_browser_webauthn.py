"""In the browser, with a virtual authenticator: add a security key, then sign in with it."""

import pytest

from portal.testing import TEST_PASSWORD, Personas, enrol_totp
from tests.browser.conftest import (  # noqa: F401 - fixtures
    DEMO_TOTP_SECRET,
    assert_accessible,
    browser,
    browser_settings,
    page,
    playwright_instance,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_virtual_authenticator(page) -> None:  # noqa: F811 - the fixture
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_user_adds_a_security_key_and_signs_in_with_it(page):  # noqa: F811 - the fixture
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    personas = Personas.build()
    alan = personas.alan_analyst
    enrol_totp(alan, DEMO_TOTP_SECRET)
    # Recovery codes exist already, so adding the key does not lead to the "save your codes" page.
    RecoveryCodes.activate(alan)
    page.goto("/accounts/login/")
    add_virtual_authenticator(page)
    sign_in(page, "alan", TEST_PASSWORD)
    page.goto("/accounts/2fa/webauthn/add/")
    assert_accessible(page, label="add a security key")
    page.fill("input[name=name]", "Virtual key")
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_url("**/accounts/2fa/**", timeout=15_000)
    page.wait_for_load_state()
    assert Authenticator.objects.filter(user=alan, type=Authenticator.Type.WEBAUTHN).count() == 1

    with page.expect_navigation():
        page.locator("form[action='/accounts/logout/'] button").first.click()
    page.wait_for_url("**/accounts/login/**")
    page.fill("input[name=login]", "alan")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    assert_accessible(page, label="second factor page")
    page.locator("#mfa_webauthn_authenticate").click()
    page.wait_for_url(lambda url: "/accounts/" not in url, timeout=15_000)
    assert page.get_by_role("heading", name="What is new for me").is_visible()
    assert not page.watch.csp_violations and not page.watch.page_errors
