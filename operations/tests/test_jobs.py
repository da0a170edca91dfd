"""Background jobs: queued after commit, idempotent on redelivery, progress shown to the owner only."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEntry
from operations import jobs, schedule, worker
from operations.models import Job, PeriodicSchedule, WorkerHeartbeat
from operations.progress import cli_progress, iterate_with_progress
from operations.testing_tasks import synthetic_import


def stored_rows(job: Job) -> int:
    return AuditEntry.objects.filter(verb="operations.test.row", target_id__startswith=f"{job.pk}:").count()


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_only_after_the_transaction_that_asked_for_it_commits(personas):
    with transaction.atomic():
        job = jobs.start_job(kind="import", owner=personas.alan_analyst, params={"rows": 20}, task=synthetic_import)
        assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert stored_rows(job) == 20
    assert job.enqueued_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_enqueues_nothing(personas, monkeypatch):
    enqueued = []
    monkeypatch.setattr(jobs, "enqueue_job", lambda job: enqueued.append(job.pk))
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.start_job(kind="import", owner=personas.alan_analyst, params={"rows": 5}, task=synthetic_import)
        raise RuntimeError("the request failed")
    assert enqueued == []
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_redelivered_job_stores_nothing_twice(personas):
    job = jobs.start_job(kind="import", owner=personas.alan_analyst, params={"rows": 30}, task=synthetic_import)
    assert stored_rows(job) == 30
    # The queue delivers the same job again (e.g. re-queued after a worker was thought dead).
    assert synthetic_import.call(job_id=str(job.pk)) == {"skipped": True}
    assert stored_rows(job) == 30


@pytest.mark.django_db
def test_a_cancelled_job_stores_nothing(personas):
    job = Job.objects.create(
        kind="import", owner=personas.alan_analyst, params={"rows": 50}, cancellable=True, cancel_requested=True
    )
    assert synthetic_import.call(job_id=str(job.pk)) == {"cancelled": True}
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED
    assert stored_rows(job) == 0


@pytest.mark.django_db
def test_a_task_left_running_by_a_dead_worker_is_put_back_in_the_queue():
    long_ago = timezone.now() - timedelta(minutes=10)
    WorkerHeartbeat.objects.create(worker_id="dead", seen_at=long_ago)
    WorkerHeartbeat.objects.create(worker_id="alive", seen_at=timezone.now())
    dead_task = DBTaskResult.objects.create(
        task_path=synthetic_import.module_path,
        args_kwargs={"args": [], "kwargs": {"job_id": "x"}},
        backend_name="default",
        run_after=timezone.now(),
        status="RUNNING",
        started_at=long_ago,
        worker_ids=["dead"],
    )
    busy_task = DBTaskResult.objects.create(
        task_path=synthetic_import.module_path,
        args_kwargs={"args": [], "kwargs": {"job_id": "y"}},
        backend_name="default",
        run_after=timezone.now(),
        status="RUNNING",
        started_at=long_ago,
        worker_ids=["alive"],
    )
    assert worker.reap_stale()["tasks"] == 1
    dead_task.refresh_from_db()
    busy_task.refresh_from_db()
    assert dead_task.status == "READY"
    assert busy_task.status == "RUNNING"


@pytest.mark.django_db(transaction=True)
def test_a_committed_job_whose_hand_off_was_lost_is_queued_by_the_reaper(personas):
    job = Job.objects.create(
        kind="import",
        owner=personas.alan_analyst,
        params={"rows": 10},
        task_path=synthetic_import.module_path,
        created_at=timezone.now() - timedelta(minutes=5),
    )
    assert worker.reap_stale()["jobs"] == 1
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert stored_rows(job) == 10


@pytest.mark.django_db
def test_a_job_stuck_running_without_any_queued_task_ends_as_failed_not_stuck(personas):
    job = Job.objects.create(
        kind="import",
        owner=personas.alan_analyst,
        state=Job.State.RUNNING,
        heartbeat_at=timezone.now() - timedelta(hours=2),
    )
    assert worker.reap_stale()["failed"] == 1
    job.refresh_from_db()
    assert job.state == Job.State.FAILED


@pytest.mark.django_db
def test_the_worker_heartbeat_is_written_and_removed_on_clean_stop():
    worker.beat("w1")
    assert [w.worker_id for w in worker.live_workers()] == ["w1"]
    worker.stop("w1")
    assert worker.live_workers() == []


@pytest.mark.django_db
def test_a_periodic_task_is_enqueued_once_per_period_however_many_schedulers_run(monkeypatch):
    runs = []

    class FakeTask:
        module_path = "tests.fake_periodic"

        def enqueue(self):
            runs.append(1)

        def get_backend(self):
            return object()

    monkeypatch.setattr(schedule, "_registry", {})
    schedule.register_periodic(FakeTask(), every=timedelta(minutes=5))
    now = timezone.now()
    assert schedule.enqueue_due(now) == ["tests.fake_periodic"]
    # A second worker's scheduler at the same moment, and the first one a minute later: not due.
    assert schedule.enqueue_due(now) == []
    assert schedule.enqueue_due(now + timedelta(minutes=1)) == []
    assert schedule.enqueue_due(now + timedelta(minutes=6)) == ["tests.fake_periodic"]
    assert len(runs) == 2
    assert PeriodicSchedule.objects.get().next_run_at == now + timedelta(minutes=11)


def test_periodic_registration_refuses_a_period_under_a_second():
    class FakeTask:
        module_path = "tests.too_fast"

    with pytest.raises(ValueError):
        schedule.register_periodic(FakeTask(), every=timedelta(milliseconds=10))


def test_outbox_delivery_and_retention_are_registered_as_periodic_work():
    names = {periodic.name for periodic in schedule.registered()}
    assert {"operations.tasks.deliver_outbox", "operations.tasks.prune_finished_tasks"} <= names


def test_the_cli_progress_bar_counts_rows(capsys):
    import io

    stream = io.StringIO()
    assert list(iterate_with_progress(range(5), total=5, desc="Importing", stream=stream, force=True)) == list(range(5))
    assert "5/5" in stream.getvalue()
    with cli_progress(total=3, stream=io.StringIO()) as bar:
        assert bar.disable  # not a terminal: no bar unless forced


# --- The job page ------------------------------------------------------------------------------


@pytest.fixture
def running_job(personas):
    return Job.objects.create(
        kind="import",
        owner=personas.alan_analyst,
        state=Job.State.RUNNING,
        done=40,
        total=160,
        error_count=3,
        cancellable=True,
    )


def test_the_owner_sees_a_progress_bar_rows_done_and_errors(signed_in, running_job):
    response = signed_in.get(reverse("operations:job-detail", args=[running_job.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<progress id="job-progress-bar" max="160" value="40">' in body
    assert "40 of 160 rows done (25%)" in body
    assert "3 errors so far" in body
    assert 'hx-trigger="every 2s"' in body
    assert "Refresh progress" in body  # works without JavaScript


def test_the_progress_fragment_stops_polling_once_the_job_finished(signed_in, running_job):
    Job.objects.filter(pk=running_job.pk).update(state=Job.State.SUCCEEDED, done=160, finished_at=timezone.now())
    response = signed_in.get(reverse("operations:job-progress", args=[running_job.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "160 of 160 rows done (100%)" in body
    assert "hx-trigger" not in body
    assert "Cancel this job" not in body


def test_another_user_gets_404_for_someone_elses_job(client, personas, running_job):
    from portal.testing import enrol_totp

    enrol_totp(personas.bea_analyst)
    client.force_login(personas.bea_analyst)
    for name in ("job-detail", "job-progress"):
        assert client.get(reverse(f"operations:{name}", args=[running_job.pk])).status_code == 404
    assert client.post(reverse("operations:job-cancel", args=[running_job.pk])).status_code == 404
    running_job.refresh_from_db()
    assert not running_job.cancel_requested


def test_the_owner_can_cancel_a_cancellable_job_by_post_only(signed_in, running_job):
    url = reverse("operations:job-cancel", args=[running_job.pk])
    assert signed_in.get(url).status_code == 405
    response = signed_in.post(url)
    assert response.status_code == 302
    running_job.refresh_from_db()
    assert running_job.cancel_requested
    assert jobs.report_progress(running_job, done=41) is False


def test_a_job_that_is_not_cancellable_shows_no_cancel_button_and_refuses(signed_in, running_job):
    Job.objects.filter(pk=running_job.pk).update(cancellable=False)
    body = signed_in.get(reverse("operations:job-detail", args=[running_job.pk])).content.decode()
    assert "Cancel this job" not in body
    assert signed_in.post(reverse("operations:job-cancel", args=[running_job.pk])).status_code == 403


def test_a_queued_job_cancelled_before_it_starts_never_runs(signed_in, running_job):
    Job.objects.filter(pk=running_job.pk).update(state=Job.State.QUEUED)
    signed_in.post(reverse("operations:job-cancel", args=[running_job.pk]))
    running_job.refresh_from_db()
    assert running_job.state == Job.State.CANCELLED
    assert jobs.claim(str(running_job.pk)) is None
