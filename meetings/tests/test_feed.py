"""The personal iCalendar feed: a secret, revocable address that applies the sharing rules as its user."""

from icalendar import Calendar

from meetings import services
from meetings.tests.helpers import colombo_rilon_user, member_user

RESTRICTED = "Colombo RILON: airport vulnerability briefing (restricted)"


def _feed(client, secret):
    return client.get(f"/meetings/calendar/{secret}.ics")


def _descriptions(response) -> str:
    calendar = Calendar.from_ical(response.content)
    return "\n".join(str(item.get("description", "")) for item in calendar.walk("VEVENT"))


def test_feed_lists_visible_events_and_only_visible_documents(client, seeded):
    outsider = member_user("nzl")
    insider = colombo_rilon_user()
    outsider_feed = _feed(client, services.calendar_secret_regenerate(actor=outsider))
    insider_feed = _feed(client, services.calendar_secret_regenerate(actor=insider))
    assert outsider_feed.status_code == 200
    assert outsider_feed["Content-Type"].startswith("text/calendar")
    assert len(Calendar.from_ical(outsider_feed.content).walk("VEVENT")) == 21
    assert RESTRICTED not in _descriptions(outsider_feed)
    assert RESTRICTED in _descriptions(insider_feed)


def test_feed_applies_the_rules_at_request_time(client, seeded):
    insider = colombo_rilon_user()
    secret = services.calendar_secret_regenerate(actor=insider)
    assert RESTRICTED in _descriptions(_feed(client, secret))
    insider.agency.memberships.update(until="2020-01-01", since="2010-01-01")
    assert RESTRICTED not in _descriptions(_feed(client, secret))


def test_a_revoked_or_replaced_address_answers_404(client, seeded):
    user = member_user("nzl")
    first = services.calendar_secret_regenerate(actor=user)
    second = services.calendar_secret_regenerate(actor=user)
    assert _feed(client, first).status_code == 404
    assert _feed(client, second).status_code == 200
    services.calendar_secret_revoke(actor=user)
    assert _feed(client, second).status_code == 404
    assert _feed(client, "x" * 43).status_code == 404


def test_only_the_hash_of_the_secret_is_stored(seeded):
    user = member_user("nzl")
    raw = services.calendar_secret_regenerate(actor=user)
    user.refresh_from_db()
    assert user.calendar_secret and raw not in user.calendar_secret


def test_calendar_page_turns_the_feed_on_and_off(client, login, seeded):
    user = member_user("nzl")
    login(user)
    response = client.post("/meetings/calendar/address/", follow=True)
    assert "/meetings/calendar/" in response.content.decode()
    user.refresh_from_db()
    assert user.calendar_secret
    client.post("/meetings/calendar/address/revoke/")
    user.refresh_from_db()
    assert user.calendar_secret == ""
    assert client.get("/meetings/calendar/address/").status_code == 405
