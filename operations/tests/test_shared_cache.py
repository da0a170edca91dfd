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


def test_the_redis_client_library_is_a_dependency():
    import redis  # noqa: F401  (the cache backend imports it on first use, in the middle of a sign-in)


@pytest.mark.skipif(not redis_is_listening(), reason="no Redis on 127.0.0.1:6379")
def test_two_processes_with_redis_url_share_one_cache():
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/5", "DJANGO_SETTINGS_MODULE": "portal.settings.base"}
    env.pop("DATABASE_URL", None)

    def run(code: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); from django.core.cache import cache; {code}"],
            cwd=Path(settings.BASE_DIR),
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    run("cache.set('portal-shared-cache-test', 'written by the first server', 60)")
    assert run("print(cache.get('portal-shared-cache-test'))") == "written by the first server"
