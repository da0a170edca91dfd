"""Each validation check, with a file that fails it and one that passes (rows and columns named)."""

import pytest

from regionaldata import services
from regionaldata.models import Observation, ValidationRule
from regionaldata.tests.helpers import csv_bytes, month_rows


def send(stats, rows, *, filename="figures.csv"):
    return services.import_file(
        actor=stats.personas.alan_analyst, dataset=stats.alpha_set, content=csv_bytes(rows), filename=filename
    )


def messages(result) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.message) for p in result.report.errors]


def test_a_valid_month_passes_and_is_stored(stats):
    result = send(stats, month_rows())
    assert result.report.ok
    assert Observation.objects.filter(submission__dataset=stats.alpha_set).count() == 4


@pytest.mark.parametrize(
    ("bad_row", "column", "words"),
    [
        (
            {"indicator": "ibc", "period": "2025-03", "citizenship": "AFG", "value": "twelve"},
            "value",
            "not a whole number",
        ),
        (
            {"indicator": "ibc", "period": "2025-03", "citizenship": "AFG", "value": "1.5"},
            "value",
            "not a whole number",
        ),
        ({"indicator": "ibc", "period": "2025-03", "citizenship": "AFG", "value": "-3"}, "value", "negative"),
        (
            {"indicator": "ibc", "period": "2025-03", "citizenship": "ATLANTIS", "value": "3"},
            "citizenship",
            "code list",
        ),
        ({"indicator": "ibc", "period": "2025-03", "border_type": "SPACE", "value": "3"}, "border_type", "code list"),
        ({"indicator": "ibc", "period": "March 2025", "value": "3"}, "period", "not a month"),
        ({"indicator": "ibc", "period": "2025-13", "value": "3"}, "period", "not a month"),
        ({"indicator": "ibc", "period": "2025-09", "value": "3"}, "period", "future"),
        ({"indicator": "smuggled_goats", "period": "2025-03", "value": "3"}, "indicator", "not an indicator"),
        ({"indicator": "facilitators", "period": "2025-03", "sex": "F", "value": "3"}, "sex", "no breakdown"),
    ],
)
def test_each_bad_cell_is_reported_by_row_and_column_and_nothing_is_stored(stats, bad_row, column, words):
    rows = [*month_rows(), bad_row]
    result = send(stats, rows)
    assert not result.report.ok
    assert any(row == 6 and col == column and words in message for row, col, message in messages(result)), messages(
        result
    )
    assert not Observation.objects.exists()


def test_a_total_that_is_not_the_sum_of_its_breakdown_is_an_error_on_the_total_row(stats):
    result = send(stats, month_rows(afg=12, mmr=8, total=25))
    assert messages(result) == [(4, "value", "The total 25 is not the sum of its breakdown by citizenship (20).")]
    assert send(stats, month_rows(afg=12, mmr=8, total=20)).report.ok


def test_two_way_breakdowns_are_checked_on_each_margin(stats):
    period = "2025-03"
    rows = [
        {"indicator": "ibc", "period": period, "citizenship": "AFG", "sex": "F", "value": 2},
        {"indicator": "ibc", "period": period, "citizenship": "AFG", "sex": "M", "value": 3},
        {"indicator": "ibc", "period": period, "citizenship": "AFG", "value": 5},
        {"indicator": "ibc", "period": period, "sex": "F", "value": 2},
        {"indicator": "ibc", "period": period, "sex": "M", "value": 4},
        {"indicator": "ibc", "period": period, "value": 5},
    ]
    result = send(stats, rows)
    assert messages(result) == [
        (6, "value", "The total 4 is not the sum of its breakdown by citizenship (3)."),
        (7, "value", "The total 5 is not the sum of its breakdown by sex (6)."),
    ]
    rows[4]["value"] = 3
    assert send(stats, rows).report.ok


def test_a_repeated_breakdown_in_the_file_is_reported_with_the_first_row(stats):
    rows = [*month_rows(), {"indicator": "ibc", "period": "2025-03", "citizenship": "AFG", "value": 12}]
    result = send(stats, rows)
    assert messages(result) == [(6, None, "This row repeats row 2 (same indicator, month and breakdown).")]


def test_missing_and_unknown_columns_are_named(stats):
    content = b"indicator,period,colour\nibc,2025-03,blue\n"
    result = services.import_file(
        actor=stats.personas.alan_analyst, dataset=stats.alpha_set, content=content, filename="x.csv"
    )
    assert (None, "colour", "This column is not in the template; remove it or fix its name.") in messages(result)
    assert (None, "value", "This column is required and missing.") in messages(result)


def test_stateless_and_unknown_citizenship_are_in_the_code_list(stats):
    rows = [
        {"indicator": "ibc", "period": "2025-03", "citizenship": "XXA", "value": 1},
        {"indicator": "ibc", "period": "2025-03", "citizenship": "XXX", "value": 2},
    ]
    assert send(stats, rows).report.ok


def test_a_high_importance_rule_blocks_and_a_medium_one_warns(stats):
    # Default medium rule: facilitators <= detections.
    rows = [
        {"indicator": "ibc", "period": "2025-03", "value": 3},
        {"indicator": "facilitators", "period": "2025-03", "value": 9},
    ]
    result = send(stats, rows)
    assert result.report.ok
    assert any("Facilitators cannot outnumber detections" in p.message for p in result.report.warnings)

    ValidationRule.objects.create(
        name="Returns at most detections",
        instruction="Check the returns count.",
        left_indicator="returns",
        operator="<=",
        right_indicator="ibc",
        importance="high",
    )
    failing = [
        {"indicator": "ibc", "period": "2025-04", "value": 3},
        {"indicator": "returns", "period": "2025-04", "value": 4},
    ]
    result = send(stats, failing)
    assert not result.report.ok
    assert result.report.errors[0].row == 3
    assert "Rule 'Returns at most detections' fails: returns is 4, ibc is 3." in result.report.errors[0].message
    failing[1]["value"] = 3
    assert send(stats, failing).report.ok


def test_an_outlier_against_the_participants_own_history_is_a_warning(stats):
    for month, value in (("2025-01", 100), ("2025-02", 104), ("2025-03", 98)):
        assert send(stats, [{"indicator": "ibc", "period": month, "value": value}]).report.ok
    usual = send(stats, [{"indicator": "ibc", "period": "2025-04", "value": 101}])
    assert usual.report.ok and not usual.report.warnings
    spike = send(stats, [{"indicator": "ibc", "period": "2025-05", "value": 900}])
    assert spike.report.ok
    assert any("far from this participant's usual figure" in p.message for p in spike.report.warnings)


def test_xlsx_template_round_trip_reports_the_same_rows(stats):
    import io

    from openpyxl import load_workbook

    from regionaldata.exports import template_xlsx

    workbook = load_workbook(io.BytesIO(template_xlsx(stats.alpha_set)))
    sheet = workbook["Figures"]
    header = [cell.value for cell in sheet[1]]
    for row in [*month_rows(), {"indicator": "ibc", "period": "2025-03", "citizenship": "IRN", "value": "lots"}]:
        sheet.append([row.get(name) for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = services.import_file(
        actor=stats.personas.alan_analyst, dataset=stats.alpha_set, content=buffer.getvalue(), filename="t.xlsx"
    )
    assert messages(result) == [(6, "value", "'lots' is not a whole number.")]
