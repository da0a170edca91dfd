"""Health checks for load balancers and monitoring: database, worker heartbeat, disk space, migrations."""

import shutil
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from operations.worker import live_workers

MIN_FREE_BYTES = 512 * 1024 * 1024

_migrations_cache: dict[str, object] = {"checked_at": 0.0, "pending": None}


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "down"
        return {"ok": False, "detail": type(error).__name__}
    return {"ok": True}


def check_worker() -> dict:
    try:
        workers = live_workers()
    except Exception as error:
        return {"ok": False, "detail": type(error).__name__}
    return {"ok": bool(workers), "live_workers": len(workers)}


def check_disk() -> dict:
    minimum = getattr(settings, "HEALTH_MIN_FREE_BYTES", MIN_FREE_BYTES)
    result = {"ok": True}
    for name, path in (("media", settings.MEDIA_ROOT), ("var", settings.VAR_DIR)):
        path = Path(path)
        while not path.exists() and path != path.parent:  # not created yet: the disk it will be on
            path = path.parent
        try:
            free = shutil.disk_usage(path).free
        except OSError:
            return {"ok": False, "detail": f"{name} not accessible"}
        result[f"{name}_free_bytes"] = free
        if free < minimum:
            result["ok"] = False
    return result


def check_migrations() -> dict:
    """Cached for a minute: building the migration graph costs tens of milliseconds."""
    now = time.monotonic()
    if _migrations_cache["pending"] is None or now - _migrations_cache["checked_at"] > 60:
        try:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as error:
            return {"ok": False, "detail": type(error).__name__}
        _migrations_cache.update(checked_at=now, pending=len(plan))
    pending = _migrations_cache["pending"]
    return {"ok": pending == 0, "pending": pending}


def run_checks() -> tuple[bool, dict]:
    checks = {"database": check_database()}
    if checks["database"]["ok"]:
        checks["worker"] = check_worker()
        checks["migrations"] = check_migrations()
    checks["disk"] = check_disk()
    healthy = all(check["ok"] for check in checks.values()) and len(checks) == 4
    return healthy, checks
