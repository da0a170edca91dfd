"""Small builders of figure files for the tests."""

import csv
import io

from regionaldata.validation import COLUMNS


def csv_bytes(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode()


def month_rows(period: str = "2025-03", *, afg: int = 12, mmr: int = 8, total: int | None = None) -> list[dict]:
    """Detections by citizenship with their total, plus facilitators: a valid month."""
    return [
        {"indicator": "ibc", "period": period, "citizenship": "AFG", "value": afg},
        {"indicator": "ibc", "period": period, "citizenship": "MMR", "value": mmr},
        {"indicator": "ibc", "period": period, "value": afg + mmr if total is None else total},
        {"indicator": "facilitators", "period": period, "value": 2},
    ]
