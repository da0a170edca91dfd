"""Permission-aware reads: everything starts from `visible_to(Submission, who)`.

Dashboards read the summary table; a PUBLIC audience only ever gets disclosure-controlled tables.
"""

from collections import defaultdict
from datetime import date

from django.db.models import QuerySet, Sum

from audit import services as audit
from regionaldata import disclosure
from regionaldata.models import (
    DIMENSIONS,
    TOTAL,
    CodeListItem,
    DataSet,
    Indicator,
    Observation,
    QualityNote,
    Submission,
    SummaryCell,
    WorkflowState,
)
from sharing.rules import PUBLIC, Audience, get_visible_or_404, visible_to


def visible_submissions(who) -> QuerySet[Submission]:
    """Submissions the user or audience may see (drafts to their reviewers, published to the audience)."""
    return visible_to(Submission.objects.select_related("dataset__participant", "dataset__indicator_set"), who)


def published_submissions(who) -> QuerySet[Submission]:
    """Published figures only: what charts, exports and the API's observation query use."""
    return visible_submissions(who).filter(state=WorkflowState.PUBLISHED)


def submission_for(who, pk: int) -> Submission:
    """One submission or 404 (not visible and not existing are the same)."""
    return get_visible_or_404(
        Submission.objects.select_related("dataset__participant", "dataset__indicator_set"), who, pk=pk
    )


def awaiting(user) -> QuerySet[Submission]:
    """Submissions waiting for this user's step: validation (secretariat) or approval (focal point)."""
    from regionaldata.services import is_focal_point_of, is_secretariat

    queryset = visible_submissions(user)
    if is_secretariat(user):
        return queryset.filter(state=WorkflowState.SUBMITTED)
    if user.agency_id and is_focal_point_of(user, user.agency.participant_id):
        return queryset.filter(state=WorkflowState.VALIDATED, originator_participant_id=user.agency.participant_id)
    return queryset.none()


def datasets() -> QuerySet[DataSet]:
    """Data set definitions (metadata, no figures) are known to every signed-in user."""
    return DataSet.objects.select_related("participant", "indicator_set", "agency")


def current_indicators() -> QuerySet[Indicator]:
    return Indicator.objects.filter(is_current=True)


def code_labels(dimension: str) -> dict[str, str]:
    return dict(CodeListItem.objects.filter(dimension=dimension).values_list("code", "label"))


def quality_notes_for(submission_ids) -> list[QualityNote]:
    """Notes travel with every chart and export that uses these submissions' data sets."""
    dataset_ids = Submission.objects.filter(pk__in=submission_ids).values("dataset_id")
    return list(QualityNote.objects.filter(dataset_id__in=dataset_ids).select_related("dataset"))


# --- dashboards (summary table) ----------------------------------------------------------------


def _cells(who, *, indicator: str, dimension: str, start: date | None = None, end: date | None = None):
    cells = SummaryCell.objects.filter(
        indicator=indicator, dimension=dimension, submission__in=published_submissions(who).values("pk")
    )
    if start:
        cells = cells.filter(period__gte=start)
    if end:
        cells = cells.filter(period__lte=end)
    return cells


def monthly_totals(
    who, *, indicator: str, start: date | None = None, end: date | None = None
) -> list[tuple[date, int]]:
    """Regional totals by month."""
    rows = (
        _cells(who, indicator=indicator, dimension="total", start=start, end=end)
        .values("period")
        .annotate(total=Sum("value"))
        .order_by("period")
    )
    return [(row["period"], row["total"]) for row in rows]


def breakdown(
    who, *, indicator: str, dimension: str, start: date | None = None, end: date | None = None, top: int | None = None
) -> list[tuple[str, int]]:
    """Totals by one dimension (citizenship, route, border type...), largest first."""
    rows = (
        _cells(who, indicator=indicator, dimension=dimension, start=start, end=end)
        .values("code")
        .annotate(total=Sum("value"))
        .order_by("-total", "code")
    )
    pairs = [(row["code"], row["total"]) for row in rows]
    return pairs[:top] if top else pairs


def by_participant(who, *, indicator: str, start: date | None = None, end: date | None = None) -> list[tuple[str, int]]:
    rows = (
        _cells(who, indicator=indicator, dimension="total", start=start, end=end)
        .values("submission__dataset__participant__name")
        .annotate(total=Sum("value"))
        .order_by("-total")
    )
    return [(row["submission__dataset__participant__name"], row["total"]) for row in rows]


def citizenship_by_month(who, *, indicator: str, start: date, end: date, top: int = 12):
    """Two-way table (citizenship x month) for the top citizenships; public audiences get it protected."""
    rows = (
        _cells(who, indicator=indicator, dimension="citizenship", start=start, end=end)
        .values("code", "period")
        .annotate(total=Sum("value"))
    )
    grid: dict[str, dict[date, int]] = defaultdict(dict)
    for row in rows:
        grid[row["code"]][row["period"]] = row["total"]
    codes = sorted(grid, key=lambda code: -sum(grid[code].values()))[:top]
    months = sorted({period for code in codes for period in grid[code]})
    matrix = [[grid[code].get(month, 0) for month in months] for code in codes]
    return codes, months, matrix


def year_on_year(who, *, indicator: str) -> list[tuple[int, int, int, float | None]]:
    """For each month of the latest year: this year, the same month a year before, and the change."""
    series = dict(monthly_totals(who, indicator=indicator))
    if not series:
        return []
    latest = max(series)
    result = []
    for month in range(1, 13):
        current = date(latest.year, month, 1)
        if current > latest:
            break
        before = series.get(date(latest.year - 1, month, 1), 0)
        now = series.get(current, 0)
        change = None if before == 0 else round((now - before) * 100.0 / before, 1)
        result.append((month, now, before, change))
    return result


def is_public(who) -> bool:
    return isinstance(who, Audience) and who.kind == "public"


def protected_citizenship_table(*, indicator: str, start: date, end: date, top: int = 12):
    """The public two-way table after primary and secondary suppression (cached until something changes)."""
    from django.core.cache import cache
    from django.db.models import Count, Max

    public = published_submissions(PUBLIC).aggregate(count=Count("pk"), changed=Max("updated_at"))
    version = f"{public['count']}:{public['changed']}:{disclosure.threshold()}"
    key = f"regionaldata:public:{indicator}:{start}:{end}:{top}:{version}"
    return cache.get_or_set(
        key.replace(" ", "_"), lambda: _protect(indicator=indicator, start=start, end=end, top=top), 3600
    )


def _protect(*, indicator: str, start: date, end: date, top: int):
    codes, months, matrix = citizenship_by_month(PUBLIC, indicator=indicator, start=start, end=end, top=top)
    labels = code_labels("citizenship")
    return disclosure.protect_two_way(
        [labels.get(code, code) for code in codes], [f"{month:%b %Y}" for month in months], matrix
    )


# --- observations (pivot explorer, API, exports) -----------------------------------------------


def observations(
    who,
    *,
    indicator: str | None = None,
    dataset: str | None = None,
    filters: dict | None = None,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[Observation]:
    """Published observations visible to `who` with simple filters (dimension=code)."""
    queryset = Observation.objects.filter(submission__in=published_submissions(who).values("pk"))
    if indicator:
        queryset = queryset.filter(indicator=indicator)
    if dataset:
        queryset = queryset.filter(submission__dataset__code=dataset)
    if start:
        queryset = queryset.filter(submission__period__gte=start)
    if end:
        queryset = queryset.filter(submission__period__lte=end)
    for name, code in (filters or {}).items():
        if name in DIMENSIONS and code:
            queryset = queryset.filter(**{name: code})
    return queryset


def pivot(
    who,
    *,
    indicator: str,
    rows: str,
    columns: str,
    filters: dict | None = None,
    start: date | None = None,
    end: date | None = None,
    limit: int = 40,
):
    """Pivot of published observations: `rows` x `columns` (a dimension, 'period' or 'participant').

    Only observations breaking down exactly the chosen dimensions are summed, so totals are not counted twice.
    """
    field_of = {"period": "submission__period", "participant": "submission__dataset__participant__code"}
    queryset = observations(who, indicator=indicator, filters=filters, start=start, end=end)
    chosen = {name for name in (rows, columns) if name in DIMENSIONS}
    fixed = {name for name, code in (filters or {}).items() if name in DIMENSIONS and code}
    for name in DIMENSIONS:
        if name in chosen:
            queryset = queryset.exclude(**{name: TOTAL})
        elif name not in fixed:
            queryset = queryset.filter(**{name: TOTAL})
    row_field, column_field = field_of.get(rows, rows), field_of.get(columns, columns)
    data = queryset.values(row_field, column_field).annotate(total=Sum("value"))
    grid: dict = defaultdict(dict)
    for item in data:
        grid[item[row_field]][item[column_field]] = item["total"]
    row_keys = sorted(grid, key=lambda key: -sum(grid[key].values()))[:limit]
    column_keys = sorted({column for key in row_keys for column in grid[key]})[:limit]
    return row_keys, column_keys, [[grid[key].get(column, 0) for column in column_keys] for key in row_keys]


def log_export(who, *, kind: str, count: int, extra: dict | None = None) -> None:
    """Exports are always audited."""
    actor = who if not isinstance(who, Audience) else None
    audit.record(f"regionaldata.export.{kind}", actor=actor, extra={"rows": count, **(extra or {})})
