"""python manage.py verify_backup FILE: restore into a scratch database and check everything matches."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, verify_archive


class Command(BaseCommand):
    help = "Restore the archive into a scratch SQLite database; compare row counts, file checksums, audit chain."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive: str, **options):
        try:
            manifest, problems = verify_archive(Path(archive))
        except BackupError as error:
            raise CommandError(str(error)) from error
        if problems:
            raise CommandError("The backup does not verify:\n  " + "\n  ".join(problems))
        self.stdout.write(
            f"Backup of {manifest['created_at']} verified: {sum(manifest['counts'].values())} rows in "
            f"{len(manifest['counts'])} tables, {len(manifest['files'])} files, audit chain intact to "
            f"#{manifest['audit_head']['sequence']}."
        )
