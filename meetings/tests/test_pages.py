"""The meetings pages: forms that name their errors, the report page for secretariat and co-chairs, narrative flow."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Role
from audit.models import AuditEntry
from meetings import services
from meetings.models import Event, ReportNarrativeVersion
from meetings.report import build_report
from participants.models import Group, GroupMembership
from portal.testing import AgencyFactory, UserFactory
from sharing.rules import ALL_MEMBERS, PUBLIC


def _event_form(**overrides):
    data = {
        "title": "Roundtable on irregular movement by sea",
        "kind": "roundtable",
        "start_date": "2031-05-10",
        "end_date": "2031-05-11",
        "date_precision": "day",
        "city": "Bangkok",
        "country": "tha",
        "state": "planned",
        "share_with": "members",
        "tlp": "green",
    }
    return data | overrides


def test_record_an_event_through_the_page(client, login, personas):
    login(personas.alice_focal)
    response = client.post("/meetings/events/new/", _event_form(), follow=True)
    assert response.status_code == 200
    event = Event.objects.get(title="Roundtable on irregular movement by sea")
    assert event.country == "THA" and event.status == "published"
    assert "10-11 May 2031" in response.content.decode()


def test_the_event_form_names_a_bad_end_date(client, login, personas):
    login(personas.alice_focal)
    response = client.post("/meetings/events/new/", _event_form(end_date="2031-05-01"))
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    assert not Event.objects.exists()


def test_a_viewer_cannot_record_events(client, login, personas):
    login(personas.avery_viewer)
    assert client.get("/meetings/events/new/").status_code == 403


def test_calendar_page_shows_upcoming_and_month_table(client, login, personas):
    make = services.event_create
    make(actor=personas.alice_focal, fields={"title": "Future SOM", "kind": "som", "start_date": date(2031, 3, 5)})
    login(personas.bea_analyst)
    page = client.get("/meetings/?month=2031-3").content.decode()
    assert "Future SOM" in page and "<caption>" in page
    assert client.get("/meetings/?month=nonsense").status_code == 404


@pytest.fixture
def co_chair(personas):
    group = Group.objects.create(name="Co-chairs", slug="co-chairs-test", kind=Group.Kind.CO_CHAIRS)
    GroupMembership.objects.create(group=group, participant=personas.alpha, role="co_chair", since=date(2002, 1, 1))
    return personas.alice_focal


@pytest.fixture
def secretariat(personas):
    personas.gamma.kind = "regional_office"
    personas.gamma.save()
    return UserFactory(username="sec", agency=AgencyFactory(participant=personas.gamma), role=Role.SECRETARIAT)


def test_report_page_is_for_secretariat_and_co_chairs_only(client, login, personas, co_chair, secretariat):
    login(personas.bob_focal)
    assert client.get("/meetings/report/").status_code == 403
    login(co_chair)
    assert client.get("/meetings/report/").status_code == 200
    response = client.post(
        "/meetings/report/",
        {"period_from": "2011-03-01", "period_to": "2013-03-05", "fmt": "docx", "audience": "members"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    bad = client.post(
        "/meetings/report/",
        {"period_from": "2013-03-05", "period_to": "2011-03-01", "fmt": "pdf", "audience": "members"},
    )
    assert "The end of the period is before its start." in bad.content.decode()


def test_narrative_is_drafted_approved_then_published_and_every_version_kept(personas, co_chair, secretariat):
    period = {"period_from": date(2011, 3, 1), "period_to": date(2013, 3, 5)}
    first = services.narrative_save_draft(
        actor=secretariat, introduction="First words", future="", conclusion="", **period
    )
    second = services.narrative_save_draft(
        actor=secretariat,
        introduction="Since March 2011, the AHG has met.",
        future="Looking forward.",
        conclusion="The AHG remains critical.",
        **period,
    )
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(PermissionDenied):
        services.narrative_save_draft(actor=co_chair, introduction="x", future="", conclusion="", **period)
    with pytest.raises(PermissionDenied):
        services.narrative_approve(actor=secretariat, version=second)
    assert build_report(audience=ALL_MEMBERS, **period).narrative is None
    services.narrative_approve(actor=co_chair, version=second)
    assert build_report(audience=ALL_MEMBERS, **period).narrative is None
    services.narrative_publish(actor=co_chair, version=second, audience="members")
    assert build_report(audience=ALL_MEMBERS, **period).narrative.introduction == "Since March 2011, the AHG has met."
    assert build_report(audience=PUBLIC, **period).narrative is None
    assert ReportNarrativeVersion.objects.count() == 2
    verbs = set(AuditEntry.objects.filter(verb__startswith="meetings.report_narrative").values_list("verb", flat=True))
    assert verbs == {
        "meetings.report_narrative.drafted",
        "meetings.report_narrative.approved",
        "meetings.report_narrative.published",
    }


def test_home_shows_upcoming_meetings_and_my_open_actions(client, login, personas):
    services.event_create(
        actor=personas.alice_focal, fields={"title": "Next TEWG", "kind": "tewg", "start_date": date(2031, 6, 11)}
    )
    services.action_create(actor=personas.alice_focal, text="Share the concept paper", responsible=[personas.beta])
    login(personas.bea_analyst)
    page = client.get("/").content.decode()
    assert "Upcoming meetings" in page and "Next TEWG" in page
    assert "My open actions" in page and "Share the concept paper" in page
