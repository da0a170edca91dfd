"""The operations app's own background tasks (registered as periodic work in apps.py)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task


@task()
def deliver_outbox() -> int:
    """Send pending e-mails (each message at most once; see operations.outbox)."""
    from operations.outbox import deliver_pending

    total = 0
    while True:
        sent = deliver_pending(limit=100)
        total += sent
        if sent < 100:
            return total


@task()
def prune_finished_tasks() -> int:
    """Retention: finished task results older than 14 days, and heartbeats of workers gone for a day."""
    from django_tasks_db.models import DBTaskResult

    from operations.models import WorkerHeartbeat

    now = timezone.now()
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=now - timedelta(days=14)).delete()
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return deleted
