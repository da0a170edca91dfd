"""Start background jobs after the asking transaction commits, and report their progress."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from operations.models import Job


def start_job(
    *, kind: str, owner=None, params: dict | None = None, task, cancellable: bool = False, total: int | None = None
) -> Job:
    """Create a Job row and enqueue `task(job_id=...)` once the surrounding transaction commits.

    A rolled-back transaction enqueues nothing. The task must take only the job id, call `claim(job_id)`
    first (which returns None for a finished job, so a redelivered task does nothing twice) and store its
    effects in one transaction together with `finish(...)`.
    """
    job = Job.objects.create(
        kind=kind,
        owner=owner,
        params=params or {},
        cancellable=cancellable,
        total=total,
        task_path=task.module_path,
    )
    transaction.on_commit(lambda: enqueue_job(job))
    return job


def enqueue_job(job: Job) -> None:
    """Hand the job to the queue (also used by the reaper for a job whose hand-off was lost)."""
    task = import_string(job.task_path)
    Job.objects.filter(pk=job.pk).update(enqueued_at=timezone.now())
    task.enqueue(job_id=str(job.pk))


def claim(job_id: str) -> Job | None:
    """Mark a job running (again, after a crash); returns None if it is already finished."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        job.state = Job.State.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["state", "attempts", "started_at", "heartbeat_at"])
        return job


def report_progress(
    job: Job, *, done: int, total: int | None = None, errors: int | None = None, message: str | None = None
) -> bool:
    """Store progress; returns False when the user asked to cancel."""
    fields = {"done": done, "heartbeat_at": timezone.now()}
    if total is not None:
        fields["total"] = total
    if errors is not None:
        fields["error_count"] = errors
    if message is not None:
        fields["message"] = message
    Job.objects.filter(pk=job.pk).update(**fields)
    return not Job.objects.filter(pk=job.pk, cancel_requested=True).exists()


def finish(job: Job, *, state: str = Job.State.SUCCEEDED, result: dict | None = None, message: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        state=state, result=result or {}, message=message or F("message"), finished_at=timezone.now()
    )


def cancel(job: Job, *, user) -> bool:
    """Ask a cancellable job to stop (the job checks report_progress's answer); False if not possible."""
    if not job.cancellable or job.is_finished or job.owner_id != user.pk:
        return False
    updated = Job.objects.filter(pk=job.pk, state__in=[Job.State.QUEUED, Job.State.RUNNING]).update(
        cancel_requested=True
    )
    # A job still waiting in the queue is cancelled at once; a running one stops at its next progress report.
    Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
        state=Job.State.CANCELLED, finished_at=timezone.now(), message="Cancelled before it started."
    )
    return bool(updated)
