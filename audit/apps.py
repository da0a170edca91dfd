import functools
import logging
from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("audit")
# The worker signs the chain head this often (DESIGN.md: at least every 5 minutes).
CHECKPOINT_PERIOD = timedelta(minutes=5)

# Commands that never write audit entries or run before/without the audit tables; verify_audit must
# never sign what it is checking.
COMMANDS_WITHOUT_CHECKPOINT = frozenset(
    {
        "audit_checkpoint",
        "verify_audit",
        "check",
        "collectstatic",
        "compilemessages",
        "createcachetable",
        "dbshell",
        "diffsettings",
        "findstatic",
        "flush",
        "help",
        "makemessages",
        "makemigrations",
        "optimizemigration",
        "runserver",
        "sendtestemail",
        "sqlflush",
        "sqlmigrate",
        "sqlsequencereset",
        "squashmigrations",
        "startapp",
        "startproject",
        "test",
        "testserver",
    }
)


def checkpoint_after_command(command) -> None:
    """Sign the chain head at the end of a management command that wrote audit entries."""
    name = type(command).__module__.rsplit(".", 1)[-1]
    if name in COMMANDS_WITHOUT_CHECKPOINT:
        return
    from django.db import DatabaseError, connection

    from audit.models import ChainHead
    from audit.services import checkpoint_if_moved

    try:
        if ChainHead._meta.db_table not in connection.introspection.table_names():
            return
        checkpoint_if_moved()
    except DatabaseError as error:  # the command's own outcome matters more; the next checkpoint covers it
        logger.warning("audit checkpoint after command %s failed: %s", name, error)


def install_command_checkpoint() -> None:
    from django.core.management.base import BaseCommand

    if getattr(BaseCommand.execute, "audit_checkpoint", False):
        return
    original = BaseCommand.execute

    @functools.wraps(original)
    def execute(self, *args, **options):
        try:
            return original(self, *args, **options)
        finally:
            checkpoint_after_command(self)

    execute.audit_checkpoint = True
    BaseCommand.execute = execute


class AuditConfig(AppConfig):
    name = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.queries import can_read_trail
        from audit.tasks import sign_chain_head
        from operations.schedule import register_periodic
        from portal.nav import NavEntry, register_nav

        install_command_checkpoint()
        register_periodic(sign_chain_head, every=CHECKPOINT_PERIOD)
        register_nav(NavEntry(_("Audit trail"), "audit:trail", order=90, visible_for=can_read_trail))
