"""Production: secrets must come from the environment, TLS everywhere, security keys for administrators."""

from portal.env import env_bool, env_str

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
# HSTS for a year, subdomains included, and eligible for the browsers' preload list (check --deploy W021).
SECURE_HSTS_SECONDS = max(SECURE_HSTS_SECONDS, 31536000)  # noqa: F405
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# drf-spectacular adds its schema warnings to `check --deploy`; the schema is checked by its own tests
# (schemathesis), while the deploy check stays about deployment hygiene.
SPECTACULAR_SETTINGS = {**SPECTACULAR_SETTINGS, "ENABLE_DJANGO_DEPLOY_CHECK": False}  # noqa: F405
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
# --- Operations (docs/operations.md) --------------------------------------------------------
# /health/ must not be redirected to HTTPS when the load balancer probes the app server directly.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# Prometheus: a bearer secret and/or the monitoring networks; /metrics/ answers 404 when neither is set.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = [part.strip() for part in env_str("METRICS_ALLOWED_IPS", "").split(",") if part.strip()]
# A worker whose heartbeat is older than this is dead: its running task is re-queued.
WORKER_STALE_SECONDS = int(env_str("WORKER_STALE_SECONDS", "60"))
# The backup key is read from the environment by `manage.py backup` only (deploy/backup.env.example).
