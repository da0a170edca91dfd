"""The meetings sections of the home page: upcoming meetings and my participant's open actions."""

from django.urls import reverse
from django.utils.translation import gettext as _

from meetings import queries
from portal.home import HomeSection


def upcoming_meetings(user) -> HomeSection:
    events = list(queries.upcoming_events(user)[:5])
    return HomeSection(
        title=_("Upcoming meetings"),
        items=[
            {
                "title": event.title,
                "url": reverse("meetings:event", args=[event.uuid]),
                "meta": f"{event.dates_label}, {event.city}",
            }
            for event in events
        ],
        more_url=reverse("meetings:calendar"),
        empty_text=_("No meeting is scheduled. The calendar lists past meetings."),
        order=20,
    )


def my_open_actions(user) -> HomeSection | None:
    participant = user.participant if getattr(user, "agency_id", None) else None
    if participant is None:
        return None
    actions = list(queries.open_commitments(user, participant)[:5])
    return HomeSection(
        title=_("My open actions"),
        items=[
            {
                "title": action.text[:120],
                "url": reverse("meetings:action", args=[action.uuid]),
                "meta": (_("overdue") if action.overdue else "")
                + (f" {action.due_date:%d %B %Y}" if action.due_date else ""),
            }
            for action in actions
        ],
        more_url=reverse("meetings:commitments", args=[participant.code]),
        empty_text=_("Your participant has no open commitment."),
        order=21,
    )
