"""Encryption at rest for personal fields: AES-256-GCM with rotatable keys kept apart from SECRET_KEY.

Stored form: `enc1:<key id>:<base64(nonce + ciphertext)>`; the plaintext is JSON, so False, 0 and ""
round-trip. A value that cannot be decrypted raises DecryptionError; the stored bytes are never returned.
Exact-match lookups use `keyed_hash` (HMAC-SHA256 with its own key, FIELD_HASH_KEY) in a companion column.
The hash key rotates too: the keys it replaced stay in FIELD_HASH_KEY_PREVIOUS, lookups try every key
(`keyed_hashes`), and `rotate_keys --hash-key` recomputes the columns under the current key.
"""

import base64
import hashlib
import hmac
import json
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc1"


class DecryptionError(Exception):
    """The stored value could not be decrypted with any configured key."""


def _decode_key(raw: str, name: str = "FIELD_ENCRYPTION_KEYS") -> bytes:
    try:
        key = base64.urlsafe_b64decode(raw.strip() + "=" * (-len(raw.strip()) % 4))
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} holds a key that is not base64.") from error
    if len(key) != 32:
        raise ImproperlyConfigured(f"Each {name} key must be 32 bytes (base64-encoded).")
    return key


def _development_keys() -> dict[str, str]:
    """Keys for a development machine, generated once into var/ (never used when the environment sets keys)."""
    return _development_keys_in(Path(settings.VAR_DIR) / "field-keys.json")


@lru_cache(maxsize=8)
def _development_keys_in(path: Path) -> dict[str, str]:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "FIELD_HASH_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        }
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process wrote them first
            return json.loads(path.read_text())
        with os.fdopen(fd, "w") as handle:
            json.dump(data, handle)
    return json.loads(path.read_text())


def _configured(name: str) -> str:
    value = getattr(settings, name, "") or os.environ.get(name, "")
    return value or _development_keys()[name]


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


@lru_cache(maxsize=4)
def _keys_for(spec: str) -> tuple[tuple[str, bytes], ...]:
    keys = tuple((key_id(k), k) for k in (_decode_key(part) for part in spec.split(",") if part.strip()))
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    return keys


def encryption_keys() -> tuple[tuple[str, bytes], ...]:
    """(id, key) pairs; the first encrypts, all decrypt (rotation)."""
    return _keys_for(_configured("FIELD_ENCRYPTION_KEYS"))


def encrypt_value(value: Any) -> str:
    current_id, key = encryption_keys()[0]
    nonce = secrets.token_bytes(12)
    plaintext = json.dumps(value, separators=(",", ":")).encode()
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, PREFIX.encode())
    return f"{PREFIX}:{current_id}:{base64.b64encode(nonce + ciphertext).decode()}"


def decrypt_value(stored: str) -> Any:
    try:
        prefix, stored_key_id, payload = stored.split(":", 2)
    except ValueError as error:
        raise DecryptionError("The stored value is not in the encrypted form.") from error
    if prefix != PREFIX:
        raise DecryptionError("The stored value is not in the encrypted form.")
    keys = dict(encryption_keys())
    key = keys.get(stored_key_id)
    if key is None:
        raise DecryptionError(f"No configured key has id {stored_key_id}.")
    try:
        raw = base64.b64decode(payload, validate=True)
        plaintext = AESGCM(key).decrypt(raw[:12], raw[12:], PREFIX.encode())
    except (ValueError, InvalidTag) as error:
        raise DecryptionError("The stored value failed authentication.") from error
    return json.loads(plaintext)


def is_current(stored: str) -> bool:
    return stored.startswith(f"{PREFIX}:{encryption_keys()[0][0]}:")


@lru_cache(maxsize=4)
def _hash_keys_for(current: str, previous: str) -> tuple[tuple[str, bytes], ...]:
    if "," in current:
        raise ImproperlyConfigured("FIELD_HASH_KEY holds one key; put the keys it replaced in FIELD_HASH_KEY_PREVIOUS.")
    keys = [_decode_key(current, "FIELD_HASH_KEY")]
    for part in previous.split(","):
        if not part.strip():
            continue
        key = _decode_key(part, "FIELD_HASH_KEY_PREVIOUS")
        if key == keys[0]:
            # Most likely the new key was never set: rotating now would change nothing.
            raise ImproperlyConfigured(
                "FIELD_HASH_KEY_PREVIOUS holds the current FIELD_HASH_KEY; list only the keys it replaced."
            )
        if key not in keys:
            keys.append(key)
    return tuple((key_id(key), key) for key in keys)


def hash_keys() -> tuple[tuple[str, bytes], ...]:
    """(id, key) pairs of the keyed hash: FIELD_HASH_KEY first, then FIELD_HASH_KEY_PREVIOUS (rotation)."""
    previous = getattr(settings, "FIELD_HASH_KEY_PREVIOUS", "") or os.environ.get("FIELD_HASH_KEY_PREVIOUS", "")
    return _hash_keys_for(_configured("FIELD_HASH_KEY"), previous)


def _hmac(key: bytes, value: str) -> str:
    return hmac.new(key, value.strip().casefold().encode(), hashlib.sha256).hexdigest()


def keyed_hash(value: str) -> str:
    """Deterministic HMAC for exact-match lookups (normalised: trimmed, case-folded), under the current key."""
    return _hmac(hash_keys()[0][1], value)


def keyed_hashes(value: str) -> list[str]:
    """The hash of `value` under every configured hash key, current first: look up with `__in` while rotating."""
    return [_hmac(key, value) for _, key in hash_keys()]


def keyed_hashes_by_key(value: str) -> list[tuple[str, str]]:
    """(key id, hash) under every configured hash key, current first (recovery codes record the key id)."""
    return [(kid, _hmac(key, value)) for kid, key in hash_keys()]


def lookup_hash(value: str | None) -> str:
    """What a companion hash column holds for `value`: its keyed hash, or "" when there is no value."""
    return keyed_hash(value) if value else ""


class EncryptedMixin:
    """Encrypts on the way in, decrypts on the way out; no database-side lookups but isnull."""

    encrypted = True

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return decrypt_value(value)

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(f"{PREFIX}:"):
            return decrypt_value(value)
        return super().to_python(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt_value(value)

    def get_db_prep_lookup(self, value, connection):  # pragma: no cover - guarded by get_lookup
        raise TypeError("Encrypted fields cannot be searched; use the keyed-hash column.")

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A CharField in forms (max_length validates the plaintext); stored as text."""

    def db_type(self, connection):
        return connection.data_types["TextField"]

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt_value(str(value))


class EncryptedEmailField(EncryptedMixin, models.EmailField):
    def db_type(self, connection):
        return connection.data_types["TextField"]

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt_value(str(value))


class EncryptedJSONField(EncryptedMixin, models.TextField):
    def to_python(self, value):
        if isinstance(value, str) and value.startswith(f"{PREFIX}:"):
            return decrypt_value(value)
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt_value(value)


def keyed_hash_columns() -> list[tuple[type[models.Model], str, str]]:
    """(model, hash field, source field) for every model declaring `keyed_hash_fields` (rotate_keys --hash-key)."""
    from django.apps import apps

    return [
        (model, hash_field, source)
        for model in apps.get_models()
        for hash_field, source in getattr(model, "keyed_hash_fields", {}).items()
    ]


def encrypted_fields() -> list[tuple[type[models.Model], models.Field]]:
    """Every encrypted field of every installed model (for rotate_keys and the dump check)."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if getattr(field, "encrypted", False)
    ]
