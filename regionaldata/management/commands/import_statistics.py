"""Import the shipped real data (Frontex monthly detections, Australian boat arrivals) onto the catalogue."""

from django.core.management.base import BaseCommand, CommandError

from regionaldata.importers import import_australia, import_frontex
from regionaldata.views import parse_month


class Command(BaseCommand):
    help = "Import Frontex (optionally a range of months) and the Australian boat arrivals; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--start", help="first month, YYYY-MM")
        parser.add_argument("--end", help="last month, YYYY-MM")

    def handle(self, *args, **options):
        start, end = parse_month(options["start"]), parse_month(options["end"])
        if options["start"] and start is None:
            raise CommandError("--start: write the month as YYYY-MM")
        if options["end"] and end is None:
            raise CommandError("--end: write the month as YYYY-MM")
        for label, result in (("Frontex", import_frontex(start=start, end=end)), ("Australia", import_australia())):
            if result.unchanged:
                self.stdout.write(f"{label}: unchanged (same data imported before)")
            elif not result.report.ok:
                for problem in result.report.errors[:20]:
                    self.stderr.write(f"{label}: {problem}")
                raise CommandError(f"{label}: {result.report.error_count} problems; nothing stored")
            else:
                self.stdout.write(f"{label}: {result.file.row_count} rows in {len(result.submissions)} months")
