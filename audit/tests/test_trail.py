"""The audit trail page: who may read it, what they see (scope and masks), filters, paging, CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from audit.queries import TrailFilters, can_read_trail, filter_trail, present, trail_for
from audit.services import record
from portal.nav import nav_for

pytestmark = pytest.mark.django_db
TRAIL = reverse("audit:trail")
EXPORT = reverse("audit:export")


def rows_of(response):
    return response.context["rows"]


def verbs_and_targets(rows):
    return {(row.verb, row.target_id) for row in rows}


@pytest.mark.parametrize("persona", ["alan_analyst", "avery_viewer", "ben_viewer", "gus_outsider"])
def test_the_trail_is_not_the_page_of_analysts_viewers_or_outsiders(personas, login, persona):
    client = login(getattr(personas, persona))

    assert client.get(TRAIL).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert not can_read_trail(getattr(personas, persona))


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(TRAIL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_trail_only_answers_get(personas, auditor, login):
    assert login(auditor).post(TRAIL).status_code == 405


def test_the_nav_entry_is_shown_to_auditors_focal_points_and_administrators_only(personas, auditor, sysadmin):
    def has_entry(user):
        return any(entry.url_name == "audit:trail" for entry in nav_for(user))

    assert has_entry(auditor) and has_entry(personas.alice_focal) and has_entry(sysadmin)
    assert not has_entry(personas.alan_analyst) and not has_entry(personas.ben_viewer)


def test_auditors_read_the_whole_trail(personas, auditor, documents, login):
    response = login(auditor).get(TRAIL)

    assert response.status_code == 200
    seen = verbs_and_targets(rows_of(response))
    assert ("documents.document.created", str(documents["secret"].pk)) in seen
    assert ("documents.document.created", str(documents["members"].pk)) in seen
    assert response.context["page"].paginator.count == AuditEntry.objects.count() - 1  # minus this page's own read


def test_auditors_never_read_the_content_of_objects_they_cannot_see(personas, auditor, documents, login):
    response = login(auditor).get(TRAIL)
    body = response.content.decode()

    hidden = [row for row in rows_of(response) if row.target_id == str(documents["secret"].pk)]
    assert hidden and all(row.content_hidden for row in hidden)
    assert "Zulu" not in body and "Yankee" not in body
    changed = next(row for row in hidden if row.verb == "documents.document.changed")
    assert [(change.field, change.values_shown) for change in changed.changes] == [("title", False)]
    # Who, when, the verb and the object's type and id stay visible.
    assert changed.actor == "alan" and changed.target_type == "documents.document"
    # What the auditor can see keeps its values.
    visible = next(row for row in rows_of(response) if row.target_id == str(documents["members"].pk))
    assert not visible.content_hidden and ("tlp", "green") in [(item.field, item.after) for item in visible.extra]


def test_focal_points_read_their_own_participants_entries_only(personas, documents, login):
    rows = rows_of(login(personas.bob_focal).get(TRAIL))

    targets = {row.target_id for row in rows if row.target_type == "documents.document"}
    assert targets == {str(documents["members"].pk)}
    assert all(personas.beta.pk in (row.entry.participant_id, row.entry.target_participant_id) for row in rows)


def test_focal_points_see_what_others_did_to_their_participants_objects(personas, documents):
    record("documents.document.viewed", actor=personas.gus_outsider, target=documents["members"])

    rows = present(trail_for(personas.bob_focal), personas.bob_focal)

    assert any(row.actor == "gus" and row.verb == "documents.document.viewed" for row in rows)


def test_focal_points_see_the_values_of_their_participants_objects(personas, documents, login):
    body = login(personas.alice_focal).get(TRAIL).content.decode()

    assert "Secret plan Yankee" in body


def test_anonymous_objects_show_their_author_as_a_member_of_the_group(personas, documents, auditor, amy):
    anonymous_id = str(documents["anonymous"].pk)

    def actors(viewer):
        rows = present(trail_for(viewer), viewer)
        return {row.actor for row in rows if row.target_id == anonymous_id}

    assert actors(amy) == {"a member of Test RILON"}  # same participant, another agency
    assert actors(personas.alice_focal) == {"alan"}  # the originator agency
    assert actors(auditor) == {"alan"}  # the audit log keeps the truth for auditors


def test_an_actor_filter_cannot_unmask_an_anonymous_author(personas, documents, amy, auditor):
    anonymous_id = str(documents["anonymous"].pk)
    by_alan = TrailFilters(actor="alan")

    amys = {entry.target_id for entry in filter_trail(trail_for(amy), by_alan, amy)}
    auditors = {entry.target_id for entry in filter_trail(trail_for(auditor), by_alan, auditor)}

    assert str(documents["secret"].pk) in amys and anonymous_id not in amys
    assert anonymous_id in auditors


def test_system_administrators_read_their_participant_and_the_platforms_own_entries(personas, sysadmin, documents):
    record("operations.job.finished", extra={"rows": 10})

    rows = present(trail_for(sysadmin), sysadmin)

    assert any(row.verb == "operations.job.finished" for row in rows)
    assert not any(row.target_id == str(documents["secret"].pk) for row in rows)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"verb": "documents.document.chan"}, {"documents.document.changed"}),
        ({"actor": "BEA"}, {"documents.document.created"}),
        ({"target_type": "documents.document", "verb": "documents.document.created"}, {"documents.document.created"}),
    ],
)
def test_filters_narrow_the_trail(personas, auditor, documents, login, query, expected):
    rows = rows_of(login(auditor).get(TRAIL, query))

    assert rows and {row.verb for row in rows} == expected


def test_the_participant_filter_matches_actor_or_target_participant(personas, auditor, documents, login):
    rows = rows_of(login(auditor).get(TRAIL, {"participant": personas.beta.pk}))

    assert {row.target_id for row in rows} == {str(documents["members"].pk)}


def test_the_date_range_is_inclusive_and_checked(personas, auditor, documents, login):
    client = login(auditor)
    today = timezone.now().date()

    assert rows_of(client.get(TRAIL, {"date_from": today.isoformat(), "date_to": today.isoformat()}))
    assert not rows_of(client.get(TRAIL, {"date_from": (today + timedelta(days=1)).isoformat()}))
    response = client.get(TRAIL, {"date_from": today.isoformat(), "date_to": (today - timedelta(days=2)).isoformat()})
    assert "The end date must be on or after the start date." in response.content.decode()
    assert not rows_of(response)


def test_the_trail_is_paged_newest_first(personas, auditor, login):
    for number in range(60):
        record("test.thing.done", extra={"number": number})
    client = login(auditor)

    first = rows_of(client.get(TRAIL, {"verb": "test."}))
    second = rows_of(client.get(TRAIL, {"verb": "test.", "page": 2}))

    assert len(first) == 50 and len(second) == 10
    assert first[0].sequence > first[-1].sequence > second[0].sequence


def test_reading_the_trail_is_itself_audited_once_with_the_count(personas, auditor, documents, login):
    login(auditor).get(TRAIL, {"verb": "documents."})

    read = AuditEntry.objects.get(verb="audit.auditentry.listed")
    assert read.actor_label == "audrey"
    assert read.extra["count"] == 5 and read.extra["query"] == {"verb": "documents."}


def test_the_page_dates_are_unambiguous(personas, auditor, documents, login):
    body = login(auditor).get(TRAIL).content.decode()
    today = timezone.now()

    assert f'<time datetime="{today.date().isoformat()}' in body
    assert today.strftime("%B %Y") in body


def export_rows(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_the_csv_export_neutralises_formulas_masks_content_and_is_audited(personas, auditor, documents, login):
    record("test.thing.done", actor=personas.bea_analyst, extra={"note": '=HYPERLINK("http://x")', "n": "-1"})

    response = login(auditor).get(EXPORT)

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = export_rows(response)
    note = next(row for row in rows if row["verb"] == "test.thing.done")
    assert note["extra"].startswith("{") and '"=HYPERLINK' in note["extra"]
    assert all(not value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())
    body = str(rows)
    assert "Zulu" not in body and "Yankee" not in body
    exported = AuditEntry.objects.get(verb="audit.auditentry.exported")
    assert exported.actor_label == "audrey" and exported.extra["count"] == len(rows)


def test_cells_starting_with_a_formula_character_get_an_apostrophe():
    from audit.exports import safe_cell

    assert [safe_cell(value) for value in ["=1+1", "+1", "-1", "@SUM", "\tx", "\rx", "plain", None]] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM",
        "'\tx",
        "'\rx",
        "plain",
        "",
    ]


def test_a_focal_points_export_holds_only_their_participants_entries(personas, documents, login):
    rows = export_rows(login(personas.bob_focal).get(EXPORT))

    assert {row["target_id"] for row in rows if row["target_type"] == "documents.document"} == {
        str(documents["members"].pk)
    }


def test_an_empty_trail_says_what_to_do_next(personas, auditor, login):
    body = login(auditor).get(TRAIL, {"verb": "nothing.matches"}).content.decode()

    assert "No entries match these filters." in body


def test_entries_carry_the_request_id_of_the_request_that_wrote_them(personas, auditor, login):
    response = login(auditor).get(TRAIL, HTTP_X_REQUEST_ID="trace-abcdef-123456")

    read = AuditEntry.objects.get(verb="audit.auditentry.listed")
    assert response["X-Request-Id"] == read.request_id == "trace-abcdef-123456"
