"""verify_audit: exits 0 on a clean chain and names the first problem after any kind of tampering."""

import json

import pytest
from django.core.management import CommandError, call_command

from audit.chain import GENESIS_HASH, entry_hash, sign_checkpoint
from audit.models import AuditEntry, ChainHead, Checkpoint
from audit.tests.helpers import build_chain, tampering
from audit.verify import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(settings, django_capture_on_commit_callbacks):
    settings.AUDIT_CHECKPOINT_EVERY = 3
    return build_chain(10, django_capture_on_commit_callbacks)


def first_problem() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert failure.value.returncode != 0
    return str(failure.value)


def test_a_clean_chain_verifies_and_exits_zero(chain, checkpoint_file, capsys):
    call_command("verify_audit")

    assert "Audit chain intact: 10 entries up to #10" in capsys.readouterr().out
    assert checkpoint_file.read_text().count("\n") == Checkpoint.objects.count() >= 4


def test_an_empty_chain_verifies():
    call_command("verify_audit")


def test_an_altered_entry_is_named(chain):
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET extra = %s WHERE sequence = 5", [json.dumps({"number": 500})])

    assert first_problem() == "First problem: entry #5: its content does not match its hash: the entry was altered"


def test_an_altered_actor_is_named(chain):
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET actor_label = 'someone-else' WHERE sequence = 7")

    assert "entry #7: its content does not match its hash" in first_problem()


def test_a_removed_entry_is_named(chain):
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE sequence = 5")

    assert "entry #5: is missing (the next entry is #6): entries were removed" in first_problem()


def test_reordered_entries_are_named(chain):
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET sequence = 1000 WHERE sequence = 5")
        cursor.execute("UPDATE audit_auditentry SET sequence = 5 WHERE sequence = 6")
        cursor.execute("UPDATE audit_auditentry SET sequence = 6 WHERE sequence = 1000")

    assert "entry #5: does not link to entry #4" in first_problem()


def test_an_inserted_entry_is_named_even_with_a_correct_hash(chain):
    fourth = AuditEntry.objects.get(sequence=4)
    forged = AuditEntry(
        sequence=5,
        occurred_at=fourth.occurred_at,
        actor_kind="system",
        actor_label="system",
        verb="test.thing.done",
        changes={},
        extra={"number": "forged"},
        prev_hash=fourth.hash,
    )
    forged.hash = entry_hash(forged.prev_hash, forged)
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET sequence = sequence + 1000 WHERE sequence >= 5")
        cursor.execute("UPDATE audit_auditentry SET sequence = sequence - 999 WHERE sequence >= 1000")
        cursor.execute(
            "INSERT INTO audit_auditentry (sequence, occurred_at, actor_kind, actor_label, verb, target_type, "
            "target_id, request_id, changes, extra, prev_hash, hash) "
            "VALUES (%s, %s, 'system', 'system', 'test.thing.done', '', '', '', '{}', %s, %s, %s)",
            [5, fourth.occurred_at, json.dumps(forged.extra), forged.prev_hash, forged.hash],
        )

    # The forged #5 links correctly; the original #5, now #6, no longer does.
    assert "entry #6: does not link to entry #5" in first_problem()


def test_truncation_past_the_newest_file_checkpoint_is_named(chain):
    with tampering() as cursor:
        # A careful attacker also rewinds the chain head and removes the database checkpoints.
        cursor.execute("DELETE FROM audit_auditentry WHERE sequence > 8")
        cursor.execute("DELETE FROM audit_checkpoint WHERE sequence > 8")
        eighth = AuditEntry.objects.get(sequence=8)
        cursor.execute("UPDATE audit_chainhead SET sequence = 8, hash = %s", [eighth.hash])

    assert first_problem() == (
        "First problem: entry #9: the chain was cut short: the newest checkpoint in the checkpoint file "
        "is at #10 but the database chain ends at #8"
    )


def test_truncation_of_unsigned_entries_is_named_by_the_chain_head(settings, django_capture_on_commit_callbacks):
    settings.AUDIT_CHECKPOINT_EVERY = 1000
    build_chain(3, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        from audit.services import record

        record("test.thing.done")  # #4, not yet covered by any checkpoint
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE sequence = 4")

    assert "entry #4: the chain was cut short: the chain head names entry #4 but the last entry is #3" in (
        first_problem()
    )


def _recompute_everything(*, change_sequence: int, checkpoints_key: str | None = None):
    """Rewrite one entry and recompute every later hash consistently, as someone without the signing key."""
    prev_hash = GENESIS_HASH
    with tampering() as cursor:
        for entry in AuditEntry.objects.order_by("sequence"):
            if entry.sequence == change_sequence:
                entry.actor_label = "rewritten-history"
            entry.prev_hash = prev_hash
            entry.hash = entry_hash(prev_hash, entry)
            cursor.execute(
                "UPDATE audit_auditentry SET actor_label = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [entry.actor_label, entry.prev_hash, entry.hash, entry.pk],
            )
            prev_hash = entry.hash
        cursor.execute("UPDATE audit_chainhead SET hash = %s", [prev_hash])
        if checkpoints_key is not None:
            cursor.execute("DELETE FROM audit_checkpoint")
            last = AuditEntry.objects.order_by("-sequence").first()
            signature = sign_checkpoint(last.sequence, last.hash, key=checkpoints_key)
            cursor.execute(
                "INSERT INTO audit_checkpoint (sequence, hash, created_at, signature) VALUES (%s, %s, %s, %s)",
                [last.sequence, last.hash, last.occurred_at, signature],
            )


def test_a_full_recomputation_fails_against_the_signed_checkpoints(chain):
    _recompute_everything(change_sequence=2)

    report = verify_chain()
    assert not report.ok
    # Every entry is internally consistent; the first signed checkpoint after the change exposes it.
    assert str(report.problems[0]) == (
        "entry #4: does not match its signed checkpoint (database): the chain was altered or recomputed"
    )
    assert any("file line" in str(problem) for problem in report.problems)
    assert "entry #4: does not match its signed checkpoint" in first_problem()


def test_a_recomputation_with_re_signed_checkpoints_needs_the_real_key(chain):
    _recompute_everything(change_sequence=2, checkpoints_key="a-guessed-key")

    assert "entry #10: checkpoint (database) has an invalid signature" in first_problem()


def test_a_recomputation_after_deleting_the_database_checkpoints_fails_against_the_file(chain):
    _recompute_everything(change_sequence=9)
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_checkpoint")

    report = verify_chain()
    assert str(report.problems[0]).startswith("entry #1: its checkpoint (file line 1) is missing from the database")
    assert any(
        str(problem).startswith("entry #10: does not match its signed checkpoint (file line")
        for problem in report.problems
    )
    assert "checkpoints were removed" in first_problem()


def test_a_forged_line_in_the_checkpoint_file_is_named(chain, checkpoint_file):
    with open(checkpoint_file, "a") as handle:
        handle.write(f"2030-01-01T00:00:00+00:00 10 {'a' * 64} {'b' * 64}\n")

    assert "entry #10: checkpoint (file line" in first_problem()
    assert "has an invalid signature" in first_problem()


def test_a_removed_checkpoint_file_is_named(chain, checkpoint_file):
    checkpoint_file.unlink()

    assert "checkpoint file" in first_problem()
    assert "is missing or empty" in first_problem()


def test_the_chain_head_always_names_the_last_entry(chain):
    head = ChainHead.objects.get()
    last = AuditEntry.objects.order_by("-sequence").first()
    assert (head.sequence, head.hash) == (last.sequence, last.hash) == (10, chain[-1].hash)


def test_a_removed_chain_head_is_named(chain):
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_chainhead")

    assert "entry #10: the chain head row is missing" in first_problem()
