"""The progress report as an editable Word document (python-docx): headings, paragraphs and tables."""

from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from meetings.report import ProgressReport


def _table(doc, headers: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text


def _event_line(event) -> str:
    return f"{event.title}, {event.city}, {event.dates_label}"


def write_docx(report: ProgressReport) -> WordDocument:
    doc = WordDocument()
    doc.styles["Normal"].font.name = "Noto Sans"
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = _("Ad Hoc Group Progress Report by the Co-Chairs")
    doc.core_properties.subject = report.period_label

    series = doc.add_paragraph(
        _("Bali Process on People Smuggling, Trafficking in Persons and Related Transnational Crime").upper()
    )
    series.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = doc.add_heading(_("Ad Hoc Group Progress Report by the Co-Chairs"), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = doc.add_paragraph(
        _("Reporting period: %(period)s. Prepared for: %(audience)s.")
        % {"period": report.period_label, "audience": report.audience_label}
    )
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_page_break()

    narrative = report.narrative
    doc.add_heading(_("Introduction"), level=1)
    if narrative and narrative.introduction:
        for para in narrative.introduction.split("\n\n"):
            doc.add_paragraph(para.strip())
    else:
        doc.add_paragraph(
            _("This report sets out the activities of the Ad Hoc Group in the period %(period)s.")
            % {"period": report.period_label}
        )

    doc.add_heading(_("Meetings held in the period and their decisions"), level=1)
    for event in report.plenary:
        doc.add_heading(_event_line(event), level=2)
        if event.outcome:
            doc.add_paragraph(event.outcome)
    if not report.plenary:
        doc.add_paragraph(_("No senior officials' or ministerial meeting was held in the period."))
    if report.scheduled:
        doc.add_heading(_("Scheduled"), level=2)
        for event in report.scheduled:
            doc.add_paragraph(_event_line(event), style="List Bullet")

    doc.add_heading(_("Activities and outcomes"), level=1)
    _table(
        doc,
        [_("Dates"), _("Activity"), _("Place"), _("Kind")],
        [[e.dates_label, e.title, e.city, str(e.get_kind_display())] for e in report.activities],
    )

    doc.add_heading(_("Achieving the objectives set by Ministers"), level=1)
    for section in report.priorities:
        doc.add_heading(f"{section.priority.letter}) {section.priority.title}", level=2)
        for event in section.events:
            doc.add_paragraph(_event_line(event), style="List Bullet")
        for action in section.actions:
            doc.add_paragraph(
                f"{action.text} — {action.responsible_label} ({action.get_state_display()})", style="List Bullet"
            )
        if not section.events and not section.actions:
            doc.add_paragraph(_("No activity linked to this priority in the period."))

    doc.add_heading(_("Membership"), level=1)
    if report.membership_changes:
        _table(doc, [_("When"), _("Change")], [[when, text] for when, text in report.membership_changes])
    else:
        doc.add_paragraph(_("No membership change is recorded for the period."))

    doc.add_heading(_("Coordination, funding and administration"), level=1)
    if report.contributions:
        _table(
            doc,
            [_("Contributor"), _("Kind"), _("Purpose"), _("Amount")],
            [
                [
                    str(c.donor),
                    str(c.get_kind_display()),
                    c.purpose,
                    f"{c.amount} {c.currency}" if c.amount is not None else _("not recorded"),
                ]
                for c in report.contributions
            ],
        )
    else:
        doc.add_paragraph(_("No contribution is recorded for the period."))

    doc.add_heading(_("Agreed actions"), level=1)
    doc.add_heading(_("Open"), level=2)
    _table(
        doc,
        [_("Action"), _("Responsible"), _("Agreed at"), _("Due"), _("State")],
        [
            [
                a.text,
                a.responsible_label,
                a.event.title if a.event else "",
                a.due_date.strftime("%-d %B %Y") if a.due_date else "",
                str(a.get_state_display()) + (" " + _("(overdue)") if report.overdue(a) else ""),
            ]
            for a in report.open_actions
        ],
    )
    doc.add_heading(_("Completed or closed"), level=2)
    _table(
        doc,
        [_("Action"), _("Responsible"), _("Agreed at"), _("State")],
        [
            [a.text, a.responsible_label, a.event.title if a.event else "", str(a.get_state_display())]
            for a in report.completed_actions
        ],
    )

    if narrative and narrative.future:
        doc.add_heading(_("The future for the AHG"), level=1)
        doc.add_paragraph(narrative.future)
    if narrative and narrative.conclusion:
        doc.add_heading(_("Conclusion"), level=1)
        doc.add_paragraph(narrative.conclusion)

    doc.add_page_break()
    doc.add_heading(_("Annex A: Ad Hoc Group (AHG) workshop summaries"), level=1)
    for event in report.annex_workshops:
        para = doc.add_paragraph()
        para.add_run(f"{event.dates_label}: ").bold = True
        para.add_run(event.title).italic = True
        para.add_run(f", {event.city}." + (f" {event.outcome}" if event.outcome else ""))
    doc.add_heading(_("Regional Immigration Liaison Officer Network (RILON) meetings"), level=2)
    for city, meetings in report.annex_rilon:
        doc.add_paragraph(f"{city} ({', '.join(e.dates_label for e in meetings)})", style="List Bullet")

    doc.add_heading(_("Annex B: Meeting documents"), level=1)
    if report.document_rows:
        _table(
            doc,
            [_("Meeting"), _("Document"), _("Role"), _("Marking")],
            [
                [_event_line(e), link.document.title, str(link.get_role_display()), link.document.get_tlp_display()]
                for e, link in report.document_rows
            ],
        )
    else:
        doc.add_paragraph(_("No meeting document is available to this audience."))
    return doc
