"""Plain text from attachments, for search only. A file we cannot read simply adds no text."""

import io
import logging

from documents import uploads

logger = logging.getLogger(__name__)
MAX_TEXT = 200_000


def extract_text(kind: str, content: bytes) -> str:
    try:
        if kind == uploads.PDF:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(content))
            text = "\n".join((page.extract_text() or "") for page in reader.pages[:200])
        elif kind == uploads.DOCX:
            import docx

            document = docx.Document(io.BytesIO(content))
            text = "\n".join(paragraph.text for paragraph in document.paragraphs)
        elif kind in (uploads.CSV, uploads.TEXT):
            text = content.decode("utf-8-sig", errors="replace")
        else:
            text = ""
    except Exception:  # a damaged document still uploads; it is just not searchable
        logger.warning("attachment-text-not-extracted", extra={"kind": kind})
        text = ""
    return text.replace("\x00", "")[:MAX_TEXT]
