"""Draft -> submitted -> validated -> approved (locked) -> published; corrections keep revisions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from regionaldata import services
from regionaldata.models import Revision, WorkflowState
from regionaldata.tests.helpers import csv_bytes, login, month_rows, publish_month
from sharing.models import Distribution, Status
from sharing.rules import can_see


def draft(stats, period="2025-03"):
    result = services.import_file(
        actor=stats.personas.alan_analyst,
        dataset=stats.alpha_set,
        content=csv_bytes(month_rows(period)),
        filename="f.csv",
    )
    return result.submissions[0]


def test_the_full_workflow_ends_published_to_the_chosen_audience(stats):
    p = stats.personas
    submission = publish_month(
        stats, stats.alpha_set, contributor=p.alan_analyst, focal=p.alice_focal, period="2025-03"
    )
    assert submission.state == WorkflowState.PUBLISHED
    assert submission.status == Status.PUBLISHED
    assert submission.distribution == Distribution.RECIPIENTS


def test_the_secretariat_sees_a_draft_only_while_it_awaits_validation(stats):
    submission = draft(stats)
    assert not can_see(stats.secretariat, submission)
    services.submission_submit(actor=stats.personas.alan_analyst, submission=submission)
    assert can_see(stats.secretariat, submission)
    services.submission_validate(actor=stats.secretariat, submission=submission, accept=True)
    submission.refresh_from_db()
    assert not can_see(stats.secretariat, submission)
    assert not can_see(stats.personas.bob_focal, submission)


def test_only_the_secretariat_validates_and_only_the_owners_focal_point_approves(stats):
    p = stats.personas
    submission = draft(stats)
    services.submission_submit(actor=p.alan_analyst, submission=submission)
    with pytest.raises(PermissionDenied):
        services.submission_validate(actor=p.alice_focal, submission=submission, accept=True)
    services.submission_validate(actor=stats.secretariat, submission=submission, accept=True)
    with pytest.raises(Http404):
        services.submission_approve(actor=p.bob_focal, submission=submission)
    with pytest.raises(PermissionDenied):
        services.submission_approve(actor=p.alan_analyst, submission=submission)
    services.submission_approve(actor=p.alice_focal, submission=submission)


def test_returning_a_submission_needs_a_note(stats):
    submission = draft(stats)
    services.submission_submit(actor=stats.personas.alan_analyst, submission=submission)
    with pytest.raises(ValidationError):
        services.submission_validate(actor=stats.secretariat, submission=submission, accept=False, note=" ")
    returned = services.submission_validate(
        actor=stats.secretariat, submission=submission, accept=False, note="AFG looks low"
    )
    assert returned.state == WorkflowState.DRAFT


def test_approval_locks_the_figures_against_uploads_and_the_grid(stats):
    p = stats.personas
    submission = draft(stats)
    services.submission_submit(actor=p.alan_analyst, submission=submission)
    services.submission_validate(actor=stats.secretariat, submission=submission, accept=True)
    services.submission_approve(actor=p.alice_focal, submission=submission)
    result = services.import_file(
        actor=p.alan_analyst, dataset=stats.alpha_set, content=csv_bytes(month_rows(afg=99)), filename="again.csv"
    )
    assert not result.report.ok
    assert result.report.errors[0].message == "2025-03 is approved and locked; ask for a correction to reopen it."
    grid = services.grid_save(
        actor=p.alan_analyst,
        dataset=stats.alpha_set,
        period=submission.period,
        rows=[{"indicator": "ibc", "value": "1"}],
    )
    assert not grid.report.ok
    assert submission.observations.get(indicator="ibc", citizenship="AFG").value == 12


def test_a_correction_reopens_with_a_reason_and_keeps_the_old_figures(stats):
    p = stats.personas
    submission = publish_month(
        stats, stats.alpha_set, contributor=p.alan_analyst, focal=p.alice_focal, period="2025-03"
    )
    with pytest.raises(ValidationError):
        services.submission_reopen(actor=p.alice_focal, submission=submission, reason="")
    reopened = services.submission_reopen(actor=p.alice_focal, submission=submission, reason="AFG was double counted")
    assert reopened.state == WorkflowState.DRAFT and reopened.status == Status.DRAFT and reopened.revision == 1
    revision = Revision.objects.get(submission=submission)
    assert revision.reason == "AFG was double counted"
    assert revision.reopened_by == p.alice_focal
    assert revision.state_before == WorkflowState.PUBLISHED
    assert {"indicator": "ibc", "citizenship": "AFG", "value": 12}.items() <= next(
        row for row in revision.rows if row["citizenship"] == "AFG"
    ).items()
    result = services.import_file(
        actor=p.alan_analyst, dataset=stats.alpha_set, content=csv_bytes(month_rows(afg=6)), filename="fixed.csv"
    )
    assert result.report.ok
    assert submission.observations.get(indicator="ibc", citizenship="AFG").value == 6
    assert not can_see(p.bob_focal, reopened)


def test_state_changes_answer_405_to_get_and_404_to_outsiders(client, stats):
    p = stats.personas
    submission = draft(stats)
    login(client, p.alan_analyst)
    assert client.get(f"/statistics/submissions/{submission.pk}/submit/").status_code == 405
    login(client, p.bea_analyst)
    assert client.get(f"/statistics/submissions/{submission.pk}/").status_code == 404
    assert client.post(f"/statistics/submissions/{submission.pk}/submit/").status_code == 404
    assert (
        client.post(
            f"/api/v1/statistics/submissions/{submission.pk}/submit/", {}, content_type="application/json"
        ).status_code
        == 404
    )
    submission.refresh_from_db()
    assert submission.state == WorkflowState.DRAFT


def test_the_pages_walk_the_workflow(client, stats):
    p = stats.personas
    submission = draft(stats)
    login(client, p.alan_analyst)
    assert client.post(f"/statistics/submissions/{submission.pk}/submit/").status_code == 302
    login(client, stats.secretariat)
    assert "Validate" in client.get(f"/statistics/submissions/{submission.pk}/").content.decode()
    client.post(f"/statistics/submissions/{submission.pk}/validate/")
    login(client, p.alice_focal)
    client.post(f"/statistics/submissions/{submission.pk}/approve/")
    client.post(f"/statistics/submissions/{submission.pk}/publish/")
    submission.refresh_from_db()
    assert submission.state == WorkflowState.PUBLISHED


def test_a_malformed_submission_id_is_404_not_an_error(client, stats):
    login(client, stats.personas.alan_analyst)
    assert client.get("/api/v1/statistics/submissions/abc/").status_code == 404
    assert client.get("/statistics/submissions/abc/").status_code == 404
