"""In a real browser: an analyst shares an item with an attachment to a RILON; a member of that RILON
finds it by searching for words in the attachment."""

import pyotp
import pytest

from accounts.models import Role
from portal.testing import (
    TEST_PASSWORD,
    AgencyFactory,
    GroupFactory,
    ParticipantFactory,
    UserFactory,
    add_member,
    enrol_totp,
)

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
pytestmark = pytest.mark.browser


@pytest.fixture
def browser(browser, live_server, browser_settings):
    """The run's one Chromium (tests/browser/fixtures.py), with live_server and plain-HTTP cookie settings."""
    return browser


def signed_in_page(browser, base_url: str, username: str):
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.locator("input[name=code]").fill(pyotp.TOTP(SECRET).now())
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    return page


def test_share_an_item_with_an_attachment_to_a_rilon_and_a_member_finds_it(
    browser, live_server, transactional_db, tmp_path
):
    lka = ParticipantFactory(name="Sri Lanka", code="lka", iso3="LKA")
    aus = ParticipantFactory(name="Australia", code="aus", iso3="AUS")
    lka_agency = AgencyFactory(participant=lka, name="Department of Immigration and Emigration")
    aus_agency = AgencyFactory(participant=aus, name="Australian High Commission, Colombo")
    rilon = GroupFactory(name="RILON Colombo", slug="rilon-colombo")
    add_member(rilon, agency=lka_agency)
    add_member(rilon, agency=aus_agency)
    author = UserFactory(username="kamal", agency=lka_agency, role=Role.ANALYST)
    member = UserFactory(username="james", agency=aus_agency, role=Role.ANALYST)
    for user in (author, member):
        enrol_totp(user, SECRET)

    page = signed_in_page(browser, live_server.url, "kamal")
    page.goto("/exchange/items/new/?kind=document_fraud_alert")
    page.fill("#id_title", 'Forged N-series passports <script>alert("t")</script>')
    page.fill("#id_summary", "Data pages substituted in genuine blanks.")
    page.fill("#id_body", "Check the **laminate** edge.\n\n<img src=x onerror=alert(1)>")
    page.fill("#id_tags", "forgery, <b>passport</b>")
    page.fill("#id_d_document_type", "Passport")
    page.fill("#id_d_issuing_country", "LKA")
    page.select_option("#id_d_fraud_type", "forged")
    page.select_option("#id_distribution", "recipients")
    page.select_option("#id_tlp", "amber")
    page.select_option("#id_groups", str(rilon.pk))
    page.click("button[name=publish]")
    page.wait_for_load_state()
    assert "Forged N-series passports" in page.locator("h1").inner_text()

    attachment = tmp_path / "detections.csv"
    attachment.write_text("airport,feature\nCMB,hinge laminate lifted on guilloche background\n", encoding="utf-8")
    page.set_input_files("#id_file", str(attachment))
    page.locator("#attachments button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#attachments a", has_text="detections.csv").count() == 1
    assert page.dialogs == []

    reader = signed_in_page(browser, live_server.url, "james")
    reader.goto("/exchange/search/")
    reader.fill("#id_q", "guilloche")
    reader.locator("form[role=search] button[type=submit]").click()
    reader.wait_for_load_state()
    hit = reader.locator("ol.plain-list li a", has_text="Forged N-series passports")
    assert hit.count() == 1
    assert "1 item found" in reader.locator("#hits-title").inner_text()
    hit.click()
    reader.wait_for_load_state()
    assert reader.locator("#attachments a", has_text="detections.csv").count() == 1
    assert reader.dialogs == []
