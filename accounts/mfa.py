"""Which second factors a user has, and which the policy requires."""

from allauth.mfa.models import Authenticator
from django.conf import settings


def has_required_factors(user) -> bool:
    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    if settings.REQUIRE_WEBAUTHN_FOR_ADMINS and user.is_system_admin:
        return Authenticator.Type.WEBAUTHN in types
    return bool(types & {Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN})
