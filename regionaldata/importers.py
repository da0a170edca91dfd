"""Real data onto the catalogue: Frontex monthly detections, Australian boat arrivals, UNODC GLOTIP victims of
trafficking and UNHCR asylum applications (external partner data)."""

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import transaction

from participants.models import Agency, Participant
from regionaldata import periods
from regionaldata.catalogue import DEFAULT_INDICATOR_SET, KOSOVO, STATELESS, UNKNOWN_CITIZENSHIP, install_defaults
from regionaldata.models import TOTAL, Audience, DataSet, IndicatorSet, QualityNote, Submission, WorkflowState
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


def _import(dataset: DataSet, frame: pl.DataFrame, label: str, *, hidden: pl.DataFrame | None = None) -> ImportResult:
    """Store a mapped source frame as the data set's published periods, unless the same figures were stored before.

    `hidden`: the cells the source suppressed (validation treats them as unknown, see validation.py).
    """
    import hashlib

    digest = hashlib.sha256(frame.drop("row").write_csv().encode())
    if hidden is not None:
        digest.update(hidden.write_csv().encode())
    checksum = digest.hexdigest()
    from regionaldata.models import UploadedFile

    previous = UploadedFile.objects.filter(dataset=dataset, checksum=checksum, state=UploadedFile.State.STORED).first()
    if previous is not None:
        from regionaldata.validation import Report

        return ImportResult(report=Report(), file=previous, unchanged=True)
    # Published months are reopened by replacing them: external sources revise their history.
    Submission.objects.filter(dataset=dataset, period__in=_periods(frame, dataset.period_type)).update(
        state=WorkflowState.DRAFT
    )
    result = store_frame(
        actor=None, dataset=dataset, frame=frame, checksum=checksum, filename=label, fmt="csv", hidden=hidden
    )
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
    suppressed: dict[str, list[int]] = field(default_factory=dict)  # years whose total the source suppressed
    without_total: dict[str, list[int]] = field(default_factory=dict)  # years with breakdowns but no total

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


# GLOTIP's words -> catalogue codes. "Dimension"/"Category" give the form of exploitation ("Total"/"Total": all).
GLOTIP_FORMS = {
    "Total|Total": TOTAL,
    "by form of exploitation|Sexual exploitation": "SEXUAL",
    "by form of exploitation|Forced labour": "LABOUR",
    "by form of exploitation|Other forms of exploitation": "OTHER_ALL",  # every other form together
}
GLOTIP_SEX = {"Total": TOTAL, "Female": "F", "Male": "M", "Other": "X", "Unknown": "_U"}
GLOTIP_AGE = {"Total": TOTAL, "0 to 17 years": "Y_LT18", "18 years or over": "Y_GE18", "Unknown": "_U"}
GLOTIP_DIMENSIONS = ("Total", "by form of exploitation")  # "by citizenship" and "by country of repatriation" are not
SUPPRESSED_AT_MOST = 4  # '<5' is a whole number from 0 to 4
GLOTIP_KEYS = ["country", "year", "exploitation", "sex", "age_group"]


@dataclass
class GlotipCells:
    """GLOTIP victims detected, per reporting country, year and cell (form of exploitation x sex x age group).

    Rows of the extract that repeat a cell (the sub-forms of "other forms"; some sex totals whose age label
    was lost) are parts of it and are added up. A country-year is stored only with a known overall total.
    """

    figures: pl.DataFrame  # country, row, indicator, period, exploitation, sex, age_group, value: given parts added up
    hidden: pl.DataFrame  # GLOTIP_KEYS, label (the source's words), given, suppressed: cells with a '<5' part
    suppressed: pl.DataFrame  # country, year: overall total '<5'; nothing stored
    without_total: pl.DataFrame  # country, year: breakdowns but no overall total in the source; nothing stored
    labels: dict[int, tuple[int, str]]  # row (the cell's first source line) -> (year, the source's words)


def glotip_frame(path: Path = GLOTIP_CSV) -> GlotipCells:
    """GLOTIP "Detected trafficking victims" by form of exploitation, sex and age group, mapped onto `vot`.

    `<5` cells are never turned into numbers: they are listed in `hidden` (and in notes), not stored.
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
    victims = source.filter(
        (pl.col("Indicator") == GLOTIP_VICTIMS) & pl.col("Dimension").is_in(GLOTIP_DIMENSIONS)
    ).with_columns(pl.concat_str([pl.col("Dimension"), pl.col("Category")], separator="|").alias("_form"))
    for column, expression, mapping in (
        ("Category", pl.col("_form"), GLOTIP_FORMS),
        ("Sex", pl.col("Sex"), GLOTIP_SEX),
        ("Age", pl.col("Age"), GLOTIP_AGE),
    ):
        bad = victims.filter(~expression.is_in(list(mapping)).fill_null(True))
        if bad.height:
            row = bad.row(0, named=True)
            raise SourceFileError(f"{path.name} row {row['_line']}, column {column}: {row[column]!r} is not mapped")
    # The cell in the source's words, e.g. "Forced labour, sex Female, age 0 to 17 years" ("all victims": totals).
    words = [
        pl.when(pl.col(name) != "Total").then(pl.concat_str([pl.lit(prefix), pl.col(name)]))
        for name, prefix in (("Category", ""), ("Sex", "sex "), ("Age", "age "))
    ]
    mapped = victims.select(
        pl.col("Iso3_code").alias("country"),
        pl.col("Year").cast(pl.Int64).alias("year"),
        pl.col("_line").cast(pl.Int64),
        pl.col("_form").replace_strict(GLOTIP_FORMS).alias("exploitation"),
        pl.col("Sex").replace_strict(GLOTIP_SEX).alias("sex"),
        pl.col("Age").replace_strict(GLOTIP_AGE).alias("age_group"),
        pl.concat_str(words, separator=", ", ignore_nulls=True).alias("label"),
        (pl.col("txtVALUE") != SUPPRESSED).alias("_given"),
        pl.col("txtVALUE").str.replace_all(",", "").cast(pl.Int64, strict=False).alias("_number"),
    )
    cells = mapped.group_by(GLOTIP_KEYS, maintain_order=True).agg(
        pl.col("_line").min().alias("row"),
        pl.col("label").first().replace("", "all victims"),
        pl.col("_number").sum().alias("value"),
        pl.col("_given").sum().alias("given"),
        (~pl.col("_given")).sum().alias("suppressed"),
    )
    overall = cells.filter(pl.all_horizontal([pl.col(name) == TOTAL for name in GLOTIP_KEYS[2:]]))
    stored_years = overall.filter((pl.col("given") > 0) & (pl.col("suppressed") == 0)).select("country", "year")
    kept = cells.join(stored_years, on=["country", "year"], how="semi")
    figures = kept.filter(pl.col("given") > 0).select(
        "country",
        "row",
        pl.lit("vot").alias("indicator"),
        pl.col("year").cast(pl.String).alias("period"),
        "exploitation",
        "sex",
        "age_group",
        pl.col("value").cast(pl.String),
    )
    return GlotipCells(
        figures=figures,
        hidden=kept.filter(pl.col("suppressed") > 0).select(*GLOTIP_KEYS, "label", "given", "suppressed"),
        suppressed=overall.filter(pl.col("suppressed") > 0).select("country", "year"),
        without_total=cells.select("country", "year")
        .unique(maintain_order=True)
        .join(overall.select("country", "year"), on=["country", "year"], how="anti"),
        labels={row: (year, label) for row, year, label in kept.select("row", "year", "label").iter_rows()},
    )


def _validator_hidden(hidden: pl.DataFrame) -> pl.DataFrame:
    """The validator's view of suppressed cells: the observation key and the most the '<5' parts can add up to."""
    from regionaldata.models import DIMENSIONS

    present = set(hidden.columns)
    return hidden.select(
        pl.lit("vot").alias("indicator"),
        pl.date(pl.col("year"), 1, 1).alias("period"),
        *[pl.col(name) if name in present else pl.lit(TOTAL).alias(name) for name in DIMENSIONS],
        (pl.col("suppressed") * SUPPRESSED_AT_MOST).cast(pl.Int64).alias("_hidden"),
    )


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
        note="Annual figures of victims detected by the national authorities, with UNODC's breakdowns by sex, age "
        "group (0 to 17, 18 and over) and form of exploitation (sexual exploitation, forced labour, all other forms "
        "together). UNODC suppresses counts under 5 ('<5'): such a cell is not available and is not counted (neither "
        "0 nor 5); each year's note names them, and a year whose total is suppressed is not stored. GLOTIP's "
        "breakdowns need not add up to its totals (suppressed cells, victims counted under more than one form, "
        "unknown sex or age): they are stored as published. Rows of the extract that repeat a cell (sub-forms of "
        "other forms, a sex total split by a lost age label) are added up. Coverage and definitions vary by country "
        "and year. UNODC GLOTIP, extracted 14 April 2025.",
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
WITHOUT_TOTAL_NOTE = "Breakdowns without an overall total in the source, not stored: "
CELLS_NOTE = "Cells suppressed by the source (<5), not available and not counted: "
PARTLY_NOTE = "Partly suppressed (the figure adds up only the rows given): "
NOT_ADDITIVE_NOTE = (
    "Totals that are not the sum of their breakdown in the source itself, even counting each suppressed cell as "
    "0 to 4 (stored as published; see the warnings on this year's page): "
)


def _record_years(dataset: DataSet, prefix: str, years: list[int]) -> None:
    """The data set's general note `prefix` + years, rewritten only when the list changes."""
    text = prefix + ", ".join(str(year) for year in sorted(years)) + "." if years else ""
    notes = QualityNote.objects.filter(dataset=dataset, period__isnull=True, text__startswith=prefix)
    if [note.text for note in notes] == ([text] if text else []):
        return
    notes.delete()
    if text:
        QualityNote.objects.create(dataset=dataset, text=text)


def _record_period_notes(dataset: DataSet, texts: dict[date, str]) -> None:
    """The importer's notes on single periods (author none), made exactly `texts`; others' notes are kept."""
    mine = QualityNote.objects.filter(dataset=dataset, period__isnull=False, author__isnull=True)
    current = {note.period: note for note in mine}
    for period, note in current.items():
        if period not in texts:
            note.delete()
        elif note.text != texts[period]:
            note.text = texts[period]
            note.save(update_fields=["text"])
    QualityNote.objects.bulk_create(
        [
            QualityNote(dataset=dataset, period=period, text=text)
            for period, text in texts.items()
            if period not in current
        ]
    )


def _import_by_country(
    figures: pl.DataFrame,
    make_dataset,
    label: str,
    suppressed: pl.DataFrame | None,
    *,
    without_total: pl.DataFrame | None = None,
    hidden: pl.DataFrame | None = None,
    period_notes=None,
):
    """One data set per reporting country; all countries in one transaction, or nothing.

    `hidden`: suppressed cells per country (GLOTIP_KEYS); `period_notes(country, result)` gives the notes on
    single periods to write after a country's figures changed.
    """
    names = _country_names()
    outcome = SourceImport()
    suppressed_years, missing_total = _years_map(suppressed), _years_map(without_total)
    countries = sorted(set(figures["country"].unique().to_list()) | set(suppressed_years) | set(missing_total))
    with transaction.atomic():
        for country in countries:
            dataset = make_dataset(country, names.get(country, country))
            frame = figures.filter(pl.col("country") == country).drop("country")
            outcome.suppressed[country] = suppressed_years.get(country, [])
            outcome.without_total[country] = missing_total.get(country, [])
            _record_years(dataset, SUPPRESSED_NOTE, outcome.suppressed[country])
            _record_years(dataset, WITHOUT_TOTAL_NOTE, outcome.without_total[country])
            if frame.height == 0:
                continue
            cells = None if hidden is None else _validator_hidden(hidden.filter(pl.col("country") == country))
            frame = frame.select(["row", *[c for c in frame.columns if c != "row"]])
            result = _import(dataset, frame, label, hidden=cells)
            if not result.report.ok:
                raise SourceFileError(f"{label} ({country}): " + "; ".join(str(p) for p in result.report.errors[:5]))
            outcome.results[country] = result
            if period_notes is not None and not result.unchanged:
                _record_period_notes(dataset, period_notes(country, result))
    return outcome


def _glotip_period_notes(cells: GlotipCells, country: str, result: ImportResult) -> dict[date, str]:
    """Per year: the cells the source suppressed, partly suppressed cells, and totals that do not add up there."""
    fully: dict[int, list[str]] = {}
    partly: dict[int, list[str]] = {}
    for year, cell, given, hidden_rows in (
        cells.hidden.filter(pl.col("country") == country).select("year", "label", "given", "suppressed").iter_rows()
    ):
        if given:
            partly.setdefault(year, []).append(f"{cell} ({hidden_rows} of {given + hidden_rows} rows <5)")
        else:
            fully.setdefault(year, []).append(cell)
    mismatches: dict[int, Counter] = {}
    for problem in result.report.warnings:
        if problem.row in cells.labels and " breakdown by " in problem.message:
            year, _cell = cells.labels[problem.row]
            dimension = problem.message.split(" breakdown by ", 1)[1].split(" (", 1)[0]
            mismatches.setdefault(year, Counter())[dimension] += 1
    texts = {}
    for year in sorted(set(fully) | set(partly) | set(mismatches)):
        parts = []
        if year in fully:
            parts.append(CELLS_NOTE + "; ".join(fully[year]) + ".")
        if year in partly:
            parts.append(PARTLY_NOTE + "; ".join(partly[year]) + ".")
        if year in mismatches:
            counts = ", ".join(f"by {name} {count}" for name, count in sorted(mismatches[year].items()))
            parts.append(NOT_ADDITIVE_NOTE + counts + ".")
        texts[date(year, 1, 1)] = " ".join(parts)
    return texts


def _years_map(frame: pl.DataFrame | None) -> dict[str, list[int]]:
    if frame is None:
        return {}
    found: dict[str, list[int]] = {}
    for country, year in frame.select("country", "year").iter_rows():
        found.setdefault(country, []).append(year)
    return found


def import_glotip(*, path: Path = GLOTIP_CSV) -> SourceImport:
    """GLOTIP victims detected: totals and breakdowns by form of exploitation, sex and age group (see GlotipCells)."""
    cells = glotip_frame(path)
    return _import_by_country(
        cells.figures,
        glotip_dataset,
        path.name,
        cells.suppressed,
        without_total=cells.without_total,
        hidden=cells.hidden,
        period_notes=lambda country, result: _glotip_period_notes(cells, country, result),
    )


def import_unhcr(*, path: Path = UNHCR_CSV, countries: Path = UNHCR_COUNTRIES_CSV) -> SourceImport:
    return _import_by_country(unhcr_frame(path, countries), unhcr_dataset, path.name, None)
