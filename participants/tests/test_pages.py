"""Pages: the directory with filters and CSV, participant and group pages, and hidden membership."""

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from participants.models import Group, Participant
from participants.tests.helpers import main_of, sign_in
from portal.testing import AgencyFactory, GroupFactory, ParticipantFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_group(personas):
    """A bilateral arrangement between Alphaland and Betaland whose membership is hidden."""
    group = GroupFactory(
        name="Quiet arrangement", slug="quiet", kind=Group.Kind.BILATERAL, hidden_membership=True, purpose="Quiet work."
    )
    add_member(group, agency=personas.alpha_agency, since=date(2011, 5, 11))
    add_member(group, participant=personas.beta, since=date(2012, 1, 1))
    return group


def test_directory_lists_participants_and_filters_by_kind_and_status(client, personas):
    ParticipantFactory(name="Organisation X", code="orgx", kind="organisation", status="observer")
    sign_in(client, personas.gus_outsider)
    page = main_of(client.get(reverse("participants:directory")))
    assert "Alphaland" in page and "Organisation X" in page
    page = main_of(client.get(reverse("participants:directory"), {"kind": "organisation"}))
    assert "Organisation X" in page and "Alphaland" not in page
    page = main_of(client.get(reverse("participants:directory"), {"status": "member"}))
    assert "Organisation X" not in page and "Betaland" in page


def test_directory_filters_by_ad_hoc_group_membership(client, personas):
    ahg = GroupFactory(name="Ad Hoc Group", slug="ahg", kind=Group.Kind.AD_HOC_GROUP)
    add_member(ahg, participant=personas.alpha)
    add_member(ahg, participant=personas.gamma, until=date(2010, 1, 1))  # no longer a member
    sign_in(client, personas.ben_viewer)
    page = main_of(client.get(reverse("participants:directory"), {"ahg": "yes"}))
    assert "Alphaland" in page and "Gammaland" not in page and "Betaland" not in page
    page = main_of(client.get(reverse("participants:directory"), {"ahg": "no"}))
    assert "Alphaland" not in page and "Gammaland" in page


def test_directory_downloads_as_csv_with_formulas_neutralised_and_audited(client, personas):
    ParticipantFactory(name="=HYPERLINK(1)", code="evil")
    sign_in(client, personas.avery_viewer)
    response = client.get(reverse("participants:directory"), {"format": "csv", "kind": "state"})
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0] == "code,name,short_name,kind,iso3,status,ahg_member,agencies"
    assert "'=HYPERLINK(1)" in body and "\nevil,=HYPERLINK" not in body
    assert AuditEntry.objects.filter(verb="participants.directory.exported").exists()


def test_participant_page_shows_agencies_with_where_they_sit_and_dated_history(client, personas):
    AgencyFactory(participant=personas.alpha, name="Alphaland Embassy, Betacity", located_in="BET", city="Betacity")
    personas.alpha.status_history.create(status="observer", effective_on=date(2011, 1, 1), precision="year")
    personas.alpha.status_history.create(status="member", effective_on=date(2012, 9, 1), precision="month")
    personas.alpha.status_history.create(status="member", effective_on=date(2011, 10, 12), precision="day", note="x")
    sign_in(client, personas.bea_analyst)
    page = main_of(client.get(reverse("participants:detail", kwargs={"code": "alp"})))
    assert "Alphaland Embassy, Betacity" in page and "Betacity, Betaland (BET)" in page
    assert '<time datetime="2011">2011</time>' in page
    assert '<time datetime="2012-09">September 2012</time>' in page
    assert '<time datetime="2011-10-12">12 October 2011</time>' in page


def test_contact_points_are_shown_to_members_only_and_each_read_is_audited(client, personas):
    contact = UserFactory(username="cp", agency=personas.alpha_agency, first_name="Cora", last_name="Point")
    contact.is_contact_point = True
    contact.save()
    sign_in(client, personas.bea_analyst)
    page = main_of(client.get(reverse("participants:detail", kwargs={"code": "alp"})))
    assert "Cora Point" in page
    assert AuditEntry.objects.filter(verb="participants.contact_points.viewed", extra__count=1).exists()

    applicant = ParticipantFactory(name="Applicantland", code="apl", status=Participant.Status.APPLICANT)
    outsider = UserFactory(username="applicant-user", agency=AgencyFactory(participant=applicant))
    client.logout()
    sign_in(client, outsider)
    page = main_of(client.get(reverse("participants:detail", kwargs={"code": "alp"})))
    assert "Cora Point" not in page and "cp@example.org" not in page
    assert "shown to members and observers only" in page


def test_unknown_participant_and_group_answer_404(client, personas):
    sign_in(client, personas.ben_viewer)
    assert client.get(reverse("participants:detail", kwargs={"code": "nope"})).status_code == 404
    assert client.get(reverse("participants:group_detail", kwargs={"slug": "nope"})).status_code == 404


def test_pages_need_sign_in(client, personas):
    response = client.get(reverse("participants:directory"))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_pages_declare_their_methods(client, personas):
    sign_in(client, personas.ben_viewer)
    assert client.post(reverse("participants:directory")).status_code == 405
    assert client.post(reverse("participants:group_list")).status_code == 405


def test_group_page_shows_members_with_roles_and_dates(client, personas):
    sign_in(client, personas.gus_outsider)
    page = main_of(client.get(reverse("participants:group_detail", kwargs={"slug": "test-rilon"})))
    assert "Alphaland Immigration" in page and "Betaland Immigration" in page
    assert '<time datetime="2000-01-01">1 January 2000</time>' in page


def test_who_joined_in_a_period(client, personas):
    group = GroupFactory(name="Working group", slug="wg", kind=Group.Kind.WORKING_GROUP)
    add_member(group, participant=personas.alpha, since=date(2009, 6, 1))
    late = add_member(group, participant=personas.beta, since=date(2011, 1, 1))
    late.since_precision = "year"
    late.save()
    add_member(group, participant=personas.gamma, since=date(2012, 6, 1))
    sign_in(client, personas.alan_analyst)
    url = reverse("participants:group_detail", kwargs={"slug": "wg"})
    page = main_of(client.get(url, {"joined_from": "2011-06-01", "joined_to": "2011-12-31"}))
    assert "Betaland" in page  # joined "in 2011": the year overlaps the period
    assert "Alphaland" not in page and "Gammaland" not in page
    page = main_of(client.get(url, {"joined_from": "2011-12-31", "joined_to": "2011-01-01"}))
    assert "The end of the period is before its start." in page


def test_hidden_membership_shows_non_members_the_name_and_purpose_only(client, personas, hidden_group):
    sign_in(client, personas.gus_outsider)
    page = main_of(client.get(reverse("participants:group_detail", kwargs={"slug": "quiet"})))
    assert "Quiet arrangement" in page and "Quiet work." in page
    assert "Alphaland" not in page and "Betaland" not in page
    assert "shown to its members only" in page
    listing = main_of(client.get(reverse("participants:group_list")))
    row = listing.split("Quiet arrangement", 1)[1].split("</tr>", 1)[0]
    assert "Membership not shown" in row and "2" not in row.replace("quiet", "")
    for code in ("alp", "bet"):
        detail = main_of(client.get(reverse("participants:detail", kwargs={"code": code})))
        assert "Quiet arrangement" not in detail


def test_hidden_membership_is_shown_to_members(client, personas, hidden_group):
    sign_in(client, personas.ben_viewer)  # Betaland is a member as a whole participant
    page = main_of(client.get(reverse("participants:group_detail", kwargs={"slug": "quiet"})))
    assert "Alphaland Immigration" in page and "Betaland" in page
    detail = main_of(client.get(reverse("participants:detail", kwargs={"code": "alp"})))
    assert "Quiet arrangement" in detail


def test_hidden_membership_stays_hidden_from_the_other_agency_of_a_member_participant(client, personas, hidden_group):
    sign_in(client, personas.abel_other_agency)  # Alphaland Police: only Alphaland Immigration is a member
    page = main_of(client.get(reverse("participants:group_detail", kwargs={"slug": "quiet"})))
    assert "Betaland" not in page and "Alphaland Immigration" not in page


def test_a_past_member_no_longer_sees_hidden_membership(client, personas, hidden_group):
    hidden_group.memberships.filter(participant=personas.beta).update(until=date(2012, 12, 31))
    sign_in(client, personas.bea_analyst)
    page = main_of(client.get(reverse("participants:group_detail", kwargs={"slug": "quiet"})))
    assert "Alphaland Immigration" not in page


def test_a_hidden_ad_hoc_group_does_not_leak_through_the_directory_filter(client, personas):
    ahg = GroupFactory(name="Ad Hoc Group", slug="ahg", kind=Group.Kind.AD_HOC_GROUP, hidden_membership=True)
    add_member(ahg, participant=personas.alpha)
    sign_in(client, personas.gus_outsider)
    page = main_of(client.get(reverse("participants:directory"), {"ahg": "yes"}))
    assert "Alphaland" not in page
    sign_in(client, personas.alan_analyst)  # a member sees the filter work
    page = main_of(client.get(reverse("participants:directory"), {"ahg": "yes"}))
    assert "Alphaland" in page


def test_list_pages_keep_a_fixed_number_of_queries(client, personas, django_assert_max_num_queries):
    for n in range(30):
        participant = ParticipantFactory(name=f"Extra {n}", code=f"x{n}")
        agency = AgencyFactory(participant=participant)
        add_member(personas.rilon, agency=agency)
    sign_in(client, personas.ben_viewer)
    client.get(reverse("participants:directory"))  # warm the session
    with django_assert_max_num_queries(20):
        assert client.get(reverse("participants:directory")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("participants:group_detail", kwargs={"slug": "test-rilon"})).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("participants:group_list")).status_code == 200
