"""CSV export of the audit trail, produced as the viewer (same scope and masks as the page)."""

import csv
import json
from collections.abc import Iterable, Iterator

from audit.queries import EntryView, present

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = ["sequence", "occurred_at", "actor_kind", "actor", "participant", "verb", "target_type", "target_id",
          "request_id", "content_hidden", "changes", "extra"]  # fmt: skip


def safe_cell(value) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ tab or CR gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _row(view: EntryView) -> list[str]:
    entry = view.entry
    return [
        safe_cell(value)
        for value in (
            entry.sequence,
            entry.occurred_at.isoformat(),
            entry.actor_kind if not view.anonymised else "",
            view.actor,
            view.participant,
            entry.verb,
            entry.target_type,
            entry.target_id,
            entry.request_id,
            "yes" if view.content_hidden else "no",
            json.dumps(view.changes_as_data(), ensure_ascii=False, sort_keys=True, default=str),
            json.dumps(view.extra_as_data(), ensure_ascii=False, sort_keys=True, default=str),
        )
    ]


def csv_rows(entries: Iterable, viewer, *, chunk_size: int = 500) -> Iterator[str]:
    """Stream CSV lines; masks are computed per chunk so any size exports in constant memory."""
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    chunk = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) >= chunk_size:
            for view in present(chunk, viewer):
                yield writer.writerow(_row(view))
            chunk = []
    for view in present(chunk, viewer):
        yield writer.writerow(_row(view))
