"""Crash test: SIGKILL a real worker process in the middle of a large import and of a notification batch.

After a restart the import is stored exactly once and the outbox holds each notification once. Runs
against a SQLite file shared by this test, `manage.py shell` and real `run_worker` processes.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROWS = 600
RECIPIENTS = 40

SETUP = f"""
import json
from accounts.models import User
from operations.jobs import start_job
from operations.testing_tasks import notification_batch, synthetic_import
from portal.testing import UserFactory
users = [UserFactory(username=f"crash{{n}}") for n in range({RECIPIENTS})]
owner = users[0]
imp = start_job(kind="import", owner=owner, params={{"rows": {ROWS}, "delay": 0.01}}, task=synthetic_import)
batch = start_job(kind="notify", owner=owner, params={{"user_ids": [u.pk for u in users], "delay": 0.08}},
                  task=notification_batch)
print(json.dumps({{"import": str(imp.pk), "batch": str(batch.pk)}}))
"""


def query(db: Path, sql: str, params=()):
    with sqlite3.connect(db, timeout=30) as connection:
        return connection.execute(sql, params).fetchall()


def job_state(db: Path, job_id: str) -> tuple[str, int, int]:
    return query(db, "SELECT state, done, attempts FROM operations_job WHERE id = ?", (job_id.replace("-", ""),))[0]


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def environment(tmp_path: Path, db: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DATABASE_URL": f"sqlite:///{db}",
        "PORTAL_VAR_DIR": str(tmp_path),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "WORKER_STALE_SECONDS": "2",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "FIELD_ENCRYPTION_KEYS": "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC0=",
        "FIELD_HASH_KEY": "aGFzaC1rZXktaGFzaC1rZXktaGFzaC1rZXktaGFzaC0=",
        "LOG_LEVEL": "WARNING",
    }


MANAGE = [sys.executable, str(ROOT / "manage.py")]


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory) -> Path:
    """One migrated database file, copied by each test."""
    directory = tmp_path_factory.mktemp("crash-template")
    template = directory / "template.sqlite3"
    subprocess.run([*MANAGE, "migrate", "-v0"], env=environment(directory, template), cwd=ROOT, check=True)
    return template


@pytest.fixture
def crash_db(migrated_template, tmp_path) -> tuple[Path, dict]:
    db = tmp_path / "crash.sqlite3"
    shutil.copy(migrated_template, db)
    return db, environment(tmp_path, db)


def run_setup(env: dict, script: str) -> dict:
    done = subprocess.run(
        [*MANAGE, "shell", "-c", script], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [*MANAGE, "run_worker", "--beat-interval", "0.5", "--interval", "0.1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill(worker: subprocess.Popen) -> None:
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()


def stop(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=60)


@pytest.mark.slow
def test_a_worker_killed_mid_import_and_mid_notification_batch_leaves_no_duplicates(crash_db):
    db, env = crash_db
    ids = run_setup(env, SETUP)

    def rows_stored() -> int:
        return query(db, "SELECT COUNT(*) FROM audit_auditentry WHERE verb = 'operations.test.row'")[0][0]

    def queued_notifications() -> int:
        prefix = f"job:{ids['batch']}:%"
        return query(db, "SELECT COUNT(*) FROM operations_outboxmessage WHERE dedup_key LIKE ?", (prefix,))[0][0]

    # 1. Kill the worker while the import is half validated.
    worker = start_worker(env)
    wait_for(lambda: 100 <= job_state(db, ids["import"])[1] < ROWS, 60, "the import to be under way")
    kill(worker)
    assert job_state(db, ids["import"])[0] == "running"
    assert rows_stored() == 0  # nothing half-stored

    # 2. A new worker re-queues the dead worker's task; kill it again in the middle of the notification batch.
    worker = start_worker(env)
    wait_for(lambda: 5 <= queued_notifications() < RECIPIENTS - 5, 90, "the notification batch to be under way")
    kill(worker)
    assert job_state(db, ids["batch"])[0] == "running"

    # 3. Restart: everything completes, exactly once.
    worker = start_worker(env)
    try:
        wait_for(lambda: job_state(db, ids["batch"])[0] == "succeeded", 90, "the notification batch to finish")
        wait_for(lambda: job_state(db, ids["import"])[0] == "succeeded", 90, "the import to finish")
    finally:
        stop(worker)
    assert rows_stored() == ROWS
    assert len(set(query(db, "SELECT target_id FROM audit_auditentry WHERE verb = 'operations.test.row'"))) == ROWS
    assert queued_notifications() == RECIPIENTS
    recipients = query(
        db,
        "SELECT recipient_id, COUNT(*) FROM operations_outboxmessage WHERE dedup_key LIKE ? GROUP BY recipient_id",
        (f"job:{ids['batch']}:%",),
    )
    assert len(recipients) == RECIPIENTS and {count for _, count in recipients} == {1}
    assert job_state(db, ids["import"])[2] >= 2  # claimed again after the crash
    assert job_state(db, ids["batch"])[2] >= 2
    # A clean stop removed the heartbeat; no task is left running.
    assert query(db, "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'")[0][0] == 0


STATISTICS_SETUP = """
import json
from datetime import date
from operations.models import Job
from portal.testing import Personas
from regionaldata import services
from regionaldata.catalogue import install_defaults
from regionaldata.models import DataSet, IndicatorSet
from regionaldata.tests.helpers import csv_bytes
install_defaults()
personas = Personas.build()
dataset = DataSet.objects.create(
    code="alp-monthly", name="Alphaland monthly return", participant=personas.alpha, agency=personas.alpha_agency,
    indicator_set=IndicatorSet.objects.get(code="irregular-migration"), audience="reciprocal",
    first_period=date(2024, 1, 1),
)
periods = [f"{year}-{month:02d}" for year in (2024, 2025) for month in range(1, 13)]
rows = [
    {"indicator": "ibc", "period": period, "citizenship": code, "sex": sex, "value": 1}
    for period in periods for code in ("AFG", "MMR", "BGD", "LKA", "IRN") for sex in ("F", "M")
]
result = services.import_file(actor=personas.alan_analyst, dataset=dataset, content=csv_bytes(rows),
                              filename="big.csv", background=True)
print(json.dumps({"job": str(result.file.job_id), "upload": result.file.pk, "rows": len(rows)}))
"""


@pytest.mark.slow
def test_a_worker_killed_during_a_statistics_import_stores_it_exactly_once_after_restart(crash_db):
    """The real statistics importer (regionaldata.tasks.process_upload) under a SIGKILL."""
    db, env = crash_db
    ids = run_setup(env, STATISTICS_SETUP)
    worker = start_worker(env)
    wait_for(lambda: job_state(db, ids["job"])[0] == "running", 90, "the statistics import to start")
    kill(worker)
    assert job_state(db, ids["job"])[0] == "running", "the import finished before the kill: make the file larger"
    worker = start_worker(env)
    try:
        wait_for(lambda: job_state(db, ids["job"])[0] in ("succeeded", "failed"), 120, "the import to finish")
    finally:
        stop(worker)
    assert job_state(db, ids["job"])[0] == "succeeded"
    assert job_state(db, ids["job"])[2] >= 2
    assert query(db, "SELECT COUNT(*) FROM regionaldata_observation")[0][0] == ids["rows"]
    assert query(db, "SELECT state FROM regionaldata_uploadedfile WHERE id = ?", (ids["upload"],)) == [("stored",)]
    imported = query(db, "SELECT COUNT(*) FROM audit_auditentry WHERE verb = 'regionaldata.file.imported'")[0][0]
    assert imported == 1
