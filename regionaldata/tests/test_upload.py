"""Uploads are atomic (all rows or none), idempotent (same bytes twice change nothing) and audited once per file."""

import json

from audit.models import AuditEntry
from operations.models import Job
from regionaldata import services
from regionaldata.models import Observation, Submission, SummaryCell, UploadedFile
from regionaldata.tests.helpers import csv_bytes, login, month_rows


def upload(stats, content: bytes, filename: str = "f.csv", user=None):
    return services.import_file(
        actor=user or stats.personas.alan_analyst, dataset=stats.alpha_set, content=content, filename=filename
    )


def test_one_bad_row_in_a_file_of_two_months_stores_nothing(stats):
    rows = [*month_rows("2025-02"), *month_rows("2025-03")]
    rows[-1]["value"] = "n/a"
    result = upload(stats, csv_bytes(rows))
    assert not result.report.ok
    assert Observation.objects.count() == 0
    assert Submission.objects.count() == 0
    assert not UploadedFile.objects.filter(state=UploadedFile.State.STORED).exists()


def test_the_same_file_twice_changes_nothing_and_is_audited_once(stats):
    content = csv_bytes([*month_rows("2025-02"), *month_rows("2025-03")])
    first = upload(stats, content)
    assert first.report.ok and len(first.submissions) == 2
    snapshot = sorted(Observation.objects.values_list("submission_id", "indicator", "citizenship", "value"))
    second = upload(stats, content)
    assert second.unchanged
    assert sorted(Observation.objects.values_list("submission_id", "indicator", "citizenship", "value")) == snapshot
    entries = AuditEntry.objects.filter(verb="regionaldata.file.imported")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.extra["rows"] == 8
    assert entry.extra["checksum"] == first.file.checksum
    assert entry.extra["periods"] == ["2025-02", "2025-03"]


def test_a_new_file_for_a_draft_month_replaces_its_figures_and_summary(stats):
    upload(stats, csv_bytes(month_rows("2025-03", afg=12, mmr=8)))
    upload(stats, csv_bytes(month_rows("2025-03", afg=1, mmr=1)))
    assert SummaryCell.objects.get(indicator="ibc", dimension="total").value == 2
    assert Observation.objects.filter(indicator="ibc").count() == 3


def test_only_the_reporting_participant_sends_figures(stats):
    import pytest
    from django.core.exceptions import PermissionDenied

    for outsider in (stats.personas.bea_analyst, stats.personas.avery_viewer, stats.secretariat):
        with pytest.raises(PermissionDenied):
            upload(stats, csv_bytes(month_rows()), user=outsider)


def test_a_large_file_runs_as_a_background_job_with_progress(
    stats, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.REGIONALDATA_UPLOAD_DIR = tmp_path
    rows = [
        {"indicator": "ibc", "period": "2025-03", "citizenship": code, "sex": sex, "value": 1}
        for code in ("AFG", "MMR", "BGD", "LKA", "IRN")
        for sex in ("F", "M")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        result = services.import_file(
            actor=stats.personas.alan_analyst,
            dataset=stats.alpha_set,
            content=csv_bytes(rows),
            filename="big.csv",
            background=True,
        )
    assert result.queued
    job = Job.objects.get(pk=result.file.job_id)
    assert job.state == Job.State.SUCCEEDED
    assert job.done == job.total == 10
    result.file.refresh_from_db()
    assert result.file.state == UploadedFile.State.STORED
    assert Observation.objects.count() == 10
    assert AuditEntry.objects.filter(verb="regionaldata.file.imported").count() == 1


def test_a_large_file_with_errors_fails_its_job_and_lists_the_rows(
    stats, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.REGIONALDATA_UPLOAD_DIR = tmp_path
    rows = [*month_rows(), {"indicator": "ibc", "period": "2025-03", "citizenship": "ZZZ", "value": 1}]
    with django_capture_on_commit_callbacks(execute=True):
        result = services.import_file(
            actor=stats.personas.alan_analyst,
            dataset=stats.alpha_set,
            content=csv_bytes(rows),
            filename="b.csv",
            background=True,
        )
    result.file.refresh_from_db()
    assert result.file.state == UploadedFile.State.REJECTED
    assert result.file.errors == [{"row": 6, "column": "citizenship", "message": "'ZZZ' is not in the code list."}]
    assert Job.objects.get(pk=result.file.job_id).state == Job.State.FAILED
    assert Observation.objects.count() == 0


def test_the_upload_page_shows_the_problem_on_its_row(client, stats):
    login(client, stats.personas.alan_analyst)
    rows = [*month_rows(), {"indicator": "ibc", "period": "2025-03", "citizenship": "AFG", "sex": "F", "value": "-1"}]
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/statistics/datasets/alp-monthly/upload/", {"file": SimpleUploadedFile("m.csv", csv_bytes(rows), "text/csv")}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-row="6"' in body and "-1 is negative; counts are zero or more." in body
    assert Observation.objects.count() == 0


def test_api_accepts_json_and_reports_problems_by_row(client, stats):
    login(client, stats.personas.alan_analyst)
    payload = {"dataset": "alp-monthly", "observations": [*month_rows("2025-04")]}
    payload["observations"][0] = {**payload["observations"][0], "value": "x"}
    response = client.post("/api/v1/statistics/submissions/", json.dumps(payload), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"row": 1, "column": "value", "message": "'x' is not a whole number."}]
    payload["observations"][0]["value"] = 12
    response = client.post("/api/v1/statistics/submissions/", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["stored_rows"] == 4
    again = client.post("/api/v1/statistics/submissions/", json.dumps(payload), content_type="application/json")
    assert again.json() == {"unchanged": True, "file": UploadedFile.objects.get().pk}


def test_api_rejects_unknown_fields(client, stats):
    login(client, stats.personas.alan_analyst)
    payload = {
        "dataset": "alp-monthly",
        "observations": [{"indicator": "ibc", "period": "2025-04", "value": 1, "colour": "x"}],
    }
    response = client.post("/api/v1/statistics/submissions/", json.dumps(payload), content_type="application/json")
    assert response.status_code == 400
    payload = {
        "dataset": "alp-monthly",
        "observations": [{"indicator": "ibc", "period": "2025-04", "value": 1}],
        "x": 1,
    }
    assert (
        client.post("/api/v1/statistics/submissions/", json.dumps(payload), content_type="application/json").status_code
        == 400
    )
