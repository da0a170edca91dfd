"""Real data onto the catalogue: Frontex monthly detections, Australian boat arrivals, UNODC GLOTIP victims of
trafficking and UNHCR asylum applications (external partner data)."""

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import transaction

from participants.models import Agency, Participant
from regionaldata import periods
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


def _external_dataset(
    *,
    code: str,
    name: str,
    participant_code: str,
    participant_name: str,
    note: str,
    period_type: str = periods.MONTHLY,
) -> DataSet:
    """The partner's data set, created once; its period type, name and source note follow this code."""
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
            "period_type": period_type,
        },
    )
    if created:
        QualityNote.objects.create(dataset=dataset, text=note)
    elif (dataset.period_type, dataset.name, dataset.source_note) != (period_type, name, note):
        # A source described anew (or, before annual periods existed, stored on January): the general note
        # written from the old description is rewritten with it. Periods are first days either way.
        QualityNote.objects.filter(dataset=dataset, period__isnull=True, text=dataset.source_note).update(text=note)
        dataset.period_type, dataset.name, dataset.source_note = period_type, name, note
        dataset.save(update_fields=["period_type", "name", "source_note"])
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
        note="Annual totals. 2025 covers January to April only. "
        "From 2022 the counts include crew. Arrivals include people returned to the country of departure.",
        period_type=periods.ANNUAL,
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
    """Annual people on board mapped to `sea_rescue`, one row per year (an annual data set)."""
    source = pl.read_csv(path, infer_schema=False)
    mapped = source.select(
        pl.lit("sea_rescue").alias("indicator"),
        pl.col("t").alias("period"),
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
    Submission.objects.filter(dataset=dataset, period__in=_periods(frame, dataset.period_type)).update(
        state=WorkflowState.DRAFT
    )
    result = store_frame(actor=None, dataset=dataset, frame=frame, checksum=checksum, filename=label, fmt="csv")
    if result.report.ok:
        _publish_all(dataset, result.submissions)
    return result


def _periods(frame: pl.DataFrame, period_type: str) -> list[date]:
    found = (periods.parse(text, period_type) for text in frame["period"].unique().to_list())
    return [period for period in found if period is not None]


# --- UNODC GLOTIP (victims detected) and UNHCR asylum applications: annual, one data set per reporting country ---

GLOTIP_CSV = DATA_DIR / "unodc-glotip-trafficking" / "data_glotip_bali_victims.csv"
UNHCR_CSV = DATA_DIR / "unhcr-refugee-statistics" / "asylum_applications_bali.csv"
UNHCR_COUNTRIES_CSV = DATA_DIR / "unhcr-refugee-statistics" / "countries.csv"
SUPPRESSED = "<5"
GLOTIP_VICTIMS = "Detected trafficking victims"


class SourceFileError(ValueError):
    """A source file that cannot be mapped; the message names the file, the row and the column."""


@dataclass
class SourceImport:
    """The outcome of one annual source: per reporting country, what was stored and what was suppressed."""

    results: dict[str, ImportResult] = field(default_factory=dict)
    suppressed: dict[str, list[int]] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        return all(result.unchanged for result in self.results.values())

    @property
    def rows(self) -> int:
        return sum(result.file.row_count for result in self.results.values() if result.file is not None)


def _check_source(source: pl.DataFrame, path: Path, *, required: list[str], value: str, allow: str | None) -> None:
    """Every required column present; the year four digits; the value a whole number (or the suppression mark)."""
    missing = [name for name in required if name not in source.columns]
    if missing:
        raise SourceFileError(f"{path.name}: column {missing[0]!r} is missing")
    year_bad = source.filter(~pl.col("_year").str.contains(r"^\d{4}$") | pl.col("_year").is_null())
    if year_bad.height:
        row = year_bad.row(0, named=True)
        raise SourceFileError(f"{path.name} row {row['_line']}: year {row['_year']!r} is not a four-digit year")
    ok = pl.col(value).str.contains(r"^(\d+|\d{1,3}(,\d{3})+)$")  # GLOTIP writes thousands as 1,127
    if allow:
        ok = ok | (pl.col(value) == allow)
    bad = source.filter(~ok.fill_null(False))
    if bad.height:
        row = bad.row(0, named=True)
        expected = f"a whole number or {allow!r}" if allow else "a whole number"
        raise SourceFileError(f"{path.name} row {row['_line']}, column {value}: {row[value]!r} is not {expected}")


def glotip_frame(path: Path = GLOTIP_CSV) -> tuple[pl.DataFrame, pl.DataFrame]:
    """GLOTIP victims detected, total per reporting country and year (mapped to `vot`), and the suppressed cells.

    Returns (figures with a `country` column, suppressed country-years). `<5` cells are never turned into numbers.
    """
    source = pl.read_csv(path, infer_schema=False).with_row_index("_line", offset=2)
    if "Year" in source.columns:
        source = source.with_columns(pl.col("Year").alias("_year"))
    _check_source(
        source,
        path,
        required=["Iso3_code", "Indicator", "Dimension", "Category", "Sex", "Age", "Year", "txtVALUE"],
        value="txtVALUE",
        allow=SUPPRESSED,
    )
    totals = source.filter(
        (pl.col("Indicator") == GLOTIP_VICTIMS)
        & (pl.col("Dimension") == "Total")
        & (pl.col("Category") == "Total")
        & (pl.col("Sex") == "Total")
        & (pl.col("Age") == "Total")
    )
    suppressed = totals.filter(pl.col("txtVALUE") == SUPPRESSED).select(
        pl.col("Iso3_code").alias("country"), pl.col("Year").cast(pl.Int64).alias("year")
    )
    figures = totals.filter(pl.col("txtVALUE") != SUPPRESSED).select(
        pl.col("Iso3_code").alias("country"),
        pl.col("_line").cast(pl.Int64).alias("row"),
        pl.lit("vot").alias("indicator"),
        pl.col("Year").alias("period"),
        pl.col("txtVALUE").str.replace_all(",", "").alias("value"),
    )
    return figures, suppressed


def _unhcr_iso(path: Path) -> dict[str, str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["unhcr_code"]: row["iso_code"] or UNKNOWN_CITIZENSHIP for row in csv.DictReader(handle)}


def unhcr_frame(path: Path = UNHCR_CSV, countries: Path = UNHCR_COUNTRIES_CSV) -> pl.DataFrame:
    """UNHCR asylum applications by country of asylum (the data set) and origin (`citizenship`), per year.

    The rows per procedure, application type, decision level and persons/cases are added up, as UNHCR's own
    "asylum applications" totals do. Origins are UNHCR's `coo` mapped to ISO through countries.csv.
    """
    source = pl.read_csv(path, infer_schema=False).with_row_index("_line", offset=2)
    if "year" in source.columns:
        source = source.with_columns(pl.col("year").alias("_year"))
    _check_source(source, path, required=["year", "coo", "coo_iso", "coa_iso", "applied"], value="applied", allow=None)
    # countries.csv gives UNHCR's STA as XXA and UKN as XXX; an origin listed there with no ISO code (Tibetan,
    # `TIB`) has no citizenship code and is counted as unknown. An origin missing from countries.csv keeps coo_iso.
    origin = pl.col("coo").replace_strict(_unhcr_iso(countries), default=pl.col("coo_iso"))
    mapped = source.select(
        pl.col("coa_iso").alias("country"),
        pl.col("_line").cast(pl.Int64).alias("_line"),
        pl.lit("asylum").alias("indicator"),
        pl.col("year").alias("period"),
        origin.alias("citizenship"),
        pl.col("applied").str.replace_all(",", "").cast(pl.Int64).alias("value"),
    )
    mapped = mapped.group_by(["country", "indicator", "period", "citizenship"], maintain_order=True).agg(
        pl.col("value").sum(), pl.col("_line").min().alias("row")
    )
    return mapped.with_columns(pl.col("value").cast(pl.String))


def _country_names() -> dict[str, str]:
    from regionaldata.catalogue import country_codes

    return dict(country_codes())


def glotip_dataset(country: str, name: str) -> DataSet:
    return _external_dataset(
        code=f"glotip-vot-{country.lower()}",
        name=f"UNODC GLOTIP: victims of trafficking detected in {name}, annual",
        participant_code="unodc",
        participant_name="United Nations Office on Drugs and Crime (UNODC)",
        note="Annual totals of victims detected by the national authorities. "
        "UNODC suppresses counts under 5 ('<5'): those years are not available and are not counted as 0 or 5. "
        "Coverage and definitions vary by country and year. UNODC GLOTIP, extracted 14 April 2025.",
        period_type=periods.ANNUAL,
    )


def unhcr_dataset(country: str, name: str) -> DataSet:
    return _external_dataset(
        code=f"unhcr-asylum-{country.lower()}",
        name=f"UNHCR: asylum applications lodged in {name}, annual",
        participant_code="unhcr",
        participant_name="Office of the United Nations High Commissioner for Refugees (UNHCR)",
        note="Annual applications by citizenship. UNHCR's totals add new, "
        "repeat and appeal applications and mix persons and cases (as the source counts them), so they are not "
        "only first-time applications. Small numbers may be rounded by UNHCR. UNHCR Refugee Population "
        "Statistics Database (CC BY 4.0), package version 2025.12.1.",
        period_type=periods.ANNUAL,
    )


SUPPRESSED_NOTE = "Suppressed by the source (<5), not available and not counted: "


def _record_suppressed(dataset: DataSet, years: list[int]) -> None:
    text = SUPPRESSED_NOTE + ", ".join(str(year) for year in sorted(years)) + "." if years else ""
    notes = QualityNote.objects.filter(dataset=dataset, text__startswith=SUPPRESSED_NOTE)
    if [note.text for note in notes] == ([text] if text else []):
        return
    notes.delete()
    if text:
        QualityNote.objects.create(dataset=dataset, text=text)


def _import_by_country(figures: pl.DataFrame, make_dataset, label: str, suppressed: pl.DataFrame | None):
    """One data set per reporting country; all countries in one transaction, or nothing."""
    names = _country_names()
    outcome = SourceImport()
    countries = sorted(set(figures["country"].unique().to_list()) | set(_suppressed_map(suppressed)))
    with transaction.atomic():
        for country in countries:
            dataset = make_dataset(country, names.get(country, country))
            frame = figures.filter(pl.col("country") == country).drop("country")
            years = _suppressed_map(suppressed).get(country, [])
            outcome.suppressed[country] = years
            _record_suppressed(dataset, years)
            if frame.height == 0:
                continue
            result = _import(dataset, frame.select(["row", *[c for c in frame.columns if c != "row"]]), label)
            if not result.report.ok:
                raise SourceFileError(f"{label} ({country}): " + "; ".join(str(p) for p in result.report.errors[:5]))
            outcome.results[country] = result
    return outcome


def _suppressed_map(suppressed: pl.DataFrame | None) -> dict[str, list[int]]:
    if suppressed is None:
        return {}
    found: dict[str, list[int]] = {}
    for country, year in suppressed.iter_rows():
        found.setdefault(country, []).append(year)
    return found


def import_glotip(*, path: Path = GLOTIP_CSV) -> SourceImport:
    figures, suppressed = glotip_frame(path)
    return _import_by_country(figures, glotip_dataset, path.name, suppressed)


def import_unhcr(*, path: Path = UNHCR_CSV, countries: Path = UNHCR_COUNTRIES_CSV) -> SourceImport:
    return _import_by_country(unhcr_frame(path, countries), unhcr_dataset, path.name, None)
