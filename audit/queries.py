"""Permission-aware reads of the audit trail (DESIGN.md section 1, "Roles that are not exceptions").

Auditors read every entry, never the content of objects they could not see; focal points (and system
administrators) read the entries of their own participant. Entries about an anonymous object show its
originator's people as "a member of <group>" to anyone but auditors and the originator agency.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from accounts.models import Role
from audit.models import AuditEntry
from sharing.models import Shareable
from sharing.principals import principals_of
from sharing.rules import can_see, can_see_content, originator_label, visible_to

# Verbs that record a read: kept out of an object's change history (readers are not shown to readers).
READ_VERB_SUFFIXES = (".viewed", ".downloaded", ".exported", ".listed")
SCOPE_ALL = "all"
SCOPE_PARTICIPANT = "participant"


def trail_scope(user) -> str | None:
    """'all' for auditors, 'participant' for focal points and system administrators, else None."""
    principals = principals_of(user)
    if not principals.has_any:
        return None
    if principals.role == Role.AUDITOR:
        return SCOPE_ALL
    if principals.role in (Role.FOCAL_POINT, Role.SYSTEM_ADMIN) and principals.participant_id is not None:
        return SCOPE_PARTICIPANT
    return None


def can_read_trail(user) -> bool:
    return trail_scope(user) is not None


def is_auditor(user) -> bool:
    return trail_scope(user) == SCOPE_ALL


def trail_for(user) -> QuerySet:
    """The entries `user` may read, newest first; Http404 for anyone whose page this is not."""
    scope = trail_scope(user)
    if scope is None:
        raise Http404
    entries = AuditEntry.objects.order_by("-sequence")
    if scope == SCOPE_ALL:
        return entries
    principals = principals_of(user)
    own = Q(participant_id=principals.participant_id) | Q(target_participant_id=principals.participant_id)
    if principals.role == Role.SYSTEM_ADMIN:
        own |= Q(actor_kind__in=[AuditEntry.ActorKind.SYSTEM, AuditEntry.ActorKind.JOB])
    return entries.filter(own)


@dataclass(frozen=True)
class TrailFilters:
    actor: str = ""
    verb: str = ""
    target_type: str = ""
    target_id: str = ""
    participant_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def as_dict(self) -> dict[str, str]:
        values = {
            "actor": self.actor,
            "verb": self.verb,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "participant": str(self.participant_id or ""),
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
        }
        return {key: value for key, value in values.items() if value}


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def filter_trail(entries: QuerySet, filters: TrailFilters, viewer) -> QuerySet:
    """Apply the trail filters; for non-auditors an actor or participant filter never unmasks anonymity."""
    if filters.actor:
        entries = entries.filter(actor_label__iexact=filters.actor.strip())
    if filters.verb:
        entries = entries.filter(verb__startswith=filters.verb.strip())
    if filters.target_type:
        entries = entries.filter(target_type=filters.target_type)
    if filters.target_id:
        entries = entries.filter(target_id=filters.target_id.strip())
    if filters.participant_id:
        if is_auditor(viewer):
            entries = entries.filter(
                Q(participant_id=filters.participant_id) | Q(target_participant_id=filters.participant_id)
            )
        else:
            entries = entries.filter(participant_id=filters.participant_id)
    if filters.date_from:
        entries = entries.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        entries = entries.filter(occurred_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    if (filters.actor or filters.participant_id) and not is_auditor(viewer):
        entries = entries.exclude(_masked_anonymous_q(viewer))
    return entries


@cache
def shareable_model(target_type: str) -> type[Shareable] | None:
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return None
    return model if issubclass(model, Shareable) else None


def shareable_models() -> list[type[Shareable]]:
    return [model for model in apps.get_models() if issubclass(model, Shareable)]


def _masked_anonymous_q(viewer) -> Q:
    """Entries whose actor this viewer sees as 'a member of <group>' (anonymous objects of other agencies)."""
    agency_id = principals_of(viewer).agency_id
    masked = Q(pk__in=[])
    for model in shareable_models():
        anonymous_ids = (
            model._default_manager.filter(anonymous=True)
            .exclude(originator_agency_id=agency_id)
            .annotate(pk_text=Cast("pk", CharField()))
            .values("pk_text")
        )
        masked |= Q(target_type=model._meta.label_lower, target_id__in=anonymous_ids)
    return masked


@dataclass
class ChangeRow:
    field: str
    before: Any = None
    after: Any = None
    values_shown: bool = True


@dataclass
class EntryView:
    """One entry as a given viewer may see it."""

    entry: AuditEntry
    actor: str
    participant: str
    content_hidden: bool = False
    anonymised: bool = False
    changes: list[ChangeRow] = field(default_factory=list)
    extra: list[ChangeRow] = field(default_factory=list)

    @property
    def sequence(self) -> int:
        return self.entry.sequence

    @property
    def occurred_at(self) -> datetime:
        return self.entry.occurred_at

    @property
    def verb(self) -> str:
        return self.entry.verb

    @property
    def target_type(self) -> str:
        return self.entry.target_type

    @property
    def target_id(self) -> str:
        return self.entry.target_id

    def changes_as_data(self) -> dict[str, Any]:
        return {
            row.field: ({"before": row.before, "after": row.after} if row.values_shown else {"changed": True})
            for row in self.changes
        }

    def extra_as_data(self) -> dict[str, Any]:
        return {row.field: (row.after if row.values_shown else "[hidden]") for row in self.extra}


def _change_rows(changes: dict, *, hidden: bool, masked_fields: Iterable[str]) -> list[ChangeRow]:
    rows = []
    for name, value in sorted((changes or {}).items()):
        if hidden or name in masked_fields or (isinstance(value, dict) and value.get("changed") is True):
            rows.append(ChangeRow(name, values_shown=False))
        elif isinstance(value, dict) and ("before" in value or "after" in value):
            rows.append(ChangeRow(name, value.get("before"), value.get("after")))
        else:
            rows.append(ChangeRow(name, None, value))
    return rows


def _extra_rows(extra: dict, *, hidden: bool) -> list[ChangeRow]:
    return [ChangeRow(name, None, value, values_shown=not hidden) for name, value in sorted((extra or {}).items())]


def _targets(entries: list[AuditEntry], viewer) -> tuple[dict, set]:
    """Objects the page's entries are about, and the keys of those the viewer may see, one query per type."""
    ids_by_model: dict[type[Shareable], set] = defaultdict(set)
    for entry in entries:
        model = shareable_model(entry.target_type)
        if model is not None and entry.target_id:
            try:
                ids_by_model[model].add(model._meta.pk.to_python(entry.target_id))
            except ValidationError:
                continue
    objects: dict[tuple[str, str], Shareable] = {}
    visible: set[tuple[str, str]] = set()
    for model, ids in ids_by_model.items():
        label = model._meta.label_lower
        for obj in model._default_manager.filter(pk__in=ids).select_related("anonymous_group", "originator_agency"):
            objects[(label, str(obj.pk))] = obj
        for pk in visible_to(model._default_manager.filter(pk__in=ids), viewer).values_list("pk", flat=True):
            visible.add((label, str(pk)))
    return objects, visible


def _participant_names(entries: list[AuditEntry]) -> dict[int, str]:
    from participants.models import Participant

    ids = {entry.participant_id for entry in entries if entry.participant_id}
    return {participant.pk: str(participant) for participant in Participant.objects.filter(pk__in=ids)}


def present(entries: Iterable[AuditEntry], viewer) -> list[EntryView]:
    """Apply the masks: hidden content of objects the viewer cannot see, anonymity, masked fields."""
    entries = list(entries)
    auditor = is_auditor(viewer)
    viewer_agency_id = principals_of(viewer).agency_id
    objects, visible = _targets(entries, viewer)
    names = _participant_names(entries)
    views = []
    for entry in entries:
        key = (entry.target_type, entry.target_id)
        model = shareable_model(entry.target_type)
        target_model = model or _model_or_none(entry.target_type)
        masked_fields = getattr(target_model, "audit_masked_fields", ()) if target_model else ()
        obj = objects.get(key)
        hidden = False
        if model is not None and entry.target_id:
            # Gone or invisible objects: who, what type, which id, when and the verb only.
            hidden = key not in visible or obj is None or not can_see_content(viewer, obj)
        actor = entry.actor_label or entry.actor_kind
        participant = names.get(entry.participant_id, "")
        anonymised = False
        if (
            obj is not None
            and obj.anonymous
            and not auditor
            and entry.participant_id == obj.originator_participant_id
            and viewer_agency_id != obj.originator_agency_id
        ):
            actor, participant, anonymised = originator_label(obj, viewer), "", True
        views.append(
            EntryView(
                entry=entry,
                actor=actor,
                participant=participant,
                content_hidden=hidden,
                anonymised=anonymised,
                changes=_change_rows(entry.changes, hidden=hidden, masked_fields=masked_fields),
                extra=_extra_rows(entry.extra, hidden=hidden),
            )
        )
    return views


def _model_or_none(target_type: str) -> type[Model] | None:
    try:
        return apps.get_model(target_type) if target_type else None
    except (LookupError, ValueError):
        return None


def history_for(obj: Model, viewer, *, limit: int = 200) -> list[EntryView]:
    """The change history of one object, for its detail page: empty for anyone who cannot see it.

    For shareable objects `can_see` decides; for other objects the caller has already decided that the
    viewer may see the object.
    """
    if isinstance(obj, Shareable) and not can_see(viewer, obj):
        return []
    entries = AuditEntry.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))
    for suffix in READ_VERB_SUFFIXES:
        entries = entries.exclude(verb__endswith=suffix)
    entries = entries.order_by("-sequence")[:limit]
    return present(entries, viewer)
