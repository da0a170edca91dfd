"""Prometheus metrics in the text exposition format, written by hand (no extra dependency).

Request counters and latency histograms are kept per process (each gunicorn worker has its own; the
`process` label keeps their series apart, sum them in PromQL). Job, outbox and worker figures are read from
the database at scrape time, so they are the same whichever process answers.
"""

import os
import threading
from collections import defaultdict

BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

_lock = threading.Lock()
_requests: dict[tuple[str, str, str], int] = defaultdict(int)
_latency_buckets: dict[str, list[int]] = defaultdict(lambda: [0] * len(BUCKETS))
_latency_sum: dict[str, float] = defaultdict(float)
_latency_count: dict[str, int] = defaultdict(int)


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
    with _lock:
        _requests[
            (
                group,
                method if method in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD") else "OTHER",
                f"{status // 100}xx",
            )
        ] += 1
        for index, bound in enumerate(BUCKETS):
            if seconds <= bound:
                _latency_buckets[group][index] += 1
        _latency_sum[group] += seconds
        _latency_count[group] += 1


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


def render() -> str:
    process = str(os.getpid())
    lines = ["# HELP portal_http_requests_total HTTP requests answered.", "# TYPE portal_http_requests_total counter"]
    with _lock:
        requests = dict(_requests)
        buckets = {group: list(values) for group, values in _latency_buckets.items()}
        sums = dict(_latency_sum)
        counts = dict(_latency_count)
    for (group, method, status), value in sorted(requests.items()):
        lines.append(
            _line(
                "portal_http_requests_total",
                {"route": group, "method": method, "status": status, "process": process},
                value,
            )
        )
    lines += [
        "# HELP portal_http_request_duration_seconds Time to answer a request.",
        "# TYPE portal_http_request_duration_seconds histogram",
    ]
    for group in sorted(buckets):
        for bound, value in zip(BUCKETS, buckets[group], strict=True):
            lines.append(
                _line(
                    "portal_http_request_duration_seconds_bucket",
                    {"route": group, "le": str(bound), "process": process},
                    value,
                )
            )
        labels = {"route": group, "process": process}
        lines.append(
            _line(
                "portal_http_request_duration_seconds_bucket",
                {"route": group, "le": "+Inf", "process": process},
                counts[group],
            )
        )
        lines.append(_line("portal_http_request_duration_seconds_sum", labels, round(sums[group], 6)))
        lines.append(_line("portal_http_request_duration_seconds_count", labels, counts[group]))
    lines += database_gauges()
    return "\n".join(lines) + "\n"
