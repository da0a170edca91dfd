"""Writes to the reference data: participants, agencies, groups and memberships.

Only the secretariat (RSO) and system administrators manage reference data; everyone else gets
PermissionDenied (403). Every write is one transaction with its audit entry inside.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from audit import services as audit
from participants.models import (
    Agency,
    DatePrecision,
    Group,
    GroupMembership,
    Participant,
    ParticipantStatusChange,
)

REFERENCE_DATA_MANAGERS = (Role.SECRETARIAT, Role.SYSTEM_ADMIN)

PARTICIPANT_FIELDS = ("name", "short_name", "code", "kind", "iso3", "four_eyes", "notes", "source_url")
AGENCY_FIELDS = ("name", "kind", "located_in", "city", "is_active")
GROUP_FIELDS = (
    "name",
    "slug",
    "kind",
    "purpose",
    "city",
    "hidden_membership",
    "established_on",
    "established_precision",
)


def manages_reference_data(user) -> bool:
    """The secretariat and system administrators; the check every page, API view and service asks."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in REFERENCE_DATA_MANAGERS
    )


def _require_manager(actor) -> None:
    if not manages_reference_data(actor):
        raise PermissionDenied(_("Only the secretariat and system administrators manage reference data."))


def _snapshot(obj, fields: tuple[str, ...]) -> dict[str, Any]:
    data = model_to_dict(obj, fields=fields)
    return {key: (value.isoformat() if isinstance(value, date) else value) for key, value in data.items()}


def _apply(obj, fields: tuple[str, ...], values: dict[str, Any]) -> None:
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    for name, value in values.items():
        setattr(obj, name, value)


def _normalise_participant(participant: Participant) -> None:
    participant.iso3 = (participant.iso3 or "").strip().upper()
    participant.code = (participant.code or "").strip().lower()


# --- Participants ------------------------------------------------------------------------------


def participant_create(
    *,
    actor,
    name: str,
    code: str,
    kind: str,
    status: str = Participant.Status.INVITED,
    status_since: date | None = None,
    status_precision: str = DatePrecision.DAY,
    **fields: Any,
) -> Participant:
    """Add a participant with its first dated status."""
    _require_manager(actor)
    participant = Participant(name=name, code=code, kind=kind, status=status)
    _apply(participant, PARTICIPANT_FIELDS, fields)
    _normalise_participant(participant)
    with transaction.atomic():
        participant.full_clean()
        participant.save()
        ParticipantStatusChange.objects.create(
            participant=participant,
            status=status,
            effective_on=status_since or timezone.localdate(),
            precision=status_precision,
        )
        audit.record(
            "participants.participant.created",
            actor=actor,
            target=participant,
            changes=audit.diff({}, {**_snapshot(participant, PARTICIPANT_FIELDS), "status": status}),
        )
    return participant


def participant_update(*, actor, participant: Participant, **fields: Any) -> Participant:
    """Change a participant's descriptive fields (its status changes through participant_change_status)."""
    _require_manager(actor)
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        before = _snapshot(participant, PARTICIPANT_FIELDS)
        _apply(participant, PARTICIPANT_FIELDS, fields)
        _normalise_participant(participant)
        participant.full_clean()
        participant.save()
        changes = audit.diff(before, _snapshot(participant, PARTICIPANT_FIELDS))
        if changes:
            audit.record("participants.participant.updated", actor=actor, target=participant, changes=changes)
    return participant


def participant_change_status(
    *,
    actor,
    participant: Participant,
    status: str,
    effective_on: date,
    precision: str = DatePrecision.DAY,
    note: str = "",
) -> ParticipantStatusChange:
    """Record a dated status change; the current status follows the latest change in effect today."""
    _require_manager(actor)
    if status not in Participant.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        change = ParticipantStatusChange(
            participant=participant, status=status, effective_on=effective_on, precision=precision, note=note
        )
        change.full_clean()
        change.save()
        before = participant.status
        latest = (
            participant.status_history.filter(effective_on__lte=timezone.localdate())
            .order_by("-effective_on", "-id")
            .first()
        )
        if latest is not None:
            participant.status = latest.status
            participant.save(update_fields=["status"])
        audit.record(
            "participants.participant.status_changed",
            actor=actor,
            target=participant,
            changes=audit.diff({"status": before}, {"status": participant.status}),
            extra={"recorded": status, "effective_on": effective_on.isoformat(), "precision": precision},
        )
    return change


# --- Agencies ----------------------------------------------------------------------------------


def agency_create(*, actor, participant: Participant, name: str, **fields: Any) -> Agency:
    """Add an agency to a participant; `located_in` is where it sits (an embassy abroad)."""
    _require_manager(actor)
    agency = Agency(participant=participant, name=name)
    _apply(agency, AGENCY_FIELDS, fields)
    agency.located_in = (agency.located_in or "").strip().upper()
    with transaction.atomic():
        agency.full_clean()
        agency.save()
        audit.record(
            "participants.agency.created",
            actor=actor,
            target=agency,
            changes=audit.diff({}, _snapshot(agency, AGENCY_FIELDS)),
        )
    return agency


def agency_update(*, actor, agency: Agency, **fields: Any) -> Agency:
    """Change an agency's name, kind, location or whether it is active."""
    _require_manager(actor)
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        before = _snapshot(agency, AGENCY_FIELDS)
        _apply(agency, AGENCY_FIELDS, fields)
        agency.located_in = (agency.located_in or "").strip().upper()
        agency.full_clean()
        agency.save()
        changes = audit.diff(before, _snapshot(agency, AGENCY_FIELDS))
        if changes:
            audit.record("participants.agency.updated", actor=actor, target=agency, changes=changes)
    return agency


# --- Groups ------------------------------------------------------------------------------------


def group_create(*, actor, name: str, slug: str, kind: str, **fields: Any) -> Group:
    """Add a group (groups do not nest: members are agencies or whole participants)."""
    _require_manager(actor)
    group = Group(name=name, slug=slug, kind=kind)
    _apply(group, GROUP_FIELDS, fields)
    with transaction.atomic():
        group.full_clean()
        group.save()
        audit.record(
            "participants.group.created",
            actor=actor,
            target=group,
            changes=audit.diff({}, _snapshot(group, GROUP_FIELDS)),
        )
    return group


def group_update(*, actor, group: Group, **fields: Any) -> Group:
    """Change a group's name, purpose or whether its membership is hidden from non-members."""
    _require_manager(actor)
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        before = _snapshot(group, GROUP_FIELDS)
        _apply(group, GROUP_FIELDS, fields)
        group.full_clean()
        group.save()
        changes = audit.diff(before, _snapshot(group, GROUP_FIELDS))
        if changes:
            audit.record("participants.group.updated", actor=actor, target=group, changes=changes)
    return group


def group_add_member(
    *,
    actor,
    group: Group,
    since: date,
    agency: Agency | None = None,
    participant: Participant | None = None,
    role: str = GroupMembership.Role.MEMBER,
    since_precision: str = DatePrecision.DAY,
    until: date | None = None,
    note: str = "",
) -> GroupMembership:
    """Add one agency or one whole participant to a group from a date (history is kept, never overwritten)."""
    _require_manager(actor)
    membership = GroupMembership(
        group=group,
        agency=agency,
        participant=participant,
        role=role,
        since=since,
        since_precision=since_precision,
        until=until,
        note=note,
    )
    with transaction.atomic():
        membership.full_clean()
        rows = GroupMembership.objects.select_for_update().filter(group=group, agency=agency, participant=participant)
        end = until or date.max
        if any(row.since <= end and (row.until is None or row.until >= since) for row in rows):
            raise ValidationError({"since": _("This member already belongs to the group in that period.")})
        membership.save()
        audit.record(
            "participants.group.member_added",
            actor=actor,
            target=group,
            extra={
                "membership": membership.pk,
                "member": f"agency:{agency.pk}" if agency else f"participant:{participant.pk}",
                "role": role,
                "since": since.isoformat(),
                "precision": since_precision,
            },
        )
    return membership


def group_end_membership(
    *, actor, membership: GroupMembership, until: date, until_precision: str = DatePrecision.DAY, note: str = ""
) -> GroupMembership:
    """Close a membership on a date; the row stays so reports can ask who was a member when."""
    _require_manager(actor)
    with transaction.atomic():
        membership = GroupMembership.objects.select_for_update().select_related("group").get(pk=membership.pk)
        if membership.until is not None:
            raise ValidationError({"until": _("This membership has already ended.")})
        membership.until = until
        membership.until_precision = until_precision
        if note:
            membership.note = note
        membership.full_clean()
        membership.save()
        audit.record(
            "participants.group.member_ended",
            actor=actor,
            target=membership.group,
            extra={"membership": membership.pk, "until": until.isoformat(), "precision": until_precision},
        )
    return membership
