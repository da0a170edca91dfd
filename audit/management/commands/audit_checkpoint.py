"""`python manage.py audit_checkpoint`: sign the chain head now (run hourly from cron or a timer)."""

from django.core.management.base import BaseCommand

from audit.services import checkpoint_now


class Command(BaseCommand):
    help = "Sign the current head of the audit chain and append it to AUDIT_CHECKPOINT_FILE."

    def handle(self, *args, **options):
        checkpoint = checkpoint_now()
        if checkpoint is None:
            self.stdout.write("The audit chain is empty: nothing to sign.")
        else:
            self.stdout.write(f"Signed checkpoint at entry #{checkpoint.sequence}.")
