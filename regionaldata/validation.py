"""The one validation path for every way figures come in (web grid, CSV/XLSX, JSON, SDMX-CSV).

Each parser turns its input into a frame of text columns plus `row` (the number the sender sees);
`validate` checks whole columns at once with polars and reports every problem by row and column.
"""

import io
import json
from dataclasses import dataclass, field
from datetime import date

import polars as pl
from django.utils.translation import gettext as _

from regionaldata import periods
from regionaldata.models import DIMENSIONS, TOTAL

BASE_COLUMNS = ("indicator", "period")
COLUMNS = (*BASE_COLUMNS, *DIMENSIONS, "value")
# Accepted besides the template's columns: SDMX-CSV's FREQ, checked against the data set's period type.
OPTIONAL_COLUMNS = ("freq",)
KEY_COLUMNS = ("indicator", "period", *DIMENSIONS)
MAX_REPORTED = 500  # problems listed per check; the count is always complete


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column '%(column)s'") % {"column": self.column})
        prefix = ", ".join(where)
        return f"{prefix[:1].upper()}{prefix[1:]}: {self.message}" if prefix else self.message


@dataclass
class Report:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    error_count: int = 0
    frame: pl.DataFrame | None = None  # typed, clean rows when there are no errors

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, problems: list[Problem], total: int | None = None, *, warning: bool = False) -> None:
        if warning:
            self.warnings.extend(problems[:MAX_REPORTED])
            return
        self.errors.extend(problems[:MAX_REPORTED])
        self.error_count += total if total is not None else len(problems)


@dataclass(frozen=True)
class Context:
    """What validation needs to know besides the rows, loaded once per file."""

    indicator_dimensions: dict[str, list[str]]  # indicator code -> allowed dimensions
    code_lists: dict[str, frozenset[str]]
    today: date
    rules: list[dict] = field(default_factory=list)
    history: dict[str, tuple[float, float, int]] = field(default_factory=dict)  # indicator -> mean, sd, n
    locked_periods: frozenset[date] = frozenset()  # first days of approved (locked) periods
    period_type: str = periods.MONTHLY
    # Cells an external source suppressed: KEY_COLUMNS (period a date) and `_hidden`, the most they can add up to.
    hidden: pl.DataFrame | None = None
    additivity_warns: bool = False  # external sources: a total that does not add up is a warning, not an error


# --- parsers: every format becomes text columns + row ------------------------------------------


def _finish(frame: pl.DataFrame, *, first_row: int) -> pl.DataFrame:
    frame = frame.rename({name: name.strip().lower() for name in frame.columns})
    return frame.with_row_index("row", offset=first_row).with_columns(pl.col("row").cast(pl.Int64))


def parse_csv(content: bytes) -> pl.DataFrame:
    """CSV from the template: header on row 1, data from row 2; every value read as text."""
    text = content.decode("utf-8-sig")
    frame = pl.read_csv(io.StringIO(text), infer_schema=False)
    return _finish(frame, first_row=2)


def parse_xlsx(content: bytes) -> pl.DataFrame:
    """First sheet of the template workbook: header on row 1."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
    columns: dict[str, list] = {name: [] for name in header if name}
    for values in rows:
        if values is None or all(value is None or value == "" for value in values):
            values = [None] * len(header)
        for name, value in zip(header, values, strict=False):
            if name:
                columns[name].append(_cell_text(value))
    workbook.close()
    frame = pl.DataFrame(columns, schema={name: pl.String for name in columns})
    frame = _finish(frame, first_row=2)
    return frame.filter(~pl.all_horizontal([pl.col(name).is_null() for name in columns]))


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        # A date cell is its day: for a month, quarter or year, the first day is accepted (2025-01-01).
        return value.strftime("%Y-%m-%d")
    return str(value)


def parse_json(rows: list) -> pl.DataFrame:
    """A JSON list of objects; row numbers count from 1 in the list."""
    if not isinstance(rows, list) or not all(isinstance(item, dict) for item in rows):
        raise ValueError(_("Send a JSON list of observations (objects)."))
    names: list[str] = []
    for item in rows:
        names.extend(name for name in item if name not in names)
    data = {name: [None if item.get(name) is None else str(item.get(name)) for item in rows] for name in names}
    return _finish(pl.DataFrame(data, schema={name: pl.String for name in names}), first_row=1)


SDMX_COLUMNS = {"time_period": "period", "obs_value": "value"}
SDMX_IGNORED = ("dataflow", "structure", "structure_id", "action", "reporting", "obs_status", "quality_note")


def parse_sdmx_csv(content: bytes) -> pl.DataFrame:
    """SDMX-CSV as exported by the portal (STRUCTURE, FREQ, REPORTING, dimensions, TIME_PERIOD, OBS_VALUE).

    FREQ is kept: validation checks it is the data set's (A, Q or M); TIME_PERIOD is 2025, 2025-Q2 or 2025-05.
    """
    frame = parse_csv(content)
    frame = frame.rename({old: new for old, new in SDMX_COLUMNS.items() if old in frame.columns})
    return frame.drop([name for name in SDMX_IGNORED if name in frame.columns])


def parse_upload(content: bytes, *, filename: str) -> tuple[pl.DataFrame, str]:
    """Pick the parser from the file name; raises ValueError with a plain message."""
    lowered = filename.lower()
    try:
        if lowered.endswith(".xlsx"):
            return parse_xlsx(content), "xlsx"
        if lowered.endswith(".json"):
            return parse_json(json.loads(content.decode("utf-8"))), "json"
        if lowered.endswith(".csv"):
            head = content[:200].decode("utf-8-sig", errors="replace").lower()
            if head.startswith("dataflow") or head.startswith("structure"):
                return parse_sdmx_csv(content), "sdmx-csv"
            return parse_csv(content), "csv"
    except (pl.exceptions.PolarsError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(_("The file could not be read: %(error)s") % {"error": str(error)[:200]}) from error
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        raise ValueError(
            _("The file could not be read as a workbook: %(error)s") % {"error": str(error)[:200]}
        ) from error
    raise ValueError(_("Upload a .csv, .xlsx or .json file made from the template."))


# --- validation --------------------------------------------------------------------------------


def _problems(frame: pl.DataFrame, column: str | None, message_expr: pl.Expr) -> tuple[list[Problem], int]:
    total = frame.height
    listed = frame.head(MAX_REPORTED).select(pl.col("row"), message_expr.alias("message"))
    return [Problem(row, column, message) for row, message in listed.iter_rows()], total


def _fmt(template: str, *parts: pl.Expr | str) -> pl.Expr:
    return pl.format(template, *[pl.lit(part) if isinstance(part, str) else part for part in parts])


def _period_messages(period_type: str) -> dict[str, str]:
    """The period's words in every message (translated when called, not at import)."""
    if period_type == periods.QUARTERLY:
        return {
            "malformed": _("'{}' is not a quarter; this data set is quarterly: write it as YYYY-Qn, e.g. 2025-Q1."),
            "not_first_day": _(
                "{} is not the first day of a quarter; write the quarter as YYYY-Qn, e.g. 2025-Q1 (or its first "
                "day, 2025-01-01)."
            ),
            "future": _("{} is in the future; figures can only be sent for past or current quarters."),
            "repeat": _("This row repeats row {} (same indicator, quarter and breakdown)."),
            "outlier": _("{} is far from this participant's usual figure for '{}' (about {} a quarter); please check."),
        }
    if period_type == periods.ANNUAL:
        return {
            "malformed": _("'{}' is not a year; this data set is annual: write the year as YYYY, e.g. 2024."),
            "not_first_day": _(
                "{} is not the first day of a year; write the year as YYYY, e.g. 2024 (or its first day, 2024-01-01)."
            ),
            "future": _("{} is in the future; figures can only be sent for past or current years."),
            "repeat": _("This row repeats row {} (same indicator, year and breakdown)."),
            "outlier": _("{} is far from this participant's usual figure for '{}' (about {} a year); please check."),
        }
    return {
        "malformed": _("'{}' is not a month; write it as YYYY-MM, e.g. 2025-03."),
        "not_first_day": _("{} is not the first day of a month; write the month as YYYY-MM, e.g. 2025-03."),
        "future": _("{} is in the future; figures can only be sent for past or current months."),
        "repeat": _("This row repeats row {} (same indicator, month and breakdown)."),
        "outlier": _("{} is far from this participant's usual figure for '{}' (about {} a month); please check."),
    }


def _period_type_name(period_type: str) -> str:
    return {periods.MONTHLY: _("monthly"), periods.QUARTERLY: _("quarterly"), periods.ANNUAL: _("annual")}[period_type]


def _period_expr(period_type: str) -> pl.Expr:
    """The first day of the period each row names, or null: its key (2025-05, 2025-Q2, 2025) or its first day."""
    text = pl.col("period")
    as_day = text.str.to_date("%Y-%m-%d", strict=False)
    day_form = text.str.contains(r"^\d{4}-\d{2}-\d{2}$").fill_null(False)
    year = text.str.slice(0, 4).cast(pl.Int32, strict=False)
    if period_type == periods.ANNUAL:
        short_form = text.str.contains(r"^\d{4}$")
        short = pl.date(year, 1, 1)
        first_day = (as_day.dt.month() == 1) & (as_day.dt.day() == 1)
    elif period_type == periods.QUARTERLY:
        short_form = text.str.contains(r"^\d{4}-Q[1-4]$")
        quarter = pl.when(short_form).then(text.str.slice(6, 1).cast(pl.Int32, strict=False)).otherwise(1)
        short = pl.date(year, quarter * 3 - 2, 1)
        first_day = ((as_day.dt.month() - 1) % 3 == 0) & (as_day.dt.day() == 1)
    else:
        short_form = text.str.contains(r"^\d{4}-\d{2}$")
        short = pl.concat_str([text, pl.lit("-01")]).str.to_date("%Y-%m-%d", strict=False)
        first_day = as_day.dt.day() == 1
    return (
        pl.when(short_form.fill_null(False))
        .then(short)
        .when(day_form & first_day.fill_null(False))
        .then(as_day)
        .otherwise(None)
    )


def _key_expr(day: pl.Expr, period_type: str) -> pl.Expr:
    """The period key (as periods.key writes it) of a date column."""
    if period_type == periods.ANNUAL:
        return day.dt.strftime("%Y")
    if period_type == periods.QUARTERLY:
        return pl.concat_str([day.dt.strftime("%Y"), pl.lit("-Q"), day.dt.quarter().cast(pl.String)])
    return day.dt.strftime("%Y-%m")


def _check_additivity(typed: pl.DataFrame, context: Context, report: Report) -> None:
    """Every total equals the sum of its breakdown, one dimension at a time (two-way tables on both margins).

    Cells a source suppressed (`context.hidden`: the key and `_hidden`, the most the hidden values can add up
    to) are unknown, not zero: a total passes if some values of them make it add up. For an external source
    (`context.additivity_warns`) a total that still does not add up is a warning: its figures are stored as
    published, and the importer writes the warning into the period's data-quality note.
    """
    hidden = context.hidden if context.hidden is not None and context.hidden.height else None
    cells = typed
    everything = typed
    own_hidden, parts_hidden = pl.lit(0, dtype=pl.Int64), pl.lit(0, dtype=pl.Int64)  # no extra column when none
    if hidden is not None:
        own_hidden, parts_hidden = pl.col("_hidden"), pl.col("_hidden").sum()
        hidden = hidden.select(*KEY_COLUMNS, pl.col("_hidden").cast(pl.Int64))
        cells = typed.join(hidden, on=KEY_COLUMNS, how="left").with_columns(pl.col("_hidden").fill_null(0))
        only_hidden = hidden.join(typed.select(KEY_COLUMNS), on=KEY_COLUMNS, how="anti").select(
            pl.lit(None, dtype=pl.Int64).alias("row"), *KEY_COLUMNS, pl.lit(0, dtype=pl.Int64).alias("value"), "_hidden"
        )
        cells = cells.select("row", *KEY_COLUMNS, "value", "_hidden")
        everything = pl.concat([cells, only_hidden])
    used_counts = everything.select([(pl.col(name) != TOTAL).sum().alias(name) for name in DIMENSIONS]).row(
        0, named=True
    )
    for dimension in DIMENSIONS:
        if not used_counts[dimension] or used_counts[dimension] == everything.height:
            continue  # nothing broken down, or no total row to compare with
        others = [name for name in KEY_COLUMNS if name != dimension]
        parts = (
            everything.filter(pl.col(dimension) != TOTAL)
            .group_by(others)
            .agg(pl.col("value").sum().alias("_sum"), parts_hidden.alias("_parts_hidden"))
        )
        if parts.height == 0:
            continue
        totals = cells.filter(pl.col(dimension) == TOTAL).join(parts, on=others, how="inner")
        # Known parts plus at most the hidden ones can reach the total, and the total (plus at most its own
        # hidden part, if some of it was suppressed) can reach the known parts.
        bad = totals.filter(
            (pl.col("value") > pl.col("_sum") + pl.col("_parts_hidden"))
            | (pl.col("value") + own_hidden < pl.col("_sum"))
        )
        if not bad.height:
            continue
        label = str(dimension).replace("_", " ")
        exact = _fmt(
            _("The total {} is not the sum of its breakdown by {} ({})."),
            pl.col("value").cast(pl.String),
            label,
            pl.col("_sum").cast(pl.String),
        )
        with_hidden = _fmt(
            _(
                "The total {} is not the sum of its breakdown by {} ({} given, and at most {} more in cells suppressed "
                "by the source)."
            ),
            pl.col("value").cast(pl.String),
            label,
            pl.col("_sum").cast(pl.String),
            pl.col("_parts_hidden").cast(pl.String),
        )
        total_hidden = _fmt(
            _(
                "The total {} (which leaves out at most {} the source suppressed) is not the sum of its breakdown "
                "by {} ({})."
            ),
            pl.col("value").cast(pl.String),
            own_hidden.cast(pl.String),
            label,
            pl.col("_sum").cast(pl.String),
        )
        parts_hidden_known = pl.col("_parts_hidden") > 0
        message = pl.when(parts_hidden_known).then(with_hidden).when(own_hidden > 0).then(total_hidden).otherwise(exact)
        problems, total = _problems(bad, "value", message)
        report.add(problems, total=total, warning=context.additivity_warns)


def validate(frame: pl.DataFrame, context: Context) -> Report:
    """Check every row and column; returns all problems, and the typed frame when there are no errors."""
    report = Report()
    present = [name for name in frame.columns if name != "row"]
    unknown = [name for name in present if name not in COLUMNS and name not in OPTIONAL_COLUMNS]
    for name in unknown:
        report.add([Problem(None, name, _("This column is not in the template; remove it or fix its name."))])
    missing = [name for name in ("indicator", "period", "value") if name not in present]
    for name in missing:
        report.add([Problem(None, name, _("This column is required and missing."))])
    if missing or unknown:
        return report
    if frame.height == 0:
        report.add([Problem(None, None, _("The file has no rows of figures."))])
        return report

    frame = frame.with_columns(
        [pl.col(name).str.strip_chars() for name in present]
        + [pl.lit(None, dtype=pl.String).alias(name) for name in DIMENSIONS if name not in present]
    )
    frame = frame.with_columns([pl.col(name).fill_null(TOTAL).replace("", TOTAL) for name in DIMENSIONS])

    # indicator
    known = list(context.indicator_dimensions)
    bad = frame.filter(~pl.col("indicator").is_in(known) | pl.col("indicator").is_null())
    if bad.height:
        report.add(
            *_problems(
                bad,
                "indicator",
                _fmt(
                    _("'{}' is not an indicator of this data set (use one of: {})."),
                    pl.col("indicator").fill_null(""),
                    ", ".join(known),
                ),
            )
        )

    # period: as the data set reports (2025-05, 2025-Q2 or 2025; a first day such as 2025-01-01 is accepted),
    # started by today (the current period may be sent), not locked; SDMX's FREQ, if sent, matches.
    frame = frame.with_columns(_period_expr(context.period_type).alias("_period"))
    words = _period_messages(context.period_type)
    as_day = pl.col("period").str.to_date("%Y-%m-%d", strict=False)
    day_form = pl.col("period").str.contains(r"^\d{4}-\d{2}-\d{2}$").fill_null(False) & as_day.is_not_null()
    bad = frame.filter(pl.col("_period").is_null() & day_form)
    if bad.height:
        report.add(*_problems(bad, "period", _fmt(words["not_first_day"], pl.col("period"))))
    bad = frame.filter(pl.col("_period").is_null() & ~day_form)
    if bad.height:
        report.add(*_problems(bad, "period", _fmt(words["malformed"], pl.col("period").fill_null(""))))
    current = periods.start_of(context.today, context.period_type)
    bad = frame.filter(pl.col("_period") > current)
    if bad.height:
        report.add(*_problems(bad, "period", _fmt(words["future"], pl.col("period"))))
    if context.locked_periods:
        bad = frame.filter(pl.col("_period").is_in(list(context.locked_periods)))
        if bad.height:
            key = _key_expr(pl.col("_period"), context.period_type)
            report.add(
                *_problems(bad, "period", _fmt(_("{} is approved and locked; ask for a correction to reopen it."), key))
            )
    if "freq" in present:
        expected = periods.FREQ[context.period_type]
        bad = frame.filter(pl.col("freq").fill_null("") != expected)
        if bad.height:
            message = _fmt(
                _("FREQ '{}' is not this data set's: it is {} (FREQ {})."),
                pl.col("freq").fill_null(""),
                _period_type_name(context.period_type),
                expected,
            )
            report.add(*_problems(bad, "freq", message))

    # value: a whole number, zero or more
    frame = frame.with_columns(pl.col("value").cast(pl.Int64, strict=False).alias("_value"))
    bad = frame.filter(pl.col("_value").is_null())
    if bad.height:
        report.add(*_problems(bad, "value", _fmt(_("'{}' is not a whole number."), pl.col("value").fill_null(""))))
    bad = frame.filter(pl.col("_value") < 0)
    if bad.height:
        report.add(*_problems(bad, "value", _fmt(_("{} is negative; counts are zero or more."), pl.col("value"))))

    # dimension codes: in the code list, and only where the indicator allows the dimension
    used_counts = frame.select([(pl.col(name) != TOTAL).sum().alias(name) for name in DIMENSIONS]).row(0, named=True)
    for dimension in DIMENSIONS:
        if not used_counts[dimension]:
            continue
        allowed_for = [code for code, dims in context.indicator_dimensions.items() if dimension in dims]
        used = pl.col(dimension) != TOTAL
        bad = frame.filter(used & pl.col("indicator").is_in(known) & ~pl.col("indicator").is_in(allowed_for))
        if bad.height:
            report.add(
                *_problems(
                    bad,
                    dimension,
                    _fmt(_("Indicator '{}' has no breakdown by this column; leave it empty."), pl.col("indicator")),
                )
            )
        codes = list(context.code_lists.get(dimension, ()))
        bad = frame.filter(used & ~pl.col(dimension).is_in(codes))
        if bad.height:
            report.add(*_problems(bad, dimension, _fmt(_("'{}' is not in the code list."), pl.col(dimension))))

    if not report.ok:
        return report

    typed = frame.select(
        "row", "indicator", pl.col("_period").alias("period"), *DIMENSIONS, pl.col("_value").alias("value")
    )

    # duplicates within the file: a cheap hash finds candidates, the exact keys confirm them
    candidates = typed.filter(pl.struct(KEY_COLUMNS).hash().is_duplicated())
    if candidates.height:
        first_row = pl.col("row").min().over(KEY_COLUMNS)
        bad = candidates.with_columns(first_row.alias("_first")).filter(pl.col("row") != pl.col("_first"))
        if bad.height:
            message = _fmt(words["repeat"], pl.col("_first"))
            report.add(*_problems(bad, None, message))
            return report

    # totals equal the sum of their breakdowns, one dimension at a time
    _check_additivity(typed, context, report)

    # validation rules (left side, operator, right side, importance) on indicator totals per period
    grand = typed.filter(pl.all_horizontal([pl.col(name) == TOTAL for name in DIMENSIONS])).select(
        "row", "indicator", "period", "value"
    )
    for rule in context.rules:
        left = grand.filter(pl.col("indicator") == rule["left_indicator"])
        right = grand.filter(pl.col("indicator") == rule["right_indicator"]).select(
            "period", pl.col("value").alias("_right")
        )
        pairs = left.join(right, on="period", how="inner").with_columns(
            (pl.col("value") * rule.get("left_multiplier", 1.0)).alias("_l"),
            (pl.col("_right") * rule.get("right_multiplier", 1.0)).alias("_r"),
        )
        holds = {
            "==": pl.col("_l") == pl.col("_r"),
            "<=": pl.col("_l") <= pl.col("_r"),
            ">=": pl.col("_l") >= pl.col("_r"),
            "<": pl.col("_l") < pl.col("_r"),
            ">": pl.col("_l") > pl.col("_r"),
        }[rule["operator"]]
        bad = pairs.filter(~holds)
        if bad.height:
            message = _fmt(
                _("Rule '{}' fails: {} is {}, {} is {}. {}"),
                rule["name"],
                rule["left_indicator"],
                pl.col("_l").cast(pl.Int64).cast(pl.String),
                rule["right_indicator"],
                pl.col("_r").cast(pl.Int64).cast(pl.String),
                rule.get("instruction", ""),
            )
            problems, total = _problems(bad, "value", message)
            report.add(problems, total=total, warning=rule["importance"] != "high")

    # outliers against the participant's own history: warnings only
    for indicator, (mean, sd, count) in context.history.items():
        if count < 3:
            continue
        limit = max(3 * sd, 0.5 * mean, 10)
        bad = grand.filter((pl.col("indicator") == indicator) & ((pl.col("value") - mean).abs() > limit))
        if bad.height:
            message = _fmt(
                words["outlier"],
                pl.col("value").cast(pl.String),
                indicator,
                str(round(mean)),
            )
            report.add(_problems(bad, "value", message)[0], warning=True)

    if report.ok:
        report.frame = typed
    return report
