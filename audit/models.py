"""The tamper-evident audit chain (DESIGN.md section 4). No code path updates or deletes entries."""

from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit rows are append-only.")

    def delete(self):
        raise AppendOnlyError("Audit rows are append-only.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit rows are append-only.")


class AuditEntry(models.Model):
    class ActorKind(models.TextChoices):
        USER = "user", "user"
        TOKEN = "token", "token"
        JOB = "job", "job"
        SYSTEM = "system", "system"
        ANONYMOUS = "anonymous", "anonymous"

    sequence = models.BigIntegerField(unique=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_kind = models.CharField(max_length=10, choices=ActorKind.choices)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=200, blank=True)
    participant_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    verb = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_participant_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    request_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.verb}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are never deleted.")


class ChainHead(models.Model):
    """One row locked by every writer so that appends are linear under concurrency."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    entries_since_checkpoint = models.IntegerField(default=0)
    last_checkpoint_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"head #{self.sequence}"


class Checkpoint(models.Model):
    """A signed (sequence, hash) pair, also appended to AUDIT_CHECKPOINT_FILE outside the database."""

    sequence = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    signature = models.CharField(max_length=128)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["sequence", "id"]

    def __str__(self) -> str:
        return f"checkpoint #{self.sequence}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Checkpoints are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Checkpoints are never deleted.")
