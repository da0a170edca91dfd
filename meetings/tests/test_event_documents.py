"""Attaching documents to an event from the event pages and the API: each document keeps its own sharing."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from documents.models import Document
from documents.tests.helpers import PDF_BYTES, make_document
from meetings.models import EventDocument
from meetings.report import generate
from meetings.tests.helpers import make_event
from sharing.models import TLP, Distribution
from sharing.rules import ALL_MEMBERS, Audience


@pytest.fixture
def event(personas):
    return make_event(personas.alice_focal, title="Workshop on document fraud", start=date(2030, 5, 10))


def _upload_form(**overrides):
    data = {
        "mode": "upload",
        "upload-role": "summary",
        "upload-title": "Summary of the workshop",
        "upload-description": "What was agreed",
        "upload-language": "en",
        "upload-distribution": Distribution.MEMBERS,
        "upload-tlp": TLP.GREEN,
        "upload-handling": "H0",
        "upload-publish": "on",
        "upload-file": SimpleUploadedFile("summary.pdf", PDF_BYTES, content_type="application/pdf"),
    }
    return data | overrides


def test_an_editor_uploads_a_new_document_to_the_event(client, login, personas, event):
    login(personas.alice_focal)
    page = client.get(f"/meetings/events/{event.uuid}/")
    assert "Add a document" in page.content.decode()
    response = client.post(f"/meetings/events/{event.uuid}/documents/add/", _upload_form())
    assert response.status_code == 302
    link = EventDocument.objects.get(event=event)
    assert (link.role, link.document.title, link.document.tlp) == ("summary", "Summary of the workshop", TLP.GREEN)
    assert link.document.file_name == "summary.pdf"
    assert AuditEntry.objects.filter(verb="meetings.event.document_attached").count() == 1
    assert "Summary of the workshop" in client.get(f"/meetings/events/{event.uuid}/").content.decode()


def test_a_file_of_the_wrong_type_is_refused_naming_the_file_field(client, login, personas, event):
    login(personas.alice_focal)
    bad = SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/octet-stream")
    response = client.post(f"/meetings/events/{event.uuid}/documents/add/", _upload_form(**{"upload-file": bad}))
    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"]
    assert not Document.objects.exists()
    assert not EventDocument.objects.exists()


def test_an_editor_links_an_existing_visible_document(client, login, personas, event):
    document = make_document(personas.bob_focal, title="Regional guidelines", distribution=Distribution.MEMBERS)
    login(personas.alice_focal)
    assert "Regional guidelines" in client.get(f"/meetings/events/{event.uuid}/documents/add/").content.decode()
    response = client.post(
        f"/meetings/events/{event.uuid}/documents/add/",
        {"mode": "link", "link-document": str(document.uuid), "link-role": "presentation"},
    )
    assert response.status_code == 302
    assert EventDocument.objects.get(event=event, document=document).role == "presentation"


def test_a_document_the_editor_cannot_see_cannot_be_linked(client, login, personas, event):
    hidden = make_document(personas.bob_focal, title="Betaland only", distribution=Distribution.ORIGINATOR)
    login(personas.alice_focal)
    assert "Betaland only" not in client.get(f"/meetings/events/{event.uuid}/documents/add/").content.decode()
    response = client.post(
        f"/meetings/events/{event.uuid}/documents/add/",
        {"mode": "link", "link-document": str(hidden.uuid), "link-role": "other"},
    )
    assert response.status_code == 400
    assert response.context["link_form"].errors["document"]
    assert not EventDocument.objects.exists()


def test_only_editors_may_add_or_remove_documents(client, login, personas, event):
    document = make_document(personas.alice_focal, title="Agenda", distribution=Distribution.MEMBERS)
    EventDocument.objects.create(event=event, document=document, role="agenda")
    login(personas.bob_focal)
    assert "Add a document" not in client.get(f"/meetings/events/{event.uuid}/").content.decode()
    assert client.get(f"/meetings/events/{event.uuid}/documents/add/").status_code == 403
    remove = f"/meetings/events/{event.uuid}/documents/{document.uuid}/remove/"
    assert client.post(remove).status_code == 403
    assert client.get(remove).status_code == 405
    login(personas.alice_focal)
    assert client.post(remove).status_code == 302
    assert not EventDocument.objects.exists()
    assert Document.objects.filter(pk=document.pk).exists()
    assert AuditEntry.objects.filter(verb="meetings.event.document_detached").count() == 1


def test_a_restricted_attached_document_stays_invisible_to_non_recipients(client, login, personas):
    event = make_event(personas.alice_focal, title="Workshop held", start=date(2020, 5, 10), state="held")
    secret = make_document(
        personas.alice_focal,
        title="Restricted RILON assessment",
        distribution=Distribution.RECIPIENTS,
        tlp=TLP.AMBER,
        recipients=[f"group:{personas.rilon.pk}"],
    )
    login(personas.alice_focal)
    response = client.post(
        f"/api/v1/events/{event.uuid}/documents/", {"document": str(secret.uuid), "role": "summary"}, "application/json"
    )
    assert response.status_code == 201, response.content
    login(personas.gus_outsider)
    assert "Restricted RILON assessment" not in client.get(f"/meetings/events/{event.uuid}/").content.decode()
    assert client.get(f"/api/v1/events/{event.uuid}/").json()["documents"] == []
    period = {"period_from": date(2020, 1, 1), "period_to": date(2020, 12, 31), "fmt": "html"}
    assert "Restricted RILON assessment" not in generate(**period, audience=ALL_MEMBERS).decode()
    assert "Restricted RILON assessment" not in generate(**period, audience=Audience.of(personas.gus_outsider)).decode()
    assert "Restricted RILON assessment" in generate(**period, audience=Audience.of(personas.bob_focal)).decode()
    login(personas.bob_focal)
    assert "Restricted RILON assessment" in client.get(f"/meetings/events/{event.uuid}/").content.decode()


def test_api_attach_and_detach(client, login, personas, event):
    document = make_document(personas.alice_focal, title="Statement", distribution=Distribution.MEMBERS)
    login(personas.alice_focal)
    url = f"/api/v1/events/{event.uuid}/documents/"
    response = client.post(url, {"document": str(document.uuid), "role": "statement"}, "application/json")
    assert response.status_code == 201
    assert response.json()["role"] == "statement"
    assert client.get(f"/api/v1/events/{event.uuid}/").json()["documents"][0]["uuid"] == str(document.uuid)
    assert client.delete(f"{url}{document.uuid}/").status_code == 204
    assert not EventDocument.objects.exists()
    assert client.delete(f"{url}{document.uuid}/").status_code == 404


def test_api_errors_name_the_field_and_follow_the_sharing_rules(client, login, personas, event):
    hidden_event = make_event(personas.bob_focal, title="Betaland only", distribution=Distribution.ORIGINATOR)
    hidden_document = make_document(personas.bob_focal, title="Hidden", distribution=Distribution.ORIGINATOR)
    document = make_document(personas.alice_focal, title="Mine", distribution=Distribution.MEMBERS)
    login(personas.alice_focal)

    def attach(target, body):
        return client.post(f"/api/v1/events/{target.uuid}/documents/", body, "application/json")

    assert attach(event, {"document": str(hidden_document.uuid), "role": "other"}).status_code == 404
    assert attach(event, {"document": "00000000-0000-0000-0000-000000000000", "role": "other"}).status_code == 404
    assert attach(hidden_event, {"document": str(document.uuid), "role": "other"}).status_code == 404
    bad_role = attach(event, {"document": str(document.uuid), "role": "poem"})
    assert bad_role.status_code == 400
    assert "role" in bad_role.json()["error"]["fields"]
    unknown = attach(event, {"document": str(document.uuid), "role": "other", "public": True})
    assert unknown.status_code == 400
    assert "public" in unknown.json()["error"]["fields"]
    login(personas.bob_focal)
    assert attach(event, {"document": str(document.uuid), "role": "other"}).status_code == 403
    assert not EventDocument.objects.exists()
