"""Fixtures for the statistics tests: the catalogue, a secretariat, and data sets for the personas."""

from dataclasses import dataclass
from datetime import date

import pytest

from accounts.models import Role
from participants.models import Agency, Participant
from portal.testing import AgencyFactory, ParticipantFactory, Personas, UserFactory
from regionaldata.catalogue import install_defaults
from regionaldata.models import DataSet, IndicatorSet

TODAY = date(2025, 7, 15)


@dataclass
class Stats:
    personas: Personas
    secretariat: object
    alpha_set: DataSet
    beta_set: DataSet
    gamma_set: DataSet


def make_dataset(
    participant,
    agency,
    *,
    audience: str = "reciprocal",
    code: str | None = None,
    period_type: str = "monthly",
    first_period: date = date(2025, 1, 1),
) -> DataSet:
    return DataSet.objects.create(
        code=code or f"{participant.code}-{period_type}",
        name=f"{participant.name} {period_type} return",
        participant=participant,
        agency=agency,
        indicator_set=IndicatorSet.objects.get(code="irregular-migration"),
        audience=audience,
        period_type=period_type,
        first_period=first_period,
    )


@pytest.fixture
def stats(personas, db) -> Stats:
    install_defaults()
    rso = ParticipantFactory(name="Regional Support Office", code="rso", kind=Participant.Kind.REGIONAL_OFFICE)
    rso_agency = AgencyFactory(participant=rso, name="RSO Bangkok", kind=Agency.Kind.SECRETARIAT)
    secretariat = UserFactory(username="ratna", agency=rso_agency, role=Role.SECRETARIAT)
    return Stats(
        personas=personas,
        secretariat=secretariat,
        alpha_set=make_dataset(personas.alpha, personas.alpha_agency),
        beta_set=make_dataset(personas.beta, personas.beta_agency),
        gamma_set=make_dataset(personas.gamma, personas.gamma_agency),
    )


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    """Validation compares periods with today; tests pin it so 'future' is stable."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
