"""REDIS_URL gives every app server the same cache (rate limits, throttling state): the client library is installed."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings


def redis_is_listening() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def another_server(code: str, **environment: str) -> str:
    """Run `code` after django.setup() in a separate Python process (another app server) and return its output."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.base", **environment}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_redis_client_library_is_a_dependency():
    import redis  # noqa: F401  (the cache backend imports it on first use, in the middle of a sign-in)


@pytest.mark.skipif(not redis_is_listening(), reason="no Redis on 127.0.0.1:6379")
def test_two_processes_with_redis_url_share_one_cache(tmp_path):
    shared = {"REDIS_URL": "redis://127.0.0.1:6379/5", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    another_server("from django.core.cache import cache; cache.set('portal-shared-cache-test', 'first', 60)", **shared)
    read = "from django.core.cache import cache; print(cache.get('portal-shared-cache-test'))"
    assert another_server(read, **shared) == "first"


@pytest.mark.skipif(not redis_is_listening(), reason="no Redis on 127.0.0.1:6379")
def test_with_a_shared_cache_sessions_are_read_from_it_and_an_ended_session_is_gone_for_every_server(tmp_path):
    """Server A ends a session (sign-out, "sign out other sessions", disabling): server B must refuse it at once."""
    shared = {
        "REDIS_URL": "redis://127.0.0.1:6379/5",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "PORTAL_VAR_DIR": str(tmp_path),
    }

    def server(code: str) -> str:
        return another_server(code, **shared)

    server("from django.core.management import call_command; call_command('migrate', 'sessions', verbosity=0)")
    assert server("from django.conf import settings; print(settings.SESSION_ENGINE)").endswith("cached_db")
    key = server(
        "from django.contrib.sessions.backends.cached_db import SessionStore; s = SessionStore(); "
        "s['signed_in'] = True; s.create(); print(s.session_key)"
    )
    read = f"from django.contrib.sessions.backends.cached_db import SessionStore; print(SessionStore('{key}').load())"
    assert server(read) == "{'signed_in': True}"
    server(f"from django.contrib.sessions.backends.cached_db import SessionStore; SessionStore().delete('{key}')")
    assert server(read) == "{}"


def test_without_a_shared_cache_sessions_stay_in_the_database_only(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    engine = another_server("from django.conf import settings; print(settings.SESSION_ENGINE)")
    assert engine == "django.contrib.sessions.backends.db"
