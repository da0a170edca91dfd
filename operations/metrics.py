"""Prometheus metrics: request counts and latency through prometheus_client, job and outbox gauges from the database.

Several gunicorn workers answer /metrics/ in turn, so request metrics must not be per process: with
`PROMETHEUS_MULTIPROC_DIR` set (deploy/systemd and deploy/gunicorn.conf.py set it), prometheus_client's multiprocess
mode writes each worker's values to files there and every scrape adds up all workers, including those that
exited (gunicorn's child_exit hook marks them dead so their gauges go, their counters stay). Without it (a
single process: `make run`, tests) the values live in memory. Job, outbox and worker figures are read from the
database at scrape time, so they are the same whichever process answers.
"""

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics, generate_latest
from prometheus_client import multiprocess as prometheus_multiprocess

disable_created_metrics()  # no *_created series: they double the output and no dashboard reads them

BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

_registry = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "portal_http_requests",
    "HTTP requests answered.",
    ["route", "method", "status"],
    registry=_registry,
)
LATENCY = Histogram(
    "portal_http_request_duration_seconds",
    "Time to answer a request.",
    ["route"],
    buckets=BUCKETS,
    registry=_registry,
)


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def route_group(path: str) -> str:
    """A small, fixed set of label values (never the raw path, which may hold ids)."""
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/static/"):
        return "static"
    if path in ("/health/", "/metrics/"):
        return "ops"
    if "search" in path:
        return "search"
    return "page"


def observe(*, method: str, path: str, status: int, seconds: float) -> None:
    group = route_group(path)
    method = method if method in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD") else "OTHER"
    REQUESTS.labels(route=group, method=method, status=f"{status // 100}xx").inc()
    LATENCY.labels(route=group).observe(seconds)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _line(name: str, labels: dict[str, str], value) -> str:
    rendered = ",".join(f'{key}="{_escape(str(val))}"' for key, val in labels.items())
    return f"{name}{{{rendered}}} {value}" if rendered else f"{name} {value}"


def database_gauges() -> list[str]:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from operations.models import Job, OutboxMessage
    from operations.worker import live_workers

    lines = ["# HELP portal_jobs Jobs by state.", "# TYPE portal_jobs gauge"]
    counts = dict(Job.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    lines += [_line("portal_jobs", {"state": state}, counts.get(state, 0)) for state in Job.State.values]
    lines += ["# HELP portal_outbox_messages Outbox messages by state.", "# TYPE portal_outbox_messages gauge"]
    counts = dict(OutboxMessage.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    lines += [_line("portal_outbox_messages", {"state": s}, counts.get(s, 0)) for s in OutboxMessage.State.values]
    lines += ["# HELP portal_tasks Queued background tasks by status.", "# TYPE portal_tasks gauge"]
    counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    lines += [_line("portal_tasks", {"status": s}, counts.get(s, 0)) for s in ("READY", "RUNNING", "FAILED")]
    lines += ["# HELP portal_live_workers Workers with a fresh heartbeat.", "# TYPE portal_live_workers gauge"]
    lines.append(_line("portal_live_workers", {}, len(live_workers())))
    return lines


def request_metrics() -> str:
    """Request counts and latency: of this process, or of every worker in multiprocess mode."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)
    else:
        registry = _registry
    return generate_latest(registry).decode()


def render() -> str:
    return request_metrics() + "\n".join(database_gauges()) + "\n"


def mark_process_dead(pid: int) -> None:
    """gunicorn's child_exit hook: forget an exited worker's live gauges (its counters stay in the sums)."""
    if multiprocess_dir():
        prometheus_multiprocess.mark_process_dead(pid)
