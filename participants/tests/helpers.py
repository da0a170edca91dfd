"""Helpers for participants tests: sign in past the second factor, make managers, seed the demo data."""

from django.core.management import call_command

from accounts.models import Role
from portal.testing import AgencyFactory, ParticipantFactory, UserFactory, enrol_totp

DEMO_SEEDERS = ["participants", "accounts", "documents"]


def sign_in(client, user):
    enrol_totp(user)
    client.force_login(user)  # conftest: as after password and second factor
    return client


def make_secretariat():
    rso = ParticipantFactory(name="Regional Support Office", code="rso", kind="regional_office")
    return UserFactory(username="sec", agency=AgencyFactory(participant=rso, name="RSO"), role=Role.SECRETARIAT)


def make_system_admin():
    rso = ParticipantFactory(name="Regional Support Office", code="rso", kind="regional_office")
    return UserFactory(username="root", agency=AgencyFactory(participant=rso, name="RSO IT"), role=Role.SYSTEM_ADMIN)


def seed_demo():
    call_command("seed_demo", only=DEMO_SEEDERS, verbosity=0)


def main_of(response) -> str:
    """The page's <main> element only (the header names the signed-in user's participant)."""
    page = response.content.decode()
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
