"""UNODC GLOTIP victims of trafficking and UNHCR asylum applications keep the source's totals exactly."""

import csv
from collections import Counter

import pytest
from django.db.models import Sum

from regionaldata.importers import (
    GLOTIP_CSV,
    SUPPRESSED_NOTE,
    UNHCR_CSV,
    SourceFileError,
    import_glotip,
    import_unhcr,
)
from regionaldata.models import DIMENSIONS, DataSet, Observation, QualityNote, WorkflowState


def glotip_source() -> tuple[Counter, Counter]:
    """Independently of the importer: victims detected (all, no breakdown) per (country, year), and the <5 cells."""
    totals: Counter = Counter()
    suppressed: Counter = Counter()
    with open(GLOTIP_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            overall = (row["Dimension"], row["Category"], row["Sex"], row["Age"]) == ("Total",) * 4
            if row["Indicator"] != "Detected trafficking victims" or not overall:
                continue
            if row["txtVALUE"] == "<5":
                suppressed[(row["Iso3_code"], int(row["Year"]))] += 1
            else:
                totals[(row["Iso3_code"], int(row["Year"]))] += int(row["txtVALUE"].replace(",", ""))
    return totals, suppressed


def unhcr_source() -> Counter:
    totals: Counter = Counter()
    with open(UNHCR_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            totals[(row["coa_iso"], int(row["year"]))] += int(row["applied"])
    return totals


def stored(prefix: str, *, totals_only: bool = False) -> Counter:
    """Stored figures per (reporting country, year); `totals_only`: the overall totals, not their breakdowns."""
    totals: Counter = Counter()
    observations = Observation.objects.filter(submission__dataset__code__startswith=prefix)
    if totals_only:
        observations = observations.filter(**{name: "_T" for name in DIMENSIONS})
    rows = observations.values_list("submission__dataset__code", "submission__period__year").annotate(
        total=Sum("value")
    )
    for code, year, total in rows:
        totals[(code.rsplit("-", 1)[1].upper(), year)] += total
    return totals


def test_glotip_totals_equal_the_source_and_suppressed_cells_are_never_counted(stats):
    outcome = import_glotip()
    expected, suppressed = glotip_source()
    got = stored("glotip-vot-", totals_only=True)
    assert got == expected
    assert sum(got.values()) == sum(expected.values())
    for key in [("THA", 2019), ("IDN", 2018), ("PHL", 2020)]:
        assert got[key] == expected[key]
    # a suppressed country-year has no figure at all (neither 0 nor 5) and is named in a quality note
    country, year = next(iter(suppressed))
    assert (country, year) not in got
    assert not Observation.objects.filter(
        submission__dataset__code=f"glotip-vot-{country.lower()}", submission__period__year=year
    ).exists()
    note = QualityNote.objects.get(dataset__code=f"glotip-vot-{country.lower()}", text__startswith=SUPPRESSED_NOTE)
    assert str(year) in note.text
    assert sum(len(years) for years in outcome.suppressed.values()) == sum(suppressed.values())
    assert outcome.rows == Observation.objects.count()  # totals and their breakdowns


def test_glotip_is_published_to_members_and_importing_again_changes_nothing(stats):
    import_glotip()
    count, notes = Observation.objects.count(), list(QualityNote.objects.values_list("pk", "text"))
    again = import_glotip()
    assert again.unchanged
    assert Observation.objects.count() == count
    assert list(QualityNote.objects.values_list("pk", "text")) == notes
    dataset = DataSet.objects.get(code="glotip-vot-tha")
    assert dataset.is_external and dataset.audience == "members"
    assert set(dataset.submissions.values_list("state", flat=True)) == {WorkflowState.PUBLISHED}
    from regionaldata import queries

    assert dataset.period_type == "annual"
    assert not queries.monthly_totals(stats.personas.gus_outsider, indicator="vot")  # never as a January
    by_year = dict(
        (year, total) for year, total, _change in queries.annual_totals(stats.personas.gus_outsider, indicator="vot")
    )
    expected, _suppressed = glotip_source()
    assert by_year[2019] == sum(total for (_country, year), total in expected.items() if year == 2019)


def test_unhcr_totals_equal_the_source_by_country_of_asylum_and_year(stats):
    outcome = import_unhcr()
    expected = unhcr_source()
    got = stored("unhcr-asylum-")
    assert got == expected
    assert sum(got.values()) == sum(expected.values())
    for key in [("AUS", 2015), ("MYS", 2020), ("IDN", 2012)]:
        assert got[key] == expected[key]
    assert outcome.rows == Observation.objects.filter(submission__dataset__code__startswith="unhcr-asylum-").count()
    again = import_unhcr()
    assert again.unchanged
    assert stored("unhcr-asylum-") == expected


def test_unhcr_origin_is_the_iso_citizenship(stats):
    import_unhcr()
    with open(UNHCR_CSV, encoding="utf-8", newline="") as handle:
        afghans = sum(
            int(row["applied"])
            for row in csv.DictReader(handle)
            if row["coa_iso"] == "AUS" and row["year"] == "2015" and row["coo_iso"] == "AFG"
        )
    stored_afghans = Observation.objects.filter(
        submission__dataset__code="unhcr-asylum-aus", submission__period__year=2015, citizenship="AFG"
    ).aggregate(t=Sum("value"))["t"]
    assert afghans > 0 and stored_afghans == afghans


@pytest.mark.parametrize(
    ("importer", "header", "line", "needle"),
    [
        (
            import_glotip,
            "Iso3_code,Indicator,Dimension,Category,Sex,Age,Year,txtVALUE",
            "THA,Detected trafficking victims,Total,Total,Total,Total,2019,12a",
            "row 3, column txtVALUE: '12a'",
        ),
        (
            import_glotip,
            "Iso3_code,Indicator,Dimension,Category,Sex,Age,Year,txtVALUE",
            "THA,Detected trafficking victims,Total,Total,Total,Total,20x9,12",
            "row 3: year '20x9'",
        ),
        (
            import_unhcr,
            "year,coo,coo_iso,coa_iso,applied",
            "2019,AFG,AFG,AUS,<5",
            "row 3, column applied: '<5'",
        ),
    ],
)
def test_a_malformed_file_names_the_row_and_stores_nothing(stats, tmp_path, importer, header, line, needle):
    good = (
        "THA,Detected trafficking victims,Total,Total,Total,Total,2018,40"
        if importer is import_glotip
        else "2018,AFG,AFG,AUS,7"
    )
    path = tmp_path / "source.csv"
    path.write_text(f"{header}\n{good}\n{line}\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=needle.replace("(", r"\(")):
        importer(path=path)
    assert not Observation.objects.exists()


def test_a_file_failing_validation_midway_stores_no_country(stats, tmp_path):
    path = tmp_path / "source.csv"
    path.write_text(
        "year,coo,coo_iso,coa_iso,applied\n2018,AFG,AFG,AUS,7\n2018,QQQ,QQQ,THA,3\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceFileError, match=r"\(THA\): Row 3, column .citizenship.: .QQQ."):
        import_unhcr(path=path)
    assert not Observation.objects.exists()
    assert not DataSet.objects.filter(code__startswith="unhcr-asylum-").exists()


def test_the_command_imports_a_source_and_reports_unchanged_on_a_rerun(stats):
    from io import StringIO

    from django.core.management import call_command

    first, second = StringIO(), StringIO()
    call_command("import_statistics", "--only", "glotip", stdout=first)
    call_command("import_statistics", "--only", "glotip", stdout=second)
    _expected, suppressed = glotip_source()
    assert f"UNODC GLOTIP: {Observation.objects.count()} rows for " in first.getvalue()
    assert f"{sum(suppressed.values())} country-years suppressed" in first.getvalue()
    assert second.getvalue().strip() == "UNODC GLOTIP: unchanged (same data imported before)"
