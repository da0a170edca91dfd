"""Writing to the audit chain. Every service calls `record` inside its own transaction.

`record` appends one entry; `record_read` / `record_list_read` log reads of restricted objects and lists;
`checkpoint_now` signs the head. Nothing secret is ever written: values under secret-looking keys and
values that look like credentials are replaced by "[redacted]" before hashing.
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.chain import GENESIS_HASH, entry_hash, json_safe, sign_checkpoint
from audit.context import SYSTEM, Actor, actor_for_user, current_actor, current_request_id, first_read_in_request
from audit.models import AuditEntry, ChainHead, Checkpoint

CHECKPOINT_INTERVAL = timedelta(minutes=5)
REDACTED = "[redacted]"
QUERY_MAX_CHARS = 500

# A key is secret when one of its words is one of these (words split on "_", "-", ".", spaces, camelCase)...
_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "passphrase",
        "pwd",
        "pin",
        "token",
        "tokens",
        "secret",
        "secrets",
        "otp",
        "totp",
        "hotp",
        "recovery",
        "probe",
        "probes",
        "signature",
        "credential",
        "credentials",
        "cookie",
        "sessionid",
        "apikey",
        "authorization",
        "seed",
        "code",
        "codes",
        "key",
        "keys",
    }
)
# ...or when it contains one of these anywhere ("password1", "csrfmiddlewaretoken", "x-api-key")...
_SECRET_FRAGMENTS = ("password", "token", "secret", "passphrase", "apikey", "api_key", "otp_", "recovery")
# ...unless it is one of these well-known harmless names.
_HARMLESS_KEYS = frozenset(
    {
        "iso_code",
        "country_code",
        "language_code",
        "currency_code",
        "postal_code",
        "post_code",
        "handling_code",
        "status_code",
        "principal_key",
        "principal_keys",
        "dedup_key",
        "idempotency_key",
        "sort_key",
    }
)
# Values that look like credentials whatever key they sit under: our API tokens, password hashes, JWTs.
_SECRET_VALUE = re.compile(
    r"(bpp_[A-Za-z0-9_\-]{8,}|\$argon2(id|i|d)\$\S+|pbkdf2_sha256\$\S+|eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.\S*)"
)
_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")


def is_secret_key(key: object) -> bool:
    text = str(key)
    lowered = text.lower()
    if lowered in _HARMLESS_KEYS:
        return False
    words = {word.lower() for word in _WORD_SPLIT.split(text) if word}
    return bool(words & _SECRET_WORDS) or any(fragment in lowered for fragment in _SECRET_FRAGMENTS)


def scrub(value: Any) -> Any:
    """Defence in depth: no value under a secret-looking key, and no credential-looking value, is written."""
    if isinstance(value, dict):
        return {key: REDACTED if is_secret_key(key) else scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [scrub(item) for item in value]
    if isinstance(value, str) and _SECRET_VALUE.search(value):
        return _SECRET_VALUE.sub(REDACTED, value)
    return value


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def _resolve_actor(actor) -> Actor:
    if actor is None:
        return current_actor() or SYSTEM
    if isinstance(actor, Actor):
        return actor
    return actor_for_user(actor)


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
    """Append one entry to the chain; commits with the surrounding transaction or not at all.

    `actor` is an Actor, a user, or None for the current actor (the request's user, a job, or system).
    `changes` comes from `diff()`; `extra` holds purpose/outcome and other context. Never pass secrets.
    """
    actor = _resolve_actor(actor)
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        if target_participant_id is None:
            target_participant_id = getattr(target, "originator_participant_id", None) or getattr(
                target, "participant_id", None
            )
    clean_changes = json_safe(scrub(changes or {}))
    clean_extra = json_safe(scrub(extra or {}))
    with transaction.atomic():
        head = _locked_head()
        entry = AuditEntry(
            sequence=head.sequence + 1,
            occurred_at=timezone.now(),
            actor_kind=actor.kind,
            actor_id=actor.user_id,
            actor_label=(actor.label or "")[:200],
            participant_id=actor.participant_id,
            verb=verb[:100],
            target_type=target_type[:100],
            target_id=str(target_id)[:64],
            target_participant_id=target_participant_id,
            request_id=current_request_id()[:64],
            changes=clean_changes,
            extra=clean_extra,
            prev_hash=head.hash or GENESIS_HASH,
        )
        entry.hash = entry_hash(entry.prev_hash, entry)
        entry.save(force_insert=True)
        head.sequence = entry.sequence
        head.hash = entry.hash
        head.entries_since_checkpoint += 1
        due = (
            head.entries_since_checkpoint >= settings.AUDIT_CHECKPOINT_EVERY
            or head.last_checkpoint_at is None
            or entry.occurred_at - head.last_checkpoint_at >= CHECKPOINT_INTERVAL
        )
        if due:
            _write_checkpoint(head)
        head.save()
    return entry


def is_restricted(obj: Any, *, personal: bool | None = None) -> bool:
    """Reads of this object are logged: TLP:AMBER or above, personal data, or no marking to tell."""
    from sharing.models import TLP_AMBER_OR_ABOVE

    if personal is not None:
        return personal or getattr(obj, "tlp", None) in TLP_AMBER_OR_ABOVE
    if getattr(obj, "holds_personal_data", False):
        return True
    if hasattr(obj, "tlp"):
        return obj.tlp in TLP_AMBER_OR_ABOVE
    return True


def record_read(
    user,
    obj: Any,
    *,
    verb: str = "viewed",
    personal: bool | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEntry | None:
    """Log that `user` opened (verb "viewed"), downloaded or exported a restricted object.

    One entry per object, verb and request; objects that are not restricted (see `is_restricted`) are
    not logged and None is returned.
    """
    if not is_restricted(obj, personal=personal):
        return None
    label = obj._meta.label_lower
    if not first_read_in_request((verb, label, str(obj.pk))):
        return None
    return record(f"{label}.{verb}", actor=_reader(user), target=obj, extra=extra)


def record_list_read(user, model: Any, count: int, query: Any = None, *, verb: str = "listed") -> AuditEntry | None:
    """Log one entry for a list or search of restricted objects, with how many were shown and the query."""
    label = model._meta.label_lower
    if hasattr(query, "lists"):  # a QueryDict: keep repeated parameters
        query_value: Any = {key: values if len(values) > 1 else values[0] for key, values in query.lists()}
    elif isinstance(query, dict):
        query_value = {str(key): value for key, value in query.items()}
    else:
        query_value = "" if query is None else str(query)[:QUERY_MAX_CHARS]
    if isinstance(query_value, dict):
        query_value = {key: str(value)[:QUERY_MAX_CHARS] for key, value in scrub(query_value).items()}
    if not first_read_in_request((verb, label, repr(query_value))):
        return None
    return record(
        f"{label}.{verb}", actor=_reader(user), target_type=label, extra={"count": int(count), "query": query_value}
    )


def _reader(user) -> Actor:
    """The reader: the current actor when it is this user (keeps 'token' kind), else the user."""
    current = current_actor()
    if current is not None and user is not None and current.user_id == getattr(user, "pk", None):
        return current
    return _resolve_actor(user)


def _write_checkpoint(head: ChainHead) -> Checkpoint:
    checkpoint = Checkpoint.objects.create(
        sequence=head.sequence, hash=head.hash, signature=sign_checkpoint(head.sequence, head.hash)
    )
    head.entries_since_checkpoint = 0
    head.last_checkpoint_at = checkpoint.created_at
    line = f"{checkpoint.created_at.isoformat()} {checkpoint.sequence} {checkpoint.hash} {checkpoint.signature}\n"
    # The file is written after commit so that it never names a chain position that was rolled back.
    transaction.on_commit(lambda: append_checkpoint_line(line))
    return checkpoint


def checkpoint_file() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def append_checkpoint_line(line: str) -> None:
    """Append one line in a single write (O_APPEND), so concurrent writers never interleave."""
    path = checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def checkpoint_now() -> Checkpoint | None:
    """Sign the current head (on schedule, and by `manage.py audit_checkpoint`); None for an empty chain."""
    with transaction.atomic():
        head = _locked_head()
        if head.sequence == 0:
            return None
        checkpoint = _write_checkpoint(head)
        head.save()
    return checkpoint


def checkpoint_if_moved() -> Checkpoint | None:
    """Sign the head if entries were written since the last checkpoint (end of every management command)."""
    if not ChainHead.objects.filter(pk=1, entries_since_checkpoint__gt=0).exists():
        return None
    with transaction.atomic():
        head = _locked_head()
        if head.entries_since_checkpoint == 0 or head.sequence == 0:
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
