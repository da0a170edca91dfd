"""Attachments: validated by content, size-limited, metadata stripped, served only through the rules."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from exchange import services
from exchange.tests.conftest import make_item

pytestmark = pytest.mark.django_db


def test_wrong_type_behind_a_pdf_name_is_refused_with_a_clear_message(personas, signed_in):
    item = make_item(personas.alan_analyst, group=personas.rilon)
    with pytest.raises(ValidationError) as error:
        services.add_attachment(
            item=item, actor=personas.alan_analyst, uploaded=SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03binary")
        )
    assert "file" in error.value.message_dict
    client = signed_in(personas.alan_analyst)
    page = client.post(
        f"/exchange/items/{item.uuid}/attachments/",
        {"file": SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>")},
        follow=True,
    )
    assert "a CSV or plain-text file, but its name ends in .pdf" in page.content.decode()
    assert item.attachments.count() == 0


def test_empty_and_oversized_files_are_refused(personas, settings):
    item = make_item(personas.alan_analyst, group=personas.rilon)
    with pytest.raises(ValidationError) as error:
        services.add_attachment(item=item, actor=personas.alan_analyst, uploaded=SimpleUploadedFile("empty.pdf", b""))
    assert "The file is empty." in error.value.message_dict["file"]
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        services.add_attachment(
            item=item, actor=personas.alan_analyst, uploaded=SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"x" * 200)
        )
    assert "the limit is" in " ".join(error.value.message_dict["file"])


def test_images_lose_their_exif_and_downloads_are_attachments(personas, signed_in):
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    assert b"SecretCameraMaker" in buffer.getvalue()
    item = make_item(
        personas.alan_analyst,
        group=personas.rilon,
        kind="document_fraud_alert",
        details={"document_type": "Passport", "issuing_country": "LKA", "fraud_type": "forged"},
    )
    attachment = services.add_attachment(
        item=item,
        actor=personas.alan_analyst,
        uploaded=SimpleUploadedFile('specimen"<img src=x onerror=alert(1)>.jpg', buffer.getvalue()),
        is_specimen=True,
    )
    client = signed_in(personas.bea_analyst)
    response = client.get(f"/exchange/items/{item.uuid}/attachments/{attachment.uuid}/")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert b"SecretCameraMaker" not in body
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    page = client.get(f"/exchange/items/{item.uuid}/").content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_only_the_originator_attaches_and_outsiders_cannot_download(personas, signed_in):
    item = make_item(personas.alan_analyst, group=personas.rilon)
    attachment = services.add_attachment(
        item=item, actor=personas.alan_analyst, uploaded=SimpleUploadedFile("n.csv", b"a,b\n1,2\n")
    )
    bea = signed_in(personas.bea_analyst)
    assert (
        bea.post(f"/exchange/items/{item.uuid}/attachments/", {"file": SimpleUploadedFile("x.csv", b"a\n")}).status_code
        == 403
    )
    gus = signed_in(personas.gus_outsider)
    assert gus.get(f"/exchange/items/{item.uuid}/attachments/{attachment.uuid}/").status_code == 404
    assert gus.get(f"/api/v1/exchange/items/{item.uuid}/attachments/{attachment.uuid}/").status_code == 404


def test_an_attachment_is_not_reachable_through_another_items_address(personas, signed_in):
    mine = make_item(personas.alan_analyst, group=personas.rilon)
    hidden = make_item(personas.gus_outsider, distribution="originator")
    attachment = services.add_attachment(
        item=hidden, actor=personas.gus_outsider, uploaded=SimpleUploadedFile("n.csv", b"a,b\n1,2\n")
    )
    client = signed_in(personas.bea_analyst)
    assert client.get(f"/exchange/items/{mine.uuid}/attachments/{attachment.uuid}/").status_code == 404


def test_withdrawn_items_attachments_are_gone_for_recipients(personas, signed_in):
    item = make_item(personas.alan_analyst, group=personas.rilon)
    attachment = services.add_attachment(
        item=item, actor=personas.alan_analyst, uploaded=SimpleUploadedFile("n.csv", b"a,b\n1,2\n")
    )
    services.withdraw_item(item=item, actor=personas.alan_analyst)
    assert (
        signed_in(personas.bea_analyst).get(f"/exchange/items/{item.uuid}/attachments/{attachment.uuid}/").status_code
        == 404
    )
