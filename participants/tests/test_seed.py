"""seed_demo holds the real facts of the Bali Process, is idempotent, and gives every persona hidden objects."""

from datetime import date

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings

from accounts.models import Role, User
from documents.models import Document
from participants.models import Agency, Group, GroupMembership, Participant, ParticipantStatusChange
from participants.tests.helpers import main_of, seed_demo, sign_in
from sharing.models import TLP, Distribution, Status
from sharing.rules import visible_to

pytestmark = pytest.mark.django_db

REQUIRED_ACCOUNTS = [
    "idn-focal", "idn-analyst", "aus-focal", "aus-analyst", "aus-contributor", "lka-focal", "lka-contributor",
    "lka-analyst", "mys-viewer", "mys-analyst", "tha-analyst", "ind-analyst", "nzl-viewer", "iom-analyst",
    "unhcr-analyst", "usa-viewer", "can-viewer", "rso-secretariat", "rso-auditor", "admin",
]  # fmt: skip


def _counts() -> dict[str, int]:
    models = [Participant, ParticipantStatusChange, Agency, Group, GroupMembership, User, Document, Authenticator]
    return {model._meta.label: model.objects.count() for model in models} | {
        "recipients": apps.get_model("sharing", "Recipient").objects.count()
    }


def _members_on(slug: str, on: date) -> set[str]:
    rows = GroupMembership.objects.filter(group__slug=slug, since__lte=on).exclude(until__lt=on)
    return {(row.agency.participant if row.agency_id else row.participant).code for row in rows}


def test_demo_accounts_exist_only_after_seed_demo():
    assert not User.objects.exists()
    seed_demo()
    assert User.objects.filter(username__in=REQUIRED_ACCOUNTS).count() == len(REQUIRED_ACCOUNTS)


def test_running_seed_demo_twice_leaves_the_same_data():
    seed_demo()
    first = _counts()
    snapshot = list(Participant.objects.order_by("code").values("code", "name", "kind", "status", "iso3"))
    seed_demo()
    assert _counts() == first
    assert list(Participant.objects.order_by("code").values("code", "name", "kind", "status", "iso3")) == snapshot


def test_membership_of_the_bali_process():
    seed_demo()
    assert Participant.objects.count() == 75  # the 74 rows of the membership file and the RSO
    members = Participant.objects.filter(status=Participant.Status.MEMBER)
    assert members.filter(kind__in=["state", "territory"]).count() == 45
    assert members.filter(kind="territory").count() == 3
    assert set(members.filter(kind="organisation").values_list("code", flat=True)) == {"iom", "unhcr", "unodc", "ilo"}
    observers = Participant.objects.filter(status=Participant.Status.OBSERVER)
    assert observers.filter(kind="state").count() == 15
    assert observers.filter(kind="organisation").count() == 10
    indonesia = Participant.objects.get(code="idn")
    assert (indonesia.iso3, indonesia.kind, indonesia.name) == ("IDN", "state", "Indonesia")
    assert Participant.objects.get(code="can").status == Participant.Status.OBSERVER


def test_status_history_keeps_dates_at_their_precision():
    seed_demo()
    usa = [(c.status, c.effective_label) for c in Participant.objects.get(code="usa").status_history.all()]
    assert usa == [("observer", "February 2002"), ("member", "1 April 2013")]
    uae = [(c.status, c.effective_label) for c in Participant.objects.get(code="are").status_history.all()]
    assert uae[-1] == ("member", "1 April 2013")
    unodc = Participant.objects.get(code="unodc").status_history.last()
    assert (unodc.status, unodc.effective_label) == ("member", "April 2013")


def test_the_ad_hoc_group_and_its_2011_joiners():
    seed_demo()
    ahg_2013 = _members_on("ahg", date(2013, 3, 31))
    assert ahg_2013 == {
        "afg", "aus", "bgd", "ind", "idn", "mys", "mdv", "mmr", "nzl", "pak", "phl", "lka", "tha", "usa", "vnm",
        "iom", "unhcr",
    }  # fmt: skip
    joined_2011 = GroupMembership.objects.filter(group__slug="ahg", since__year=2011)
    assert {row.participant.code for row in joined_2011} == {"phl", "vnm", "usa"}
    assert {row.since_label for row in joined_2011} == {"2011"}
    uae = GroupMembership.objects.get(group__slug="ahg", participant__code="are")
    assert "invit" in uae.note.lower()
    assert _members_on("ahg", date(2013, 4, 2)) == ahg_2013 | {"are"}


def test_co_chairs_and_steering_group():
    seed_demo()
    co_chairs = GroupMembership.objects.filter(group__slug="co-chairs")
    assert {(row.participant.code, row.role) for row in co_chairs} == {("idn", "co_chair"), ("aus", "co_chair")}
    assert _members_on("steering-group", date(2013, 3, 31)) == {"idn", "aus", "nzl", "tha", "iom", "unhcr"}


def test_the_regional_support_office():
    seed_demo()
    rso = Participant.objects.get(code="rso")
    assert rso.kind == Participant.Kind.REGIONAL_OFFICE
    opened = rso.status_history.get()
    assert (opened.status, opened.effective_label) == ("member", "September 2012")
    assert rso.agencies.filter(city="Bangkok", located_in="THA").exists()
    co_managers = GroupMembership.objects.filter(group__slug="rso-co-management")
    assert {row.participant.code for row in co_managers} == {"idn", "aus"}


def test_rilons_hold_host_agencies_and_foreign_missions_in_the_host_country():
    seed_demo()
    rilons = Group.objects.filter(kind=Group.Kind.RILON)
    assert set(rilons.values_list("city", flat=True)) == {"Colombo", "Kuala Lumpur", "Bangkok", "New Delhi", "Canberra"}
    hosts = {"Colombo": "LKA", "Kuala Lumpur": "MYS", "Bangkok": "THA", "New Delhi": "IND", "Canberra": "AUS"}
    for rilon in rilons:
        rows = rilon.memberships.select_related("agency__participant")
        assert all(row.agency_id for row in rows), rilon
        assert {row.agency.located_in for row in rows} == {hosts[rilon.city]}
        host = rows.get(role=GroupMembership.Role.HOST).agency.participant
        assert host.iso3 == hosts[rilon.city]
        assert rows.exclude(agency__participant=host).exists(), f"{rilon} has no foreign mission"
    mission = Agency.objects.get(name="Australian High Commission, Colombo")
    assert (mission.participant.code, mission.located_in) == ("aus", "LKA")
    assert mission.memberships.filter(group__slug="rilon-colombo").exists()


def test_a_working_group_and_a_bilateral_arrangement_exist():
    seed_demo()
    assert Group.objects.filter(kind=Group.Kind.WORKING_GROUP, slug="rso-working-group").exists()
    bilateral = Group.objects.get(kind=Group.Kind.BILATERAL)
    assert bilateral.hidden_membership


def test_demo_accounts_sign_in_with_the_demo_password_and_totp():
    seed_demo()
    for username in REQUIRED_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.check_password(settings.DEMO_PASSWORD), username
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(), username
        code = username.split("-")[0] if username != "admin" else "rso"
        assert user.agency.participant.code == code
    admin = User.objects.get(username="admin")
    assert admin.role == Role.SYSTEM_ADMIN
    assert User.objects.get(username="rso-auditor").role == Role.AUDITOR
    assert User.objects.get(username="can-viewer").agency.participant.status == Participant.Status.OBSERVER


def test_demo_documents_cover_every_distribution_tlp_and_status():
    seed_demo()
    documents = Document.objects.all()
    assert set(documents.values_list("distribution", flat=True)) == set(Distribution.values)
    assert set(documents.values_list("tlp", flat=True)) == set(TLP.values)
    assert set(documents.values_list("status", flat=True)) == set(Status.values)
    assert documents.filter(pending_approval=True, status=Status.DRAFT).exists()
    assert any(document.is_expired for document in documents)
    guidelines = documents.get(title="Revised RILON guidelines")
    assert (guidelines.tlp, guidelines.distribution) == (TLP.AMBER, Distribution.RECIPIENTS)


def test_every_demo_persona_has_documents_it_must_not_see():
    seed_demo()
    total = Document.objects.count()
    for user in User.objects.filter(username__in=REQUIRED_ACCOUNTS):
        assert visible_to(Document, user).count() < total, user.username
    guidelines = Document.objects.get(title="Revised RILON guidelines")
    sees = {u.username for u in User.objects.all() if visible_to(Document, u).filter(pk=guidelines.pk).exists()}
    assert "aus-analyst" in sees  # Australian High Commission, Colombo: a Colombo RILON member
    assert {"idn-focal", "mys-viewer", "aus-focal", "rso-secretariat", "admin"}.isdisjoint(sees)


def test_seeders_run_in_the_registered_order():
    import importlib

    from portal.seeding import seeders

    for app in ("participants", "accounts", "documents"):
        importlib.import_module(f"{app}.seed")
    orders = {seeder.name: seeder.order for seeder in seeders()}
    assert (orders["participants"], orders["accounts"], orders["documents"]) == (10, 20, 30)


def test_the_rso_page_says_september_2012(client):
    seed_demo()
    sign_in(client, User.objects.get(username="can-viewer"))
    page = main_of(client.get("/participants/rso/"))
    assert '<time datetime="2012-09">September 2012</time>' in page
    assert "Regional Support Office, Bangkok" in page


def test_the_hidden_bilateral_arrangement_in_the_demo_data(client):
    seed_demo()
    group = Group.objects.get(slug="aus-lka-document-examination")
    sign_in(client, User.objects.get(username="idn-focal"))
    page = main_of(client.get(f"/participants/groups/{group.slug}/"))
    assert "Department of Immigration and Emigration" not in page and "Sri Lanka" not in page
    assert client.get(f"/api/v1/groups/{group.uuid}/").json()["members"] is None
    client.logout()
    sign_in(client, User.objects.get(username="lka-analyst"))
    assert len(client.get(f"/api/v1/groups/{group.uuid}/").json()["members"]) == 2
