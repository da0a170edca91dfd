"""Periodic work (outbox delivery, reminders, retention, expiry) run by the `run_worker` scheduler.

Apps register in their AppConfig.ready():

    from datetime import timedelta
    from operations.schedule import register_periodic
    from myapp.tasks import send_reminders

    register_periodic(send_reminders, every=timedelta(hours=1))

The task must take no arguments and be safe to run twice. Every worker process runs the scheduler; a
conditional UPDATE on PeriodicSchedule lets exactly one of them enqueue each due run, and a run is not
enqueued again while the previous one is still waiting in the queue or running.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class Periodic:
    task: object
    every: timedelta

    @property
    def name(self) -> str:
        return self.task.module_path


_registry: dict[str, Periodic] = {}


def register_periodic(task, *, every: timedelta) -> None:
    """Run `task` (a django-tasks task without arguments) about every `every`."""
    if every < timedelta(seconds=1):
        raise ValueError("A periodic task must run at most once a second.")
    _registry[task.module_path] = Periodic(task=task, every=every)


def registered() -> list[Periodic]:
    return sorted(_registry.values(), key=lambda periodic: periodic.name)


def _still_queued(task_path: str) -> bool:
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=task_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).exists()


def enqueue_due(now=None) -> list[str]:
    """Enqueue every registered task that is due; returns the names enqueued (by this process)."""
    from operations.models import PeriodicSchedule

    now = now or timezone.now()
    enqueued = []
    for periodic in registered():
        # get_or_create copes with another worker creating the row at the same moment.
        PeriodicSchedule.objects.get_or_create(name=periodic.name, defaults={"next_run_at": now})
        with transaction.atomic():
            won = PeriodicSchedule.objects.filter(name=periodic.name, next_run_at__lte=now).update(
                next_run_at=now + periodic.every, last_enqueued_at=now
            )
        if not won:
            continue
        if _uses_database_backend(periodic.task) and _still_queued(periodic.name):
            continue
        periodic.task.enqueue()
        enqueued.append(periodic.name)
    return enqueued


def _uses_database_backend(task) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)
