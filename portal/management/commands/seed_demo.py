"""Load the demo data (real facts of the Bali Process) idempotently: `python manage.py seed_demo`."""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from audit.context import SYSTEM, acting_as
from audit.services import checkpoint_now
from portal.seeding import seeders


class Command(BaseCommand):
    help = "Load or refresh the demo data: participants, groups, demo accounts and each capability's examples."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="Run only these seeders (by name).")

    def handle(self, *args, only=None, **options):
        for config in apps.get_app_configs():
            try:
                importlib.import_module(f"{config.name}.seed")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.seed":
                    raise
        with acting_as(SYSTEM):
            for seeder in seeders():
                if only and seeder.name not in only:
                    continue
                self.stdout.write(f"Seeding {seeder.name}…")
                with transaction.atomic():
                    seeder.run(lambda message: self.stdout.write(f"  {message}"))
            checkpoint_now()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
