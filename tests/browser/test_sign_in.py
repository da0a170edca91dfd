"""Signing in through the real pages with a password and a TOTP code, as a person would."""

import pytest

from portal.testing import TEST_PASSWORD, Personas, enrol_totp
from tests.browser.fixtures import DEMO_TOTP_SECRET, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_password_and_totp_reaches_the_home_page(page):
    personas = Personas.build()
    enrol_totp(personas.alan_analyst, DEMO_TOTP_SECRET)
    page.goto("/accounts/login/")
    assert_accessible(page, label="sign-in page")
    sign_in(page, "alan", TEST_PASSWORD)
    assert page.get_by_role("heading", name="What is new for me").is_visible()
    assert_accessible(page, label="home page")
    assert not page.watch.dialogs and not page.watch.page_errors


def test_a_wrong_code_does_not_sign_in(page):
    personas = Personas.build()
    enrol_totp(personas.bea_analyst, DEMO_TOTP_SECRET)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "bea")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.fill("input[name=code]", "000000")
    page.locator("form button[type=submit]").first.click()
    page.goto("/")
    assert "/accounts/" in page.url  # still at the sign-in stage: the home page is never reached
    assert page.get_by_role("heading", name="What is new for me").count() == 0


def test_every_sign_in_page_is_accessible_and_runs_under_the_csp(page):
    personas = Personas.build()
    enrol_totp(personas.ben_viewer, DEMO_TOTP_SECRET)
    page.goto("/accounts/password/reset/")
    assert_accessible(page, label="password reset page")
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "ben")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("input[name=code]").is_visible()
    assert page.get_by_role("button", name="Use a security key").is_visible()
    assert_accessible(page, label="second-factor page")
    assert not page.watch.csp_violations and not page.watch.page_errors
