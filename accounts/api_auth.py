"""API authentication: hashed bearer tokens (throttled), and sessions that passed the second factor."""

from django.utils import timezone
from rest_framework import authentication, exceptions

from accounts import throttle
from accounts.mfa import has_required_factors, session_passed_second_factor
from accounts.models import ApiToken, hash_secret
from audit.context import _actor, actor_for_user


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        ip = throttle.client_ip(request)
        keys = throttle.keys_for("token", ip=ip)
        if throttle.seconds_locked(keys):
            raise exceptions.Throttled(detail="Too many failed token attempts from this address.")
        parts = header.split()
        if len(parts) != 2 or parts[0] != self.keyword:
            throttle.record_failure("token", keys)
            raise exceptions.AuthenticationFailed("Send 'Authorization: Bearer <token>'.")
        token = (
            ApiToken.objects.select_related("user__agency__participant").filter(key_hash=hash_secret(parts[1])).first()
        )
        if token is None or not token.is_usable:
            throttle.record_failure("token", keys)
            raise exceptions.AuthenticationFailed("The token is invalid, expired or revoked.")
        if token.last_used_at is None or (timezone.now() - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        _actor.set(actor_for_user(token.user, kind="token", token_id=token.pk))
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class MfaSessionAuthentication(authentication.SessionAuthentication):
    """Session users reach the API only after completing sign-in with their second factor in that session."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, _auth = result
        if not has_required_factors(user) or not session_passed_second_factor(request._request):
            return None
        return result
