"""The upload validator: content decides the type, the name must agree, metadata is stripped."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from documents import uploads

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(size=(4, 4), **save_kwargs) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, format="PNG", **save_kwargs)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (8, 8), (10, 200, 10))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc"  # Make
    exif[0x8825] = {1: "S", 2: (8.0, 39.0, 0.0), 3: "E", 4: (115.0, 13.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def ooxml_bytes(main_part: str, *, macro: bool = False) -> bytes:
    # Fixed timestamps: the bytes (and so the test ids) are the same in every process (pytest-xdist).
    def entry(name: str) -> zipfile.ZipInfo:
        return zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            entry("[Content_Types].xml"),
            '<?xml version="1.0"?><Types><Override PartName="/x" '
            f'ContentType="application/vnd.openxmlformats-officedocument.{main_part}"/></Types>',
        )
        archive.writestr(entry("_rels/.rels"), "<Relationships/>")
        if macro:
            archive.writestr(entry("word/vbaProject.bin"), b"\x00" * 10)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_a_pdf_is_accepted_with_its_digest_and_a_server_chosen_path():
    result = uploads.validate_upload(upload("../../etc/Report 2026.pdf", PDF_BYTES), prefix="documents")
    assert result.kind == uploads.PDF
    assert result.file_name == "Report 2026.pdf"
    assert result.content_type == "application/pdf"
    assert len(result.sha256) == 64
    assert result.storage_path.startswith("documents/")
    assert result.storage_path.endswith(".pdf")
    assert "Report" not in result.storage_path


def test_the_name_must_agree_with_the_content():
    with pytest.raises(ValidationError) as excinfo:
        uploads.validate_upload(upload("minutes.pdf", png_bytes()))
    assert excinfo.value.messages == ["The file is a PNG image, but its name ends in .pdf."]
    assert excinfo.value.code == "extension_mismatch"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="The file is empty"):
        uploads.validate_upload(upload("empty.pdf", b""))


def test_a_file_over_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="the limit is 100"):
        uploads.validate_upload(upload("big.pdf", PDF_BYTES + b"x" * 200))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00", "which is not accepted"),
        ("photo.gif", b"GIF89a" + b"\x00" * 20, "image/gif"),
        ("archive.zip", ooxml_bytes("other.thing"), "application/zip"),
        ("noext", PDF_BYTES, "must end in one of"),
        ("latin1.csv", "café;1\n".encode("latin-1"), "not a type the portal accepts"),
        ("nul.txt", b"abc\x00def", "not a type the portal accepts"),
    ],
    ids=["executable", "gif", "zip", "no-extension", "latin1-csv", "nul-text"],
)
def test_content_outside_the_allow_list_is_refused_with_a_named_reason(name, data, message):
    with pytest.raises(ValidationError, match=message):
        uploads.validate_upload(upload(name, data))


@pytest.mark.parametrize(
    ("name", "part", "kind"),
    [
        ("brief.docx", "wordprocessingml.document.main+xml", uploads.DOCX),
        ("figures.xlsx", "spreadsheetml.sheet.main+xml", uploads.XLSX),
        ("slides.pptx", "presentationml.presentation.main+xml", uploads.PPTX),
    ],
)
def test_office_documents_are_recognised_from_their_content_types_part(name, part, kind):
    assert uploads.validate_upload(upload(name, ooxml_bytes(part))).kind == kind


def test_a_word_document_renamed_to_xlsx_is_refused():
    with pytest.raises(ValidationError, match=r"The file is a Word document, but its name ends in \.xlsx"):
        uploads.validate_upload(upload("figures.xlsx", ooxml_bytes("wordprocessingml.document.main+xml")))


def test_macro_documents_are_refused():
    with pytest.raises(ValidationError, match="macros"):
        uploads.validate_upload(upload("brief.docx", ooxml_bytes("wordprocessingml.document.main+xml", macro=True)))


def test_legacy_office_files_are_accepted_by_their_compound_file_signature():
    result = uploads.validate_upload(upload("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600))
    assert result.content_type == "application/vnd.ms-excel"


def test_csv_and_text_must_be_utf8_and_may_be_restricted_by_the_caller():
    result = uploads.validate_upload(upload("rows.csv", "name,city\nAñes,Bali\n".encode()), allowed={uploads.CSV})
    assert result.kind == uploads.CSV
    with pytest.raises(ValidationError, match=r"not accepted here\. Accepted: \.csv"):
        uploads.validate_upload(upload("paper.pdf", PDF_BYTES), allowed={uploads.CSV})


def test_gps_and_camera_metadata_are_stripped_from_jpeg():
    original = jpeg_with_gps()
    assert b"SpyCam" in original
    result = uploads.validate_upload(upload("site.jpg", original))
    assert b"SpyCam" not in result.content
    with Image.open(io.BytesIO(result.content)) as image:
        assert not image.getexif()


def test_png_text_chunks_are_stripped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Secret Informant")
    result = uploads.validate_upload(upload("chart.png", png_bytes(pnginfo=info)))
    assert b"Secret Informant" not in result.content


def test_a_pixel_flood_is_refused_before_decoding():
    with pytest.raises(ValidationError, match="the limit is 100 pixels"):
        uploads.validate_upload(upload("flood.png", png_bytes(size=(20, 20))), max_pixels=100)


def test_a_damaged_image_is_refused():
    with pytest.raises(ValidationError, match="could not be read"):
        uploads.validate_upload(upload("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10))


def test_served_files_are_attachments_that_are_never_sniffed_or_cached(tmp_path):
    path = tmp_path / "stored.bin"
    path.write_bytes(PDF_BYTES)
    response = uploads.serve_file(path.open("rb"), file_name="Rapport été\r\n.pdf", content_type="application/pdf")
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Rapport ete.pdf\"; filename*=UTF-8''Rapport%20%C3%A9t%C3%A9.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES
