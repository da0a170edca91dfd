"""Agreed actions: tracker filters, overdue flags, progress by the responsible, reminders without duplicates."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import Role
from meetings import services
from meetings.models import Action
from meetings.tasks import reminders_due
from meetings.tests.helpers import make_event
from operations.models import OutboxMessage
from participants.models import Group
from portal.testing import UserFactory, add_member


@pytest.fixture
def action(personas):
    event = make_event(personas.alice_focal, start=date(2030, 1, 10))
    return services.action_create(
        actor=personas.alice_focal,
        text="Develop revised RILON guidelines",
        responsible=[personas.alpha, personas.beta],
        event=event,
        due_date=timezone.localdate() - timedelta(days=3),
    )


def test_overdue_actions_are_flagged_on_the_tracker(client, login, personas, action):
    login(personas.bea_analyst)
    page = client.get("/meetings/actions/?overdue=on").content.decode()
    assert "Develop revised RILON guidelines" in page
    assert "Overdue" in page
    assert action.responsible_label == "Alphaland and Betaland"


def test_tracker_filters_by_participant_group_and_state(personas, action):
    from meetings.queries import actions_for

    assert list(actions_for(personas.gus_outsider, participant=personas.beta)) == [action]
    assert list(actions_for(personas.gus_outsider, participant=personas.gamma)) == []
    assert list(actions_for(personas.gus_outsider, group=personas.rilon)) == [action]
    empty_group = Group.objects.create(name="Empty", slug="empty", kind=Group.Kind.OTHER)
    assert list(actions_for(personas.gus_outsider, group=empty_group)) == []
    assert list(actions_for(personas.gus_outsider, state="done")) == []


def test_open_commitments_page_lists_a_participants_open_actions(client, login, personas, action):
    login(personas.gus_outsider)
    assert "Develop revised RILON guidelines" in client.get("/meetings/commitments/bet/").content.decode()
    services.action_report_progress(
        actor=personas.bob_focal, action=action, on=timezone.localdate(), text="Published", state_after="done"
    )
    assert "Develop revised RILON guidelines" not in client.get("/meetings/commitments/bet/").content.decode()


def test_a_responsible_participant_reports_progress_and_others_may_not(personas, action):
    update = services.action_report_progress(
        actor=personas.bea_analyst, action=action, on=timezone.localdate(), text="Draft circulated"
    )
    assert update.action.updates.count() == 1
    with pytest.raises(PermissionDenied):
        services.action_report_progress(
            actor=personas.gus_outsider, action=action, on=timezone.localdate(), text="Not mine"
        )


def test_reminders_go_to_responsible_focal_points_once(personas, action):
    assert reminders_due() == 2
    recipients = set(OutboxMessage.objects.values_list("recipient__username", flat=True))
    assert recipients == {"alice", "bob"}
    assert reminders_due() == 0
    assert OutboxMessage.objects.count() == 2


def test_reminder_before_the_due_date_and_again_after(personas, action):
    Action.objects.filter(pk=action.pk).update(due_date=timezone.localdate() + timedelta(days=7))
    assert reminders_due() == 2
    assert reminders_due(today=timezone.localdate() + timedelta(days=8)) == 2
    assert set(OutboxMessage.objects.values_list("subject", flat=True)) == {
        f"Action due on {(timezone.localdate() + timedelta(days=7)):%-d %B %Y}",
        f"Action overdue since {(timezone.localdate() + timedelta(days=7)):%-d %B %Y}",
    }


def test_no_reminder_about_an_action_the_focal_point_may_not_see(personas):
    rilon_only = services.action_create(
        actor=personas.alice_focal,
        text="Restricted follow-up",
        responsible=[personas.gamma],
        due_date=timezone.localdate() - timedelta(days=1),
        distribution="recipients",
        tlp="amber",
        recipient_keys=[f"group:{personas.rilon.pk}"],
    )
    UserFactory(username="gina", agency=personas.gamma_agency, role=Role.FOCAL_POINT)
    assert rilon_only.pk
    assert reminders_due() == 0
    add_member(personas.rilon, agency=personas.gamma_agency)
    assert reminders_due() == 1
