"""Periods of every type: how they are written, read and checked, one failing and one passing file each.

Today is pinned to 15 July 2025 (conftest): the current month is July, the current quarter Q3, the current year 2025.
"""

from datetime import date, timedelta

import pytest

from regionaldata import periods, services
from regionaldata.models import Observation, Submission
from regionaldata.tests.conftest import make_dataset
from regionaldata.tests.helpers import csv_bytes, month_rows, publish_month


@pytest.mark.parametrize(
    ("period_type", "start", "key", "label", "end"),
    [
        ("monthly", date(2023, 5, 1), "2023-05", "May 2023", date(2023, 5, 31)),
        ("quarterly", date(2023, 1, 1), "2023-Q1", "Q1 2023", date(2023, 3, 31)),
        ("quarterly", date(2023, 10, 1), "2023-Q4", "Q4 2023", date(2023, 12, 31)),
        ("annual", date(2023, 1, 1), "2023", "2023", date(2023, 12, 31)),
    ],
)
def test_a_period_is_written_read_and_ended_by_its_type(period_type, start, key, label, end):
    assert periods.key(start, period_type) == key
    assert periods.label(start, period_type) == label
    assert periods.end_of(start, period_type) == end
    assert periods.parse(key, period_type) == start
    assert periods.parse(start.isoformat(), period_type) == start  # its first day is accepted too
    assert periods.parse_any(key) == (start, period_type)
    assert periods.shift(start, period_type) == end + timedelta(days=1)
    assert periods.shift(periods.shift(start, period_type), period_type, -1) == start


def test_a_day_that_does_not_start_the_period_is_not_a_period():
    assert periods.parse("2023-05-01", "annual") is None
    assert periods.parse("2023-02-01", "quarterly") is None
    assert periods.parse("2023-05-15", "monthly") is None
    assert periods.parse("2023-05", "annual") is None
    assert periods.parse("2023", "monthly") is None


def test_a_window_runs_from_the_start_of_one_period_to_the_end_of_another():
    assert periods.window("2023", "2024-Q2") == (date(2023, 1, 1), date(2024, 6, 30))
    assert periods.window("2023-05", None) == (date(2023, 5, 1), None)
    assert periods.last_start_within(date(2024, 6, 30), "annual") == date(2023, 1, 1)
    assert periods.last_start_within(date(2024, 12, 31), "annual") == date(2024, 1, 1)


def test_a_submission_names_its_period_by_the_data_set_type(stats):
    p = stats.personas
    annual = make_dataset(p.alpha, p.alpha_agency, period_type="annual", first_period=date(2023, 1, 1))
    quarterly = make_dataset(p.alpha, p.alpha_agency, period_type="quarterly")
    cases = [
        (stats.alpha_set, date(2023, 5, 1), "2023-05", "May 2023"),
        (quarterly, date(2023, 1, 1), "2023-Q1", "Q1 2023"),
        (annual, date(2023, 1, 1), "2023", "2023"),
    ]
    for dataset, period, key, label in cases:
        submission = Submission(dataset=dataset, period=period)
        assert submission.period_key == key
        assert submission.period_label == label
        assert str(submission) == f"{dataset.name} · {key}"


# --- validation of an annual data set ----------------------------------------------------------


def send(stats, dataset, rows, *, filename="figures.csv"):
    return services.import_file(
        actor=stats.personas.alan_analyst, dataset=dataset, content=csv_bytes(rows), filename=filename
    )


def problems(result) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.message) for p in result.report.errors]


@pytest.fixture
def annual(stats):
    p = stats.personas
    return make_dataset(p.alpha, p.alpha_agency, period_type="annual", first_period=date(2023, 1, 1))


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2024-05", "'2024-05' is not a year; this data set is annual: write the year as YYYY, e.g. 2024."),
        (
            "2024-03-01",
            "2024-03-01 is not the first day of a year; write the year as YYYY, e.g. 2024 (or its first day, "
            "2024-01-01).",
        ),
        ("2026", "2026 is in the future; figures can only be sent for past or current years."),
        ("last year", "'last year' is not a year; this data set is annual: write the year as YYYY, e.g. 2024."),
    ],
)
def test_an_annual_period_that_is_not_a_started_year_is_refused_by_row_and_column(stats, annual, period, message):
    rows = [*month_rows("2024"), {"indicator": "ibc", "period": period, "value": 3}]
    result = send(stats, annual, rows)
    assert problems(result) == [(6, "period", message)]
    assert not Observation.objects.exists()


@pytest.mark.parametrize("period", ["2024", "2024-01-01", "2025"])
def test_a_year_written_as_its_key_or_first_day_passes_and_the_current_year_may_be_sent(stats, annual, period):
    result = send(stats, annual, month_rows(period))
    assert result.report.ok, problems(result)
    assert [s.period for s in result.submissions] == [date(int(period[:4]), 1, 1)]
    assert result.submissions[0].period_key == period[:4]


def test_an_approved_year_is_locked(stats, annual):
    p = stats.personas
    publish_month(stats, annual, contributor=p.alan_analyst, focal=p.alice_focal, period="2024")
    result = send(stats, annual, month_rows("2024-01-01"))
    assert problems(result)[0] == (2, "period", "2024 is approved and locked; ask for a correction to reopen it.")


def test_a_repeated_row_of_an_annual_file_names_the_year(stats, annual):
    rows = [*month_rows("2024"), {"indicator": "ibc", "period": "2024-01-01", "citizenship": "AFG", "value": 12}]
    assert problems(send(stats, annual, rows)) == [
        (6, None, "This row repeats row 2 (same indicator, year and breakdown).")
    ]


@pytest.mark.parametrize(
    ("period", "ok", "message"),
    [
        ("2025-Q3", True, None),  # the current quarter has started
        ("2025-04-01", True, None),
        ("2025-Q4", False, "2025-Q4 is in the future; figures can only be sent for past or current quarters."),
        (
            "2025-05",
            False,
            "'2025-05' is not a quarter; this data set is quarterly: write it as YYYY-Qn, e.g. 2025-Q1.",
        ),
        (
            "2025-02-01",
            False,
            "2025-02-01 is not the first day of a quarter; write the quarter as YYYY-Qn, e.g. 2025-Q1 (or its first "
            "day, 2025-01-01).",
        ),
    ],
)
def test_quarterly_periods(stats, period, ok, message):
    p = stats.personas
    quarterly = make_dataset(p.alpha, p.alpha_agency, period_type="quarterly")
    result = send(stats, quarterly, month_rows(period))
    assert result.report.ok is ok
    if not ok:
        assert {(row, column, text) for row, column, text in problems(result)} == {
            (row, "period", message) for row in (2, 3, 4, 5)
        }


def test_a_monthly_day_that_is_not_the_first_is_named_as_such(stats):
    result = send(stats, stats.alpha_set, [{"indicator": "ibc", "period": "2025-03-15", "value": 3}])
    assert problems(result) == [
        (2, "period", "2025-03-15 is not the first day of a month; write the month as YYYY-MM, e.g. 2025-03.")
    ]


def test_an_sdmx_freq_that_is_not_the_data_sets_is_refused(stats, annual):
    content = (
        b"STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REPORTING,INDICATOR,TIME_PERIOD,OBS_VALUE\n"
        b"dataflow,BP_RSO:DF_IRREGULAR_MIGRATION(1.0),I,M,alp,ibc,2024,5\n"
        b"dataflow,BP_RSO:DF_IRREGULAR_MIGRATION(1.0),I,A,alp,ibc,2023,6\n"
    )
    result = services.import_file(
        actor=stats.personas.alan_analyst, dataset=annual, content=content, filename="sdmx.csv"
    )
    assert problems(result) == [(2, "freq", "FREQ 'M' is not this data set's: it is annual (FREQ A).")]
    good = content.replace(b",I,M,", b",I,A,")
    result = services.import_file(actor=stats.personas.alan_analyst, dataset=annual, content=good, filename="s.csv")
    assert result.report.ok, problems(result)
    assert sorted(s.period_key for s in result.submissions) == ["2023", "2024"]
