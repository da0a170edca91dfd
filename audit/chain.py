"""Hashing and signing of the audit chain (DESIGN.md section 4).

hash = sha256(prev_hash + canonical JSON of the entry): sorted keys, no whitespace, UTC ISO times.
A checkpoint signs (sequence, hash) with AUDIT_SIGNING_KEY, which is kept outside the database.
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_kind",
    "actor_id",
    "actor_label",
    "participant_id",
    "verb",
    "target_type",
    "target_id",
    "target_participant_id",
    "request_id",
    "changes",
    "extra",
)


class _AuditJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, set | frozenset):
            return sorted(o, key=str)
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def json_safe(data):
    """The value exactly as the JSON column will give it back, so the hash survives a round trip."""
    return json.loads(json.dumps(data, cls=_AuditJSONEncoder))


def _utc_iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(entry) -> str:
    payload = {}
    for field in HASHED_FIELDS:
        value = getattr(entry, field)
        payload[field] = _utc_iso(value) if isinstance(value, datetime) else value
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(prev_hash: str, entry) -> str:
    return hashlib.sha256((prev_hash + canonical_json(entry)).encode()).hexdigest()


def sign_checkpoint(sequence: int, chain_hash: str, key: str | None = None) -> str:
    secret = (key or settings.AUDIT_SIGNING_KEY).encode()
    return hmac.new(secret, f"{sequence}:{chain_hash}".encode(), hashlib.sha256).hexdigest()


def checkpoint_signature_valid(sequence: int, chain_hash: str, signature: str) -> bool:
    return hmac.compare_digest(sign_checkpoint(sequence, chain_hash), signature)
