"""gunicorn settings for the portal (deploy/systemd/portal-web.service uses this file).

Sizing: sync workers are the simple, robust choice for a server-rendered Django app; use
2 x cores + 1 workers with 2 threads each (gthread), so a slow client or a slow query does not hold a
whole process. Each worker keeps one database connection per thread (CONN_MAX_AGE=60 with health checks),
so workers x threads x app servers must stay below PostgreSQL's max_connections minus the task workers
(or put PgBouncer in transaction mode in front).
"""

import multiprocessing
import os
import tempfile

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = 60
graceful_timeout = 30
keepalive = 5
# No recycling by default. gthread workers recycled by max_requests under load leave their idle keep-alive
# connections unanswered until they exit (gunicorn issues #3038, #2297): on the load benchmark every recycle
# cost a burst of 30-second client time-outs. Worker memory stays flat without it (about 170 MB each, 270 MB
# while hashing a password, over 29,000 requests). Set GUNICORN_MAX_REQUESTS if a leak is ever found, with
# nginx in front (no upstream keep-alive).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0))
max_requests_jitter = max_requests // 10
# Load the application once in the master: a recycled worker is a fork (milliseconds), not a fresh Python start
# (about 1.5 s of CPU taken from requests). Database connections are opened lazily, after the fork.
preload_app = True
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access logging is done by the app (JSON with the request id, no query strings); gunicorn logs errors only.
accesslog = None
errorlog = "-"
loglevel = "warning"
limit_request_line = 8190

# Request metrics from every worker in one /metrics/ answer (prometheus_client multiprocess mode, see
# operations/metrics.py). The directory must be private to this server and emptied at each start.
os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR",
    os.path.join(tempfile.gettempdir(), f"portal-metrics-{os.getuid()}-{bind.rsplit(':', 1)[-1]}"),
)


def on_starting(server):
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(directory, mode=0o700, exist_ok=True)
    for name in os.listdir(directory):
        if name.endswith(".db"):
            os.remove(os.path.join(directory, name))


def when_ready(server):
    """In the master, after the preloaded app and before the first fork: URLconfs and templates in memory."""
    from operations.warmup import warm_up

    warm_up()


def child_exit(server, worker):
    from operations.metrics import mark_process_dead

    mark_process_dead(worker.pid)
