"""Permission-aware reads: everything starts from `visible_to(Submission, who)`.

Dashboards read the summary table; a PUBLIC audience only ever gets disclosure-controlled tables.

Periods of different types are never put on one time axis: a series is monthly, quarterly or annual.
A total over a window (`start`, `end`: `end` names a month, the window ends with it) counts every period of
any type that lies wholly inside the window, so an annual figure counts only for a whole year inside it.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from audit import services as audit
from regionaldata import disclosure, periods
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


def code_lists() -> list[dict]:
    """Each dimension's code list: its current version, how many codes, and what each later version added."""
    from regionaldata.catalogue import CODE_LIST_CHANGES
    from regionaldata.models import DIMENSION_LABELS

    lists = []
    for dimension in DIMENSIONS:
        items = list(CodeListItem.objects.filter(dimension=dimension).order_by("version", "code"))
        added = defaultdict(list)
        for item in items:
            if item.version > 1:
                added[item.version].append(item)
        lists.append(
            {
                "dimension": dimension,
                "name": DIMENSION_LABELS[dimension],
                "version": max((item.version for item in items), default=1),
                "count": len(items),
                "added": [(version, CODE_LIST_CHANGES.get(version, ""), codes) for version, codes in added.items()],
            }
        )
    return lists


def code_labels(dimension: str) -> dict[str, str]:
    return dict(CodeListItem.objects.filter(dimension=dimension).values_list("code", "label"))


@dataclass
class Notes:
    """Data-quality notes: the data sets' general ones, and those on a single period."""

    general: list[QualityNote] = field(default_factory=list)
    on_periods: list[QualityNote] = field(default_factory=list)

    def __iter__(self) -> Iterator[QualityNote]:
        return iter([*self.general, *self.on_periods])

    def __len__(self) -> int:
        return len(self.general) + len(self.on_periods)

    @property
    def general_by_text(self) -> list[tuple[str, list[DataSet]]]:
        """General notes with the same text (one source's data sets) once, with the data sets they concern."""
        grouped: dict[str, list[DataSet]] = {}
        for note in self.general:
            grouped.setdefault(note.text, []).append(note.dataset)
        return list(grouped.items())

    @property
    def periods_by_dataset(self) -> list[tuple[DataSet, list[QualityNote]]]:
        """The notes on single periods grouped by data set (a compact list where many periods have notes)."""
        grouped: dict[int, tuple[DataSet, list[QualityNote]]] = {}
        for note in self.on_periods:
            grouped.setdefault(note.dataset_id, (note.dataset, []))[1].append(note)
        return list(grouped.values())

    @classmethod
    def of(cls, notes) -> "Notes":
        result = cls()
        for note in notes:
            (result.on_periods if note.period else result.general).append(note)
        return result


def quality_notes_for(submission_ids) -> Notes:
    """Notes that travel with these submissions: their data sets' general notes and the notes on their periods."""
    submissions = Submission.objects.filter(pk__in=submission_ids)
    same_period = submissions.filter(dataset_id=OuterRef("dataset_id"), period=OuterRef("period"))
    return Notes.of(
        QualityNote.objects.filter(
            Q(period__isnull=True, dataset_id__in=submissions.values("dataset_id")) | Q(Exists(same_period))
        )
        .select_related("dataset")
        .order_by("dataset__name", "period", "pk")
    )


def dataset_notes(dataset: DataSet) -> Notes:
    """Every note of a data set (reference data, as the data set itself)."""
    return Notes.of(dataset.quality_notes.select_related("dataset").order_by("period", "pk"))


# --- dashboards (summary table) ----------------------------------------------------------------


def within(start: date | None = None, end: date | None = None, *, prefix: str = "") -> Q:
    """Submissions whose period lies wholly inside [start, the end of end's month], whatever its type."""
    condition = Q()
    if start:
        condition &= Q(**{f"{prefix}period__gte": start})
    if end:
        window_end = periods.month_end(end)
        by_type = Q()
        for period_type in periods.PERIOD_TYPES:
            by_type |= Q(
                **{
                    f"{prefix}dataset__period_type": period_type,
                    f"{prefix}period__lte": periods.last_start_within(window_end, period_type),
                }
            )
        condition &= by_type
    return condition


def _cells(
    who,
    *,
    indicator: str,
    dimension: str,
    start: date | None = None,
    end: date | None = None,
    period_type: str | None = None,
):
    """Summary rows of published submissions `who` may see; of one period type, or of every period in a window."""
    submissions = published_submissions(who).filter(within(start, end))
    if period_type:
        submissions = submissions.filter(dataset__period_type=period_type)
    cells = SummaryCell.objects.filter(
        indicator=indicator, dimension=dimension, submission__in=submissions.values("pk")
    )
    if start:
        cells = cells.filter(period__gte=start)
    if end:
        cells = cells.filter(period__lte=end)  # every period counted starts by then: keeps the index range short
    return cells


def period_totals(
    who, *, indicator: str, period_type: str, start: date | None = None, end: date | None = None
) -> list[tuple[date, int]]:
    """Regional totals per period of one type (a monthly, quarterly or annual series)."""
    rows = (
        _cells(who, indicator=indicator, dimension="total", start=start, end=end, period_type=period_type)
        .values("period")
        .annotate(total=Sum("value"))
        .order_by("period")
    )
    return [(row["period"], row["total"]) for row in rows]


def monthly_totals(
    who, *, indicator: str, start: date | None = None, end: date | None = None
) -> list[tuple[date, int]]:
    """Regional totals by month, from monthly data sets only (annual figures are never a January)."""
    return period_totals(who, indicator=indicator, period_type=periods.MONTHLY, start=start, end=end)


def annual_totals(who, *, indicator: str) -> list[tuple[int, int, float | None]]:
    """Regional totals of annual data sets by year, with the change on the year before (in %)."""
    series = dict(period_totals(who, indicator=indicator, period_type=periods.ANNUAL))
    result = []
    for period, total in sorted(series.items()):
        before = series.get(date(period.year - 1, 1, 1))
        change = None if not before else round((total - before) * 100.0 / before, 1)
        result.append((period.year, total, change))
    return result


def period_types_with_figures(who, *, indicator: str) -> set[str]:
    """Which period types have published figures of this indicator that `who` may see."""
    submissions = published_submissions(who).filter(
        pk__in=SummaryCell.objects.filter(indicator=indicator, dimension="total").values("submission_id")
    )
    return set(submissions.values_list("dataset__period_type", flat=True).distinct())


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
    """Two-way table (citizenship x month, monthly data sets) for the top citizenships; public gets it protected."""
    rows = (
        _cells(who, indicator=indicator, dimension="citizenship", start=start, end=end, period_type=periods.MONTHLY)
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


def submissions_with(who, *, indicator: str) -> QuerySet[Submission]:
    """Published submissions `who` may see that have figures of this indicator (whose notes go with its charts)."""
    return published_submissions(who).filter(
        pk__in=SummaryCell.objects.filter(indicator=indicator, dimension="total").values("submission_id")
    )


def completeness(user, *, today: date | None = None) -> list[dict]:
    """Reporting data sets by period type: the state of each recent period, and overdue ones for the user's own.

    A monthly data set is expected every month, a quarterly one every quarter, an annual one once a year; each
    period is due `due_days` after it ends. Only periods the user may see show their state (the rules apply to
    counts too).
    """
    from django.utils import timezone

    from regionaldata.services import due_date, expected_periods

    today = today or timezone.localdate()
    own_participant = getattr(getattr(user, "agency", None), "participant_id", None)
    sections = []
    for period_type, name in DataSet.PeriodType.choices:
        group = list(datasets().filter(is_external=False, period_type=period_type))
        if not group:
            continue
        expected = {dataset.pk: expected_periods(dataset, today=today) for dataset in group}
        columns = sorted({period for items in expected.values() for period in items})[-periods.RECENT[period_type] :]
        states = {
            (dataset_id, period): state
            for dataset_id, period, state in visible_submissions(user)
            .filter(dataset__in=group, period__in=columns)
            .values_list("dataset_id", "period", "state")
        }
        rows = []
        for dataset in group:
            own = dataset.participant_id == own_participant
            cells = []
            for period in columns:
                state = states.get((dataset.pk, period))
                overdue = (
                    own
                    and state in (None, WorkflowState.DRAFT)
                    and period >= dataset.first_period
                    and due_date(dataset, period) < today
                )
                cells.append({"state": state, "overdue": overdue})
            rows.append({"dataset": dataset, "cells": cells})
        sections.append(
            {
                "name": name,
                "period_type": period_type,
                "columns": [
                    {"label": periods.label(p, period_type), "datetime": periods.datetime_attr(p, period_type)}
                    for p in columns
                ],
                "rows": rows,
            }
        )
    return sections


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
    period_type: str | None = None,
) -> QuerySet[Observation]:
    """Published observations visible to `who`, of periods wholly inside [start, end], with dimension=code filters."""
    submissions = published_submissions(who).filter(within(start, end))
    if period_type:
        submissions = submissions.filter(dataset__period_type=period_type)
    queryset = Observation.objects.filter(submission__in=submissions.values("pk"))
    if indicator:
        queryset = queryset.filter(indicator=indicator)
    if dataset:
        queryset = queryset.filter(submission__dataset__code=dataset)
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
    period_type: str | None = None,
    limit: int = 40,
):
    """Pivot of published observations: `rows` x `columns` (a dimension, 'period' or 'participant').

    Only observations breaking down exactly the chosen dimensions are summed, so totals are not counted twice.
    A period is shown as its key (2025-05, 2025-Q2, 2025), so periods of different types stay apart.
    """
    fields_of = {
        "period": ("submission__period", "submission__dataset__period_type"),
        "participant": ("submission__dataset__participant__code",),
    }
    queryset = observations(who, indicator=indicator, filters=filters, start=start, end=end, period_type=period_type)
    chosen = {name for name in (rows, columns) if name in DIMENSIONS}
    fixed = {name for name, code in (filters or {}).items() if name in DIMENSIONS and code}
    for name in DIMENSIONS:
        if name in chosen:
            queryset = queryset.exclude(**{name: TOTAL})
        elif name not in fixed:
            queryset = queryset.filter(**{name: TOTAL})
    row_fields, column_fields = fields_of.get(rows, (rows,)), fields_of.get(columns, (columns,))

    def label(item: dict, fields: tuple[str, ...]) -> str:
        if len(fields) == 2:
            return periods.key(item[fields[0]], item[fields[1]])
        return item[fields[0]]

    data = queryset.values(*row_fields, *column_fields).annotate(total=Sum("value"))
    grid: dict = defaultdict(lambda: defaultdict(int))
    for item in data:
        grid[label(item, row_fields)][label(item, column_fields)] += item["total"]
    row_keys = sorted(grid, key=lambda key: -sum(grid[key].values()))[:limit]
    column_keys = sorted({column for key in row_keys for column in grid[key]})[:limit]
    return row_keys, column_keys, [[grid[key].get(column, 0) for column in column_keys] for key in row_keys]


def log_export(who, *, kind: str, count: int, extra: dict | None = None) -> None:
    """Exports are always audited."""
    actor = who if not isinstance(who, Audience) else None
    audit.record(f"regionaldata.export.{kind}", actor=actor, extra={"rows": count, **(extra or {})})
