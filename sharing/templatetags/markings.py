"""`{% marking obj %}`: the TLP, handling, distribution and state badges of a shareable object.

A tag rather than an included template: lists show it on every row, and an include costs a template
render per row (the document library's 50 rows spent a third of their rendering time in it).
"""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from sharing.models import Status

register = template.Library()


@register.simple_tag
def marking(obj) -> SafeString:
    badges: list[tuple[str, object]] = [
        (f"marking tlp-{obj.tlp}", obj.get_tlp_display()),
        ("marking", obj.handling),
        ("marking", obj.get_distribution_display()),
    ]
    if obj.status != Status.PUBLISHED:
        badges.append(("marking status", obj.get_status_display()))
    if obj.pending_approval:
        badges.append(("marking status", _("Awaiting approval")))
    if obj.is_expired:
        badges.append(("marking status", _("Archived (expired)")))
    return format_html_join("\n", '<span class="{}">{}</span>', badges)
