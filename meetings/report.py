"""The co-chairs' progress report, written from the data as an audience (DESIGN.md 1, derived output).

`build_report` collects what the audience may see; `render_html`, `render_pdf` and `render_docx` write it.
"""

import io
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from documents.models import Document
from meetings.models import Action, Contribution, Event, EventDocument, Priority, ReportNarrativeVersion
from participants.models import GroupMembership, ParticipantStatusChange, format_partial_date
from sharing.principals import principals_of
from sharing.rules import ALL_MEMBERS, PUBLIC, Audience, exportable_q, visible_to

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FORMATS = ("html", "pdf", "docx")
PLENARY_KINDS = (Event.Kind.MINISTERIAL, Event.Kind.SOM, Event.Kind.STEERING_GROUP)


@dataclass
class PrioritySection:
    priority: Priority
    events: list[Event]
    actions: list[Action]


@dataclass
class ProgressReport:
    period_from: date
    period_to: date
    audience: Audience
    generated_at: object
    narrative: ReportNarrativeVersion | None
    plenary: list[Event]
    scheduled: list[Event]
    activities: list[Event]
    membership_changes: list[tuple[str, str]]
    contributions: list[Contribution]
    open_actions: list[Action]
    completed_actions: list[Action]
    priorities: list[PrioritySection]
    annex_workshops: list[Event]
    annex_rilon: list[tuple[str, list[Event]]]
    documents: dict[int, list[EventDocument]] = field(default_factory=dict)

    @property
    def period_label(self) -> str:
        return f"{format_partial_date(self.period_from, 'day')} – {format_partial_date(self.period_to, 'day')}"

    @property
    def document_rows(self) -> list[tuple[Event, EventDocument]]:
        events = [*self.plenary, *self.annex_workshops, *(e for _city, rows in self.annex_rilon for e in rows)]
        seen: set[int] = set()
        rows = []
        for event in sorted(events, key=lambda e: (e.start_date, e.pk)):
            if event.pk in seen:
                continue
            seen.add(event.pk)
            rows.extend((event, link) for link in self.documents.get(event.pk, []))
        return rows

    @property
    def audience_label(self) -> str:
        return self.audience.label

    def overdue(self, action: Action) -> bool:
        return action.is_overdue(self.period_to)


def _in_period(period_from: date, period_to: date) -> Q:
    return Q(start_date__gte=period_from, start_date__lte=period_to)


def _narrative_for(period_from: date, period_to: date, audience: Audience) -> ReportNarrativeVersion | None:
    """The latest version the co-chairs published to an audience that includes this one."""
    allowed = [ReportNarrativeVersion.PublishedTo.PUBLIC]
    if audience.kind == "members" or (audience.kind == "user" and principals_of(audience.user).is_member):
        allowed.append(ReportNarrativeVersion.PublishedTo.MEMBERS)
    return (
        ReportNarrativeVersion.objects.filter(
            narrative__period_from=period_from,
            narrative__period_to=period_to,
            state=ReportNarrativeVersion.State.PUBLISHED,
            published_to__in=allowed,
        )
        .order_by("-number")
        .first()
    )


def _membership_changes(period_from: date, period_to: date) -> list[tuple[date, str, str]]:
    rows: list[tuple[date, str, str]] = []
    for change in ParticipantStatusChange.objects.filter(
        effective_on__gte=period_from, effective_on__lte=period_to
    ).select_related("participant"):
        rows.append(
            (
                change.effective_on,
                change.effective_label,
                _("%(participant)s became %(status)s of the Bali Process.")
                % {"participant": change.participant, "status": change.get_status_display().lower()},
            )
        )
    memberships = (
        GroupMembership.objects.filter(group__hidden_membership=False)
        .filter(Q(since__gte=period_from, since__lte=period_to) | Q(until__gte=period_from, until__lte=period_to))
        .select_related("group", "agency__participant", "participant")
    )
    for row in memberships:
        if period_from <= row.since <= period_to:
            rows.append(
                (
                    row.since,
                    format_partial_date(row.since, row.since_precision),
                    _("%(member)s joined %(group)s.") % {"member": row.member_label, "group": row.group},
                )
            )
        if row.until and period_from <= row.until <= period_to:
            rows.append(
                (
                    row.until,
                    format_partial_date(row.until, "day"),
                    _("%(member)s left %(group)s.") % {"member": row.member_label, "group": row.group},
                )
            )
    return sorted(rows, key=lambda row: (row[0], row[2]))


def build_report(*, period_from: date, period_to: date, audience: Audience = ALL_MEMBERS) -> ProgressReport:
    """Everything the report says, limited to what `audience` may see (and may receive in an export)."""
    events = list(
        visible_to(Event, audience)
        .filter(exportable_q(audience))
        .filter(_in_period(period_from, period_to))
        .exclude(state=Event.State.CANCELLED)
        .select_related("organising_group", "in_kind_host")
        .prefetch_related("hosts", "priorities")
        .order_by("start_date", "id")
    )
    actions = list(
        visible_to(Action, audience)
        .filter(exportable_q(audience))
        .filter(Q(event__isnull=True) | Q(event__in=[event.pk for event in events]))
        .select_related("event")
        .prefetch_related("responsible", "priorities")
        .order_by("due_date", "id")
    )
    visible_event_ids = {event.pk for event in events}
    # An action agreed at an event the audience may not see keeps the event out of the text.
    actions = [action for action in actions if action.event_id is None or action.event_id in visible_event_ids]
    documents: dict[int, list[EventDocument]] = {}
    for link in (
        EventDocument.objects.filter(
            event_id__in=visible_event_ids,
            document__in=visible_to(Document, audience).filter(exportable_q(audience)),
        )
        .select_related("document")
        .order_by("role", "document__title")
    ):
        documents.setdefault(link.event_id, []).append(link)

    for event in events:
        event.report_documents = documents.get(event.pk, [])
    held = [event for event in events if event.state == Event.State.HELD]
    rilon_by_city: dict[str, list[Event]] = {}
    for event in held:
        if event.is_rilon_meeting:
            rilon_by_city.setdefault(event.city, []).append(event)
    sections = []
    for priority in Priority.objects.filter(
        Q(period_to__isnull=True) | Q(period_to__gte=period_from), period_from__lte=period_to
    ).order_by("period_from", "letter"):
        linked_events = [event for event in events if priority in event.priorities.all()]
        linked_actions = [action for action in actions if priority in action.priorities.all()]
        sections.append(PrioritySection(priority, linked_events, linked_actions))

    contributions: list[Contribution] = []
    if audience != PUBLIC:
        contributions = list(
            Contribution.objects.filter(received_on__gte=period_from, received_on__lte=period_to)
            .filter(Q(event__isnull=True) | Q(event_id__in=visible_event_ids))
            .select_related("donor")
            .order_by("kind", "donor__name", "received_on")
        )

    return ProgressReport(
        period_from=period_from,
        period_to=period_to,
        audience=audience,
        generated_at=timezone.now(),
        narrative=_narrative_for(period_from, period_to, audience),
        plenary=[event for event in held if event.kind in PLENARY_KINDS],
        scheduled=[event for event in events if event.state == Event.State.PLANNED],
        activities=[event for event in held if event.in_annex],
        membership_changes=[(label, text) for _on, label, text in _membership_changes(period_from, period_to)],
        contributions=contributions,
        open_actions=[action for action in actions if action.is_open],
        completed_actions=[action for action in actions if not action.is_open],
        priorities=sections,
        annex_workshops=[event for event in held if event.in_annex],
        annex_rilon=sorted(OrderedDict(rilon_by_city).items(), key=lambda item: item[0]),
        documents=documents,
    )


def render_html(report: ProgressReport, *, for_pdf: bool = False) -> str:
    fonts = []
    if for_pdf:
        for path in sorted(FONTS_DIR.glob("*.ttf")):
            family, _dash, style = path.stem.partition("-")
            fonts.append({"family": f"Report {family}", "uri": path.resolve().as_uri(), "bold": style == "Bold"})
    return render_to_string("meetings/report/report.html", {"report": report, "for_pdf": for_pdf, "fonts": fonts})


def render_pdf(report: ProgressReport) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(report, for_pdf=True), base_url=str(FONTS_DIR)).write_pdf()


def render_docx(report: ProgressReport) -> bytes:
    from meetings.report_docx import write_docx

    buffer = io.BytesIO()
    write_docx(report).save(buffer)
    return buffer.getvalue()


def render(report: ProgressReport, fmt: str) -> bytes:
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "docx":
        return render_docx(report)
    raise ValueError(fmt)


def generate(*, period_from: date, period_to: date, fmt: str, audience: Audience, actor=None) -> bytes:
    """Build, render and audit one report file (exports are always audited)."""
    report = build_report(period_from=period_from, period_to=period_to, audience=audience)
    content = render(report, fmt)
    audit.record(
        "meetings.progress_report.generated",
        actor=actor,
        extra={
            "from": period_from.isoformat(),
            "to": period_to.isoformat(),
            "format": fmt,
            "audience": audience.kind if audience.kind != "user" else f"user:{audience.user.pk}",
            "events": len(report.annex_workshops) + sum(len(rows) for _city, rows in report.annex_rilon),
        },
    )
    return content
