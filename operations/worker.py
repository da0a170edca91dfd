"""Worker liveness and recovery: heartbeats, and re-queuing the work of a worker that died mid-task.

django_tasks_db marks a task RUNNING when a worker claims it and never looks at it again: a worker killed
with SIGKILL (or a lost machine) leaves it RUNNING for ever. `reap_stale` puts such tasks back to READY
when the worker that claimed them has not written a heartbeat for `WORKER_STALE_SECONDS`; the task then runs
again, which is safe because every task is idempotent (jobs through `operations.jobs.claim`, the outbox
through its per-message row lock and state).
"""

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from operations.models import Job, WorkerHeartbeat

logger = logging.getLogger(__name__)


def stale_after() -> timedelta:
    seconds = getattr(settings, "WORKER_STALE_SECONDS", None) or os.environ.get("WORKER_STALE_SECONDS") or 60
    return timedelta(seconds=float(seconds))


def beat(worker_id: str) -> None:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"seen_at": now, "started_at": now, "hostname": socket.gethostname()[:200], "pid": os.getpid()},
        )


def stop(worker_id: str) -> None:
    """A worker that shuts down cleanly removes its heartbeat."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def live_workers(now=None) -> list[WorkerHeartbeat]:
    now = now or timezone.now()
    return list(WorkerHeartbeat.objects.filter(seen_at__gte=now - stale_after()))


def reap_stale(now=None) -> dict[str, int]:
    """Re-queue tasks claimed by dead workers and jobs whose hand-off to the queue was lost."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from operations.jobs import enqueue_job

    now = now or timezone.now()
    alive = {heartbeat.worker_id for heartbeat in live_workers(now)}
    requeued_tasks = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now - stale_after()):
        owner = result.worker_ids[-1] if result.worker_ids else None
        if owner in alive:
            continue
        with transaction.atomic():
            requeued_tasks += DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None
            )
        logger.warning("Re-queued task %s left running by dead worker %s", result.pk, owner)
    # Committed jobs whose enqueue (run on commit) never happened, e.g. the web process died in between.
    requeued_jobs = 0
    for job in Job.objects.filter(
        state=Job.State.QUEUED, enqueued_at__isnull=True, created_at__lt=now - stale_after()
    ).exclude(task_path=""):
        enqueue_job(job)
        requeued_jobs += 1
    # Stale RUNNING jobs whose task is no longer queued or running anywhere are marked failed, never stuck.
    failed_jobs = 0
    for job in Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=now - 10 * stale_after()):
        pending = DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING], args_kwargs__kwargs__job_id=str(job.pk)
        ).exists()
        if not pending:
            failed_jobs += Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
                state=Job.State.FAILED, finished_at=now, message="The worker stopped and the job was not resumed."
            )
    return {"tasks": requeued_tasks, "jobs": requeued_jobs, "failed": failed_jobs}
