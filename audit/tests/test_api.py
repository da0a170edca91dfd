"""/api/v1/audit/: read-only, scoped and masked exactly as the page."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry

pytestmark = pytest.mark.django_db
URL = reverse("api-audit-list")


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("persona", ["alan_analyst", "ben_viewer", "gus_outsider"])
def test_the_api_is_not_for_analysts_viewers_or_outsiders(personas, login, persona):
    assert login(getattr(personas, persona)).get(URL).status_code == 404


def test_signed_out_callers_are_refused(client):
    assert client.get(URL).status_code in (401, 403)


def test_the_api_is_read_only(personas, auditor, login):
    client = login(auditor)

    assert client.post(URL, {}, content_type="application/json").status_code == 405
    assert client.delete(URL).status_code == 405


def test_auditors_list_every_entry_with_content_masked_where_they_cannot_see(personas, auditor, documents, login):
    entries = results(login(auditor).get(URL, {"target_type": "documents.document"}))

    by_key = {(entry["verb"], entry["target_id"]): entry for entry in entries}
    secret_change = by_key[("documents.document.changed", str(documents["secret"].pk))]
    assert secret_change["content_hidden"] is True
    assert secret_change["changes"] == {"title": {"changed": True}}
    assert secret_change["actor"] == "alan"
    members_created = by_key[("documents.document.created", str(documents["members"].pk))]
    assert members_created["content_hidden"] is False and members_created["extra"]["tlp"] == "green"
    assert "Zulu" not in str(entries) and "Yankee" not in str(entries)


def test_focal_points_list_their_participants_entries_and_anonymity_holds(personas, documents, amy, login):
    entries = results(login(amy).get(URL, {"target_type": "documents.document"}))

    anonymous = [entry for entry in entries if entry["target_id"] == str(documents["anonymous"].pk)]
    assert anonymous and {entry["actor"] for entry in anonymous} == {"a member of Test RILON"}
    assert {entry["actor_kind"] for entry in anonymous} == {""}
    assert str(documents["members"].pk) not in {entry["target_id"] for entry in entries}


def test_filters_and_paging(personas, auditor, documents, login):
    client = login(auditor)

    created = results(client.get(URL, {"verb": "documents.document.created", "limit": 2}))
    assert len(created) == 2 and {entry["verb"] for entry in created} == {"documents.document.created"}
    assert created[0]["sequence"] > created[1]["sequence"]


def test_bad_filters_are_named(personas, auditor, login):
    response = login(auditor).get(URL, {"date_from": "2011-13-45"})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["date_from"]


def test_api_reads_are_audited_with_the_count(personas, auditor, documents, login):
    results(login(auditor).get(URL, {"verb": "documents."}))

    read = AuditEntry.objects.get(verb="audit.auditentry.listed")
    assert read.extra["count"] == 5 and read.extra["query"] == {"verb": "documents."}


def test_the_openapi_schema_describes_the_endpoint_and_its_filters(personas, auditor, login):
    response = login(auditor).get(reverse("api-schema"), {"format": "json"})

    schema = response.json() if response["Content-Type"].startswith("application/json") else None
    text = response.content.decode()
    assert "/api/v1/audit/" in text
    assert "date_from" in text and "target_type" in text
    assert schema is None or "get" in schema["paths"]["/api/v1/audit/"]
