"""Receivers for django-allauth's and Django's sign-in events: audit entries and session bookkeeping.

allauth performs these steps itself, so its signals are the one place they can be observed; each
receiver writes exactly one audit entry and never a secret.
"""

from allauth.account import signals as account_signals
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from accounts import services, throttle
from accounts.middleware import start_session_policy
from audit.services import record


def _ip(request) -> str:
    return throttle.client_ip(request) if request is not None else ""


@receiver(auth_signals.user_logged_in, dispatch_uid="accounts.signed_in")
def on_signed_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    start_session_policy(request, user)
    _count_sign_in_as_fresh_authentication(request)
    record("accounts.sign_in.succeeded", actor=user, target=user, extra={"ip": _ip(request)})


def _count_sign_in_as_fresh_authentication(request) -> None:
    """The password and factor just given at sign-in count as a re-authentication for its first minutes,
    so a new user can enrol a factor without typing the password twice; later changes ask again."""
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if isinstance(records, list) and records:
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [{**r, "reauthenticated": True} for r in records]


@receiver(auth_signals.user_logged_out, dispatch_uid="accounts.signed_out")
def on_signed_out(sender, request, user, **kwargs):
    if user is not None:
        record("accounts.sign_out", actor=user, target=user)


@receiver(mfa_signals.authenticator_added, dispatch_uid="accounts.factor_added")
def on_factor_added(sender, request, user, authenticator, **kwargs):
    record("accounts.factor.added", actor=user, target=user, extra={"type": authenticator.type})


@receiver(mfa_signals.authenticator_removed, dispatch_uid="accounts.factor_removed")
def on_factor_removed(sender, request, user, authenticator, **kwargs):
    record("accounts.factor.removed", actor=user, target=user, extra={"type": authenticator.type})


@receiver(mfa_signals.authenticator_reset, dispatch_uid="accounts.recovery_regenerated")
def on_factor_reset(sender, request, user, authenticator, **kwargs):
    record("accounts.recovery_codes.regenerated", actor=user, target=user, extra={"type": authenticator.type})


@receiver(account_signals.password_reset, dispatch_uid="accounts.password_reset")
def on_password_reset(sender, request, user, **kwargs):
    services.password_was_reset(user=user)


@receiver(account_signals.password_changed, dispatch_uid="accounts.password_changed")
def on_password_changed(sender, request, user, **kwargs):
    key = request.session.session_key if request is not None and hasattr(request, "session") else None
    services.password_was_changed(user=user, current_session_key=key)
