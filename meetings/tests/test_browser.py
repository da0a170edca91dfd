"""In a real browser: sign in with password and TOTP, record a meeting, then an action agreed there."""

import pyotp
import pytest

from accounts.models import Role
from portal.testing import TEST_PASSWORD, AgencyFactory, ParticipantFactory, UserFactory, enrol_totp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
pytestmark = pytest.mark.browser


@pytest.fixture
def meetings_page(browser, live_server, browser_settings):
    """A page in the run's one Chromium (tests/browser/fixtures.py), against live_server."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_secretariat_records_an_event_and_an_action_through_the_pages(meetings_page, transactional_db):
    lka = ParticipantFactory(name="Sri Lanka", code="lka", iso3="LKA")
    aus = ParticipantFactory(name="Australia", code="aus", iso3="AUS")
    user = UserFactory(username="sara", agency=AgencyFactory(participant=aus), role=Role.FOCAL_POINT)
    enrol_totp(user, SECRET)
    page = meetings_page

    page.goto("/accounts/login/")
    page.fill("input[name=login]", "sara")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.locator("input[name=code]").fill(pyotp.TOTP(SECRET).now())
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()

    page.goto("/meetings/events/new/")
    page.fill("#id_title", "TEWG on Irregular Movement by Air")
    page.select_option("#id_kind", "tewg")
    page.fill("#id_start_date", "2031-05-10")
    page.fill("#id_end_date", "2031-05-09")
    page.fill("#id_city", "Colombo")
    page.fill("#id_country", "LKA")
    page.select_option("#id_hosts", str(lka.pk))
    page.click("main form button[type=submit]")
    assert "The end date is before the start date." in page.content()

    page.fill("#id_end_date", "2031-05-11")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/meetings/events/*/")
    assert "10-11 May 2031" in page.content()

    page.click("text=Record an agreed action")
    page.fill("#id_text", "Develop revised RILON guidelines")
    page.select_option("#id_responsible", [str(aus.pk), str(lka.pk)])
    page.fill("#id_due_date", "2031-11-14")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/meetings/actions/*/")
    content = page.content()
    assert "Develop revised RILON guidelines" in content
    assert "Australia and Sri Lanka" in content

    page.goto("/meetings/actions/")
    assert "Develop revised RILON guidelines" in page.content()
