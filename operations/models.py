"""Background jobs with progress, and the e-mail outbox."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A long piece of work run by the worker; its progress is shown to the user who started it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=80)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    params = models.JSONField(default=dict, blank=True)
    done = models.BigIntegerField(default=0)
    total = models.BigIntegerField(null=True, blank=True)
    error_count = models.IntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    cancellable = models.BooleanField(default=False)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.IntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # The task that runs the job (dotted path), so a job whose hand-off to the queue was lost can be re-queued.
    task_path = models.CharField(max_length=200, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED, self.State.CANCELLED)


class OutboxMessage(models.Model):
    """An e-mail to send. Written in the transaction that caused it; a dedup key stops double queuing."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        DROPPED = "dropped", _("Dropped (no longer allowed)")

    dedup_key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.IntegerField(default=0)
    last_error = models.TextField(blank=True)
    # What the message is about, so the sharing rules can be asked again at send time.
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient_id}"


class WorkerHeartbeat(models.Model):
    """Written every few seconds by each `run_worker` process; /health/ and the reaper read it."""

    worker_id = models.CharField(max_length=100, unique=True)
    seen_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(default=timezone.now)
    hostname = models.CharField(max_length=200, blank=True)
    pid = models.IntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return self.worker_id


class PeriodicSchedule(models.Model):
    """When each registered periodic task is next due; a conditional UPDATE makes one worker enqueue it."""

    name = models.CharField(max_length=200, primary_key=True)
    next_run_at = models.DateTimeField(default=timezone.now)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
