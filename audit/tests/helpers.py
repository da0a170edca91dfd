"""Helpers for the audit tests: build a chain with checkpoints, and tamper with it behind the ORM's back."""

from contextlib import contextmanager

from django.db import connection

from audit.services import checkpoint_now, record


def build_chain(count: int, capture, *, verb: str = "test.thing.done"):
    """`count` entries, then a signed checkpoint of the head, with the checkpoint file written (after commit)."""
    with capture(execute=True):
        entries = [record(verb, extra={"number": number}) for number in range(1, count + 1)]
        checkpoint_now()
    return entries


@contextmanager
def tampering():
    """A raw cursor that can change audit rows: on PostgreSQL the append-only trigger is bypassed for this
    transaction only (as a database superuser could), which is what verify_audit must detect."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
