"""No code path updates or deletes audit rows; on PostgreSQL the database itself refuses."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AppendOnlyError, AuditEntry, Checkpoint
from audit.services import checkpoint_now, record

pytestmark = pytest.mark.django_db


def test_the_models_refuse_to_change_or_delete_entries():
    entry = record("test.thing.done")
    entry.verb = "test.thing.undone"

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(verb="test.thing.undone")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).verb == "test.thing.done"


def test_the_models_refuse_to_change_or_delete_checkpoints():
    record("test.thing.done")
    checkpoint = checkpoint_now()

    with pytest.raises(AppendOnlyError):
        checkpoint.save()
    with pytest.raises(AppendOnlyError):
        Checkpoint.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET verb = 'x'",
        "DELETE FROM audit_auditentry",
        "UPDATE audit_checkpoint SET hash = 'x'",
        "DELETE FROM audit_checkpoint",
    ],
)
def test_raw_sql_changes_are_refused_on_postgresql_and_detected_everywhere(
    statement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record("test.thing.done")
        checkpoint_now()
    if connection.vendor == "postgresql":
        # The append-only trigger answers with a permission error, whatever the code path.
        with (
            pytest.raises(DatabaseError, match="append-only") as refused,
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
        assert refused.value.__cause__.sqlstate == "42501"  # insufficient_privilege: a permission error
        assert AuditEntry.objects.count() == 1
    else:
        # SQLite has no trigger (Django's test flush deletes rows): verify_audit is the guard there.
        from audit.verify import verify_chain

        with connection.cursor() as cursor:
            cursor.execute(statement)
        assert not verify_chain().ok
