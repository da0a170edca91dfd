"""`{% partial_date value precision %}`: a date as precisely as it is known, with ISO in <time datetime>."""

from django import template
from django.utils.html import format_html

from participants.models import format_partial_date, partial_date_iso

register = template.Library()


@register.simple_tag
def partial_date(value, precision="day"):
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>', partial_date_iso(value, precision), format_partial_date(value, precision)
    )
