"""`python manage.py verify_audit`: exit 0 when the chain and its checkpoints are intact, else name the problem."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.verify import verify_chain

MAX_LISTED = 20


class Command(BaseCommand):
    help = (
        "Verify the audit chain: every hash, sequence and link, every checkpoint's signature, and that the "
        "database chain reaches the newest checkpoint in the external checkpoint file."
    )
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint-file", help="Checkpoint file to compare with (default AUDIT_CHECKPOINT_FILE)."
        )

    def handle(self, *args, checkpoint_file=None, **options):
        report = verify_chain(path=Path(checkpoint_file) if checkpoint_file else None)
        summary = (
            f"{report.entries} entries up to #{report.last_sequence}, "
            f"{report.database_checkpoints} checkpoints in the database, {report.file_checkpoints} in the file."
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {summary}"))
            return
        self.stderr.write(f"Audit chain verification FAILED ({len(report.problems)} problems): {summary}")
        for problem in report.problems[:MAX_LISTED]:
            self.stderr.write(f"  - {problem}")
        raise CommandError(f"First problem: {report.problems[0]}", returncode=2)
