"""Real data onto the catalogue: Frontex monthly detections (external partner data) and Australian boat arrivals."""

from datetime import date
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import transaction

from participants.models import Agency, Participant
from regionaldata.catalogue import DEFAULT_INDICATOR_SET, KOSOVO, STATELESS, UNKNOWN_CITIZENSHIP, install_defaults
from regionaldata.models import Audience, DataSet, IndicatorSet, QualityNote, Submission, WorkflowState
from regionaldata.services import ImportResult, store_frame
from sharing.models import Status

DATA_DIR = Path(settings.BASE_DIR) / "data"
FRONTEX_CSV = DATA_DIR / "frontex-irregular-border-crossings" / "frontex_monthly_ibc_2009-2025.csv"
AUSTRALIA_CSV = DATA_DIR / "australia-boat-arrivals" / "australia_boat_arrivals_1976-2025.csv"

FRONTEX_ROUTES = {
    "Central Mediterranean Route": "CENTRAL_MED",
    "Eastern Mediterranean Route": "EASTERN_MED",
    "Western Mediterranean Route": "WESTERN_MED",
    "Western Balkan Route": "WESTERN_BALKAN",
    "Western African Route": "WESTERN_AFRICAN",
    "Eastern Borders Route": "EASTERN_BORDERS",
    "Circular Route from Albania to Greece": "ALBANIA_GREECE",
    "Black Sea Route": "BLACK_SEA",
    "Other": "OTHER",
}
FRONTEX_NATIONALITY = {"STL": STATELESS, "OOO": UNKNOWN_CITIZENSHIP, "OOS": UNKNOWN_CITIZENSHIP, "XKX": KOSOVO}


def _external_dataset(*, code: str, name: str, participant_code: str, participant_name: str, note: str) -> DataSet:
    install_defaults()
    participant, _ = Participant.objects.get_or_create(
        code=participant_code,
        defaults={"name": participant_name, "kind": Participant.Kind.PARTNER, "status": Participant.Status.OBSERVER},
    )
    agency, _ = Agency.objects.get_or_create(
        participant=participant, name=participant_name, defaults={"kind": Agency.Kind.OTHER}
    )
    dataset, created = DataSet.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "participant": participant,
            "agency": agency,
            "indicator_set": IndicatorSet.objects.get(code=DEFAULT_INDICATOR_SET["code"]),
            "audience": Audience.MEMBERS,
            "is_external": True,
            "source_note": note,
            "first_period": date(2009, 1, 1),
        },
    )
    if created:
        QualityNote.objects.create(dataset=dataset, text=note)
    return dataset


def frontex_dataset() -> DataSet:
    return _external_dataset(
        code="frontex-ibc",
        name="Frontex: detections of illegal border crossing (EU external borders)",
        participant_code="frontex",
        participant_name="Frontex (European Border and Coast Guard Agency)",
        note="Frontex counts detections, not persons: one person can be detected more than once. "
        "Months without detections are left out by the source. Data as of 3 June 2025 (IOM GDI copy).",
    )


def australia_dataset() -> DataSet:
    return _external_dataset(
        code="australia-boat-arrivals",
        name="Australia: asylum boat arrivals (people on board), annual",
        participant_code="rcoa",
        participant_name="Refugee Council of Australia",
        note="Annual totals, recorded on January of each year. 2025 covers January to April only. "
        "From 2022 the counts include crew. Arrivals include people returned to the country of departure.",
    )


def frontex_frame(path: Path = FRONTEX_CSV, *, start: date | None = None, end: date | None = None) -> pl.DataFrame:
    """The Frontex file mapped onto the catalogue: indicator `ibc` by route, border type and citizenship."""
    source = pl.read_csv(path, infer_schema=False)
    source = source.with_columns(pl.col("month_start").str.to_date("%Y-%m-%d").alias("_month"))
    if start:
        source = source.filter(pl.col("_month") >= start)
    if end:
        source = source.filter(pl.col("_month") <= end)
    mapped = source.select(
        pl.lit("ibc").alias("indicator"),
        pl.col("month_start").str.slice(0, 7).alias("period"),
        pl.col("route").replace_strict(FRONTEX_ROUTES).alias("route"),
        pl.col("type").str.to_uppercase().alias("border_type"),
        pl.col("nat").replace(FRONTEX_NATIONALITY).alias("citizenship"),
        pl.col("n").cast(pl.Int64).alias("value"),
    )
    # Two source codes map to 'unknown': add them up so each breakdown appears once.
    mapped = mapped.group_by(["indicator", "period", "route", "border_type", "citizenship"], maintain_order=True).agg(
        pl.col("value").sum()
    )
    mapped = mapped.with_columns(pl.col("value").cast(pl.String))
    return mapped.with_row_index("row", offset=2).with_columns(pl.col("row").cast(pl.Int64))


def australia_frame(path: Path = AUSTRALIA_CSV) -> pl.DataFrame:
    """Annual people on board mapped to `sea_rescue`, one January row per year."""
    source = pl.read_csv(path, infer_schema=False)
    mapped = source.select(
        pl.lit("sea_rescue").alias("indicator"),
        pl.format("{}-01", pl.col("t")).alias("period"),
        pl.col("n").alias("value"),
    )
    return mapped.with_row_index("row", offset=2).with_columns(pl.col("row").cast(pl.Int64))


def _publish_all(dataset: DataSet, submissions: list[Submission]) -> None:
    """External sources arrive already published by their owner: record them as published to members."""
    from regionaldata.services import _apply_audience

    with transaction.atomic():
        for submission in submissions:
            submission.state = WorkflowState.PUBLISHED
            submission.status = Status.PUBLISHED
            submission.save(update_fields=["state", "status", "updated_at"])
            _apply_audience(submission)


def import_frontex(*, start: date | None = None, end: date | None = None, path: Path = FRONTEX_CSV) -> ImportResult:
    dataset = frontex_dataset()
    frame = frontex_frame(path, start=start, end=end)
    label = f"{path.name} {start or ''}..{end or ''}"
    return _import(dataset, frame, label)


def import_australia(*, path: Path = AUSTRALIA_CSV) -> ImportResult:
    return _import(australia_dataset(), australia_frame(path), path.name)


def _import(dataset: DataSet, frame: pl.DataFrame, label: str) -> ImportResult:
    import hashlib

    checksum = hashlib.sha256(frame.drop("row").write_csv().encode()).hexdigest()
    from regionaldata.models import UploadedFile

    previous = UploadedFile.objects.filter(dataset=dataset, checksum=checksum, state=UploadedFile.State.STORED).first()
    if previous is not None:
        from regionaldata.validation import Report

        return ImportResult(report=Report(), file=previous, unchanged=True)
    # Published months are reopened by replacing them: external sources revise their history.
    Submission.objects.filter(dataset=dataset, period__in=_periods(frame)).update(state=WorkflowState.DRAFT)
    result = store_frame(actor=None, dataset=dataset, frame=frame, checksum=checksum, filename=label, fmt="csv")
    if result.report.ok:
        _publish_all(dataset, result.submissions)
    return result


def _periods(frame: pl.DataFrame) -> list[date]:
    return [date(int(text[:4]), int(text[5:7]), 1) for text in frame["period"].unique().to_list()]
