"""Throttling of every way to prove who you are, keyed on the client IP and the normalised username.

Each attempt is counted under a few keys (see `keys_for`). A key that passes its free allowance is locked
for an exponentially growing time, capped at `MAX_LOCK_SECONDS`, so nobody can lock a victim out for
longer than the cool-off. Password keys never lock a username on its own: an attacker elsewhere only
locks (their IP, that username) and their own IP. Second-factor keys also lock the user account, since
reaching that stage already needs the password.

Counters live in the database (SignInThrottle) so every app server and process shares them.
"""

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import SignInThrottle, normalize_username

BASE_LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 15 * 60
# A counter whose last lock ended and that saw no failure for this long starts again from zero.
FORGET_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class Key:
    scope: str
    free: int  # the failure that starts the first lock (5: four are free, the fifth locks for 30 s)

    def digest(self, *parts: str) -> str:
        raw = "\x1f".join((self.scope, *parts))
        return hashlib.sha256(raw.encode()).hexdigest()


IP_AND_USERNAME = Key("ip+username", free=5)
IP_ONLY = Key("ip", free=50)
MFA_IP_AND_USER = Key("mfa:ip+user", free=5)
MFA_USER = Key("mfa:user", free=10)
REAUTH_USER = Key("reauth:user", free=5)
RESET_IP_AND_USERNAME = Key("reset:ip+username", free=3)
RESET_IP = Key("reset:ip", free=20)
TOKEN_IP = Key("token:ip", free=20)


def client_ip(request) -> str:
    """REMOTE_ADDR, or with TRUSTED_PROXY_COUNT=N>0 the N-th X-Forwarded-For hop from the right.

    Hops further left were written by the client and are never believed.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def keys_for(method: str, *, ip: str, username: str = "", user_id: int | None = None) -> list[str]:
    """The counter keys one attempt is charged to (digests: no IP or username is stored)."""
    name = normalize_username(username)
    uid = str(user_id or "")
    if method == "password":
        return [IP_AND_USERNAME.digest(ip, name), IP_ONLY.digest(ip)]
    if method == "mfa":
        return [MFA_IP_AND_USER.digest(ip, uid), MFA_USER.digest(uid)]
    if method == "reauthenticate":
        return [REAUTH_USER.digest(uid), IP_ONLY.digest(ip)]
    if method == "reset":
        return [RESET_IP_AND_USERNAME.digest(ip, name), RESET_IP.digest(ip)]
    if method == "token":
        return [TOKEN_IP.digest(ip)]
    raise ValueError(method)


_FREE = {
    "password": (IP_AND_USERNAME.free, IP_ONLY.free),
    "mfa": (MFA_IP_AND_USER.free, MFA_USER.free),
    "reauthenticate": (REAUTH_USER.free, IP_ONLY.free),
    "reset": (RESET_IP_AND_USERNAME.free, RESET_IP.free),
    "token": (TOKEN_IP.free,),
}


def lock_seconds(failures: int, free: int) -> int:
    """0 before the threshold, then 30 s, 60 s, 120 s ... up to 15 minutes."""
    excess = failures - free
    if excess < 0:
        return 0
    return min(MAX_LOCK_SECONDS, BASE_LOCK_SECONDS * 2 ** min(excess, 16))


def seconds_locked(keys: list[str]) -> int:
    """How long the attempt must wait (0: go ahead)."""
    now = timezone.now()
    until = (
        SignInThrottle.objects.filter(key__in=keys, locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    return int((until - now).total_seconds()) + 1 if until else 0


def record_failure(method: str, keys: list[str]) -> int:
    """Count one failure under each key; returns the longest lock it started (seconds, 0 for none)."""
    now = timezone.now()
    longest = 0
    with transaction.atomic():
        for key, free in zip(keys, _FREE[method], strict=True):
            entry, _created = SignInThrottle.objects.select_for_update().get_or_create(key=key)
            idle = entry.locked_until is None or entry.locked_until < now - FORGET_AFTER
            if idle and entry.first_failure_at < now - FORGET_AFTER:
                entry.failures = 0
                entry.first_failure_at = now
            entry.failures += 1
            seconds = lock_seconds(entry.failures, free)
            if seconds:
                entry.locked_until = now + timedelta(seconds=seconds)
                longest = max(longest, seconds)
            entry.save()
    return longest


def record_success(keys: list[str]) -> None:
    """A success forgets the failures of the specific keys (not the per-IP one)."""
    SignInThrottle.objects.filter(key__in=keys).delete()


def wait_message(seconds: int) -> str:
    from django.utils.translation import ngettext

    minutes = max(1, (seconds + 59) // 60)
    return ngettext(
        "Too many failed attempts. Try again in %(n)d minute.",
        "Too many failed attempts. Try again in %(n)d minutes.",
        minutes,
    ) % {"n": minutes}
