"""/api/v1/documents/ and /api/v1/release-requests/: same rules as the pages, strict payloads."""

import pytest
from django.urls import reverse

from documents.models import Document
from documents.tests.helpers import make_document, pdf_upload
from sharing.models import TLP, Distribution, ReleaseRequest, Status

pytestmark = pytest.mark.django_db


def api_detail(doc, name="api-documents-detail"):
    return reverse(name, kwargs={"uuid": doc.uuid})


def create_payload(personas, **overrides):
    payload = {
        "title": "API upload",
        "file": pdf_upload(),
        "distribution": Distribution.RECIPIENTS,
        "tlp": TLP.GREEN,
        "recipients": [f"group:{personas.rilon.pk}"],
        "publish": "true",
    }
    payload.update(overrides)
    return payload


def test_multipart_create_sets_the_originator_from_the_author(personas, login, client):
    login(personas.alan_analyst)
    response = client.post(reverse("api-documents-list"), create_payload(personas))
    assert response.status_code == 201, response.content
    doc = Document.objects.get()
    assert response.json()["uuid"] == str(doc.uuid)
    assert doc.originator_agency == personas.alpha_agency and doc.author == personas.alan_analyst
    assert doc.status == Status.PUBLISHED


@pytest.mark.parametrize(
    "extra",
    [
        {"author": "1"},
        {"originator_agency": "2"},
        {"originator_participant": "2"},
        {"status": "published"},
        {"sha256": "0" * 64},
    ],
)
def test_a_payload_cannot_set_owner_status_or_unknown_fields(personas, login, client, extra):
    login(personas.alan_analyst)
    response = client.post(reverse("api-documents-list"), create_payload(personas, **extra))
    assert response.status_code == 400
    field = next(iter(extra))
    assert field in response.json()["error"]["fields"]
    assert not Document.objects.exists()


def test_a_payload_cannot_use_a_foreign_workspace(personas, login, client):
    login(personas.gus_outsider)
    response = client.post(
        reverse("api-documents-list"),
        create_payload(personas, workspace=personas.rilon.slug, distribution="originator", recipients=[], tlp="amber"),
    )
    assert response.status_code == 400
    assert "workspace" in response.json()["error"]["fields"] or "group" in response.json()["error"]["fields"]
    assert not Document.objects.exists()


def test_a_payload_cannot_choose_a_distribution_the_tlp_forbids(personas, login, client):
    login(personas.alan_analyst)
    response = client.post(reverse("api-documents-list"), create_payload(personas, tlp=TLP.RED))
    assert response.status_code == 400
    assert "tlp" in response.json()["error"]["fields"]
    assert not Document.objects.exists()


def test_list_and_detail_follow_the_rules(personas, login, client):
    mine = make_document(personas.alan_analyst, title="Alphaland only")
    shared = make_document(
        personas.alan_analyst,
        title="RILON",
        distribution=Distribution.RECIPIENTS,
        tlp=TLP.GREEN,
        recipients=[f"group:{personas.rilon.pk}"],
    )
    login(personas.bea_analyst)
    listed = {row["uuid"] for row in client.get(reverse("api-documents-list")).json()["results"]}
    assert listed == {str(shared.uuid)}
    assert client.get(api_detail(mine)).status_code == 404
    body = client.get(api_detail(shared)).json()
    assert body["tlp"] == "green" and body["may_change"] is False


def test_a_recipient_cannot_change_or_withdraw_and_nothing_changes(personas, login, client):
    doc = make_document(
        personas.alan_analyst,
        distribution=Distribution.RECIPIENTS,
        tlp=TLP.GREEN,
        recipients=[f"group:{personas.rilon.pk}"],
    )
    login(personas.bea_analyst)
    response = client.patch(
        api_detail(doc), {"distribution": "public", "tlp": "clear"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert (
        client.post(api_detail(doc, "api-documents-withdraw"), {}, content_type="application/json").status_code == 403
    )
    assert client.put(api_detail(doc), {}, content_type="application/json").status_code == 405
    assert client.delete(api_detail(doc)).status_code == 405
    doc.refresh_from_db()
    assert doc.distribution == Distribution.RECIPIENTS and doc.status == Status.PUBLISHED


def test_the_originator_updates_and_narrows_through_patch(personas, login, client):
    doc = make_document(personas.alan_analyst, distribution=Distribution.MEMBERS, tlp=TLP.GREEN)
    login(personas.alan_analyst)
    response = client.patch(
        api_detail(doc), {"title": "Renamed", "distribution": "originator"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    doc.refresh_from_db()
    assert doc.title == "Renamed" and doc.distribution == Distribution.ORIGINATOR
    response = client.patch(api_detail(doc), {"owner": 3}, content_type="application/json")
    assert response.status_code == 400


def test_withdraw_through_the_api(personas, login, client):
    doc = make_document(personas.alan_analyst)
    login(personas.alice_focal)
    response = client.post(
        api_detail(doc, "api-documents-withdraw"), {"reason": "old"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_release_requests_through_the_api(personas, login, client):
    doc = make_document(
        personas.alan_analyst,
        distribution=Distribution.RECIPIENTS,
        tlp=TLP.GREEN,
        recipients=[f"group:{personas.rilon.pk}"],
    )
    login(personas.bea_analyst)
    response = client.post(
        reverse("api-release-requests-list"),
        {"document": str(doc.uuid), "recipients": [f"agency:{personas.gamma_agency.pk}"], "reason": "case"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    release = ReleaseRequest.objects.get()
    decide = reverse("api-release-requests-decide", kwargs={"pk": release.pk})
    assert client.post(decide, {"approve": True}, content_type="application/json").status_code == 403
    login(personas.gus_outsider)
    assert client.get(reverse("api-release-requests-detail", kwargs={"pk": release.pk})).status_code == 404
    login(personas.alice_focal)
    response = client.post(decide, {"approve": True, "note": "fine"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["state"] == "approved"
