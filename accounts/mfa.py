"""Which second factors a user has, which the policy requires, and whether a session passed one."""

import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse

# Set when a factor is proven inside the session without allauth's sign-in stage (first enrolment).
MFA_PASSED_KEY = "portal_mfa_passed_at"


def webauthn_required(user) -> bool:
    from accounts.models import Role

    return bool(settings.REQUIRE_WEBAUTHN_FOR_ADMINS and user.role == Role.SYSTEM_ADMIN)


def has_required_factors(user) -> bool:
    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    if webauthn_required(user):
        return Authenticator.Type.WEBAUTHN in types
    return bool(types & {Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN})


def enrolment_url(user) -> str:
    return reverse("mfa_add_webauthn" if webauthn_required(user) else "mfa_activate_totp")


def session_passed_second_factor(request) -> bool:
    """True only when this session completed a second factor: allauth's MFA stage or a first enrolment."""
    user = request.user
    records = [r for r in get_authentication_records(request, user) if r.get("method") == "mfa"]
    enrolled = request.session.get(MFA_PASSED_KEY)
    if isinstance(enrolled, dict) and enrolled.get("user") == str(user.pk):
        records.append(enrolled)
    if webauthn_required(user):
        return any(r.get("type") == Authenticator.Type.WEBAUTHN for r in records)
    return bool(records)


def mark_second_factor_passed(request, factor_type: str) -> None:
    """Called when a factor is proven while enrolling it (allauth records only its sign-in stage)."""
    request.session[MFA_PASSED_KEY] = {"type": factor_type, "at": int(time.time()), "user": str(request.user.pk)}
