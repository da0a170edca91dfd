"""Reciprocity as a derived principal: a participant that reported a period sees others' figures for it.

`reported:<indicator set>:<period>`, the period written as periods.key writes it: 2025-05 (a month),
2025-Q2 (a quarter), 2025 (a year). A participant holds the key of every period it reported (approved or
published) in a data set of that indicator set. Reporting every month of a quarter, or every month or
quarter of a year, counts as reporting that quarter or year too: such a participant sees annual figures
of a year it reported month by month. The reverse does not hold: an annual report does not give the
months of that year.
"""

from collections import defaultdict
from datetime import date

from regionaldata import periods
from regionaldata.models import REPORTED_STATES, Submission


def reported_key(indicator_set_code: str, period: date, period_type: str) -> str:
    """The derived principal a participant holds for a period it reported (reciprocity)."""
    return f"reported:{indicator_set_code}:{periods.key(period, period_type)}"


def reported_principals(user) -> list[str]:
    """Every `reported:<indicator set>:<period>` the user's participant holds (see the module docstring)."""
    agency = getattr(user, "agency", None)
    if agency is None:
        return []
    rows = (
        Submission.objects.filter(originator_participant_id=agency.participant_id, state__in=REPORTED_STATES)
        .values_list("dataset__indicator_set__code", "dataset__period_type", "period")
        .distinct()
    )
    keys: set[str] = set()
    months: dict[tuple[str, int], set[int]] = defaultdict(set)
    quarters: dict[tuple[str, int], set[int]] = defaultdict(set)
    for code, period_type, period in rows:
        keys.add(reported_key(code, period, period_type))
        if period_type == periods.MONTHLY:
            months[(code, period.year)].add(period.month)
        elif period_type == periods.QUARTERLY:
            quarters[(code, period.year)].add(period.month)
    for (code, year), reported in months.items():
        for first in (1, 4, 7, 10):
            if {first, first + 1, first + 2} <= reported:
                quarters[(code, year)].add(first)
                keys.add(reported_key(code, date(year, first, 1), periods.QUARTERLY))
    for (code, year), reported in quarters.items():
        if len(reported) == 4:
            keys.add(reported_key(code, date(year, 1, 1), periods.ANNUAL))
    return sorted(keys)
