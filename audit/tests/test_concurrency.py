"""Appends stay linear under concurrent writers (SQLite: WAL + IMMEDIATE; PostgreSQL: locked chain head)."""

import threading

import pytest
from django.db import connection, connections, transaction

from audit.models import AuditEntry
from audit.services import record
from audit.verify import verify_chain
from participants.models import Participant


def write_concurrently(writers: int, entries_each: int) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def writer(number: int) -> None:
        try:
            start.wait()
            for index in range(entries_each):
                # Each entry commits with the change it records, in one transaction.
                with transaction.atomic():
                    Participant.objects.filter(pk=-1).exists()
                    record("test.writer.wrote", extra={"writer": number, "index": index})
        except BaseException as error:  # reported to the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def assert_linear(total: int) -> None:
    sequences = list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, total + 1))
    report = verify_chain()
    assert report.ok, report.problems


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_writers_produce_one_linear_chain():
    errors = write_concurrently(writers=8, entries_each=15)

    assert errors == []
    assert_linear(8 * 15)
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_hundred_concurrent_writers_produce_a_chain_that_verifies():
    # PostgreSQL's default max_connections is 100: stay below it with the test runner's own connection.
    writers = 100 if connection.vendor == "sqlite" else 80
    errors = write_concurrently(writers=writers, entries_each=5)

    assert errors == []
    assert_linear(writers * 5)
