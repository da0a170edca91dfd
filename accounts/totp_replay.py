"""TOTP replay protection that holds across processes and servers.

allauth (65.x) marks a used code in the Django cache (`cache.add`), which is per process with the
default local-memory cache: a second app server, or a second worker process, would accept the same code
again. We keep the last accepted time step in the authenticator row instead, under a row lock, and
refuse any code from that step or an earlier one: a code works once, and so does every code before it.
"""

from allauth.core.internal.cryptokit import compare_user_code
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.utils import decrypt
from django.db import transaction

LAST_STEP_KEY = "last_used_step"


def matching_step(secret: str, code: str) -> int | None:
    """The time step (within the tolerance window) whose code equals `code`, or None."""
    for counter in totp_auth.yield_hotp_counters_from_time():
        if compare_user_code(actual=code, expected=totp_auth.format_hotp_value(totp_auth.hotp_value(secret, counter))):
            return counter
    return None


def _mark_code_used_once(self, code: str) -> bool:
    instance = self.instance
    if instance.pk is None:
        return True
    with transaction.atomic():
        row = Authenticator.objects.select_for_update().get(pk=instance.pk)
        step = matching_step(decrypt(row.data["secret"]), code)
        if step is None:
            return False
        last = row.data.get(LAST_STEP_KEY)
        if last is not None and step <= last:
            return False
        row.data[LAST_STEP_KEY] = step
        row.save(update_fields=["data"])
        instance.data = row.data
    return True


def install() -> None:
    totp_auth.TOTP._mark_code_used = _mark_code_used_once
