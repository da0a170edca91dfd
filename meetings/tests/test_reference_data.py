"""Priorities and contributions: reference data the secretariat edits through audited pages; others get 403."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Role
from audit.models import AuditEntry
from meetings.models import Contribution, Event, Priority
from meetings.tests.helpers import make_event
from portal.testing import AgencyFactory, UserFactory


@pytest.fixture
def secretariat(personas):
    return UserFactory(username="sec", agency=AgencyFactory(participant=personas.gamma), role=Role.SECRETARIAT)


@pytest.fixture
def conference(personas):
    return make_event(
        personas.alice_focal,
        title="Bali Regional Ministerial Conference",
        kind=Event.Kind.MINISTERIAL,
        start=date(2011, 3, 30),
        state="held",
    )


def _priority(conference, **overrides):
    data = {
        "code": "ahg-2031-a",
        "letter": "a",
        "title": "Operationalise the framework",
        "description": "",
        "mandate": conference.pk,
        "period_from": "2031-03-30",
        "period_to": "2033-03-30",
    }
    return data | overrides


def test_the_secretariat_records_and_edits_a_priority(client, login, secretariat, conference):
    login(secretariat)
    assert client.post("/meetings/priorities/new/", _priority(conference)).status_code == 302
    priority = Priority.objects.get(code="ahg-2031-a")
    assert priority.mandate == conference
    response = client.post(f"/meetings/priorities/{priority.pk}/edit/", _priority(conference, title="Renamed"))
    assert response.status_code == 302
    priority.refresh_from_db()
    assert priority.title == "Renamed"
    verbs = list(AuditEntry.objects.filter(verb__startswith="meetings.priority.").values_list("verb", flat=True))
    assert sorted(verbs) == ["meetings.priority.changed", "meetings.priority.created"]
    assert "Renamed" in client.get("/meetings/priorities/").content.decode()


def test_a_period_ending_before_it_starts_is_refused_naming_period_to(client, login, secretariat, conference):
    login(secretariat)
    response = client.post("/meetings/priorities/new/", _priority(conference, period_to="2030-01-01"))
    assert response.status_code == 200
    assert "The end of the period is before its start." in response.context["form"].errors["period_to"]
    assert not Priority.objects.exists()


def test_the_mandate_must_be_a_ministerial_conference(client, login, secretariat, personas, conference):
    workshop = make_event(personas.alice_focal, title="A workshop")
    login(secretariat)
    response = client.post("/meetings/priorities/new/", _priority(conference, mandate=workshop.pk))
    assert response.context["form"].errors["mandate"]
    assert not Priority.objects.exists()


def _contribution(personas, **overrides):
    data = {
        "donor": personas.beta.pk,
        "kind": "cash",
        "amount": "25000.00",
        "currency": "usd",
        "purpose": "Target contribution to the RSO",
        "received_on": "2012-06-01",
        "precision": "month",
        "event": "",
    }
    return data | overrides


def test_the_secretariat_records_and_edits_a_contribution(client, login, secretariat, personas):
    login(secretariat)
    assert client.post("/meetings/contributions/new/", _contribution(personas)).status_code == 302
    contribution = Contribution.objects.get()
    assert (contribution.amount, contribution.currency) == (Decimal("25000.00"), "USD")
    edit = f"/meetings/contributions/{contribution.pk}/edit/"
    response = client.post(edit, _contribution(personas, amount="", currency="", kind="in_kind"))
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert (contribution.kind, contribution.amount) == ("in_kind", None)
    assert "June 2012" in client.get("/meetings/contributions/").content.decode()
    assert AuditEntry.objects.filter(verb__startswith="meetings.contribution.").count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"amount": "-5"}, "amount"), ({"currency": "US"}, "currency"), ({"currency": ""}, "currency")],
)
def test_bad_amounts_and_currencies_are_refused_naming_the_field(
    client, login, secretariat, personas, overrides, field
):
    login(secretariat)
    response = client.post("/meetings/contributions/new/", _contribution(personas, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Contribution.objects.exists()


def test_only_the_secretariat_reaches_the_editing_pages(client, login, personas, conference):
    priority = Priority.objects.create(code="p", letter="a", title="P", period_from=date(2011, 1, 1))
    contribution = Contribution.objects.create(
        donor=personas.beta, kind="cash", purpose="x", received_on=date(2012, 1, 1)
    )
    login(personas.alice_focal)
    for url in (
        "/meetings/priorities/new/",
        f"/meetings/priorities/{priority.pk}/edit/",
        "/meetings/contributions/",
        "/meetings/contributions/new/",
        f"/meetings/contributions/{contribution.pk}/edit/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/meetings/priorities/new/", _priority(conference)).status_code == 403
    assert client.post("/meetings/contributions/new/", _contribution(personas)).status_code == 403
    assert Priority.objects.count() == 1
    assert Contribution.objects.count() == 1


def test_the_services_check_the_same_rules(secretariat, personas):
    from django.core.exceptions import PermissionDenied, ValidationError

    from meetings import services

    fields = {"code": "x", "letter": "a", "title": "X", "period_from": date(2012, 1, 1), "period_to": date(2011, 1, 1)}
    with pytest.raises(ValidationError) as error:
        services.priority_save(actor=secretariat, fields=fields)
    assert "period_to" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.priority_save(actor=personas.alice_focal, fields=fields | {"period_to": None})
    money = {"donor": personas.beta, "kind": "cash", "purpose": "x", "received_on": date(2012, 1, 1)}
    with pytest.raises(ValidationError) as error:
        services.contribution_save(actor=secretariat, fields=money | {"amount": Decimal("-1"), "currency": "USD"})
    assert "amount" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.contribution_save(actor=secretariat, fields=money | {"amount": Decimal("1"), "currency": "€€"})
    assert "currency" in error.value.message_dict
    assert not Priority.objects.exists() and not Contribution.objects.exists()
