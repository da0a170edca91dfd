"""python manage.py backup --output FILE: a consistent, encrypted archive (key from BACKUP_KEY)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write an encrypted archive of the database, uploaded files and the audit chain's head."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="The archive file to write (replaced atomically).")

    def handle(self, *args, output: str, **options):
        def progress(label: str, rows: int) -> None:
            if options["verbosity"] > 1:
                self.stderr.write(f"  {label}: {rows} rows")

        try:
            summary = create_backup(Path(output), progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backup written to {summary.path}: {summary.rows} rows, {summary.files} files, "
            f"audit chain at #{summary.audit_sequence}, {summary.bytes_written} bytes."
        )
