"""Quarterly 'feedback to contributors' PDF: what a participant sent, how complete, and the regional picture.

Produced as the requesting user: only figures that user may see are used. A monthly data set is shown by
the quarter's months, a quarterly one by the quarter, an annual one by the year the quarter is in; annual
figures appear as annual totals, never as a month.
"""

from datetime import date

from django.http import Http404
from django.template.loader import render_to_string

from participants.models import Participant
from regionaldata import charts, periods, queries, services
from regionaldata.models import WorkflowState


def quarter_months(year: int, quarter: int) -> list[date]:
    return [date(year, 3 * (quarter - 1) + offset, 1) for offset in (1, 2, 3)]


def periods_in_quarter(period_type: str, year: int, quarter: int) -> list[date]:
    """The periods of a data set that the report of this quarter covers."""
    if period_type == periods.MONTHLY:
        return quarter_months(year, quarter)
    if period_type == periods.QUARTERLY:
        return [date(year, 3 * quarter - 2, 1)]
    return [date(year, 1, 1)]


def feedback_context(who, *, participant_code: str, year: int, quarter: int) -> dict:
    participant = Participant.objects.filter(code=participant_code).first()
    if participant is None:
        raise Http404
    months = quarter_months(year, quarter)
    datasets = list(queries.datasets().filter(participant=participant))
    own = queries.visible_submissions(who).filter(originator_participant=participant)
    sent, covered = [], []
    for dataset in datasets:
        wanted = periods_in_quarter(dataset.period_type, year, quarter)
        found = list(own.filter(dataset=dataset, period__in=wanted).values_list("pk", "period", "state"))
        states = {period: state for _pk, period, state in found}
        covered += [pk for pk, _period, _state in found]
        for period in wanted:
            sent.append(
                {
                    "dataset": dataset,
                    "period": periods.label(period, dataset.period_type),
                    "state": states.get(period),
                    "due": services.due_date(dataset, period),
                }
            )
    regional = queries.monthly_totals(who, indicator="ibc", start=months[0], end=months[-1])
    annual = []
    for indicator in queries.current_indicators():
        for row_year, total, change in queries.annual_totals(who, indicator=indicator.code):
            if year - 2 <= row_year <= year:
                annual.append((indicator.name, row_year, total, change))
    return {
        "participant": participant,
        "year": year,
        "quarter": quarter,
        "sent": sent,
        "published": sum(1 for row in sent if row["state"] == WorkflowState.PUBLISHED),
        "regional": regional,
        "chart": charts.line_chart(
            [(periods.label(p, periods.MONTHLY), v) for p, v in regional], title="Regional detections by month"
        ),
        "top": queries.breakdown(
            who, indicator="ibc", dimension="citizenship", start=months[0], end=months[-1], top=10
        ),
        "annual": annual,
        "notes": queries.quality_notes_for(covered),
    }


def feedback_html(who, **kwargs) -> str:
    return render_to_string("regionaldata/feedback.html", feedback_context(who, **kwargs))


def feedback_report(who, **kwargs) -> bytes:
    from weasyprint import HTML

    return HTML(string=feedback_html(who, **kwargs)).write_pdf()
