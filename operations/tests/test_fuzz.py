"""Fuzz the file parsers under hypothesis for a bounded number of examples: bad input gets a clear error
(ValidationError / ValueError / BackupError), never an unhandled exception.

FUZZ_EXAMPLES sets the budget per parser (default 300; CI may raise it).
"""

import contextlib
import io
import os
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
fuzz_settings = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

EXTENSIONS = [
    "pdf",
    "png",
    "jpg",
    "jpeg",
    "docx",
    "xlsx",
    "pptx",
    "doc",
    "xls",
    "csv",
    "txt",
    "exe",
    "",
    "PDF",
    "tar.gz",
]
MAGIC_PREFIXES = [
    b"",
    b"%PDF-1.7\n",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff\xe0",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"\xef\xbb\xbf",
    b"GIF89a",
]


def _workbook_bytes(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
csv_text = st.lists(st.lists(cells, min_size=1, max_size=6), min_size=0, max_size=8).map(
    lambda rows: "\n".join(",".join(row) for row in rows).encode("utf-8", "surrogatepass")
)
random_files = st.one_of(
    st.tuples(st.sampled_from(MAGIC_PREFIXES), st.binary(max_size=2048)).map(lambda parts: parts[0] + parts[1]),
    csv_text,
    st.dictionaries(
        st.sampled_from(["[Content_Types].xml", "word/document.xml", "xl/workbook.xml", "xl/vbaProject.bin", "a"]),
        st.binary(max_size=256),
        max_size=4,
    ).map(_zip_bytes),
)


def _mutate(data: bytes, flips: list[tuple[int, int]], cut: int | None) -> bytes:
    mutable = bytearray(data)
    for position, value in flips:
        if mutable:
            mutable[position % len(mutable)] = value
    return bytes(mutable[:cut] if cut is not None else mutable)


@pytest.mark.slow
@fuzz_settings
@given(data=random_files, extension=st.sampled_from(EXTENSIONS), stem=cells)
def test_document_upload_validation_never_crashes(data, extension, stem):
    from documents.uploads import validate_upload

    name = f"{stem}.{extension}" if extension else stem
    try:
        result = validate_upload(SimpleUploadedFile(name or "x", data))
    except ValidationError:
        return
    assert result.size_bytes == len(result.content) > 0


@pytest.mark.slow
@fuzz_settings
@given(
    rows=st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=6),
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=6),
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=6000)),
)
def test_a_mutated_workbook_upload_never_crashes_the_document_validator(rows, flips, cut):
    from documents.uploads import validate_upload

    try:
        data = _workbook_bytes(rows)
    except Exception:  # openpyxl refuses some control characters in cells: not an input we can send
        return
    with contextlib.suppress(ValidationError):
        validate_upload(SimpleUploadedFile("table.xlsx", _mutate(data, flips, cut)))


@pytest.mark.slow
@fuzz_settings
@given(data=random_files, extension=st.sampled_from(["csv", "xlsx", "json", "txt"]))
def test_statistics_upload_parsing_never_crashes(data, extension):
    from regionaldata.validation import parse_upload

    with contextlib.suppress(ValueError):
        parse_upload(data, filename=f"upload.{extension}")


@pytest.mark.slow
@fuzz_settings
@given(
    rows=st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=6),
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=6),
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=6000)),
)
def test_a_mutated_statistics_workbook_never_crashes_the_parser(rows, flips, cut):
    from regionaldata.validation import parse_upload

    try:
        data = _workbook_bytes(rows)
    except Exception:
        return
    with contextlib.suppress(ValueError):
        parse_upload(_mutate(data, flips, cut), filename="upload.xlsx")


@pytest.fixture(scope="module")
def valid_archive_bytes(tmp_path_factory):
    """A real (small) archive, written without a database: only the encryption and tar layers."""
    import tarfile

    from operations.backup import EncryptingWriter

    raw = io.BytesIO()
    writer = EncryptingWriter(raw, "fuzz-backup-key-0123456789")
    with tarfile.open(fileobj=writer, mode="w|gz") as archive:
        for name, data in {"manifest.json": b'{"format": "portal-backup"}', "database.jsonl": b"{}\n"}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    writer.close()
    return raw.getvalue()


@pytest.mark.slow
@fuzz_settings
@given(
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=4),
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=4000)),
    garbage=st.binary(max_size=64),
    use_valid=st.booleans(),
)
def test_the_backup_archive_reader_refuses_damage_with_a_clear_error(
    valid_archive_bytes, tmp_path_factory, flips, cut, garbage, use_valid
):
    from django.test import override_settings

    from operations.backup import BackupError, extract

    data = _mutate(valid_archive_bytes, flips, cut) + garbage if use_valid else garbage
    directory = tmp_path_factory.mktemp("fuzz")
    path = directory / "archive"
    path.write_bytes(data)
    with override_settings(BACKUP_KEY="fuzz-backup-key-0123456789"):
        try:
            extract(path, directory / "out")
        except BackupError:
            return
    # Only the untouched archive reads; its (deliberately thin) manifest has no checksum, so it is refused too.
    raise AssertionError("a damaged or thin archive was accepted")
