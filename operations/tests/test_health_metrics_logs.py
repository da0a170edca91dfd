"""/health/ for load balancers, protected Prometheus metrics, and JSON logs that never hold a secret."""

import contextlib
import io
import json
import logging
import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from operations import health
from operations.models import Job, OutboxMessage, WorkerHeartbeat
from portal.testing import TEST_PASSWORD, UserFactory


@pytest.fixture
def live_worker(db):
    return WorkerHeartbeat.objects.create(worker_id="worker-1", seen_at=timezone.now())


def test_health_is_200_with_every_check_when_all_is_well(client, live_worker):
    response = client.get("/health/")
    assert response.json()["status"] == "ok", response.json()
    assert response.status_code == 200
    payload = response.json()
    assert payload["status"] == "ok"
    assert set(payload["checks"]) == {"database", "worker", "migrations", "disk"}
    assert payload["checks"]["worker"]["live_workers"] == 1
    assert payload["checks"]["migrations"]["pending"] == 0


def test_health_reports_a_stopped_worker_with_503(client, live_worker):
    WorkerHeartbeat.objects.filter(pk=live_worker.pk).update(seen_at=timezone.now() - timedelta(minutes=5))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {"ok": False, "live_workers": 0}


def test_health_reports_a_full_disk(client, live_worker, settings):
    settings.HEALTH_MIN_FREE_BYTES = 10**18
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["disk"]["ok"] is False


def test_health_reports_pending_migrations(client, live_worker, monkeypatch):
    monkeypatch.setitem(health._migrations_cache, "pending", 2)
    monkeypatch.setitem(health._migrations_cache, "checked_at", 10**12)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"ok": False, "pending": 2}


def test_health_answers_only_get(client, live_worker):
    assert client.post("/health/").status_code == 405


def test_metrics_are_404_when_no_token_or_network_is_configured(client, db, settings, monkeypatch):
    monkeypatch.delenv("METRICS_TOKEN", raising=False)
    monkeypatch.delenv("METRICS_ALLOWED_IPS", raising=False)
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    assert client.get("/metrics/").status_code == 404


def test_metrics_need_the_bearer_secret(client, db, settings):
    settings.METRICS_TOKEN = "s3cret-metrics-token"
    settings.METRICS_ALLOWED_IPS = []
    assert client.get("/metrics/").status_code == 403
    assert client.get("/metrics/", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    response = client.get("/metrics/", HTTP_AUTHORIZATION="Bearer s3cret-metrics-token")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")


def test_metrics_from_an_allowed_network_need_no_token(client, db, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics/", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics/", REMOTE_ADDR="192.0.2.1").status_code == 403


def test_metrics_hold_request_counts_latency_and_job_and_outbox_gauges(client, personas, settings):
    settings.METRICS_TOKEN = "t0ken-for-metrics"
    Job.objects.create(kind="import", state=Job.State.RUNNING)
    OutboxMessage.objects.create(recipient=personas.alan_analyst, subject="s", body="b", dedup_key="k")
    client.get("/health/")
    body = client.get("/metrics/", HTTP_AUTHORIZATION="Bearer t0ken-for-metrics").content.decode()
    assert 'portal_http_requests_total{method="GET",route="ops",status="5xx"}' in body  # no worker: 503
    assert 'portal_http_request_duration_seconds_bucket{le="+Inf",route="ops"}' in body
    assert 'portal_jobs{state="running"} 1' in body
    assert 'portal_outbox_messages{state="pending"} 1' in body
    assert "portal_live_workers 0" in body


@contextlib.contextmanager
def captured_json_logs():
    """Route every log record through the production JSON formatter into a buffer."""
    from pythonjsonlogger.json import JsonFormatter

    from operations.logging import RequestIdFilter

    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_a_sign_in_with_a_password_logs_json_with_the_request_id_and_never_the_password(client, db):
    UserFactory(username="logcheck")
    with captured_json_logs() as buffer:
        client.post(
            "/accounts/login/",
            {"login": "logcheck", "password": TEST_PASSWORD},
            HTTP_X_REQUEST_ID="req-0123456789",
        )
        client.post("/accounts/login/", {"login": "logcheck", "password": "Wrong-Passw0rd-xyz!"})
    lines = [line for line in buffer.getvalue().splitlines() if line.strip()]
    assert lines, "the sign-in produced no log line at all"
    records = [json.loads(line) for line in lines]  # every line is JSON
    access = [r for r in records if r.get("name") == "portal.access" and r.get("path") == "/accounts/login/"]
    assert access and access[0]["request_id"] == "req-0123456789"
    text = buffer.getvalue()
    assert TEST_PASSWORD not in text
    assert "Wrong-Passw0rd-xyz!" not in text


def test_secret_path_segments_are_redacted_in_the_access_log():
    from operations.middleware import loggable_path

    assert loggable_path("/accounts/password/reset/key/3-abc123def/") == "/accounts/password/reset/key/[redacted]/"
    assert loggable_path("/documents/12/") == "/documents/12/"


def test_djangos_own_request_warnings_carry_the_request_id_too(signed_in):
    with captured_json_logs() as buffer:
        signed_in.get("/jobs/00000000-0000-0000-0000-000000000000/", HTTP_X_REQUEST_ID="req-notfound-42")
    records = [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]
    not_found = [r for r in records if r.get("name") == "django.request"]
    assert not_found and not_found[0]["request_id"] == "req-notfound-42"


def test_metrics_add_up_every_worker_process_including_one_that_exited(tmp_path):
    """Several gunicorn workers answer /metrics/ in turn: each answer must hold the requests of all of them."""
    import subprocess
    import sys

    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}

    def in_a_process(code: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", f"from operations import metrics; {code}"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    for _worker in range(2):
        in_a_process("metrics.observe(method='GET', path='/documents/', status=200, seconds=0.03)")
    in_a_process("import os; metrics.mark_process_dead(os.getpid())")
    text = in_a_process("print(metrics.request_metrics())")
    assert 'portal_http_requests_total{method="GET",route="page",status="2xx"} 2.0' in text
    assert 'portal_http_request_duration_seconds_count{route="page"} 2.0' in text
