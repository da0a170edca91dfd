"""Writes of the meetings capability: one keyword-only function each, one transaction, audited."""

import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, hash_secret
from audit import services as audit
from meetings.models import (
    Action,
    ActionUpdate,
    Contribution,
    Event,
    EventDocument,
    Priority,
    ReportNarrative,
    ReportNarrativeVersion,
)
from meetings.queries import is_co_chair, may_report_progress
from participants.models import Participant
from sharing.models import TLP, Distribution
from sharing.rules import can_change, can_see
from sharing.services import create_shared

EVENT_FIELDS = (
    "title",
    "kind",
    "also_rilon_meeting",
    "ordinal",
    "start_date",
    "end_date",
    "date_precision",
    "city",
    "country",
    "in_kind_host",
    "organising_group",
    "delegates",
    "agenda",
    "outcome",
    "state",
)
ACTION_FIELDS = ("text", "event", "due_date", "state", "closed_on")


def resolve_participants(codes: Iterable[str], *, field: str) -> list[Participant]:
    """Participants by code (ISO alpha-3 lower case or acronym); an unknown code is an error naming it."""
    wanted = [str(code).strip().lower() for code in codes if str(code).strip()]
    found = {p.code: p for p in Participant.objects.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise ValidationError(
            {field: _("Unknown participant: %(codes)s.") % {"codes": ", ".join(sorted(set(unknown)))}}
        )
    return [found[code] for code in dict.fromkeys(wanted)]


def _set_dates(event: Event) -> None:
    if event.date_precision == "month" and event.start_date:
        event.start_date = event.start_date.replace(day=1)
        if event.end_date:
            event.end_date = event.end_date.replace(day=1)
    elif event.date_precision == "year" and event.start_date:
        event.start_date = event.start_date.replace(month=1, day=1)
        if event.end_date:
            event.end_date = event.end_date.replace(month=1, day=1)
    if event.country:
        event.country = event.country.upper()


def event_create(
    *,
    actor,
    fields: dict[str, Any],
    hosts: Iterable[Participant] = (),
    attendees: Iterable[Participant] = (),
    priorities: Iterable[Priority] = (),
    distribution: str = Distribution.MEMBERS,
    tlp: str = TLP.GREEN,
    recipient_keys: Iterable[str] = (),
    publish: bool = True,
) -> Event:
    """Record a meeting with its hosts, attendees and priorities; shared with members by default."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field is not accepted here.") for name in sorted(unknown)})
    event = Event(distribution=distribution, tlp=tlp, **fields)
    _set_dates(event)
    with transaction.atomic():
        create_shared(event, actor=actor, recipient_keys=recipient_keys, publish=publish)
        event.hosts.set(list(hosts))
        event.attendees.set(list(attendees))
        event.priorities.set(list(priorities))
    return event


def _require_change(actor, obj) -> None:
    if not can_see(actor, obj):
        raise Http404
    if not can_change(actor, obj):
        raise PermissionDenied(_("Only the originator can change this."))


def event_update(
    *,
    actor,
    event: Event,
    fields: dict[str, Any],
    hosts: Iterable[Participant] | None = None,
    attendees: Iterable[Participant] | None = None,
    priorities: Iterable[Priority] | None = None,
) -> Event:
    """Change an event's facts (not its sharing: see sharing.services.change_sharing)."""
    _require_change(actor, event)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field is not accepted here.") for name in sorted(unknown)})
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        before = {name: getattr(event, name) for name in fields}
        for name, value in fields.items():
            setattr(event, name, value)
        _set_dates(event)
        event.full_clean()
        event.save()
        if hosts is not None:
            event.hosts.set(list(hosts))
        if attendees is not None:
            event.attendees.set(list(attendees))
        if priorities is not None:
            event.priorities.set(list(priorities))
        after = {name: getattr(event, name) for name in fields}
        audit.record(
            "meetings.event.changed", actor=actor, target=event, changes=audit.diff(_plain(before), _plain(after))
        )
    return event


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (value.pk if hasattr(value, "pk") else str(value) if value is not None else None)
        for key, value in values.items()
    }


def event_attach_document(*, actor, event: Event, document, role: str) -> EventDocument:
    """Attach a document the actor can see; the document keeps its own distribution and TLP."""
    _require_change(actor, event)
    if not can_see(actor, document):
        raise ValidationError({"document": _("Choose a document you can see.")})
    with transaction.atomic():
        link, _created = EventDocument.objects.update_or_create(event=event, document=document, defaults={"role": role})
        link.full_clean()
        audit.record(
            "meetings.event.document_attached", actor=actor, target=event, extra={"document": document.pk, "role": role}
        )
    return link


def event_upload_document(*, actor, event: Event, role: str, document_fields: dict[str, Any]) -> EventDocument:
    """Upload a new document (documents.services.create_document) and attach it, in one transaction."""
    from documents.services import create_document

    _require_change(actor, event)
    if role not in EventDocument.Role.values:
        raise ValidationError({"role": _("Choose the document's role.")})
    with transaction.atomic():
        document = create_document(actor=actor, **document_fields)
        return event_attach_document(actor=actor, event=event, document=document, role=role)


def event_detach_document(*, actor, event: Event, document) -> None:
    """Remove a document's link to an event (the document itself stays in the library)."""
    _require_change(actor, event)
    with transaction.atomic():
        deleted, _rows = EventDocument.objects.filter(event=event, document=document).delete()
        if not deleted:
            raise Http404
        audit.record("meetings.event.document_detached", actor=actor, target=event, extra={"document": document.pk})


PRIORITY_FIELDS = ("code", "letter", "title", "description", "mandate", "period_from", "period_to")
CONTRIBUTION_FIELDS = ("donor", "kind", "amount", "currency", "purpose", "received_on", "precision", "event")


def _require_secretariat(actor) -> None:
    if actor.role != Role.SECRETARIAT:
        raise PermissionDenied(_("Only the secretariat edits this reference data."))


def _save_reference(*, actor, obj, fields: dict[str, Any], allowed: tuple[str, ...], verb: str):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field is not accepted here.") for name in sorted(unknown)})
    creating = obj.pk is None
    with transaction.atomic():
        if not creating:
            obj = type(obj).objects.select_for_update().get(pk=obj.pk)
        before = {} if creating else _plain({name: getattr(obj, name) for name in fields})
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.full_clean()
        obj.save()
        after = _plain({name: getattr(obj, name) for name in fields})
        audit.record(
            f"{verb}.{'created' if creating else 'changed'}",
            actor=actor,
            target=obj,
            changes=audit.diff(before, after),
        )
    return obj


def priority_save(*, actor, fields: dict[str, Any], priority: Priority | None = None) -> Priority:
    """The secretariat records or edits a priority (reference data)."""
    _require_secretariat(actor)
    mandate = fields.get("mandate")
    if mandate is not None and mandate.kind != Event.Kind.MINISTERIAL:
        raise ValidationError({"mandate": _("The mandate is a ministerial conference.")})
    start, end = fields.get("period_from"), fields.get("period_to")
    if start and end and end < start:
        raise ValidationError({"period_to": _("The end of the period is before its start.")})
    return _save_reference(
        actor=actor, obj=priority or Priority(), fields=fields, allowed=PRIORITY_FIELDS, verb="meetings.priority"
    )


def contribution_save(*, actor, fields: dict[str, Any], contribution: Contribution | None = None) -> Contribution:
    """The secretariat records or edits a contribution (cash or in kind)."""
    _require_secretariat(actor)
    amount, currency = fields.get("amount"), (fields.get("currency") or "").strip().upper()
    if "currency" in fields:
        fields = {**fields, "currency": currency}
    if amount is not None and amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    if amount is not None and not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
        raise ValidationError({"currency": _("Give the ISO 4217 currency code of the amount, e.g. USD.")})
    event = fields.get("event")
    if event is not None and not can_see(actor, event):
        raise ValidationError({"event": _("Choose an event you can see.")})
    return _save_reference(
        actor=actor,
        obj=contribution or Contribution(),
        fields=fields,
        allowed=CONTRIBUTION_FIELDS,
        verb="meetings.contribution",
    )


def action_create(
    *,
    actor,
    text: str,
    responsible: Iterable[Participant],
    event: Event | None = None,
    due_date: date | None = None,
    state: str = Action.State.AGREED,
    priorities: Iterable[Priority] = (),
    distribution: str = Distribution.MEMBERS,
    tlp: str = TLP.GREEN,
    recipient_keys: Iterable[str] = (),
    publish: bool = True,
) -> Action:
    """Record an agreed action and who is responsible for it."""
    responsible = list(responsible)
    if not responsible:
        raise ValidationError({"responsible": _("Name at least one responsible participant.")})
    if event is not None and not can_see(actor, event):
        raise ValidationError({"event": _("Choose an event you can see.")})
    action = Action(text=text, event=event, due_date=due_date, state=state, distribution=distribution, tlp=tlp)
    if state in (Action.State.DONE, Action.State.DROPPED):
        action.closed_on = timezone.localdate()
    with transaction.atomic():
        create_shared(action, actor=actor, recipient_keys=recipient_keys, publish=publish)
        action.responsible.set(responsible)
        action.priorities.set(list(priorities))
    return action


def action_update(
    *,
    actor,
    action: Action,
    fields: dict[str, Any],
    responsible: Iterable[Participant] | None = None,
    priorities: Iterable[Priority] | None = None,
) -> Action:
    """Change an action's text, due date, state or links (its originator only)."""
    _require_change(actor, action)
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field is not accepted here.") for name in sorted(unknown)})
    if responsible is not None and not list(responsible):
        raise ValidationError({"responsible": _("Name at least one responsible participant.")})
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        before = {name: getattr(action, name) for name in fields}
        for name, value in fields.items():
            setattr(action, name, value)
        if action.state in (Action.State.DONE, Action.State.DROPPED) and not action.closed_on:
            action.closed_on = timezone.localdate()
        action.full_clean()
        action.save()
        if responsible is not None:
            action.responsible.set(list(responsible))
        if priorities is not None:
            action.priorities.set(list(priorities))
        audit.record(
            "meetings.action.changed",
            actor=actor,
            target=action,
            changes=audit.diff(_plain(before), _plain({name: getattr(action, name) for name in fields})),
        )
    return action


def action_report_progress(
    *, actor, action: Action, on: date, text: str, state_after: str = "", reported_at: Event | None = None
) -> ActionUpdate:
    """A dated progress note, by the originator or a responsible participant; may move the state."""
    if not can_see(actor, action):
        raise Http404
    if not may_report_progress(actor, action):
        raise PermissionDenied(_("Only the originator or a responsible participant reports progress."))
    if not text.strip():
        raise ValidationError({"text": _("Say what progress was made.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date of the progress is in the future.")})
    if reported_at is not None and not can_see(actor, reported_at):
        raise ValidationError({"reported_at": _("Choose an event you can see.")})
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        update = ActionUpdate(
            action=action, on=on, text=text, state_after=state_after, reported_at=reported_at, author=actor
        )
        update.full_clean()
        update.save()
        if reported_at is not None:
            action.reported_at.add(reported_at)
        changes = {}
        if state_after and state_after != action.state:
            changes = audit.diff({"state": action.state}, {"state": state_after})
            action.state = state_after
            action.closed_on = on if state_after in (Action.State.DONE, Action.State.DROPPED) else None
            action.save(update_fields=["state", "closed_on", "updated_at"])
        audit.record(
            "meetings.action.progress_reported",
            actor=actor,
            target=action,
            changes=changes,
            extra={"update": update.pk},
        )
    return update


def calendar_secret_regenerate(*, actor) -> str:
    """A new secret feed address; the old one answers 404 from now on. Only the hash is stored."""
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        actor.calendar_secret = hash_secret(raw)
        actor.save(update_fields=["calendar_secret"])
        audit.record("meetings.calendar_feed.regenerated", actor=actor, target=actor)
    return raw


def calendar_secret_revoke(*, actor) -> None:
    """Turn the personal feed off: its address answers 404."""
    with transaction.atomic():
        actor.calendar_secret = ""
        actor.save(update_fields=["calendar_secret"])
        audit.record("meetings.calendar_feed.revoked", actor=actor, target=actor)


def narrative_save_draft(
    *, actor, period_from: date, period_to: date, introduction: str, future: str, conclusion: str
) -> ReportNarrativeVersion:
    """The secretariat writes a new draft version; earlier versions are kept unchanged."""
    if actor.role != Role.SECRETARIAT:
        raise PermissionDenied(_("Only the secretariat drafts the report's narrative."))
    if period_to < period_from:
        raise ValidationError({"period_to": _("The end of the period is before its start.")})
    with transaction.atomic():
        narrative, _created = ReportNarrative.objects.get_or_create(period_from=period_from, period_to=period_to)
        narrative = ReportNarrative.objects.select_for_update().get(pk=narrative.pk)
        last = narrative.versions.order_by("-number").first()
        version = ReportNarrativeVersion.objects.create(
            narrative=narrative,
            number=(last.number + 1) if last else 1,
            introduction=introduction,
            future=future,
            conclusion=conclusion,
            written_by=actor,
        )
        audit.record(
            "meetings.report_narrative.drafted",
            actor=actor,
            target=version,
            extra={"period_from": str(period_from), "period_to": str(period_to), "number": version.number},
        )
    return version


def narrative_approve(*, actor, version: ReportNarrativeVersion) -> ReportNarrativeVersion:
    """A co-chair approves a draft version."""
    if not is_co_chair(actor):
        raise PermissionDenied(_("Only the co-chairs approve the report."))
    with transaction.atomic():
        version = ReportNarrativeVersion.objects.select_for_update().get(pk=version.pk)
        if version.state != ReportNarrativeVersion.State.DRAFT:
            raise ValidationError({"state": _("Only a draft can be approved.")})
        version.state = ReportNarrativeVersion.State.APPROVED
        version.approved_by = actor
        version.approved_at = timezone.now()
        version.save()
        audit.record(
            "meetings.report_narrative.approved", actor=actor, target=version, extra={"number": version.number}
        )
    return version


def narrative_publish(*, actor, version: ReportNarrativeVersion, audience: str) -> ReportNarrativeVersion:
    """A co-chair publishes an approved version to all members or the public."""
    if not is_co_chair(actor):
        raise PermissionDenied(_("Only the co-chairs publish the report."))
    if audience not in ReportNarrativeVersion.PublishedTo.values:
        raise ValidationError({"audience": _("Choose all members or the public.")})
    with transaction.atomic():
        version = ReportNarrativeVersion.objects.select_for_update().get(pk=version.pk)
        if version.state != ReportNarrativeVersion.State.APPROVED:
            raise ValidationError({"state": _("Only an approved version can be published.")})
        version.state = ReportNarrativeVersion.State.PUBLISHED
        version.published_to = audience
        version.published_by = actor
        version.published_at = timezone.now()
        version.save()
        audit.record(
            "meetings.report_narrative.published",
            actor=actor,
            target=version,
            extra={"number": version.number, "audience": audience},
        )
    return version
