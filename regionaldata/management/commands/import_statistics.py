"""Import the shipped real data (Frontex, Australian boat arrivals, UNODC GLOTIP, UNHCR) onto the catalogue."""

from django.core.management.base import BaseCommand, CommandError

from regionaldata.importers import SourceFileError, import_australia, import_frontex, import_glotip, import_unhcr
from regionaldata.views import parse_month

SOURCES = ("frontex", "australia", "glotip", "unhcr")


class Command(BaseCommand):
    help = (
        "Import Frontex (optionally a range of months), the Australian boat arrivals, UNODC GLOTIP victims of "
        "trafficking and UNHCR asylum applications; each source atomic, and idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", help="first month, YYYY-MM (Frontex only)")
        parser.add_argument("--end", help="last month, YYYY-MM (Frontex only)")
        parser.add_argument("--only", choices=SOURCES, action="append", help="import only this source (repeatable)")

    def handle(self, *args, **options):
        start, end = parse_month(options["start"]), parse_month(options["end"])
        if options["start"] and start is None:
            raise CommandError("--start: write the month as YYYY-MM")
        if options["end"] and end is None:
            raise CommandError("--end: write the month as YYYY-MM")
        chosen = options["only"] or SOURCES
        if "frontex" in chosen:
            self._monthly("Frontex", import_frontex(start=start, end=end))
        if "australia" in chosen:
            self._monthly("Australia", import_australia())
        for name, label, importer in (("glotip", "UNODC GLOTIP", import_glotip), ("unhcr", "UNHCR", import_unhcr)):
            if name not in chosen:
                continue
            try:
                outcome = importer()
            except SourceFileError as error:
                raise CommandError(f"{label}: {error}; nothing stored") from error
            if outcome.unchanged:
                self.stdout.write(f"{label}: unchanged (same data imported before)")
                continue
            suppressed = sum(len(years) for years in outcome.suppressed.values())
            without_total = sum(len(years) for years in outcome.without_total.values())
            self.stdout.write(
                f"{label}: {outcome.rows} rows for {len(outcome.results)} reporting countries"
                + (f"; {suppressed} country-years suppressed by the source (<5), not stored" if suppressed else "")
                + (f"; {without_total} country-years without an overall total, not stored" if without_total else "")
            )

    def _monthly(self, label, result):
        if result.unchanged:
            self.stdout.write(f"{label}: unchanged (same data imported before)")
        elif not result.report.ok:
            for problem in result.report.errors[:20]:
                self.stderr.write(f"{label}: {problem}")
            raise CommandError(f"{label}: {result.report.error_count} problems; nothing stored")
        else:
            self.stdout.write(f"{label}: {result.file.row_count} rows in {len(result.submissions)} months")
