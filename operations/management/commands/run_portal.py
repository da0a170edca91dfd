"""Serve the portal with a background worker beside it, as `make run` does."""

import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve on 127.0.0.1:PORT and run the background worker alongside."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true")

    def handle(self, *args, port: int, no_worker: bool, **options):
        worker = None
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "manage.py", "run_worker"])
        try:
            self.stdout.write(f"Portal on http://127.0.0.1:{port}/ (worker pid {worker.pid if worker else '-'})")
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
