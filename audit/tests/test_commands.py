"""A signed checkpoint at the end of every management command that wrote audit entries."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import BaseCommand

from audit.apps import checkpoint_after_command
from audit.models import ChainHead, Checkpoint
from audit.services import record

pytestmark = pytest.mark.django_db
COMMAND_OPTIONS = {
    "stdout": io.StringIO(),
    "stderr": io.StringIO(),
    "no_color": True,
    "force_color": False,
    "skip_checks": True,
}


class WritesAnEntry(BaseCommand):
    """Stands for any command (an import, a retention job) that writes through a service."""

    def handle(self, *args, **options):
        record("test.import.finished", extra={"rows": 3})


def test_a_command_that_writes_entries_ends_with_a_signed_checkpoint(settings, django_capture_on_commit_callbacks):
    settings.AUDIT_CHECKPOINT_EVERY = 1000
    record("test.thing.done")  # the first entry is signed at once
    before = Checkpoint.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        WritesAnEntry().execute(**COMMAND_OPTIONS)

    head = ChainHead.objects.get()
    newest = Checkpoint.objects.order_by("-sequence", "-id").first()
    assert Checkpoint.objects.count() == before + 1
    assert (newest.sequence, newest.hash) == (head.sequence, head.hash) == (2, head.hash)
    assert head.entries_since_checkpoint == 0
    assert f" 2 {head.hash} " in settings.AUDIT_CHECKPOINT_FILE.read_text()


def test_a_built_in_command_is_followed_by_a_checkpoint_too(settings):
    settings.AUDIT_CHECKPOINT_EVERY = 1000
    record("test.thing.done")
    record("test.thing.done")

    call_command("showmigrations", "audit", stdout=io.StringIO())

    assert Checkpoint.objects.order_by("-sequence").first().sequence == 2


def test_a_command_that_wrote_nothing_adds_no_checkpoint():
    record("test.thing.done")
    before = Checkpoint.objects.count()

    call_command("showmigrations", "audit", stdout=io.StringIO())

    assert Checkpoint.objects.count() == before


def test_a_failing_command_still_signs_what_it_wrote(settings):
    settings.AUDIT_CHECKPOINT_EVERY = 1000
    record("test.thing.done")

    class FailsHalfway(BaseCommand):
        def handle(self, *args, **options):
            record("test.import.started")
            raise RuntimeError("row 7 is broken")

    with pytest.raises(RuntimeError):
        FailsHalfway().execute(**COMMAND_OPTIONS)

    assert Checkpoint.objects.order_by("-sequence").first().sequence == 2


def test_verify_audit_never_signs_what_it_checks(settings, django_capture_on_commit_callbacks):
    settings.AUDIT_CHECKPOINT_EVERY = 1000
    with django_capture_on_commit_callbacks(execute=True):
        record("test.thing.done")
        record("test.thing.done")
    before = Checkpoint.objects.count()

    call_command("verify_audit", stdout=io.StringIO())
    checkpoint_after_command(type("Command", (), {"__module__": "audit.management.commands.verify_audit"})())

    assert Checkpoint.objects.count() == before


def test_audit_checkpoint_signs_the_head_on_demand(settings):
    record("test.thing.done")
    out = io.StringIO()

    call_command("audit_checkpoint", stdout=out)

    assert "Signed checkpoint at entry #1." in out.getvalue()


def test_audit_checkpoint_on_an_empty_chain_says_so():
    out = io.StringIO()

    call_command("audit_checkpoint", stdout=out)

    assert "empty" in out.getvalue()


def test_the_worker_signs_the_head_every_five_minutes(settings):
    from datetime import timedelta

    from audit.tasks import sign_chain_head
    from operations.schedule import registered

    settings.AUDIT_CHECKPOINT_EVERY = 1000
    record("test.thing.done")
    record("test.thing.done")

    assert sign_chain_head.call() == 2
    assert sign_chain_head.call() is None  # nothing new: no new checkpoint
    periodic = {p.name: p.every for p in registered()}
    assert periodic["audit.tasks.sign_chain_head"] == timedelta(minutes=5)
