"""The personal iCalendar feed, produced as its user at request time (derived output)."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from meetings import queries


def calendar_for(user) -> bytes:
    """Every event the user may see today, with only the documents the user may see."""
    cal = Calendar()
    cal.add("prodid", "-//Bali Process Cooperation Portal//meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Bali Process meetings")
    events = list(queries.events_for(user).prefetch_related(queries.visible_documents_prefetch(user)))
    queries.log_sensitive_list(user, events, verb="meetings.event.feed_served")
    base = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")
    for event in events:
        item = CalendarEvent()
        item.add("uid", f"{event.uuid}@bali-process-portal")
        item.add("summary", event.title)
        item.add("dtstart", event.start_date)
        item.add("dtend", event.last_day + timedelta(days=1))
        item.add("dtstamp", event.updated_at)
        if event.city:
            item.add("location", f"{event.city}, {event.country}" if event.country else event.city)
        item.add("status", {"planned": "TENTATIVE", "held": "CONFIRMED", "cancelled": "CANCELLED"}[event.state])
        lines = [event.get_kind_display(), event.dates_label]
        if event.outcome:
            lines.append(event.outcome)
        for link in event.visible_documents:
            lines.append(f"{link.get_role_display()}: {link.document.title} ({link.document.get_tlp_display()})")
        item.add("description", "\n".join(str(line) for line in lines))
        if base:
            item.add("url", base + reverse("meetings:event", args=[event.uuid]))
        cal.add_component(item)
    return cal.to_ical()
