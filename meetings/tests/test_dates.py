"""Dates of events are written as precisely as they are known, and never end before they start."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from meetings.models import format_date_range
from meetings.tests.helpers import make_event


@pytest.mark.parametrize(
    ("start", "end", "precision", "expected"),
    [
        (date(2011, 10, 12), None, "day", "12 October 2011"),
        (date(2011, 5, 10), date(2011, 5, 11), "day", "10-11 May 2011"),
        (date(2011, 5, 30), date(2011, 6, 1), "day", "30 May – 1 June 2011"),
        (date(2011, 3, 1), None, "month", "March 2011"),
        (date(2011, 1, 1), None, "year", "2011"),
        (date(2012, 12, 30), date(2013, 1, 2), "day", "30 December 2012 – 2 January 2013"),
    ],
)
def test_dates_are_written_as_precisely_as_known(start, end, precision, expected):
    assert format_date_range(start, end, precision) == expected


def test_an_event_known_only_to_the_month_is_shown_as_the_month(personas):
    event = make_event(personas.alice_focal, title="Ministerial", start=date(2011, 3, 17), date_precision="month")
    assert event.start_date == date(2011, 3, 1)
    assert event.dates_label == "March 2011"


def test_an_event_cannot_end_before_it_starts(personas):
    with pytest.raises(ValidationError) as error:
        make_event(personas.alice_focal, start=date(2012, 4, 26), end=date(2012, 4, 23))
    assert "end_date" in error.value.message_dict
    assert "before the start date" in error.value.message_dict["end_date"][0]
