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


def publish_month(stats, dataset, *, contributor, focal, period: str, rows: list[dict] | None = None):
    """Take one month through the whole workflow: upload, submit, validate, approve, publish."""
    from regionaldata import services

    result = services.import_file(
        actor=contributor, dataset=dataset, content=csv_bytes(rows or month_rows(period)), filename=f"{period}.csv"
    )
    assert result.report.ok, result.report.errors
    submission = result.submissions[0]
    services.submission_submit(actor=contributor, submission=submission)
    services.submission_validate(actor=stats.secretariat, submission=submission, accept=True)
    services.submission_approve(actor=focal, submission=submission)
    return services.submission_publish(actor=focal, submission=submission)


def login(client, user) -> None:
    """Sign a test client in as after password and TOTP (the user gets an authenticator first)."""
    from portal.testing import enrol_totp

    enrol_totp(user)
    client.force_login(user)
