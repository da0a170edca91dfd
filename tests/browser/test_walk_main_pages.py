"""Each persona of the demo data walks the main pages of every capability in a real browser.

Every page must load (no server error), pass axe-core with no serious or critical violation, and cause no
CSP violation, dialog or script error. Pages a role may not use answer 403 or 404, never 500.
"""

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import Role, User
from tests.browser.fixtures import sign_in
from tests.browser.walker import Walker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SLUG = r"[-a-z0-9_]+"
USER_MANAGERS = {Role.FOCAL_POINT, Role.SECRETARIAT, Role.SYSTEM_ADMIN}
TRAIL_READERS = {Role.FOCAL_POINT, Role.AUDITOR}
FORBIDDEN = (403, 404)


def walk_everything(walker: Walker, role: str) -> None:
    """The main pages of every capability, in the order a person finds them in the navigation."""
    visit, follow = walker.visit, walker.follow
    visit("home", "/")

    # Participants and groups
    participants = follow("participant", "/participants/", rf"/participants/(?!groups/|new/){SLUG}/", limit=2)
    assert participants or walker.problems
    follow("group", "/participants/groups/", rf"/participants/groups/(?!new/){SLUG}/")

    # Documents
    follow("document", "/documents/", rf"/documents/{UUID}/", limit=2)
    visit("document upload form", "/documents/new/", expect=(200, 403))
    visit("document approvals", "/documents/approvals/", expect=(200, 403))
    visit("document release requests", "/documents/release-requests/", expect=(200, 403))

    # My account: factors, tokens, sessions
    visit("my account", "/accounts/me/")
    visit("my profile", "/accounts/me/profile/")
    visit("second factors", "/accounts/2fa/")
    visit("security keys", "/accounts/2fa/webauthn/")
    visit("new API token form", "/accounts/me/tokens/new/")
    visit("sessions", "/accounts/sessions/")

    # Focal-point user management
    if role in USER_MANAGERS:
        follow("managed user", "/accounts/users/", rf"/accounts/users/{UUID}/", limit=2)
        visit("invitation form", "/accounts/users/invite/")
    else:
        visit("user management (not for this role)", "/accounts/users/", expect=FORBIDDEN)

    # Audit trail
    visit("audit trail", "/audit/", expect=(200,) if role in TRAIL_READERS else (200, *FORBIDDEN))

    # Meetings
    follow("event", "/meetings/", rf"/meetings/events/{UUID}/", limit=2)
    follow("action", "/meetings/actions/", rf"/meetings/actions/{UUID}/")
    follow("priority", "/meetings/priorities/", r"/meetings/priorities/\d+/")
    visit("report", "/meetings/report/", expect=(200, 403))
    visit("new event form", "/meetings/events/new/", expect=(200, 403))

    # Information exchange
    follow("item", "/exchange/", rf"/exchange/items/{UUID}/", limit=2)
    visit("new item form", "/exchange/items/new/", expect=(200, 403))
    follow("workspace", "/exchange/groups/", rf"/exchange/groups/{SLUG}/")
    visit("search", "/exchange/search/?q=visa")
    visit("search with facets", "/exchange/search/?q=fraud&kind=document_fraud_alert")
    follow("request for information", "/exchange/requests/", rf"/exchange/requests/{UUID}/", required=False)
    visit("new request form", "/exchange/requests/new/", expect=(200, 403))
    visit("response rates", "/exchange/requests/response-rates/")
    visit("notifications", "/exchange/notifications/")
    visit("subscriptions", "/exchange/subscriptions/")
    visit("exchange approvals", "/exchange/approvals/", expect=(200, 403))

    # Regional statistics
    follow("dataset", "/statistics/", rf"/statistics/datasets/{SLUG}/", required=False)
    follow("submission", "/statistics/", r"/statistics/submissions/\d+/", required=False)
    visit("statistics dashboard", "/statistics/dashboard/")
    visit("public dashboard", "/statistics/public/")
    visit("completeness", "/statistics/completeness/", expect=(200, 403))
    visit("explorer", "/statistics/explorer/")
    visit("indicator catalogue", "/statistics/catalogue/")


def walk_upload_job(walker: Walker, user) -> None:
    """A statistics file sent in the background: its upload page and the job page that follows it."""
    from regionaldata import services as statistics
    from regionaldata.models import DataSet

    dataset = next((d for d in DataSet.objects.order_by("code") if statistics.may_submit_for(user, d)), None)
    if dataset is None:
        return
    content = b"indicator,period,value\nunknown-indicator,2012-01,12\n"
    result = statistics.import_file(actor=user, dataset=dataset, content=content, filename="march.csv", background=True)
    assert result.queued
    walker.visit("statistics upload status", f"/statistics/uploads/{result.file.pk}/")
    walker.visit("job page", f"/jobs/{result.file.job_id}/")


def walk_as(page, username: str) -> Walker:
    call_command("seed_demo", verbosity=0)
    user = User.objects.get(username=username)
    sign_in(page, username, settings.DEMO_PASSWORD)
    assert page.get_by_role("heading", name="What is new for me").is_visible(), f"{username} is not signed in"
    walker = Walker(page=page, persona=username)
    walk_everything(walker, user.role)
    walk_upload_job(walker, user)
    return walker


@pytest.mark.parametrize("username", ["aus-analyst", "lka-focal", "rso-secretariat", "rso-auditor", "admin"])
def test_each_persona_walks_the_main_pages_without_error_or_accessibility_violation(page, username):
    walker = walk_as(page, username)
    print(f"\n{username} walked {len(walker.visits)} pages: " + ", ".join(walker.visited_labels()))
    assert not walker.problems, "\n".join(walker.problems)
