"""The background worker: django_tasks_db's worker loop plus heartbeat, reaper and scheduler.

`python manage.py run_worker` is what `make run`, `make worker` and deploy/portal-worker.service start.
Run several (on one or several machines): tasks are claimed with SELECT ... FOR UPDATE SKIP LOCKED on
PostgreSQL, and periodic runs are enqueued once however many workers run the scheduler.
"""

import logging
import os
import socket
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from operations import schedule, worker

logger = logging.getLogger("operations.worker")


class Command(BaseCommand):
    help = "Run a background worker (tasks, heartbeat, re-queuing of dead workers' tasks, periodic tasks)."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default", help="Queues to process, comma-separated, or '*'.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds to wait when the queue is empty.")
        parser.add_argument("--beat-interval", type=float, default=5.0, help="Seconds between heartbeats.")
        parser.add_argument("--no-scheduler", action="store_true", help="Do not enqueue periodic tasks.")
        parser.add_argument("--worker-id", default="")

    def handle(self, *args, queue_name, interval, beat_interval, no_scheduler, worker_id, **options):
        worker_id = worker_id or f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"
        stopping = threading.Event()
        maintenance = threading.Thread(
            target=self._maintain,
            args=(worker_id, beat_interval, not no_scheduler, stopping),
            name="portal-worker-maintenance",
            daemon=True,
        )
        worker.beat(worker_id)
        maintenance.start()
        loop = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        loop.configure_signals()
        logger.info("Worker %s started", worker_id)
        try:
            loop.run()
        finally:
            stopping.set()
            maintenance.join(timeout=beat_interval + 5)
            close_old_connections()
            worker.stop(worker_id)
            logger.info("Worker %s stopped", worker_id)

    @staticmethod
    def _maintain(worker_id: str, beat_interval: float, scheduler: bool, stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                worker.beat(worker_id)
                worker.reap_stale()
                if scheduler:
                    schedule.enqueue_due()
            except Exception:  # keep beating: a transient database error must not stop the worker
                logger.exception("Worker maintenance failed")
            finally:
                connection.close()
            stopping.wait(beat_interval)
