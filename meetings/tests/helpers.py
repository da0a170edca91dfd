"""Helpers for the meetings tests: demo data, sign-in, events and actions made through the services."""

from datetime import date

from accounts.models import Role
from meetings import services
from meetings.models import Event
from participants.models import Group, Participant
from portal.testing import AgencyFactory, UserFactory, add_member, enrol_totp
from sharing.models import TLP, Distribution


def sign_in(client, user):
    enrol_totp(user)
    client.force_login(user)
    return client


def seed_demo_meetings():
    from meetings import seed

    seed.seed(lambda message: None)
    return seed


def colombo_rilon_user():
    """An analyst of a Sri Lankan agency that belongs to the Colombo RILON."""
    lka = Participant.objects.get(code="lka")
    agency = AgencyFactory(participant=lka, name="Department of Immigration and Emigration")
    add_member(Group.objects.get(slug="rilon-colombo"), agency=agency)
    return UserFactory(username="colombo-analyst", agency=agency, role=Role.ANALYST)


def member_user(code: str = "nzl", role: str = Role.ANALYST, username: str = "member"):
    participant = Participant.objects.get(code=code)
    return UserFactory(username=username, agency=AgencyFactory(participant=participant), role=role)


def make_event(author, *, title="Workshop", start=date(2030, 5, 10), end=None, keys=(), **fields) -> Event:
    distribution = fields.pop("distribution", Distribution.RECIPIENTS if keys else Distribution.MEMBERS)
    tlp = fields.pop("tlp", TLP.AMBER if keys else TLP.GREEN)
    return services.event_create(
        actor=author,
        fields={"title": title, "kind": fields.pop("kind", Event.Kind.WORKSHOP), "start_date": start, "end_date": end}
        | fields,
        distribution=distribution,
        tlp=tlp,
        recipient_keys=keys,
    )
