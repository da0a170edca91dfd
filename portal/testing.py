"""Factories and personas shared by every app's tests (factory_boy; side effects go through services)."""

from dataclasses import dataclass
from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import Role
from participants.models import Agency, Group, GroupMembership, Participant

TEST_PASSWORD = "correct-horse-battery-staple-42"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Participant {n}")
    code = factory.Sequence(lambda n: f"p{n}")
    kind = Participant.Kind.STATE
    status = Participant.Status.MEMBER


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    participant = factory.SubFactory(ParticipantFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.IMMIGRATION


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    kind = Group.Kind.RILON


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    agency = factory.SubFactory(AgencyFactory)
    role = Role.ANALYST
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_after(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def add_member(
    group: Group,
    *,
    agency: Agency | None = None,
    participant: Participant | None = None,
    since: date = date(2000, 1, 1),
    until: date | None = None,
) -> GroupMembership:
    return GroupMembership.objects.create(group=group, agency=agency, participant=participant, since=since, until=until)


@dataclass
class Personas:
    """Two participants with a focal point, an analyst and a viewer each, a RILON and an outsider."""

    alpha: Participant
    beta: Participant
    gamma: Participant
    alpha_agency: Agency
    alpha_other_agency: Agency
    beta_agency: Agency
    gamma_agency: Agency
    rilon: Group
    alice_focal: object
    alan_analyst: object
    avery_viewer: object
    abel_other_agency: object
    bob_focal: object
    bea_analyst: object
    ben_viewer: object
    gus_outsider: object

    @classmethod
    def build(cls) -> "Personas":
        alpha = ParticipantFactory(name="Alphaland", code="alp", iso3="ALP"[:3].upper())
        beta = ParticipantFactory(name="Betaland", code="bet", iso3="BET")
        gamma = ParticipantFactory(name="Gammaland", code="gam", iso3="GAM")
        alpha_agency = AgencyFactory(participant=alpha, name="Alphaland Immigration")
        alpha_other = AgencyFactory(participant=alpha, name="Alphaland Police", kind=Agency.Kind.POLICE)
        beta_agency = AgencyFactory(participant=beta, name="Betaland Immigration")
        gamma_agency = AgencyFactory(participant=gamma, name="Gammaland Immigration")
        rilon = GroupFactory(name="Test RILON", slug="test-rilon")
        add_member(rilon, agency=alpha_agency)
        add_member(rilon, agency=beta_agency)
        return cls(
            alpha=alpha,
            beta=beta,
            gamma=gamma,
            alpha_agency=alpha_agency,
            alpha_other_agency=alpha_other,
            beta_agency=beta_agency,
            gamma_agency=gamma_agency,
            rilon=rilon,
            alice_focal=UserFactory(username="alice", agency=alpha_agency, role=Role.FOCAL_POINT),
            alan_analyst=UserFactory(username="alan", agency=alpha_agency, role=Role.ANALYST),
            avery_viewer=UserFactory(username="avery", agency=alpha_agency, role=Role.VIEWER),
            abel_other_agency=UserFactory(username="abel", agency=alpha_other, role=Role.ANALYST),
            bob_focal=UserFactory(username="bob", agency=beta_agency, role=Role.FOCAL_POINT),
            bea_analyst=UserFactory(username="bea", agency=beta_agency, role=Role.ANALYST),
            ben_viewer=UserFactory(username="ben", agency=beta_agency, role=Role.VIEWER),
            gus_outsider=UserFactory(username="gus", agency=gamma_agency, role=Role.ANALYST),
        )


def enrol_totp(user, secret: str = "JBSWY3DPEHPK3PXP"):
    """Give a user a TOTP authenticator so that the second-factor gate lets it through."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return
    TOTP.activate(user, secret)


def mark_second_factor_done(client, user) -> None:
    """Record in the client's session what allauth's MFA stage records after a correct TOTP code."""
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "username": user.username},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


_PLAIN_FORCE_LOGIN = Client.force_login


def force_login_with_second_factor(client, user, backend=None):
    """Test-client sign-in as after password AND second factor (conftest installs it as Client.force_login).

    The portal signs out any session that did not pass the second factor, so a bare force_login would be
    refused on every page; tests of that refusal use `force_login_without_second_factor`.
    """
    _PLAIN_FORCE_LOGIN(client, user, backend)
    mark_second_factor_done(client, user)


def force_login_without_second_factor(client, user, backend=None):
    _PLAIN_FORCE_LOGIN(client, user, backend)
