"""The real-data importers keep the source's totals exactly."""

import csv
from datetime import date

import pytest
from django.db.models import Sum

from regionaldata.importers import AUSTRALIA_CSV, FRONTEX_CSV, import_australia, import_frontex
from regionaldata.models import Observation, SummaryCell, WorkflowState


def frontex_source_total(start: str = "", end: str = "9999") -> tuple[int, int]:
    total = rows = 0
    with open(FRONTEX_CSV, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if start <= row["month_start"] <= end:
                total += int(row["n"])
                rows += 1
    return total, rows


def stored_total(dataset_code: str) -> int:
    return Observation.objects.filter(submission__dataset__code=dataset_code).aggregate(total=Sum("value"))["total"]


def test_frontex_2024_totals_equal_the_source(stats):
    result = import_frontex(start=date(2024, 1, 1), end=date(2024, 12, 1))
    assert result.report.ok, result.report.errors[:5]
    expected, _rows = frontex_source_total("2024-01-01", "2024-12-01")
    assert stored_total("frontex-ibc") == expected
    summary = SummaryCell.objects.filter(submission__dataset__code="frontex-ibc", dimension="total").aggregate(
        t=Sum("value")
    )
    assert summary["t"] == expected
    by_route = SummaryCell.objects.filter(submission__dataset__code="frontex-ibc", dimension="route").aggregate(
        t=Sum("value")
    )
    assert by_route["t"] == expected
    assert len(result.submissions) == 12
    assert all(s.state == WorkflowState.PUBLISHED for s in result.submissions)


def test_frontex_is_published_to_members_and_importing_again_changes_nothing(stats):
    from regionaldata import queries

    import_frontex(start=date(2024, 1, 1), end=date(2024, 3, 1))
    again = import_frontex(start=date(2024, 1, 1), end=date(2024, 3, 1))
    assert again.unchanged
    member = stats.personas.gus_outsider
    assert queries.monthly_totals(member, indicator="ibc")[0][0] == date(2024, 1, 1)


def test_australia_boat_arrivals_totals_equal_the_source(stats):
    result = import_australia()
    assert result.report.ok, result.report.errors[:5]
    with open(AUSTRALIA_CSV, encoding="utf-8") as handle:
        expected = sum(int(row["n"]) for row in csv.DictReader(handle))
    assert stored_total("australia-boat-arrivals") == expected
    assert len(result.submissions) == 50


@pytest.mark.slow
def test_the_whole_frontex_file_imports_with_the_source_total(stats):
    result = import_frontex()
    assert result.report.ok
    expected, rows = frontex_source_total()
    assert expected == 4_966_869 and rows == 34_273
    assert stored_total("frontex-ibc") == expected


def test_the_annual_series_go_into_annual_data_sets_without_a_january_workaround(stats):
    from regionaldata.models import DataSet, QualityNote

    result = import_australia()
    dataset = DataSet.objects.get(code="australia-boat-arrivals")
    assert dataset.period_type == "annual"
    assert {s.period_key for s in result.submissions} >= {"1976", "2012", "2025"}
    assert not QualityNote.objects.filter(text__icontains="January of each year").exists()


def test_an_annual_series_stored_on_january_before_becomes_annual(stats):
    """Data sets that the monthly-only version filled (1 January of each year) are converted in place."""
    from importlib import import_module

    from django.apps import apps

    from regionaldata.importers import australia_dataset
    from regionaldata.models import DataSet, QualityNote, Submission

    dataset = australia_dataset()
    old_note = dataset.source_note.replace("Annual totals.", "Annual totals, recorded on January of each year.")
    DataSet.objects.filter(pk=dataset.pk).update(period_type="monthly", source_note=old_note)
    QualityNote.objects.filter(dataset=dataset).update(text=old_note)
    Submission.objects.create(
        dataset=dataset,
        period=date(2012, 1, 1),
        originator_agency=dataset.agency,
        originator_participant_id=dataset.participant_id,
    )
    migration = import_module("regionaldata.migrations.0003_period_types")
    migration.annual_external_data_sets(apps, None)
    dataset.refresh_from_db()
    assert dataset.period_type == "annual"
    assert "January of each year" not in dataset.source_note
    assert not QualityNote.objects.filter(dataset=dataset, text__contains="January of each year").exists()
    # and the importer does the same for a data set it finds monthly
    DataSet.objects.filter(pk=dataset.pk).update(period_type="monthly")
    result = import_australia()
    assert result.report.ok and DataSet.objects.get(pk=dataset.pk).period_type == "annual"
