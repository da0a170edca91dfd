"""The API applies the same rules: strict payloads, no widening by recipients, no foreign references."""

import pytest
from rest_framework.test import APIClient

from exchange.models import Item
from exchange.tests.conftest import make_item

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


BASE = {"kind": "trend_report", "title": "API trend", "tlp": "amber", "distribution": "recipients"}


def test_create_shares_to_groups_by_slug_at_once(personas):
    response = api(personas.alan_analyst).post(
        "/api/v1/exchange/items/",
        {**BASE, "recipients": {"groups": ["test-rilon"]}, "publish": True, "routes": ["CMB-KUL"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    item = Item.objects.get(uuid=response.json()["uuid"])
    assert item.status == "published" and item.routes == ["CMB-KUL"]
    assert api(personas.bea_analyst).get(f"/api/v1/exchange/items/{item.uuid}/").status_code == 200


@pytest.mark.parametrize(
    "extra",
    [
        {"originator_agency": 1},
        {"author": 1},
        {"status": "published"},
        {"pending_approval": False},
        {"unknown": "x"},
    ],
)
def test_payload_cannot_set_originator_status_or_unknown_fields(personas, extra):
    response = api(personas.alan_analyst).post(
        "/api/v1/exchange/items/", {**BASE, "recipients": {"groups": ["test-rilon"]}, **extra}, format="json"
    )
    assert response.status_code == 400
    assert Item.objects.count() == 0


def test_payload_cannot_reference_missing_or_foreign_groups(personas):
    from portal.testing import GroupFactory

    GroupFactory(name="Foreign", slug="foreign")
    client = api(personas.alan_analyst)
    missing = client.post("/api/v1/exchange/items/", {**BASE, "recipients": {"groups": ["nope"]}}, format="json")
    assert missing.status_code == 400 and "recipients" in missing.json()["error"]["fields"]
    foreign = client.post(
        "/api/v1/exchange/items/",
        {**BASE, "recipients": {"groups": ["test-rilon"]}, "anonymous": True, "anonymous_group": "foreign"},
        format="json",
    )
    assert foreign.status_code == 400 and "anonymous_group" in foreign.json()["error"]["fields"]
    assert Item.objects.count() == 0


def test_a_recipient_cannot_widen_or_edit(personas):
    item = make_item(personas.alan_analyst, group=personas.rilon)
    client = api(personas.bea_analyst)
    share = client.post(
        f"/api/v1/exchange/items/{item.uuid}/share/", {"distribution": "members", "tlp": "amber"}, format="json"
    )
    assert share.status_code == 403
    assert client.patch(f"/api/v1/exchange/items/{item.uuid}/", {"title": "x"}, format="json").status_code == 403
    item.refresh_from_db()
    assert (item.distribution, item.title) == ("recipients", "Visa fraud trend at Colombo")


def test_outsider_gets_404_everywhere(personas):
    item = make_item(personas.alan_analyst, group=personas.rilon)
    client = api(personas.gus_outsider)
    assert client.get(f"/api/v1/exchange/items/{item.uuid}/").status_code == 404
    assert client.patch(f"/api/v1/exchange/items/{item.uuid}/", {"title": "x"}, format="json").status_code == 404
    assert client.post(f"/api/v1/exchange/items/{item.uuid}/withdraw/", {}, format="json").status_code == 404
    assert client.post(f"/api/v1/exchange/items/{item.uuid}/comments/", {"body": "x"}, format="json").status_code == 404
    listing = client.get("/api/v1/exchange/items/").json()
    assert str(item.uuid) not in str(listing)


def test_exports_and_search_through_the_api(personas):
    make_item(personas.alan_analyst, group=personas.rilon, title="Exported item")
    client = api(personas.bea_analyst)
    stix = client.get("/api/v1/exchange/export/?fmt=stix")
    assert stix.status_code == 200 and b"Exported item" in stix.content
    assert client.get("/api/v1/exchange/export/?fmt=xml").status_code == 400
    found = client.get("/api/v1/exchange/search/?q=exported").json()
    assert found["count"] == 1 and "<mark>" in found["results"][0]["snippet_html"]


def test_rfi_through_the_api(personas):
    from datetime import timedelta

    from django.utils import timezone

    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    created = api(personas.alan_analyst).post(
        "/api/v1/exchange/requests/",
        {"title": "Question", "due_on": due, "recipients": {"participants": ["bet"]}},
        format="json",
    )
    assert created.status_code == 201, created.json()
    uuid = created.json()["uuid"]
    answered = api(personas.bea_analyst).post(
        f"/api/v1/exchange/requests/{uuid}/answers/", {"body": "Yes"}, format="json"
    )
    assert answered.status_code == 201
    detail = api(personas.alan_analyst).get(f"/api/v1/exchange/requests/{uuid}/").json()
    assert len(detail["answers"]) == 1
    assert api(personas.gus_outsider).get(f"/api/v1/exchange/requests/{uuid}/").status_code == 404
