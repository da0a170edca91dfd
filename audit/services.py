"""Writing to the audit chain. Every service calls `record` inside its own transaction."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.chain import GENESIS_HASH, entry_hash, sign_checkpoint
from audit.context import SYSTEM, Actor, actor_for_user, current_actor, current_request_id
from audit.models import AuditEntry, ChainHead, Checkpoint

CHECKPOINT_INTERVAL = timedelta(minutes=5)
_SECRET_WORDS = ("password", "token", "secret", "otp", "code", "key", "probe", "recovery")


def _scrub(data: dict[str, Any]) -> dict[str, Any]:
    """Defence in depth: no value under a secret-looking key is ever written."""
    clean: dict[str, Any] = {}
    for key, value in data.items():
        lowered = str(key).lower()
        if any(word in lowered for word in _SECRET_WORDS) and lowered not in {"country_code", "iso_code"}:
            clean[key] = "[redacted]"
        elif isinstance(value, dict):
            clean[key] = _scrub(value)
        else:
            clean[key] = value
    return clean


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def record(
    verb: str,
    *,
    actor: Actor | object | None = None,
    target: Any = None,
    target_type: str = "",
    target_id: str = "",
    target_participant_id: int | None = None,
    changes: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain; commits with the surrounding transaction or not at all."""
    if actor is None:
        actor = current_actor() or SYSTEM
    elif not isinstance(actor, Actor):
        actor = actor_for_user(actor)
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        if target_participant_id is None:
            target_participant_id = getattr(target, "originator_participant_id", None) or getattr(
                target, "participant_id", None
            )
    with transaction.atomic():
        head = _locked_head()
        entry = AuditEntry(
            sequence=head.sequence + 1,
            occurred_at=timezone.now(),
            actor_kind=actor.kind,
            actor_id=actor.user_id,
            actor_label=actor.label[:200],
            participant_id=actor.participant_id,
            verb=verb,
            target_type=target_type,
            target_id=str(target_id),
            target_participant_id=target_participant_id,
            request_id=current_request_id(),
            changes=_scrub(changes or {}),
            extra=_scrub(extra or {}),
            prev_hash=head.hash or GENESIS_HASH,
        )
        entry.hash = entry_hash(entry.prev_hash, entry)
        entry.save(force_insert=True)
        head.sequence = entry.sequence
        head.hash = entry.hash
        head.entries_since_checkpoint += 1
        due = head.entries_since_checkpoint >= settings.AUDIT_CHECKPOINT_EVERY or (
            head.last_checkpoint_at is not None and timezone.now() - head.last_checkpoint_at > CHECKPOINT_INTERVAL
        )
        if due:
            _write_checkpoint(head)
        head.save()
    return entry


def _write_checkpoint(head: ChainHead) -> Checkpoint:
    checkpoint = Checkpoint.objects.create(
        sequence=head.sequence, hash=head.hash, signature=sign_checkpoint(head.sequence, head.hash)
    )
    head.entries_since_checkpoint = 0
    head.last_checkpoint_at = checkpoint.created_at
    line = f"{checkpoint.created_at.isoformat()} {checkpoint.sequence} {checkpoint.hash} {checkpoint.signature}\n"
    # The file is written after commit so that it never names a chain position that was rolled back.
    transaction.on_commit(lambda: _append_checkpoint_line(line))
    return checkpoint


def _append_checkpoint_line(line: str) -> None:
    path = settings.AUDIT_CHECKPOINT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()


def checkpoint_now() -> Checkpoint | None:
    """Sign the current head (end of every management command, and on schedule)."""
    with transaction.atomic():
        head = _locked_head()
        if head.sequence == 0:
            return None
        checkpoint = _write_checkpoint(head)
        head.save()
    return checkpoint


def diff(before: dict[str, Any], after: dict[str, Any], masked: tuple[str, ...] = ()) -> dict[str, Any]:
    """Before/after of ordinary fields; masked (personal, restricted) fields only say that they changed."""
    changes: dict[str, Any] = {}
    for field in sorted(set(before) | set(after)):
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        changes[field] = {"changed": True} if field in masked else {"before": old, "after": new}
    return changes
