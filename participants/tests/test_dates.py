"""Dates are written as precisely as they are known, with ISO in <time datetime>."""

from datetime import date

from django.template import Context, Template

from participants.models import format_partial_date, partial_date_iso


def test_a_month_precision_date_reads_month_and_year():
    assert format_partial_date(date(2012, 9, 1), "month") == "September 2012"


def test_a_year_precision_date_reads_the_year_only():
    assert format_partial_date(date(2011, 1, 1), "year") == "2011"


def test_a_day_precision_date_reads_day_month_year():
    assert format_partial_date(date(2011, 10, 12), "day") == "12 October 2011"


def test_iso_form_follows_the_precision():
    assert partial_date_iso(date(2011, 1, 1), "year") == "2011"
    assert partial_date_iso(date(2012, 9, 1), "month") == "2012-09"
    assert partial_date_iso(date(2011, 10, 12), "day") == "2011-10-12"


def test_no_date_is_an_empty_string():
    assert format_partial_date(None, "day") == ""
    assert partial_date_iso(None, "year") == ""


def test_template_tag_wraps_the_label_in_a_time_element():
    rendered = Template("{% load partial_dates %}{% partial_date d p %}").render(
        Context({"d": date(2012, 9, 1), "p": "month"})
    )
    assert rendered == '<time datetime="2012-09">September 2012</time>'
