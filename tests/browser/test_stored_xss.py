"""Stored-XSS payloads in every text field users control stay inert on every page that shows them.

The payloads (tests/leaks/xss_payloads.py) go in through the services; then the originator, a recipient
focal point, the secretariat and an auditor open every page that shows them. A page passes when no dialog
opens, no CSP violation is reported, no script error happens, `window.__xss` stays unset, no user text
became markup (handlers, javascript: links, srcdoc frames) and the payload is shown as text where expected.
The report's HTML is opened as a downloaded file would be (no CSP at all), and the CSV exports hold no
live formula.
"""

import csv
import io
import re

import pytest

from tests.browser.fixtures import open_signed_in
from tests.browser.walker import Walker
from tests.browser.xss_world import XssWorld, build
from tests.leaks.xss_payloads import FORMULA_STARTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = re.compile(r"-?\d+(\.\d+)?")


@pytest.fixture
def world() -> XssWorld:
    return build()


def new_walker(browser, live_server, username: str, world: XssWorld) -> Walker:
    from accounts.models import User

    page = open_signed_in(browser, live_server, User.objects.get(username=username))
    return Walker(page=page, persona=username, check_accessibility=False)


def walk_as_originator(walker: Walker, world: XssWorld) -> None:
    """alan wrote the document, the items and answered the RFI; his name holds payloads too."""
    visit = walker.visit
    document, item, event, action = world.document, world.item, world.event, world.action
    visit("home", "/", shows="XSS")
    visit("directory", "/participants/", shows="XSS1")
    visit("payload participant", "/participants/xss/", shows="XSS1")
    visit("participant with a payload agency", "/participants/alp/", shows="XSS3")
    visit("groups", "/participants/groups/", shows="XSS5")
    visit("payload group", "/participants/groups/xss-group/", shows=("XSS5", "XSS3"))
    visit("workspaces", "/exchange/groups/", shows="XSS5")
    visit("payload workspace", "/exchange/groups/xss-group/", shows="XSS16")
    visit("document library", "/documents/", shows="XSS10")
    visit("document library search", "/documents/?q=XSS10", shows="XSS10")
    visit("document", f"/documents/{document.uuid}/", shows=("XSS10", "XSS11"))
    visit("document edit form", f"/documents/{document.uuid}/edit/", shows="XSS10")
    visit("document share form", f"/documents/{document.uuid}/share/", shows="XSS5")
    visit("calendar", "/meetings/?month=2012-6", shows="XSS12")
    visit("event", f"/meetings/events/{event.uuid}/", shows=("XSS12", "XSS13", "XSS-OUT", "XSS14"))
    visit("action tracker", "/meetings/actions/", shows="XSS14")
    visit("action", f"/meetings/actions/{action.uuid}/", shows="XSS15")
    visit("commitments", "/meetings/commitments/alp/", shows="XSS14")
    visit("items", "/exchange/", shows="XSS16")
    visit("item", f"/exchange/items/{item.uuid}/", shows=("XSS16", "XSS17", "XSS20", "XSS-MD", "XSS-COMMENT"))
    visit("item edit form", f"/exchange/items/{item.uuid}/edit/", shows="XSS16")
    visit("item share form", f"/exchange/items/{item.uuid}/share/", shows="XSS5")
    visit("search", "/exchange/search/?q=XSS16", shows="XSS16")
    visit("search for a tag", "/exchange/search/?q=XSS17", shows="XSS17")
    visit("search for an attachment name", "/exchange/search/?q=XSS20", shows="XSS")
    visit("search suggestions", "/exchange/search/suggest/?q=XSS")
    visit("requests", "/exchange/requests/", shows="XSS21")
    visit("request", f"/exchange/requests/{world.rfi.uuid}/", shows=("XSS21", "XSS-RFI", "XSS-ANSWER"))
    visit("answer", f"/exchange/answers/{world.answer.uuid}/", shows="XSS-ANSWER")
    visit("response rates", "/exchange/requests/response-rates/")
    visit("notifications", "/exchange/notifications/")
    visit("statistics", "/statistics/")
    visit("data set with a quality note", f"/statistics/datasets/{world.dataset.code}/", shows="XSS-NOTE")
    visit("my account", "/accounts/me/", shows="XSS7")
    visit("my profile", "/accounts/me/profile/")


def walk_as_focal_point(walker: Walker, world: XssWorld) -> None:
    """alice manages alpha's users (one in the payload agency) and reads alpha's trail; she is a recipient."""
    visit = walker.visit
    visit("home", "/", shows="XSS")
    visit("users", "/accounts/users/", shows="XSS3")
    visit("user in the payload agency", f"/accounts/users/{world.agency_user.uuid}/", shows="XSS3")
    visit("user with payload names", f"/accounts/users/{world.personas.alan_analyst.uuid}/")
    visit("audit trail", "/audit/")
    visit("item as a recipient", f"/exchange/items/{world.item.uuid}/", shows="XSS16")
    visit("document as a recipient", f"/documents/{world.document.uuid}/", shows="XSS10")
    visit("request addressed to alpha", f"/exchange/requests/{world.rfi.uuid}/", shows="XSS21")
    visit("notifications", "/exchange/notifications/")
    visit("statistics dashboard", "/statistics/dashboard/")


def walk_as_secretariat(walker: Walker, world: XssWorld) -> None:
    visit = walker.visit
    visit("payload participant", "/participants/xss/", shows="XSS1")
    visit("participant edit form", "/participants/xss/edit/", shows="XSS1")
    visit("group edit form", "/participants/groups/xss-group/edit/", shows="XSS5")
    visit("new member form", "/participants/groups/xss-group/members/new/", shows="XSS5")
    visit("event edit form", f"/meetings/events/{world.event.uuid}/edit/", shows="XSS12")
    visit("report page", "/meetings/report/")
    visit("completeness", "/statistics/completeness/")


def walk_as_auditor(walker: Walker, world: XssWorld) -> None:
    walker.visit("audit trail", "/audit/", shows="XSS")
    walker.visit("audit trail, later page", "/audit/?page=2", expect=(200, 404))


def post(page, path: str, data: dict):
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "portal-csrftoken")
    return page.request.post(path, form=data, headers={"X-CSRFToken": token, "Referer": page.url})


def live_formulas(text: str) -> list[str]:
    """Cells a spreadsheet would evaluate: starting with = + - @ tab or CR, other than plain numbers."""
    return [
        cell
        for row in csv.reader(io.StringIO(text))
        for cell in row
        if cell.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(cell)
    ]


def test_payloads_are_inert_on_every_page_that_shows_them(browser, live_server, browser_settings, world):
    problems: list[str] = []
    walks = [
        ("alan", walk_as_originator),
        ("alice", walk_as_focal_point),
        ("ratna", walk_as_secretariat),
        ("daniel", walk_as_auditor),
    ]
    visited = 0
    for username, walk in walks:
        walker = new_walker(browser, live_server, username, world)
        try:
            walk(walker, world)
        finally:
            walker.page.context.close()
        problems += walker.problems
        visited += len(walker.visits)
    assert visited >= 50
    assert not problems, "\n".join(problems)


def test_the_report_html_is_inert_even_opened_as_a_file_without_csp(browser, live_server, browser_settings, world):
    walker = new_walker(browser, live_server, "ratna", world)
    page = walker.page
    page.goto("/meetings/report/")
    response = post(
        page,
        "/meetings/report/",
        {"period_from": "2012-01-01", "period_to": "2012-12-31", "fmt": "html", "audience": "members"},
    )
    assert response.status == 200, response.text()[:500]
    html = response.text()
    assert "XSS12" in html  # the event with payloads is in the report
    blank = page.context.new_page()
    blank.watch = type(page.watch)(blank)
    blank.set_content(html)
    blank.wait_for_load_state("load")
    assert blank.evaluate("window.__xss") is None
    assert not blank.watch.dialogs and not blank.watch.page_errors
    assert "XSS12" in blank.inner_text("body")
    page.context.close()


def test_csv_exports_hold_no_live_formula(browser, live_server, browser_settings, world):
    alan = new_walker(browser, live_server, "alan", world).page
    alan.goto("/exchange/export/")
    exports = {
        "documents": alan.request.get("/documents/export.csv"),
        "items": post(alan, "/exchange/export/", {"fmt": "csv"}),
        "statistics": alan.request.get("/statistics/export/csv/"),
    }
    auditor = new_walker(browser, live_server, "daniel", world).page
    exports["audit trail"] = auditor.request.get("/audit/export.csv")

    for name, response in exports.items():
        assert response.status == 200, f"{name}: {response.status}"
        text = response.text()
        assert not live_formulas(text), f"{name} export: {live_formulas(text)[:5]}"
    assert "HYPERLINK" in exports["documents"].text()  # the payload is there, neutralised
    assert "HYPERLINK" in exports["items"].text()
    alan.context.close()
    auditor.context.close()
