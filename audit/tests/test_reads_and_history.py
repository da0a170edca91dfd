"""Reads of restricted objects (one entry per object per request), list reads, and per-object history."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from audit.context import in_request, reset_request_id, set_request_id
from audit.models import AuditEntry
from audit.queries import history_for
from audit.services import record_list_read, record_read
from documents.models import Document
from sharing.services import withdraw

pytestmark = pytest.mark.django_db


class request_scope:
    """Stands for one HTTP request: its request id and the per-request memory of reads."""

    def __init__(self, user, request_id):
        self.request = RequestFactory().get("/")
        self.request.user = user
        self.request_id = request_id

    def __enter__(self):
        self.token = set_request_id(self.request_id)
        self.scope = in_request(self.request)
        self.scope.__enter__()

    def __exit__(self, *exc):
        self.scope.__exit__(*exc)
        reset_request_id(self.token)


def test_a_restricted_object_read_is_logged_once_per_request(personas, documents):
    secret = documents["secret"]
    alice = personas.alice_focal

    with request_scope(alice, "request-one-0001"):
        first = record_read(alice, secret)
        again = record_read(alice, secret)
        downloaded = record_read(alice, secret, verb="downloaded")
    with request_scope(alice, "request-two-0002"):
        next_request = record_read(alice, secret)

    assert first.verb == "documents.document.viewed" and again is None
    assert downloaded.verb == "documents.document.downloaded"
    assert next_request is not None
    assert AuditEntry.objects.filter(verb="documents.document.viewed").count() == 2
    assert first.actor_label == "alice" and first.request_id == "request-one-0001"
    assert first.target_participant_id == personas.alpha.pk


def test_objects_below_amber_are_not_logged_unless_they_hold_personal_data(personas, documents):
    members = documents["members"]  # TLP:GREEN

    assert record_read(personas.ben_viewer, members) is None
    assert record_read(personas.ben_viewer, members, personal=True).verb == "documents.document.viewed"


def test_personal_data_objects_are_logged(personas):
    # A user record holds personal data; reading another user's profile is logged.
    entry = record_read(personas.alice_focal, personas.ben_viewer, personal=True)

    assert (entry.verb, entry.target_type) == ("accounts.user.viewed", "accounts.user")


def test_a_list_read_is_one_entry_with_the_count_and_the_query_without_secrets(personas):
    with request_scope(personas.alan_analyst, "request-list-0003"):
        entry = record_list_read(personas.alan_analyst, Document, 42, {"q": "smuggling", "token": "bpp_abcdefghijk"})
        repeated = record_list_read(personas.alan_analyst, Document, 42, {"q": "smuggling", "token": "bpp_abcdefghijk"})

    assert entry.verb == "documents.document.listed" and repeated is None
    assert entry.extra == {"count": 42, "query": {"q": "smuggling", "token": "[redacted]"}}
    assert "bpp_abcdefghijk" not in str(AuditEntry.objects.values_list("extra", flat=True))


def test_history_is_shown_only_to_those_who_see_the_object(personas, documents):
    secret = documents["secret"]

    assert history_for(secret, personas.bob_focal) == []
    rows = history_for(secret, personas.alan_analyst)
    assert [row.verb for row in rows] == ["documents.document.changed", "documents.document.created"]
    assert rows[0].changes[0].after == "Secret plan Yankee"


def test_history_leaves_out_reads(personas, documents):
    record_read(personas.alice_focal, documents["secret"])

    assert "documents.document.viewed" not in [
        row.verb for row in history_for(documents["secret"], personas.alan_analyst)
    ]


def test_history_masks_the_author_of_an_anonymous_object(personas, documents, auditor):
    anonymous = documents["anonymous"]

    assert {row.actor for row in history_for(anonymous, personas.bob_focal)} == {"a member of Test RILON"}
    assert {row.actor for row in history_for(anonymous, personas.alice_focal)} == {"alan"}
    assert {row.actor for row in history_for(anonymous, auditor)} == {"alan"}


def test_history_hides_values_of_masked_fields(personas, documents, monkeypatch):
    monkeypatch.setattr(Document, "audit_masked_fields", ("title",))

    rows = history_for(documents["secret"], personas.alan_analyst)

    change = rows[0].changes[0]
    assert (change.field, change.values_shown, change.after) == ("title", False, None)


def test_history_of_a_withdrawn_object_shows_values_to_its_agency_only(personas, documents):
    withdraw(documents["members"], actor=personas.bea_analyst, reason="Superseded by the 2012 edition")
    members = Document.objects.get(pk=documents["members"].pk)

    same_agency = history_for(members, personas.ben_viewer)
    other_participant = history_for(members, personas.alan_analyst)  # sees the tombstone only

    assert any(item.after == "Superseded by the 2012 edition" for row in same_agency for item in row.extra)
    assert other_participant and all(row.content_hidden for row in other_participant)


def test_the_history_include_renders_as_the_viewer_sees_it(personas, documents):
    request = RequestFactory().get("/")
    request.user = personas.bob_focal
    template = Template("{% load audit_tags %}{% audit_history obj %}")

    html = template.render(Context({"request": request, "obj": documents["anonymous"]}))

    assert "Change history" in html and "a member of Test RILON" in html
    assert "alan" not in html
    assert "Anonymous tip Kilo" in html
