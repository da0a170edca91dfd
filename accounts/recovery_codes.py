"""Recovery codes stored hashed and accepted once, in place of allauth's seed-derived codes.

allauth (65.x) stores an encrypted seed from which it derives the codes again whenever it needs them.
`HashedRecoveryCodes` keeps only a keyed hash of each code (HMAC-SHA256 with the field hash key) in
`Authenticator.data` = {"hashes": [...], "used": [indexes], "hash_key": key id}. The plaintext codes
exist in memory when they are generated and, encrypted, in the session of the person who generated them
until the page that shows them once is opened; then they are dropped. allauth's views and flows use the
class through `Authenticator.wrap()` and `flows.RecoveryCodes`; `install()` swaps it in at startup.

The hashes cannot be recomputed under a new FIELD_HASH_KEY, so a code is checked under every configured hash
key, and "hash_key" says which key a set needs (`rotate_keys --hash-key` reports sets under a previous key).
"""

import hmac
import secrets
import time

from allauth.core import context
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal import auth as rc_auth
from allauth.mfa.recovery_codes.internal import flows as rc_flows
from django.db import transaction

from operations.crypto import decrypt_value, encrypt_value, hash_keys, keyed_hash, keyed_hashes_by_key

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 12  # 60 bits each
GROUP = 4
SESSION_KEY = "portal_new_recovery_codes"
HIDDEN = "****"


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalize(code: str) -> str:
    """What the person typed, without spaces or hyphens, in capitals."""
    return "".join(ch for ch in str(code) if ch not in " -\t\r\n").upper()


def _message(code: str) -> str:
    return "mfa-recovery-code:" + normalize(code)


def code_hash(code: str) -> str:
    """The hash stored for a new code: under the current FIELD_HASH_KEY."""
    return keyed_hash(_message(code))


def hashed_data(codes: list[str], *, viewed_at: float | None = None) -> dict:
    data: dict = {"hashes": [code_hash(code) for code in codes], "used": [], "hash_key": hash_keys()[0][0]}
    if viewed_at:
        data["viewed_at"] = viewed_at
    return data


def unused_sets_by_hash_key() -> dict[str | None, list[str]]:
    """Usernames of the users with unused hashed codes, by the id of the key that hashed them (None: not recorded).

    Sets still in allauth's seed format are left out: they are hashed under the current key when converted.
    """
    found: dict[str | None, list[str]] = {}
    sets = Authenticator.objects.filter(type=Authenticator.Type.RECOVERY_CODES).order_by("user__username")
    for data, username in sets.values_list("data", "user__username").iterator():
        if "hashes" in data and len(data["hashes"]) > len(data["used"]):
            found.setdefault(data.get("hash_key"), []).append(username)
    return found


def legacy_unused_codes(data: dict, decrypt) -> list[str]:
    """The unused codes of an authenticator written by allauth's own class (encrypted seed + used mask)."""
    if data.get("migrated_codes") is not None:
        return [decrypt(code) for code in data["migrated_codes"]]
    used_mask = data.get("used_mask", 0)
    return [code for i, code in enumerate(_derive(decrypt(data["seed"]))) if not used_mask & (1 << i)]


def _derive(seed: str) -> list[str]:
    """allauth's derivation (HMAC-SHA1 over the seed), kept only to convert old authenticators."""
    from hashlib import sha1

    h = hmac.new(key=seed.encode("ascii"), msg=None, digestmod=sha1)
    byte_count = min(app_settings.RECOVERY_CODE_DIGITS // 2, h.digest_size)
    codes = []
    for i in range(app_settings.RECOVERY_CODE_COUNT):
        h.update(f"{i:3},".encode())
        value = int.from_bytes(h.digest()[:byte_count], byteorder="big", signed=False)
        codes.append(str(value % 10**app_settings.RECOVERY_CODE_DIGITS).zfill(app_settings.RECOVERY_CODE_DIGITS))
    return codes


def _decrypt(value: str) -> str:
    return decrypt_value(value) if value.startswith("enc1:") else value


def convert_legacy(data: dict) -> dict:
    """Hashes of the unused codes of a seed-based authenticator; already hashed data is returned as is."""
    if "hashes" in data:
        return data
    return hashed_data(legacy_unused_codes(data, _decrypt), viewed_at=data.get("viewed_at"))


class HashedRecoveryCodes:
    def __init__(self, instance: Authenticator) -> None:
        self.instance = instance
        self.new_codes: list[str] | None = None  # plaintext, only on the object that generated them
        self._shown: list[str] | None = None

    @classmethod
    def activate(cls, user) -> "HashedRecoveryCodes":
        instance = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES).first()
        if instance:
            return cls(instance)
        codes = [new_code() for _ in range(app_settings.RECOVERY_CODE_COUNT)]
        instance = Authenticator.objects.create(
            user=user, type=Authenticator.Type.RECOVERY_CODES, data=hashed_data(codes)
        )
        request = context.request
        if request is not None and hasattr(request, "session"):
            request.session[SESSION_KEY] = {"authenticator": instance.pk, "codes": encrypt_value(codes)}
        wrapper = cls(instance)
        wrapper.new_codes = codes
        return wrapper

    def _data(self) -> dict:
        return convert_legacy(self.instance.data)

    def remaining(self) -> int:
        data = self._data()
        return len(data["hashes"]) - len(data["used"])

    def get_unused_codes(self) -> list[str]:
        """The plaintext codes once, on the request that shows them; otherwise placeholders (for counting)."""
        if self._shown is not None:
            return list(self._shown)
        return [HIDDEN] * self.remaining()

    def generate_codes(self) -> list[str]:
        return [HIDDEN] * len(self._data()["hashes"])

    @transaction.atomic
    def validate_code(self, code: str) -> bool:
        if self.instance.pk is None:
            return False
        row = Authenticator.objects.select_for_update().get(pk=self.instance.pk)
        data = convert_legacy(row.data)
        # Under every configured hash key: codes made before a FIELD_HASH_KEY rotation keep working.
        candidates = keyed_hashes_by_key(_message(code))
        match, match_key = None, None
        for i, stored in enumerate(data["hashes"]):  # every hash compared, in constant time each
            for key, candidate in candidates:
                if hmac.compare_digest(stored, candidate) and i not in data["used"] and match is None:
                    match, match_key = i, key
        if match is None or not normalize(code):
            return False
        data["used"] = [*data["used"], match]
        data["hash_key"] = match_key  # one key hashed the whole set; sets from before key ids learn theirs
        row.data = data
        row.save(update_fields=["data"])
        self.instance.data = data
        return True

    def mark_as_viewed(self) -> None:
        """Called by allauth when the codes page or download is opened: take the codes out of the session."""
        request = context.request
        pending = (
            request.session.pop(SESSION_KEY, None) if request is not None and hasattr(request, "session") else None
        )
        if pending and pending.get("authenticator") == self.instance.pk and not self.did_view:
            self._shown = decrypt_value(pending["codes"])
        if self.did_view:
            return
        self.instance.data = {**self._data(), "viewed_at": time.time()}
        self.instance.save(update_fields=["data"])

    @property
    def did_view(self) -> bool:
        return bool(self.instance.data.get("viewed_at"))


def install() -> None:
    rc_auth.RecoveryCodes = HashedRecoveryCodes
    rc_flows.RecoveryCodes = HashedRecoveryCodes
