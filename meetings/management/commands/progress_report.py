"""Write the co-chairs' progress report for a period, as an audience, to a file."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from meetings.report import FORMATS, generate
from sharing.rules import ALL_MEMBERS, Audience


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: '{value}' is not a date; write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Generate the AHG progress report (HTML, PDF or DOCX) for a period, as all members or as one user."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="period_from", required=True, help="First day, YYYY-MM-DD")
        parser.add_argument("--to", dest="period_to", required=True, help="Last day, YYYY-MM-DD")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="pdf")
        parser.add_argument("--output", required=True, help="File to write")
        parser.add_argument("--as", dest="as_user", default="", help="Username whose view to produce")

    def handle(self, *args, period_from, period_to, fmt, output, as_user, **options):
        start = _date(period_from, "--from")
        end = _date(period_to, "--to")
        if end < start:
            raise CommandError(f"--to: {end.isoformat()} is before --from {start.isoformat()}.")
        audience = ALL_MEMBERS
        if as_user:
            user = User.objects.filter(username__iexact=as_user.strip()).first()
            if user is None:
                raise CommandError(f"--as: there is no user '{as_user}'.")
            audience = Audience.of(user)
        target = Path(output)
        if not target.parent.exists():
            raise CommandError(f"--output: the folder {target.parent} does not exist.")
        content = generate(period_from=start, period_to=end, fmt=fmt, audience=audience)
        target.write_bytes(content)
        self.stdout.write(f"Wrote {target} ({len(content)} bytes, {fmt}, as {audience.label}).")
