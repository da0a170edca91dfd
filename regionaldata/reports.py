"""Quarterly 'feedback to contributors' PDF: what a participant sent, how complete, and the regional picture.

Produced as the requesting user: only figures that user may see are used.
"""

from datetime import date

from django.http import Http404
from django.template.loader import render_to_string

from participants.models import Participant
from regionaldata import charts, queries, services
from regionaldata.models import WorkflowState


def quarter_months(year: int, quarter: int) -> list[date]:
    return [date(year, 3 * (quarter - 1) + offset, 1) for offset in (1, 2, 3)]


def feedback_context(who, *, participant_code: str, year: int, quarter: int) -> dict:
    participant = Participant.objects.filter(code=participant_code).first()
    if participant is None:
        raise Http404
    months = quarter_months(year, quarter)
    own = queries.visible_submissions(who).filter(originator_participant=participant, period__in=months)
    datasets = list(queries.datasets().filter(participant=participant))
    completeness = []
    for dataset in datasets:
        states = dict(own.filter(dataset=dataset).values_list("period", "state"))
        completeness.append((dataset, [(month, states.get(month)) for month in months]))
    regional = queries.monthly_totals(who, indicator="ibc", start=months[0], end=months[-1])
    submission_ids = list(own.values_list("pk", flat=True))
    return {
        "participant": participant,
        "year": year,
        "quarter": quarter,
        "months": months,
        "completeness": completeness,
        "published": own.filter(state=WorkflowState.PUBLISHED).count(),
        "regional": regional,
        "chart": charts.line_chart([(f"{p:%b %Y}", v) for p, v in regional], title="Regional detections by month"),
        "top": queries.breakdown(
            who, indicator="ibc", dimension="citizenship", start=months[0], end=months[-1], top=10
        ),
        "notes": queries.quality_notes_for(submission_ids),
        "due": [(dataset, [services.due_date(dataset, month) for month in months]) for dataset in datasets],
    }


def feedback_html(who, **kwargs) -> str:
    return render_to_string("regionaldata/feedback.html", feedback_context(who, **kwargs))


def feedback_report(who, **kwargs) -> bytes:
    from weasyprint import HTML

    return HTML(string=feedback_html(who, **kwargs)).write_pdf()
