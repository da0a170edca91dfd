"""The document library pages: what each persona sees, may change, and the 404/403 answers."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from documents.models import Document
from documents.tests.helpers import make_document, pdf_upload
from sharing.models import TLP, Distribution, ReleaseRequest, Status

pytestmark = pytest.mark.django_db


def detail(doc, name="documents:detail", **extra):
    return reverse(name, kwargs={"uuid": doc.uuid, **extra})


def test_upload_form_creates_a_published_document_with_its_recipients(personas, login, client):
    login(personas.alan_analyst)
    response = client.post(
        reverse("documents:create"),
        {
            "title": "RILON guidelines 2026",
            "description": "Revised",
            "language": "en",
            "file": pdf_upload("guidelines.pdf"),
            "group": personas.rilon.pk,
            "distribution": Distribution.RECIPIENTS,
            "tlp": TLP.GREEN,
            "handling": "H1",
            "recipients": [f"group:{personas.rilon.pk}"],
            "publish": "on",
        },
    )
    doc = Document.objects.get(title="RILON guidelines 2026")
    assert response.status_code == 302
    assert response["Location"] == detail(doc)
    assert doc.status == Status.PUBLISHED
    assert doc.author == personas.alan_analyst
    assert doc.originator_agency == personas.alpha_agency
    assert doc.file_name == "guidelines.pdf"
    assert doc.file.name.startswith("documents/") and "guidelines" not in doc.file.name


def test_upload_form_names_the_file_problem(personas, login, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(personas.alan_analyst)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 30
    response = client.post(
        reverse("documents:create"),
        {
            "title": "Photo",
            "language": "en",
            "file": SimpleUploadedFile("photo.pdf", png),
            "distribution": Distribution.ORIGINATOR,
            "tlp": TLP.AMBER,
            "handling": "H0",
        },
    )
    assert response.status_code == 200
    assert "The file is a PNG image, but its name ends in .pdf." in response.content.decode()
    assert not Document.objects.exists()


def test_upload_form_refuses_a_tlp_that_does_not_fit_the_distribution(personas, login, client):
    login(personas.alan_analyst)
    response = client.post(
        reverse("documents:create"),
        {
            "title": "Red to a group",
            "language": "en",
            "file": pdf_upload(),
            "distribution": Distribution.RECIPIENTS,
            "tlp": TLP.RED,
            "handling": "H0",
            "recipients": [f"group:{personas.rilon.pk}"],
        },
    )
    assert response.status_code == 200
    assert "TLP:RED goes to named individual users only." in response.content.decode()
    assert not Document.objects.exists()


def test_upload_form_refuses_a_foreign_workspace(personas, login, client):
    login(personas.gus_outsider)
    response = client.post(
        reverse("documents:create"),
        {
            "title": "Into their library",
            "language": "en",
            "file": pdf_upload(),
            "group": personas.rilon.pk,
            "distribution": Distribution.ORIGINATOR,
            "tlp": TLP.AMBER,
            "handling": "H0",
        },
    )
    assert response.status_code == 200
    assert not Document.objects.exists()


def test_viewers_cannot_upload(personas, login, client):
    login(personas.avery_viewer)
    assert client.get(reverse("documents:create")).status_code == 403


def test_invisible_documents_answer_404_on_every_route_and_visible_ones_403_on_changes(personas, login, client):
    doc = make_document(personas.alan_analyst)  # originator distribution: Alphaland only
    login(personas.bea_analyst)
    for name in ("documents:detail", "documents:download", "documents:edit", "documents:share", "documents:withdraw"):
        assert client.get(detail(doc, name)).status_code == 404, name
    assert client.post(detail(doc, "documents:withdraw"), {"reason": "x"}).status_code == 404
    login(personas.abel_other_agency)  # same participant, other agency: sees, may not change
    assert client.get(detail(doc)).status_code == 200
    assert client.get(detail(doc, "documents:edit")).status_code == 403
    assert client.post(detail(doc, "documents:withdraw"), {"reason": "x"}).status_code == 403
    assert client.post(detail(doc, "documents:share"), {"distribution": "public", "tlp": "clear"}).status_code == 403
    doc.refresh_from_db()
    assert doc.status == Status.PUBLISHED and doc.distribution == Distribution.ORIGINATOR


def test_unused_methods_answer_405(personas, login, client):
    doc = make_document(personas.alan_analyst)
    login(personas.alan_analyst)
    assert client.get(detail(doc, "documents:publish")).status_code == 405
    assert client.post(detail(doc)).status_code == 405
    assert client.delete(detail(doc)).status_code == 405


def test_detail_shows_markings_and_recipients_with_hidden_group_as_name_only(personas, login, client):
    personas.rilon.hidden_membership = True
    personas.rilon.save()
    doc = make_document(
        personas.alan_analyst,
        distribution=Distribution.RECIPIENTS,
        tlp=TLP.GREEN,
        recipients=[f"group:{personas.rilon.pk}", f"participant:{personas.gamma.pk}"],
        handling="H2",
    )
    login(personas.ben_viewer)
    page = client.get(detail(doc)).content.decode()
    assert "TLP:GREEN" in page and "H2" in page
    assert "Test RILON" in page
    assert "Betaland Immigration" not in page  # the hidden group's members are not listed
    assert "Gammaland" in page


def test_anonymous_documents_show_the_group_mask_outside_the_originator_agency(personas, login, client):
    doc = make_document(
        personas.alan_analyst,
        distribution=Distribution.RECIPIENTS,
        tlp=TLP.GREEN,
        recipients=[f"group:{personas.rilon.pk}"],
        anonymous=True,
        anonymous_group=personas.rilon,
    )
    login(personas.bea_analyst)
    page = client.get(detail(doc)).content.decode()
    assert "a member of Test RILON" in page
    assert "Alphaland Immigration" not in page
    login(personas.avery_viewer)
    assert "Alphaland Immigration" in client.get(detail(doc)).content.decode()


def test_withdrawn_amber_document_is_a_tombstone_without_title_for_recipients(personas, login, client):
    doc = make_document(
        personas.alan_analyst,
        title="Secret route analysis",
        distribution=Distribution.RECIPIENTS,
        tlp=TLP.AMBER,
        recipients=[f"group:{personas.rilon.pk}"],
    )
    login(personas.alan_analyst)
    assert client.post(detail(doc, "documents:withdraw"), {"reason": "superseded"}).status_code == 302
    login(personas.bea_analyst)
    page = client.get(detail(doc)).content.decode()
    assert "Withdrawn document" in page and "withdrawn" in page
    assert "Secret route analysis" not in page
    assert client.get(detail(doc, "documents:download")).status_code == 404
    assert "Secret route analysis" not in client.get(reverse("documents:list")).content.decode()
    login(personas.avery_viewer)  # the originator agency keeps the content
    assert "Secret route analysis" in client.get(detail(doc)).content.decode()


def test_download_is_an_audited_attachment(personas, login, client):
    doc = make_document(personas.alan_analyst, tlp=TLP.AMBER)
    login(personas.abel_other_agency)
    response = client.get(detail(doc, "documents:download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEntry.objects.filter(verb="documents.document.downloaded", target_id=str(doc.pk)).count() == 1


def test_list_filters_and_search(personas, login, client):
    make_document(personas.alan_analyst, title="Alpha guidelines", tlp=TLP.GREEN, language="en")
    make_document(personas.alan_analyst, title="Pedoman", tlp=TLP.AMBER, language="id")
    login(personas.alan_analyst)
    page = client.get(reverse("documents:list"), {"language": "id"}).content.decode()
    assert "Pedoman" in page and "Alpha guidelines" not in page
    page = client.get(reverse("documents:list"), {"q": "guide"}).content.decode()
    assert "Alpha guidelines" in page and "Pedoman" not in page
    page = client.get(reverse("documents:list"), {"tlp": "green"}).content.decode()
    assert "Alpha guidelines" in page and "Pedoman" not in page


def test_expired_documents_leave_the_default_list_and_stay_in_the_archive(personas, login, client):
    from datetime import timedelta

    from django.utils import timezone

    make_document(personas.alan_analyst, title="Old plan", expires_at=timezone.now() - timedelta(days=1))
    login(personas.alan_analyst)
    assert "Old plan" not in client.get(reverse("documents:list")).content.decode()
    assert "Old plan" in client.get(reverse("documents:list"), {"status": "archived"}).content.decode()


def test_sharing_can_be_narrowed_by_the_originator(personas, login, client):
    doc = make_document(personas.alan_analyst, distribution=Distribution.MEMBERS, tlp=TLP.GREEN)
    login(personas.alan_analyst)
    response = client.post(detail(doc, "documents:share"), {"distribution": "originator", "tlp": "green"})
    assert response.status_code == 302
    login(personas.bea_analyst)
    assert client.get(detail(doc)).status_code == 404


def test_four_eyes_publication_waits_for_another_focal_point(personas, login, client):
    personas.alpha.four_eyes = True
    personas.alpha.save()
    doc = make_document(personas.alan_analyst, distribution=Distribution.MEMBERS, tlp=TLP.GREEN)
    assert doc.status == Status.DRAFT and doc.pending_approval
    login(personas.bea_analyst)
    assert client.get(detail(doc)).status_code == 404
    login(personas.alice_focal)
    assert "Revised RILON guidelines" in client.get(reverse("documents:approvals")).content.decode()
    assert client.post(detail(doc, "documents:approve")).status_code == 302
    doc.refresh_from_db()
    assert doc.status == Status.PUBLISHED
    login(personas.bea_analyst)
    assert client.get(detail(doc)).status_code == 200


def test_release_request_is_filed_by_a_recipient_and_decided_by_the_originators_focal_point(
    personas, login, client, django_capture_on_commit_callbacks
):
    from operations.models import OutboxMessage

    doc = make_document(
        personas.alan_analyst,
        distribution=Distribution.RECIPIENTS,
        tlp=TLP.GREEN,
        recipients=[f"group:{personas.rilon.pk}"],
    )
    login(personas.bea_analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            detail(doc, "documents:release_request_new"),
            {"recipients": [f"agency:{personas.gamma_agency.pk}"], "reason": "Gammaland needs it for the case"},
        )
    assert response.status_code == 302
    release = ReleaseRequest.objects.get()
    assert OutboxMessage.objects.filter(recipient=personas.alice_focal).exists()
    login(personas.gus_outsider)
    assert client.get(detail(doc)).status_code == 404
    login(personas.bob_focal)  # a focal point, but of another participant: may see, may not decide
    url = reverse("documents:release_request_decide", kwargs={"uuid": doc.uuid, "request_id": release.pk})
    assert client.post(url, {"decision": "approve"}).status_code in (403, 404)
    login(personas.alice_focal)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"decision": "approve", "note": "ok"}).status_code == 302
    login(personas.gus_outsider)
    assert client.get(detail(doc)).status_code == 200
    assert OutboxMessage.objects.filter(recipient=personas.bea_analyst).exists()


def test_a_release_request_under_another_document_answers_404(personas, login, client):
    shared = make_document(
        personas.alan_analyst,
        distribution=Distribution.RECIPIENTS,
        tlp=TLP.GREEN,
        recipients=[f"group:{personas.rilon.pk}"],
    )
    other = make_document(personas.alan_analyst, title="Other")
    login(personas.bea_analyst)
    client.post(
        detail(shared, "documents:release_request_new"),
        {"recipients": [f"agency:{personas.gamma_agency.pk}"], "reason": "needed"},
    )
    release = ReleaseRequest.objects.get()
    login(personas.alice_focal)
    url = reverse("documents:release_request_decide", kwargs={"uuid": other.uuid, "request_id": release.pk})
    assert client.post(url, {"decision": "approve"}).status_code == 404
    release.refresh_from_db()
    assert release.state == ReleaseRequest.State.OPEN


def test_csv_export_neutralises_formulas_and_keeps_h2_out_for_other_agencies(personas, login, client):
    make_document(personas.alan_analyst, title='=HYPERLINK("http://evil")', tlp=TLP.GREEN)
    make_document(personas.alan_analyst, title="Handle with care", tlp=TLP.GREEN, handling="H2")
    login(personas.abel_other_agency)
    body = b"".join([client.get(reverse("documents:export")).content]).decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert "Handle with care" not in body
    login(personas.avery_viewer)
    body = client.get(reverse("documents:export")).content.decode("utf-8-sig")
    assert "Handle with care" in body
    assert AuditEntry.objects.filter(verb="documents.document.exported").count() == 2


def test_detail_shows_the_change_history(personas, login, client):
    doc = make_document(personas.alan_analyst, tlp=TLP.GREEN)
    login(personas.alan_analyst)
    client.post(detail(doc, "documents:share"), {"distribution": "originator", "tlp": "amber"})
    page = client.get(detail(doc)).content.decode()
    assert "Change history" in page
    assert "documents.document.narrowed" in page or "narrowed" in page


def test_ending_a_membership_takes_effect_on_the_next_request(personas, login, client):
    from django.utils import timezone

    doc = make_document(
        personas.alan_analyst,
        distribution=Distribution.RECIPIENTS,
        tlp=TLP.GREEN,
        recipients=[f"group:{personas.rilon.pk}"],
    )
    login(personas.bea_analyst)
    assert client.get(detail(doc)).status_code == 200
    personas.rilon.memberships.filter(agency=personas.beta_agency).update(
        until=timezone.localdate() - timezone.timedelta(days=1)
    )
    assert client.get(detail(doc)).status_code == 404
    assert str(doc.uuid) not in client.get(reverse("api-documents-list")).content.decode()
