"""Reference-data writes: secretariat and system administrators only, audited, history kept."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEntry
from participants import services
from participants.models import Agency, Group, GroupMembership, Participant
from participants.tests.helpers import make_secretariat, make_system_admin, sign_in
from portal.testing import UserFactory
from sharing.principals import forget_principals, principals_of

pytestmark = pytest.mark.django_db


def test_the_secretariat_adds_a_participant_with_its_first_dated_status(personas):
    secretariat = make_secretariat()
    participant = services.participant_create(
        actor=secretariat,
        name="Deltaland",
        code="DEL",
        kind="state",
        iso3="del",
        status="applicant",
        status_since=date(2013, 1, 1),
        status_precision="month",
    )
    assert (participant.code, participant.iso3) == ("del", "DEL")
    assert [(c.status, c.effective_label) for c in participant.status_history.all()] == [("applicant", "January 2013")]
    entry = AuditEntry.objects.get(verb="participants.participant.created")
    assert entry.target_id == str(participant.pk) and entry.changes["name"]["after"] == "Deltaland"


def test_a_status_change_is_dated_and_the_current_status_follows_it(personas):
    admin = make_system_admin()
    services.participant_change_status(
        actor=admin, participant=personas.gamma, status="suspended", effective_on=date(2012, 9, 1), precision="month"
    )
    personas.gamma.refresh_from_db()
    assert personas.gamma.status == Participant.Status.SUSPENDED
    future = timezone.localdate() + timedelta(days=30)
    services.participant_change_status(actor=admin, participant=personas.gamma, status="member", effective_on=future)
    personas.gamma.refresh_from_db()
    assert personas.gamma.status == Participant.Status.SUSPENDED  # not yet in effect
    assert personas.gamma.status_history.count() == 2
    assert AuditEntry.objects.filter(verb="participants.participant.status_changed").count() == 2


def test_updates_record_before_and_after(personas):
    secretariat = make_secretariat()
    services.participant_update(actor=secretariat, participant=personas.alpha, short_name="Alpha", four_eyes=True)
    entry = AuditEntry.objects.get(verb="participants.participant.updated")
    assert entry.changes["four_eyes"] == {"before": False, "after": True}
    with pytest.raises(ValidationError):
        services.participant_update(actor=secretariat, participant=personas.alpha, status="former")


def test_agencies_record_where_they_sit(personas):
    secretariat = make_secretariat()
    agency = services.agency_create(
        actor=secretariat, participant=personas.alpha, name="Alphaland Embassy", kind="mission", located_in="bet"
    )
    assert agency.located_in == "BET"
    services.agency_update(actor=secretariat, agency=agency, city="Betacity")
    assert AuditEntry.objects.filter(verb__startswith="participants.agency.").count() == 2


@pytest.mark.parametrize("persona", ["alice_focal", "alan_analyst", "avery_viewer", "gus_outsider"])
def test_reference_data_writes_are_refused_to_everyone_else(personas, persona):
    actor = getattr(personas, persona)
    with pytest.raises(PermissionDenied):
        services.participant_create(actor=actor, name="X", code="x", kind="state")
    with pytest.raises(PermissionDenied):
        services.participant_change_status(
            actor=actor, participant=personas.alpha, status="former", effective_on=date(2013, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.agency_create(actor=actor, participant=personas.alpha, name="X")
    with pytest.raises(PermissionDenied):
        services.group_create(actor=actor, name="X", slug="x", kind="other")
    with pytest.raises(PermissionDenied):
        services.group_add_member(
            actor=actor, group=personas.rilon, agency=personas.gamma_agency, since=date(2013, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.group_end_membership(
            actor=actor, membership=personas.rilon.memberships.first(), until=date(2013, 1, 1)
        )
    assert not AuditEntry.objects.filter(verb__startswith="participants.").exists()


def test_an_auditor_cannot_write_reference_data_either(personas):
    auditor = UserFactory(username="aud", agency=personas.gamma_agency, role=Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        services.group_update(actor=auditor, group=personas.rilon, hidden_membership=True)


def test_membership_history_is_kept_and_principals_follow_it(personas):
    secretariat = make_secretariat()
    membership = services.group_add_member(
        actor=secretariat, group=personas.rilon, agency=personas.gamma_agency, since=date(2011, 1, 1), role="chair"
    )
    assert f"group:{personas.rilon.pk}" in principals_of(personas.gus_outsider).keys
    with pytest.raises(ValidationError):  # already a member in that period
        services.group_add_member(
            actor=secretariat, group=personas.rilon, agency=personas.gamma_agency, since=date(2012, 1, 1)
        )
    services.group_end_membership(actor=secretariat, membership=membership, until=date(2012, 6, 30))
    membership.refresh_from_db()
    assert membership.until == date(2012, 6, 30)
    forget_principals(personas.gus_outsider)  # principals are computed once per request
    assert f"group:{personas.rilon.pk}" not in principals_of(personas.gus_outsider).keys
    # A later membership is a new row; the old one stays for "who was a member when".
    services.group_add_member(
        actor=secretariat, group=personas.rilon, agency=personas.gamma_agency, since=date(2013, 1, 1)
    )
    assert GroupMembership.objects.filter(group=personas.rilon, agency=personas.gamma_agency).count() == 2
    verbs = list(AuditEntry.objects.filter(verb__startswith="participants.group.").values_list("verb", flat=True))
    assert verbs == [
        "participants.group.member_added",
        "participants.group.member_ended",
        "participants.group.member_added",
    ]


def test_a_membership_names_one_agency_or_one_participant(personas):
    secretariat = make_secretariat()
    with pytest.raises(ValidationError):
        services.group_add_member(
            actor=secretariat,
            group=personas.rilon,
            agency=personas.gamma_agency,
            participant=personas.gamma,
            since=date(2013, 1, 1),
        )


def test_manage_pages_answer_403_to_non_managers(client, personas):
    sign_in(client, personas.alice_focal)
    urls = [
        reverse("participants:create"),
        reverse("participants:edit", kwargs={"code": "alp"}),
        reverse("participants:status", kwargs={"code": "alp"}),
        reverse("participants:agency_create", kwargs={"code": "alp"}),
        reverse("participants:agency_edit", kwargs={"uuid": personas.alpha_agency.uuid}),
        reverse("participants:group_create"),
        reverse("participants:group_edit", kwargs={"slug": "test-rilon"}),
        reverse("participants:membership_add", kwargs={"slug": "test-rilon"}),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "Hijack"}).status_code == 403, url
    membership = personas.rilon.memberships.first()
    end_url = reverse("participants:membership_end", kwargs={"slug": "test-rilon", "pk": membership.pk})
    assert client.post(end_url, {"until": "2013-01-01", "until_precision": "day"}).status_code == 403
    membership.refresh_from_db()
    assert membership.until is None
    assert not Participant.objects.filter(name="Hijack").exists()


def test_the_secretariat_manages_through_the_forms(client, personas):
    sign_in(client, make_secretariat())
    response = client.post(
        reverse("participants:create"),
        {
            "name": "Deltaland",
            "code": "del",
            "kind": "state",
            "iso3": "DEL",
            "status": "invited",
            "status_since": "2013-04-01",
            "status_precision": "day",
        },
    )
    assert response.status_code == 302
    assert Participant.objects.get(code="del").status_history.get().effective_label == "1 April 2013"
    response = client.post(
        reverse("participants:agency_create", kwargs={"code": "del"}),
        {"name": "Deltaland Embassy, Alphacity", "kind": "mission", "located_in": "alp", "is_active": "on"},
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Deltaland Embassy, Alphacity")
    assert agency.located_in == "ALP"
    response = client.post(
        reverse("participants:group_create"),
        {"name": "RILON Alphacity", "slug": "rilon-alphacity", "kind": "rilon", "established_precision": "day"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("participants:membership_add", kwargs={"slug": "rilon-alphacity"}),
        {"agency": agency.pk, "role": "member", "since": "2013-02-07", "since_precision": "day"},
    )
    assert response.status_code == 302
    membership = Group.objects.get(slug="rilon-alphacity").memberships.get()
    response = client.post(
        reverse("participants:membership_end", kwargs={"slug": "rilon-alphacity", "pk": membership.pk}),
        {"until": "2013-12-31", "until_precision": "day"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.until == date(2013, 12, 31)


def test_form_errors_name_the_field(client, personas):
    sign_in(client, make_secretariat())
    response = client.post(
        reverse("participants:membership_add", kwargs={"slug": "test-rilon"}),
        {"role": "member", "since": "2013-02-07", "since_precision": "day"},
    )
    assert response.status_code == 200
    assert "Agency: Choose exactly one: an agency or a whole participant." in response.content.decode()
    response = client.post(
        reverse("participants:agency_create", kwargs={"code": "alp"}),
        {"name": "X", "kind": "other", "located_in": "L1"},
    )
    assert "Located in (ISO alpha-3)" in response.content.decode()


def test_codes_that_would_shadow_a_page_are_refused(personas):
    with pytest.raises(ValidationError) as error:
        services.participant_create(actor=make_secretariat(), name="Groupsland", code="groups", kind="state")
    assert "code" in error.value.message_dict
