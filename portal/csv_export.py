"""The one CSV writer for every export: formula injection neutralised, served as a download.

Cells that a spreadsheet would treat as a formula (starting with = + - @ tab or carriage return)
are prefixed with an apostrophe (OWASP; ASVS 1.2.10). Numbers are written as numbers.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str | int | float:
    """A cell a spreadsheet will show as text, never evaluate."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(stream, header: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write header and rows to a text stream; returns the number of data rows."""
    writer = csv.writer(stream, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    count = 0
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        count += 1
    return count


def csv_response(file_name: str, header: Sequence[str], rows: Iterable[Sequence]) -> tuple[HttpResponse, int]:
    """An attachment response (UTF-8 with BOM so spreadsheets read accents) and its row count."""
    from documents.uploads import content_disposition

    buffer = io.StringIO()
    count = write_csv(buffer, header, rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response, count
