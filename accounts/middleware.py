"""Session policy (idle and absolute lifetime, security stamp), the mandatory second factor, no-store caching."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from accounts.mfa import enrolment_url, has_required_factors, session_passed_second_factor

SESSION_STAMP_KEY = "portal_security_stamp"
LAST_SEEN_KEY = "portal_last_seen"
SIGNED_IN_AT_KEY = "portal_signed_in_at"


def start_session_policy(request, user) -> None:
    """Called at every sign-in: the session remembers the stamp and its start."""
    now = int(time.time())
    request.session[SESSION_STAMP_KEY] = str(user.security_stamp)
    request.session[SIGNED_IN_AT_KEY] = now
    request.session[LAST_SEEN_KEY] = now


ACTIVITY_RESOLUTION_SECONDS = 60


class SessionPolicyMiddleware:
    """Ends a session after the idle timeout or the absolute lifetime, or when the user's stamp changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            last_seen = session.get(LAST_SEEN_KEY)
            signed_in_at = session.get(SIGNED_IN_AT_KEY)
            stamp = session.get(SESSION_STAMP_KEY)
            if last_seen is None or signed_in_at is None or stamp is None:
                # A session that did not pass through sign-in (should not happen): start its clocks now.
                start_session_policy(request, user)
            elif (
                now - last_seen > settings.SESSION_IDLE_SECONDS
                or now - signed_in_at > settings.SESSION_COOKIE_AGE
                or stamp != str(user.security_stamp)
                or not user.is_active
            ):
                logout(request)
            elif now - last_seen >= ACTIVITY_RESOLUTION_SECONDS:
                # The idle clock moves in steps of a minute: one session write a minute per user instead of one
                # per request (each write is a committed transaction; at 40 requests/s they add up).
                session[LAST_SEEN_KEY] = now
                request.activity_due = True
        return self.get_response(request)


class ActivityTrackingMiddleware:
    """allauth's "last seen" and address of each session, written when the idle clock moves (once a minute)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "activity_due", False):
            from allauth.usersessions.internal import usersessionkit

            usersessionkit.track_activity(
                request, user=getattr(request, "user", None), session=getattr(request, "session", None)
            )
        return self.get_response(request)


# Paths every signed-in user may reach: sign-in stages, sign-out, reset, invitations, static files.
_ALWAYS_ALLOWED = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password/reset/",
    "/accounts/invitation/",
    "/static/",
    "/health/",
    "/csp-report/",
    "/i18n/",
    "/api/",  # the API decides itself: bearer tokens, or sessions that passed the second factor
)
# Paths a user without an enrolled factor may reach: enrolment and the re-authentication it asks for.
_ENROLMENT = (
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/webauthn/add/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/reauthenticate/",
    "/accounts/reauthenticate/",
)


class RequireSecondFactorMiddleware:
    """A signed-in user without an enrolled factor can do nothing but enrol one; a session of a user with a
    factor that did not pass it (a sign-in outside allauth's stages) is signed out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(_ALWAYS_ALLOWED):
            if not has_required_factors(user):
                if not request.path.startswith(_ENROLMENT):
                    return redirect(enrolment_url(user))
            elif not session_passed_second_factor(request):
                logout(request)
                return redirect(reverse("account_login"))
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Authenticated responses (pages and API) must not be kept by browsers or proxies, and every response's
    CSP carries a nonce (django-csp adds it only when a template asked for one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        nonce = getattr(request, "csp_nonce", None)
        if nonce is not None:
            str(nonce)
        user = getattr(request, "user", None)
        authenticated = (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META
        if authenticated or request.path.startswith("/accounts/"):
            add_never_cache_headers(response)
        return response
