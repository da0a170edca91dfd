"""Session policy (idle timeout, security stamp) and the mandatory second factor."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

SESSION_STAMP_KEY = "portal_security_stamp"
LAST_SEEN_KEY = "portal_last_seen"


class SessionPolicyMiddleware:
    """Ends a session after the idle timeout, or when the user's security stamp changed (disable, sign-out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            stamp = request.session.get(SESSION_STAMP_KEY)
            expired = now - last_seen > settings.SESSION_IDLE_SECONDS
            if expired or not user.is_active or (stamp is not None and stamp != str(user.security_stamp)):
                logout(request)
            else:
                request.session[LAST_SEEN_KEY] = now
                if stamp is None:
                    request.session[SESSION_STAMP_KEY] = str(user.security_stamp)
        return self.get_response(request)


_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/health/", "/csp-report/", "/api/", "/i18n/", "/calendar/")


class RequireSecondFactorMiddleware:
    """A signed-in user without an enrolled second factor can do nothing but enrol one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(_EXEMPT_PREFIXES):
            from accounts.mfa import has_required_factors

            if not has_required_factors(user):
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
