"""One validator for every file users upload, and one way to serve stored files back.

`validate_upload` decides what a file IS from its content (magic bytes), never from its name or
the browser's Content-Type, checks it against an allow-list, makes the name agree with the content,
strips image metadata (EXIF, GPS) by re-encoding, and returns the bytes to store under a path the
server chooses. `serve_file` sends a stored file as a download that no browser will render inline.

Used by documents, exchange imports and any capability that accepts files (see docs/documents.md).
"""

import hashlib
import io
import re
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

# Kinds of file the portal accepts.
PDF = "pdf"
PNG = "png"
JPEG = "jpeg"
DOCX = "docx"
XLSX = "xlsx"
PPTX = "pptx"
LEGACY_OFFICE = "legacy_office"
CSV = "csv"
TEXT = "text"

ALL_KINDS = frozenset({PDF, PNG, JPEG, DOCX, XLSX, PPTX, LEGACY_OFFICE, CSV, TEXT})
IMAGE_KINDS = frozenset({PNG, JPEG})
SPREADSHEET_KINDS = frozenset({CSV, XLSX})


@dataclass(frozen=True)
class Kind:
    label: object  # lazy string: "a PDF document"
    content_type: str
    extensions: tuple[str, ...]


KINDS: dict[str, Kind] = {
    PDF: Kind(gettext_lazy("a PDF document"), "application/pdf", ("pdf",)),
    PNG: Kind(gettext_lazy("a PNG image"), "image/png", ("png",)),
    JPEG: Kind(gettext_lazy("a JPEG image"), "image/jpeg", ("jpg", "jpeg")),
    DOCX: Kind(
        gettext_lazy("a Word document"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
    ),
    XLSX: Kind(
        gettext_lazy("an Excel workbook"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("xlsx",),
    ),
    PPTX: Kind(
        gettext_lazy("a PowerPoint presentation"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ("pptx",),
    ),
    LEGACY_OFFICE: Kind(gettext_lazy("a legacy Microsoft Office document"), "application/octet-stream", ("doc", "xls")),
    CSV: Kind(gettext_lazy("a CSV or plain-text file"), "text/csv", ("csv",)),
    TEXT: Kind(gettext_lazy("a plain-text file"), "text/plain", ("txt",)),
}

_LEGACY_CONTENT_TYPES = {"doc": "application/msword", "xls": "application/vnd.ms-excel"}
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OOXML_MAIN_PARTS = {
    DOCX: b"wordprocessingml.document.main+xml",
    XLSX: b"spreadsheetml.sheet.main+xml",
    PPTX: b"presentationml.presentation.main+xml",
}
# Zip entries larger than this (uncompressed, in total) are refused: a zip bomb, not a document.
_MAX_ZIP_RATIO = 100
_MAX_ZIP_ENTRIES = 10_000
DEFAULT_MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class ValidatedUpload:
    """A file that passed every check, ready to store under `storage_path`."""

    kind: str
    file_name: str  # the user's name, cleaned; metadata only, never a path on disk
    content_type: str
    size_bytes: int
    sha256: str
    content: bytes
    storage_path: str

    def as_content_file(self) -> ContentFile:
        return ContentFile(self.content, name=self.storage_path)


def _error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def clean_file_name(name: str) -> str:
    """The user's file name without directories, control characters or surrounding dots and spaces."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip(" .")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:200]
    return name


def extension_of(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def storage_path(prefix: str, extension: str) -> str:
    """A server-chosen path: `<prefix>/<yyyy>/<mm>/<random>.<ext>`; the user's name never reaches the disk."""
    today = timezone.now()
    safe_prefix = re.sub(r"[^a-z0-9_/-]", "", prefix.lower()).strip("/") or "uploads"
    return f"{safe_prefix}/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.{extension}"


def _ooxml_kind(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return None
    if len(infos) > _MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > _MAX_ZIP_RATIO * max(len(data), 1):
        raise _error(_("The file is a compressed archive that expands far beyond its size; it is refused."), "zip_bomb")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        return None
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > 1_000_000:
        return None
    try:
        content_types = archive.read(info)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        # A damaged or encrypted archive is not an Office document we can vouch for.
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names) or b"macroEnabled" in content_types:
        raise _error(_("The file contains macros; save it without macros (.docx, .xlsx, .pptx)."), "macros")
    for kind, marker in _OOXML_MAIN_PARTS.items():
        if marker in content_types:
            return kind
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def detect_kind(data: bytes, extension: str = "") -> str | None:
    """What the content is, from its bytes; `extension` only picks CSV vs plain text for text files."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _ooxml_kind(data)
    if data.startswith(_OLE2_MAGIC):
        return LEGACY_OFFICE
    if _is_text(data):
        return TEXT if extension == "txt" else CSV
    return None


def _describe_unknown(data: bytes) -> str:
    guess = filetype.guess(data[:8192])
    if guess is not None:
        return _("The file is of type %(mime)s (.%(ext)s), which is not accepted.") % {
            "mime": guess.mime,
            "ext": guess.extension,
        }
    if data.startswith(b"PK\x03\x04"):
        return _("The file is a ZIP archive, which is not accepted.")
    return _("The file's content is not a type the portal accepts.")


def _accepted_list(allowed: Iterable[str]) -> str:
    extensions = sorted({ext for kind in allowed for ext in KINDS[kind].extensions})
    return ", ".join(f".{ext}" for ext in extensions)


def _strip_image(data: bytes, kind: str, max_pixels: int) -> bytes:
    """Re-encode the pixels only: EXIF, GPS, XMP, comments and text chunks are left behind."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > max_pixels:
                raise _error(
                    _("The image is %(w)s × %(h)s pixels; the limit is %(max)s pixels in total.")
                    % {"w": width, "h": height, "max": max_pixels},
                    "too_many_pixels",
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind == JPEG:
                if image.mode not in ("RGB", "L", "CMYK"):
                    image = image.convert("RGB")
                image.save(out, format="JPEG", quality=90, optimize=True)
            else:
                image.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _error(_("The image could not be read: it is damaged or not really an image."), "bad_image") from exc


def read_upload(uploaded, max_bytes: int) -> bytes:
    """Read at most max_bytes + 1 bytes so an oversized file is refused without holding it all."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise _error(_too_large(size, max_bytes), "too_large")
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _error(_too_large(len(data), max_bytes), "too_large")
    return data


def _too_large(size: int, max_bytes: int) -> str:
    from django.template.defaultfilters import filesizeformat

    return _("The file is %(size)s; the limit is %(max)s.") % {
        "size": filesizeformat(size),
        "max": filesizeformat(max_bytes),
    }


def validate_upload(
    uploaded,
    *,
    allowed: Iterable[str] = ALL_KINDS,
    prefix: str = "uploads",
    max_bytes: int | None = None,
    max_pixels: int | None = None,
) -> ValidatedUpload:
    """Check one uploaded file; raise ValidationError (with a code) naming the problem in plain words.

    `uploaded` is a Django UploadedFile (or any object with .name and .read()). The returned
    `content` is what to store (re-encoded for images) and `sha256` is of that content.
    """
    allowed = frozenset(allowed)
    unknown = allowed - ALL_KINDS
    if unknown:
        raise ValueError(f"Unknown upload kinds: {sorted(unknown)}")
    max_bytes = max_bytes if max_bytes is not None else settings.UPLOAD_MAX_BYTES
    max_pixels = max_pixels if max_pixels is not None else getattr(settings, "UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS)

    file_name = clean_file_name(getattr(uploaded, "name", ""))
    extension = extension_of(file_name)
    if not file_name or not extension:
        raise _error(
            _("The file name must end in one of: %(list)s.") % {"list": _accepted_list(allowed)}, "no_extension"
        )
    data = read_upload(uploaded, max_bytes)
    if not data:
        raise _error(_("The file is empty."), "empty")

    kind = detect_kind(data, extension)
    if kind is None:
        raise _error(_describe_unknown(data), "type_not_accepted")
    # CSV and plain text are one family: the name decides which of the two it is.
    if kind in (CSV, TEXT) and extension in ("csv", "txt"):
        kind = CSV if extension == "csv" else TEXT
    if kind not in allowed:
        raise _error(
            _("The file is %(what)s, which is not accepted here. Accepted: %(list)s.")
            % {"what": KINDS[kind].label, "list": _accepted_list(allowed)},
            "type_not_accepted",
        )
    if extension not in KINDS[kind].extensions:
        raise _error(
            _("The file is %(what)s, but its name ends in .%(ext)s.") % {"what": KINDS[kind].label, "ext": extension},
            "extension_mismatch",
        )
    content_type = KINDS[kind].content_type
    if kind == LEGACY_OFFICE:
        content_type = _LEGACY_CONTENT_TYPES[extension]
    if kind == TEXT:
        content_type = "text/plain; charset=utf-8"
    if kind == CSV:
        content_type = "text/csv; charset=utf-8"
    if kind in IMAGE_KINDS:
        data = _strip_image(data, kind, max_pixels)
    return ValidatedUpload(
        kind=kind,
        file_name=file_name,
        content_type=content_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        storage_path=storage_path(prefix, extension),
    )


def content_disposition(file_name: str) -> str:
    """RFC 6266 attachment header: an ASCII fallback plus the exact UTF-8 name in filename*."""
    name = clean_file_name(file_name) or "download"
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", fallback).strip() or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def serve_file(file, *, file_name: str, content_type: str = "application/octet-stream") -> FileResponse:
    """Send a stored file as a download: never rendered inline, never sniffed, never cached.

    `file` is a FieldFile/File (opened here) or an open binary file object. Call it only after the
    sharing rules allowed the read (and the read was audited where required).
    """
    handle = file.open("rb") if hasattr(file, "open") else file
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition(file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
