"""Issue a personal API token for a user; the token is the last line of the output."""

from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import User, normalize_username
from audit.context import SYSTEM, acting_as


class Command(BaseCommand):
    help = "Issue an API token for USERNAME (printed once, as the last line; only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None, help="Validity in days (default API_TOKEN_DEFAULT_DAYS).")
        parser.add_argument("--name", default="issued by issue_token", help="What the token is for.")

    def handle(self, *args, username: str, days: int | None, name: str, **options):
        user = User.objects.filter(username__iexact=normalize_username(username)).first()
        if user is None:
            raise CommandError(f"username: no user is called {username!r}.")
        if not user.is_active:
            raise CommandError(f"username: {username!r} is disabled.")
        if days is not None and not 1 <= days <= services.MAX_TOKEN_DAYS:
            raise CommandError(f"--days: choose between 1 and {services.MAX_TOKEN_DAYS}.")
        with acting_as(SYSTEM):
            token, raw = services.token_create(actor=user, name=name, days=days)
        self.stdout.write(f"Token {token.key_prefix}… for {user.username}, valid until {token.expires_at:%d %B %Y}.")
        self.stdout.write(raw)
