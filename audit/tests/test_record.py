"""Writing entries: chain fields, actors, atomicity, and nothing secret ever written."""

import json

import pytest
from django.db import transaction
from django.test import RequestFactory

from audit.chain import GENESIS_HASH, entry_hash
from audit.context import SYSTEM, acting_as, in_request, reset_request_id, set_request_id
from audit.models import AuditEntry, ChainHead, Checkpoint
from audit.services import diff, record
from participants.models import Participant

pytestmark = pytest.mark.django_db


def test_entries_form_a_hash_chain_from_the_genesis_hash():
    first = record("test.thing.done", extra={"n": 1})
    second = record("test.thing.done", extra={"n": 2})

    assert (first.sequence, second.sequence) == (1, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    stored = AuditEntry.objects.get(sequence=2)
    assert entry_hash(stored.prev_hash, stored) == stored.hash == second.hash


def test_values_that_json_would_change_are_hashed_as_stored():
    import datetime
    import decimal
    import uuid

    entry = record(
        "test.thing.done",
        extra={"day": datetime.date(2011, 10, 12), "amount": decimal.Decimal("1.50"), "id": uuid.UUID(int=1), "s": {3}},
    )

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.extra == {"day": "2011-10-12", "amount": "1.50", "id": str(uuid.UUID(int=1)), "s": [3]}
    assert entry_hash(stored.prev_hash, stored) == stored.hash


def test_the_target_and_its_participant_are_taken_from_the_object(personas):
    entry = record("participants.participant.changed", actor=personas.alice_focal, target=personas.beta)

    assert (entry.target_type, entry.target_id) == ("participants.participant", str(personas.beta.pk))
    assert entry.actor_kind == "user"
    assert (entry.actor_id, entry.actor_label) == (personas.alice_focal.pk, "alice")
    assert entry.participant_id == personas.alpha.pk


def test_without_an_actor_the_entry_is_the_systems_or_the_current_ones(personas):
    assert record("test.thing.done").actor_kind == "system"
    with acting_as(SYSTEM):
        assert record("test.thing.done").actor_label == "system"


def test_inside_a_request_the_actor_is_whoever_is_signed_in_when_the_entry_is_written(personas):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    token = set_request_id("req-0123456789")
    try:
        with in_request(request):
            assert record("accounts.user.sign_in_failed").actor_kind == "anonymous"
            request.user = personas.bea_analyst  # signed in during this request
            entry = record("accounts.user.signed_in")
    finally:
        reset_request_id(token)

    assert (entry.actor_label, entry.participant_id, entry.request_id) == ("bea", personas.beta.pk, "req-0123456789")


def test_an_entry_commits_with_the_change_it_records_or_not_at_all(django_capture_on_commit_callbacks, checkpoint_file):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        Participant.objects.create(name="Rolled back", code="rb")
        record("participants.participant.created")
        raise RuntimeError("the change failed")

    assert AuditEntry.objects.count() == 0
    assert Checkpoint.objects.count() == 0
    assert ChainHead.objects.filter(sequence__gt=0).count() == 0
    assert not checkpoint_file.exists()  # the file never names a position that was rolled back


def test_the_first_entry_and_every_nth_are_signed(settings):
    settings.AUDIT_CHECKPOINT_EVERY = 4
    for _ in range(9):
        record("test.thing.done")

    assert list(Checkpoint.objects.values_list("sequence", flat=True)) == [1, 5, 9]


def test_diff_keeps_ordinary_values_and_only_flags_masked_fields():
    changes = diff(
        {"title": "Old", "phone": "+61 2 0000", "same": 1},
        {"title": "New", "phone": "+61 2 9999", "same": 1},
        masked=("phone",),
    )

    assert changes == {"title": {"before": "Old", "after": "New"}, "phone": {"changed": True}}


SECRETS = {
    "password": "hunter2-hunter2",
    "new_password1": "correct-horse-1",
    "token": "bpp_s3cr3tTokenValue123",
    "otp": "123456",
    "code": "654321",
    "recovery_codes": ["abcd-efgh", "ijkl-mnop"],
    "totpSecret": "JBSWY3DPEHPK3PXP",
    "api_key": "k-9f8e7d6c",
    "probe": "probe-data-xyz",
}


def test_no_password_token_otp_or_recovery_code_value_is_ever_written():
    record(
        "accounts.user.changed",
        changes={"password": {"before": "old-secret-pass", "after": "new-secret-pass"}, "title": {"after": "ok"}},
        extra={**SECRETS, "nested": {"mfa": {"secret": "JBSWY3DPEHPK3PXP"}}, "note": "bpp_AnotherTokenValue99"},
    )
    stored = json.dumps([list(AuditEntry.objects.values("changes", "extra"))])

    for value in [*SECRETS.values(), "old-secret-pass", "new-secret-pass", "bpp_AnotherTokenValue99"]:
        for part in value if isinstance(value, list) else [value]:
            assert part not in stored
    assert "[redacted]" in stored
    assert '"title": {"after": "ok"}' in stored


def test_ordinary_keys_that_merely_resemble_secrets_are_kept():
    entry = record("test.thing.done", extra={"iso_code": "AUS", "principal_key": "group:4", "recipients": ["user:1"]})

    assert entry.extra == {"iso_code": "AUS", "principal_key": "group:4", "recipients": ["user:1"]}
