"""Security keys (WebAuthn) in a real browser, with Chromium's virtual authenticator driven over CDP.

live_server answers on http://localhost, which browsers treat as a secure context, so WebAuthn works there;
the `page` fixture allows allauth's insecure-origin check for it.
"""

import pytest

from accounts.models import Role
from portal.testing import TEST_PASSWORD, Personas, UserFactory, enrol_totp
from tests.browser.fixtures import DEMO_TOTP_SECRET, assert_accessible, fresh_code, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_HEADING = "What is new for me"


def add_virtual_authenticator(page) -> tuple[object, str]:
    """A USB CTAP2 key that holds resident keys, verifies its user and is touched automatically."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
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
    return cdp, added["authenticatorId"]


def credentials_on(cdp, authenticator_id: str) -> list[dict]:
    return cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]


def register_security_key(page, name: str) -> None:
    """On the add-a-key page: name the key and press Add; the browser asks the (virtual) key."""
    if "/accounts/2fa/webauthn/add/" not in page.url:
        page.goto("/accounts/2fa/webauthn/add/")
    page.wait_for_load_state()
    page.locator("input[name=name]").fill(name)
    with page.expect_navigation():
        page.locator("#mfa_webauthn_add").click()
    page.wait_for_load_state()
    # The first factor added after sign-in shows new recovery codes once; the page holds the person
    # there (beforeunload) until they confirm they saved them.
    if page.locator("#codes_saved").count():
        assert page.locator("#recovery_codes").input_value().strip()
        page.locator("#codes_saved").check()


def password_step(page, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_load_state()


def sign_in_with_security_key(page, username: str) -> None:
    password_step(page, username)
    assert "/accounts/2fa/authenticate/" in page.url
    with page.expect_navigation():
        page.get_by_role("button", name="Use a security key").click()
    page.wait_for_load_state()


def sign_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.context.clear_cookies()


def test_a_person_registers_a_security_key_and_then_signs_in_with_it(page):
    personas = Personas.build()
    enrol_totp(personas.alan_analyst, DEMO_TOTP_SECRET)
    cdp, authenticator = add_virtual_authenticator(page)

    sign_in(page, "alan", TEST_PASSWORD)
    assert page.get_by_role("heading", name=HOME_HEADING).is_visible()
    page.goto("/accounts/2fa/webauthn/add/")
    assert_accessible(page, label="add a security key")
    register_security_key(page, "Blue key")
    assert len(credentials_on(cdp, authenticator)) == 1
    page.goto("/accounts/2fa/webauthn/")
    assert page.get_by_text("Blue key").count() >= 1

    sign_out(page)
    page.goto("/")
    assert "/accounts/login/" in page.url

    sign_in_with_security_key(page, "alan")
    assert page.get_by_role("heading", name=HOME_HEADING).is_visible(), page.url
    assert not page.watch.dialogs and not page.watch.page_errors and not page.watch.csp_violations


def test_an_administrator_who_must_use_a_key_cannot_get_in_with_a_code_alone(page, settings):
    settings.REQUIRE_WEBAUTHN_FOR_ADMINS = True
    admin = UserFactory(username="root", role=Role.SYSTEM_ADMIN)
    enrol_totp(admin, DEMO_TOTP_SECRET)
    cdp, authenticator = add_virtual_authenticator(page)

    # A code alone opens only the page that adds a security key.
    sign_in(page, "root", TEST_PASSWORD)
    page.goto("/")
    assert "/accounts/2fa/webauthn/add/" in page.url
    assert page.get_by_role("heading", name=HOME_HEADING).count() == 0
    page.goto("/participants/")
    assert "/accounts/2fa/webauthn/add/" in page.url

    register_security_key(page, "Admin key")
    assert len(credentials_on(cdp, authenticator)) == 1
    sign_out(page)

    # Once a key exists, the code is refused: the key is the only way in.
    password_step(page, "root")
    page.locator("input[name=code]").fill(fresh_code("root"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert "must use its security key" in page.content()
    page.goto("/")
    assert page.get_by_role("heading", name=HOME_HEADING).count() == 0
    page.context.clear_cookies()

    sign_in_with_security_key(page, "root")
    assert page.get_by_role("heading", name=HOME_HEADING).is_visible(), page.url
    assert not page.watch.dialogs and not page.watch.page_errors and not page.watch.csp_violations
