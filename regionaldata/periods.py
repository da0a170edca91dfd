"""Reporting periods: a month, a quarter or a year, always stored as the date of its first day.

One place knows how a period is written ("2025-05", "2025-Q2", "2025"; SDMX TIME_PERIOD formats), shown
("May 2025", "Q2 2025", "2025"), where it ends and what follows it. Everything else asks here.
"""

import re
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

MONTHLY = "monthly"
QUARTERLY = "quarterly"
ANNUAL = "annual"
PERIOD_TYPES = (MONTHLY, QUARTERLY, ANNUAL)
MONTHS_IN = {MONTHLY: 1, QUARTERLY: 3, ANNUAL: 12}
FREQ = {MONTHLY: "M", QUARTERLY: "Q", ANNUAL: "A"}  # SDMX code list CL_FREQ
FREQ_NAMES = {"A": "Annual", "Q": "Quarterly", "M": "Monthly"}
TYPE_OF_FREQ = {code: period_type for period_type, code in FREQ.items()}
NOUN = {MONTHLY: _("month"), QUARTERLY: _("quarter"), ANNUAL: _("year")}
# How many recent periods the completeness page shows per period type.
RECENT = {MONTHLY: 12, QUARTERLY: 8, ANNUAL: 5}

_KEY = {
    MONTHLY: re.compile(r"^(\d{4})-(\d{2})$"),
    QUARTERLY: re.compile(r"^(\d{4})-Q([1-4])$"),
    ANNUAL: re.compile(r"^(\d{4})$"),
}
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def start_of(day: date, period_type: str) -> date:
    """The first day of the period of this type that contains `day`."""
    months = MONTHS_IN[period_type]
    return date(day.year, (day.month - 1) // months * months + 1, 1)


def is_start(day: date, period_type: str) -> bool:
    return start_of(day, period_type) == day


def shift(start: date, period_type: str, count: int = 1) -> date:
    """The start of the period `count` periods after (or before, if negative) the one starting at `start`."""
    index = start.year * 12 + start.month - 1 + count * MONTHS_IN[period_type]
    return date(index // 12, index % 12 + 1, 1)


def end_of(start: date, period_type: str) -> date:
    """The last day of the period."""
    return shift(start_of(start, period_type), period_type) - timedelta(days=1)


def key(start: date, period_type: str) -> str:
    """How the period is written in files, URLs, principals and SDMX TIME_PERIOD: 2025-05, 2025-Q2, 2025."""
    if period_type == ANNUAL:
        return f"{start.year:04d}"
    if period_type == QUARTERLY:
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year:04d}-{start.month:02d}"


def label(start: date, period_type: str) -> str:
    """How people read it: May 2025, Q2 2025, 2025."""
    if period_type == ANNUAL:
        return str(start.year)
    if period_type == QUARTERLY:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return date_format(start, "F Y")


def datetime_attr(start: date, period_type: str) -> str:
    """A valid HTML `<time datetime>` value: a year, a month, or (for a quarter) its first day."""
    if period_type == QUARTERLY:
        return start.isoformat()
    return key(start, period_type)


def parse(text: str | None, period_type: str) -> date | None:
    """A period of this type written as its key or as its first day (2025-01-01); None if it is neither."""
    text = (text or "").strip()
    match = _KEY[period_type].match(text)
    try:
        if match and period_type == ANNUAL:
            return date(int(match[1]), 1, 1)
        if match and period_type == QUARTERLY:
            return date(int(match[1]), 3 * int(match[2]) - 2, 1)
        if match:
            return date(int(match[1]), int(match[2]), 1)
        match = _DAY.match(text)
        if match:
            day = date(int(match[1]), int(match[2]), int(match[3]))
            return day if is_start(day, period_type) else None
    except ValueError:
        return None
    return None


def parse_any(text: str | None) -> tuple[date, str] | None:
    """A period of any type from its key (2025, 2025-Q2, 2025-05): (first day, period type)."""
    for period_type in (MONTHLY, QUARTERLY, ANNUAL):
        if _KEY[period_type].match((text or "").strip()):
            start = parse(text, period_type)
            return (start, period_type) if start else None
    return None


def window(start_text: str | None, end_text: str | None) -> tuple[date | None, date | None]:
    """A From/To filter written as periods of any type: (first day of `start`, last day of `end`)."""
    first = parse_any(start_text)
    last = parse_any(end_text)
    return (
        first[0] if first else None,
        end_of(*last) if last else None,
    )


def last_start_within(window_end: date, period_type: str) -> date:
    """The start of the last period of this type that has ended by `window_end` (inclusive)."""
    start = start_of(window_end, period_type)
    return start if end_of(start, period_type) <= window_end else shift(start, period_type, -1)


def month_end(day: date) -> date:
    return end_of(day, MONTHLY)
