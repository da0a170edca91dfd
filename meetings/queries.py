"""Permission-aware reads of the meetings capability. Every list starts from `visible_to`."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import AGENCY_EDITOR_ROLES, Role
from audit import services as audit
from documents.models import Document
from meetings.models import Action, Event, EventDocument, Priority
from participants.models import Group, GroupMembership, Participant, current_membership_q
from sharing.models import TLP_AMBER_OR_ABOVE
from sharing.rules import can_change, get_visible_or_404, visible_to


def events_for(who) -> QuerySet[Event]:
    """Events the user or audience may see, with what the lists show."""
    return (
        visible_to(Event, who)
        .select_related("organising_group", "in_kind_host")
        .prefetch_related("hosts", "priorities")
        .order_by("start_date", "id")
    )


def upcoming_events(who, *, today: date | None = None) -> QuerySet[Event]:
    today = today or timezone.localdate()
    return (
        events_for(who)
        .filter(state=Event.State.PLANNED)
        .filter(Q(end_date__gte=today) | Q(end_date__isnull=True, start_date__gte=today))
    )


def past_events(who, *, today: date | None = None) -> QuerySet[Event]:
    today = today or timezone.localdate()
    return (
        events_for(who)
        .exclude(pk__in=upcoming_events(who, today=today).values("pk"))
        .filter(start_date__lt=today)
        .order_by("-start_date", "-id")
    )


def event_for(user, uuid) -> Event:
    """One event by uuid, 404 when the user may not see it (or it does not exist)."""
    return get_visible_or_404(events_for(user), user, uuid=uuid)


def documents_of(event: Event, who) -> QuerySet[EventDocument]:
    """The event's documents the viewer or audience may see; the others are never mentioned."""
    return (
        EventDocument.objects.filter(event=event, document__in=visible_to(Document, who))
        .select_related("document")
        .order_by("role", "document__title")
    )


def visible_documents_prefetch(who) -> Prefetch:
    return Prefetch(
        "event_documents",
        queryset=EventDocument.objects.filter(document__in=visible_to(Document, who)).select_related("document"),
        to_attr="visible_documents",
    )


def actions_for(
    who,
    *,
    participant: Participant | None = None,
    group: Group | None = None,
    state: str = "",
    overdue: bool = False,
    today: date | None = None,
) -> QuerySet[Action]:
    """Actions the viewer may see, filtered by responsible participant, group of participants, state, overdue."""
    today = today or timezone.localdate()
    queryset = visible_to(Action, who).select_related("event").prefetch_related("responsible")
    if participant is not None:
        queryset = queryset.filter(responsible=participant)
    if group is not None:
        members = GroupMembership.objects.filter(current_membership_q(today), group=group)
        participant_ids = set(members.exclude(participant=None).values_list("participant_id", flat=True))
        participant_ids |= set(members.exclude(agency=None).values_list("agency__participant_id", flat=True))
        queryset = queryset.filter(responsible__in=participant_ids)
    if state:
        queryset = queryset.filter(state=state)
    if overdue:
        queryset = queryset.filter(state__in=Action.OPEN_STATES, due_date__lt=today)
    return queryset.distinct().order_by("due_date", "id")


def open_commitments(who, participant: Participant) -> QuerySet[Action]:
    return actions_for(who, participant=participant).filter(state__in=Action.OPEN_STATES)


def action_for(user, uuid) -> Action:
    return get_visible_or_404(actions_for(user), user, uuid=uuid)


def priorities() -> QuerySet[Priority]:
    """Priorities are reference data set by ministers: every member sees them."""
    return Priority.objects.select_related("mandate").order_by("period_from", "letter")


def priority_for(pk: int) -> Priority:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(priorities(), pk=pk)


def contributions() -> QuerySet:
    """Contributions are reference data kept by the secretariat."""
    from meetings.models import Contribution

    return Contribution.objects.select_related("donor", "event").order_by("-received_on", "id")


def contribution_for(pk: int):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(contributions(), pk=pk)


def co_chair_participant_ids(on: date | None = None) -> set[int]:
    """Participants holding a co-chair role today in a co-chairs group."""
    rows = GroupMembership.objects.filter(
        current_membership_q(on), group__kind=Group.Kind.CO_CHAIRS, role=GroupMembership.Role.CO_CHAIR
    )
    ids = set(rows.exclude(participant=None).values_list("participant_id", flat=True))
    ids |= set(rows.exclude(agency=None).values_list("agency__participant_id", flat=True))
    return ids


def is_co_chair(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.agency_id is None:
        return False
    if user.role not in (Role.FOCAL_POINT, *AGENCY_EDITOR_ROLES):
        return False
    return user.agency.participant_id in co_chair_participant_ids()


def may_generate_report(user) -> bool:
    return getattr(user, "is_authenticated", False) and (user.role == Role.SECRETARIAT or is_co_chair(user))


def may_report_progress(user, action: Action) -> bool:
    """The originator's editors, or editors and focal points of a responsible participant."""
    if can_change(user, action):
        return True
    if user.agency_id is None or user.role not in (Role.FOCAL_POINT, *AGENCY_EDITOR_ROLES, Role.SECRETARIAT):
        return False
    return action.responsible.filter(pk=user.agency.participant_id).exists()


def log_sensitive_reads(user, objects, *, verb: str) -> None:
    """One audit entry per AMBER-or-above object opened (DESIGN.md 4)."""
    for obj in objects:
        if obj.tlp in TLP_AMBER_OR_ABOVE:
            audit.record(verb, actor=user, target=obj)


def log_sensitive_list(user, queryset, *, verb: str) -> None:
    count = sum(1 for obj in queryset if obj.tlp in TLP_AMBER_OR_ABOVE)
    if count:
        audit.record(verb, actor=user, extra={"count": count})
