"""UNODC GLOTIP breakdowns (sex, age group, form of exploitation) of victims of trafficking detected.

The expected figures are computed here from the CSV with the csv module, independently of the importer: every
cell the source gives in full must be stored with the source's value, a cell with some '<5' rows holds the sum of
the rows given, a cell that is only '<5' is not stored, and each year's note names the suppressed cells.
"""

import csv
import io
from collections import Counter, defaultdict
from datetime import date

import polars as pl
import pytest
import sdmx

from regionaldata.importers import (
    CELLS_NOTE,
    GLOTIP_CSV,
    NOT_ADDITIVE_NOTE,
    WITHOUT_TOTAL_NOTE,
    import_glotip,
)
from regionaldata.models import DIMENSIONS, CodeListItem, Observation, QualityNote, Submission
from regionaldata.validation import Context, validate

# The catalogue's codes for GLOTIP's words, written out here rather than taken from the importer.
SEX = {"Total": "_T", "Female": "F", "Male": "M", "Other": "X", "Unknown": "_U"}
AGE = {"Total": "_T", "0 to 17 years": "Y_LT18", "18 years or over": "Y_GE18", "Unknown": "_U"}
FORM = {
    "Total": "_T",
    "Sexual exploitation": "SEXUAL",
    "Forced labour": "LABOUR",
    "Other forms of exploitation": "OTHER_ALL",
}


def source_cells() -> dict[tuple, list[int | None]]:
    """(country, year, exploitation, sex, age group) -> the values of its source rows (None for '<5')."""
    cells: dict[tuple, list[int | None]] = defaultdict(list)
    with open(GLOTIP_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Indicator"] != "Detected trafficking victims":
                continue
            if row["Dimension"] not in ("Total", "by form of exploitation"):
                continue  # by citizenship / country of repatriation: not imported
            key = (row["Iso3_code"], int(row["Year"]), FORM[row["Category"]], SEX[row["Sex"]], AGE[row["Age"]])
            value = row["txtVALUE"]
            cells[key].append(None if value == "<5" else int(value.replace(",", "")))
    return cells


def stored_years(cells) -> set[tuple[str, int]]:
    """Country-years with a known overall total: the only ones stored."""
    return {
        (country, year)
        for (country, year, *rest), values in cells.items()
        if rest == ["_T", "_T", "_T"] and None not in values
    }


def stored_cells() -> dict[tuple, int]:
    rows = Observation.objects.filter(submission__dataset__code__startswith="glotip-vot-").values_list(
        "submission__dataset__code", "submission__period", "exploitation", "sex", "age_group", "value"
    )
    return {(code[-3:].upper(), period.year, e, s, a): value for code, period, e, s, a, value in rows}


@pytest.fixture
def imported(stats):
    return import_glotip()


def test_every_cell_the_source_gives_in_full_is_stored_with_its_value(imported):
    cells = source_cells()
    years = stored_years(cells)
    expected = {
        key: sum(value for value in values if value is not None)
        for key, values in cells.items()
        if key[:2] in years and any(value is not None for value in values)
    }
    got = stored_cells()
    assert got == expected
    complete = {key for key, values in cells.items() if key[:2] in years and None not in values}
    assert all(got[key] == sum(cells[key]) for key in complete)
    assert not any(key in got for key, values in cells.items() if set(values) == {None})  # '<5' only: no figure
    assert got[("THA", 2019, "_T", "F", "Y_LT18")] == 210 and got[("THA", 2019, "LABOUR", "_T", "_T")] == 500


@pytest.mark.parametrize(("position", "dimension"), [(2, "exploitation"), (3, "sex"), (4, "age_group")])
def test_per_breakdown_totals_equal_the_source_for_cells_given_in_full(imported, position, dimension):
    """Sum of each breakdown code over all stored years (one dimension broken down, the others 'all')."""
    cells = source_cells()
    years = stored_years(cells)
    others = [index for index in (2, 3, 4) if index != position]
    expected: Counter = Counter()
    for key, values in cells.items():
        if key[:2] in years and key[position] != "_T" and all(key[i] == "_T" for i in others) and None not in values:
            expected[key[position]] += sum(values)
    complete = {
        key for key, values in cells.items() if key[:2] in years and None not in values and key[position] != "_T"
    }
    got: Counter = Counter()
    filters = {name: "_T" for name in DIMENSIONS if name != dimension}
    for observation in (
        Observation.objects.filter(**filters).exclude(**{dimension: "_T"}).select_related("submission__dataset")
    ):
        key = (
            observation.submission.dataset.code[-3:].upper(),
            observation.submission.period.year,
            observation.exploitation,
            observation.sex,
            observation.age_group,
        )
        if key in complete:
            got[key[position]] += observation.value
    assert got == expected
    assert len(expected) >= 2


def test_each_year_with_suppressed_cells_has_a_note_naming_them(imported):
    cells = source_cells()
    note = QualityNote.objects.get(dataset__code="glotip-vot-aus", period=date(2019, 1, 1))
    hidden_only = [key for key, values in cells.items() if key[:2] == ("AUS", 2019) and set(values) == {None}]
    assert hidden_only and note.text.startswith(CELLS_NOTE)
    assert "sex Female, age 0 to 17 years; sex Male, age 0 to 17 years;" in note.text
    assert note.text.count(";") + 1 >= len(hidden_only)
    assert "Partly suppressed (the figure adds up only the rows given): sex Male (1 of 2 rows <5)" in note.text
    assert NOT_ADDITIVE_NOTE in note.text
    # the note travels with the year's figures in exports, and only with that year's
    submission = Submission.objects.get(dataset__code="glotip-vot-aus", period=date(2019, 1, 1))
    from regionaldata import exports, queries

    content, _count = exports.to_csv(queries.observations(submission.dataset.participant, dataset="glotip-vot-aus"))
    rows = list(csv.DictReader(io.StringIO(content)))
    assert all(("2019: " + CELLS_NOTE in row["quality_notes"]) == (row["period"] == "2019") for row in rows)


def test_a_total_that_does_not_add_up_in_the_source_is_a_warning_of_an_external_data_set(imported):
    submission = Submission.objects.get(dataset__code="glotip-vot-aus", period=date(2019, 1, 1))
    assert submission.dataset.is_external
    # AUS 2019: 84 victims; by sex 56 female + 21 male given, one '<5' row of male: at most 81.
    assert {
        "row": 518,
        "column": "value",
        "message": "The total 84 is not the sum of its breakdown by sex (77 given, and at most 4 more in cells "
        "suppressed by the source).",
    } in submission.warnings
    assert Observation.objects.get(submission=submission, **{name: "_T" for name in DIMENSIONS}).value == 84


def test_years_with_breakdowns_but_no_total_are_not_stored_and_are_named(imported):
    cells = source_cells()
    without = {key[:2] for key in cells} - {key[:2] for key in cells if key[2:] == ("_T", "_T", "_T")}
    assert ("THA", 2007) in without
    assert not Observation.objects.filter(submission__dataset__code="glotip-vot-tha", submission__period__year=2007)
    note = QualityNote.objects.get(dataset__code="glotip-vot-tha", text__startswith=WITHOUT_TOTAL_NOTE)
    assert "2007" in note.text
    assert sum(len(years) for years in imported.without_total.values()) == len(without)


def test_glotip_age_and_sex_codes_come_in_version_2_of_their_code_lists(client, imported):
    versions = dict(CodeListItem.objects.filter(dimension="age_group").values_list("code", "version"))
    assert versions == {"Y_LT18": 1, "Y18-34": 1, "Y35-64": 1, "Y_GE65": 1, "Y_GE18": 2, "_U": 2}
    assert CodeListItem.objects.get(dimension="sex", code="_U").version == 2
    assert CodeListItem.objects.get(dimension="exploitation", code="OTHER_ALL").version == 2
    structure = sdmx.read_sdmx(io.BytesIO(client.get("/statistics/sdmx/structure.xml").content))
    age = structure.codelist["CL_AGE_GROUP"]
    assert age.version == "2.0" and "Y_GE18" in {code.id for code in age}
    assert structure.codelist["CL_ROUTE"].version == "1.0"


# --- the additivity check with suppressed cells, on its own -------------------------------------


def frame(rows: list[tuple[str, str, int]]) -> pl.DataFrame:
    data = {
        "row": list(range(2, 2 + len(rows))),
        "indicator": ["vot"] * len(rows),
        "period": ["2024"] * len(rows),
        "sex": [sex for sex, _age, _value in rows],
        "age_group": [age for _sex, age, _value in rows],
        "value": [str(value) for _sex, _age, value in rows],
    }
    return pl.DataFrame(data, schema={name: pl.Int64 if name == "row" else pl.String for name in data})


def context(*, hidden: list[tuple[str, int]] | None = None, warns: bool = False) -> Context:
    cells = None
    if hidden:
        cells = pl.DataFrame(
            {
                "indicator": ["vot"] * len(hidden),
                "period": [date(2024, 1, 1)] * len(hidden),
                **{name: ["_T"] * len(hidden) for name in DIMENSIONS if name != "sex"},
                "sex": [sex for sex, _most in hidden],
                "_hidden": [most for _sex, most in hidden],
            }
        )
    return Context(
        indicator_dimensions={"vot": ["sex", "age_group", "exploitation"]},
        code_lists={"sex": frozenset({"F", "M", "X"}), "age_group": frozenset({"Y_LT18"})},
        today=date(2025, 7, 15),
        period_type="annual",
        hidden=cells,
        additivity_warns=warns,
    )


def test_a_suppressed_cell_counts_as_anything_from_0_to_4():
    rows = [("F", "_T", 6), ("M", "_T", 3), ("_T", "_T", 12)]  # X is '<5': 12 = 6 + 3 + 3 is possible
    assert validate(frame(rows), context(hidden=[("X", 4)])).ok
    too_big = [("F", "_T", 6), ("M", "_T", 3), ("_T", "_T", 14)]
    report = validate(frame(too_big), context(hidden=[("X", 4)]))
    assert [(p.row, p.column, p.message) for p in report.errors] == [
        (
            4,
            "value",
            "The total 14 is not the sum of its breakdown by sex (9 given, and at most 4 more in cells suppressed by "
            "the source).",
        )
    ]
    # without the suppressed cell the same figures are simply wrong
    assert not validate(frame(rows), context()).ok


def test_an_external_source_that_does_not_add_up_is_stored_with_a_warning():
    too_big = [("F", "_T", 6), ("M", "_T", 3), ("_T", "_T", 14)]
    report = validate(frame(too_big), context(hidden=[("X", 4)], warns=True))
    assert report.ok and report.frame is not None
    assert [p.row for p in report.warnings] == [4]
