"""Production: secrets must come from the environment, TLS everywhere, security keys for administrators."""

from portal.env import env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
AUDIT_SIGNING_KEY = env_str("AUDIT_SIGNING_KEY")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
REQUIRE_WEBAUTHN_FOR_ADMINS = True
FIELD_ENCRYPTION_KEYS = env_str("FIELD_ENCRYPTION_KEYS")
FIELD_HASH_KEY = env_str("FIELD_HASH_KEY")
