"""API: /api/v1/participants/, /agencies/, /groups/: reads for all, strict writes for managers, hidden members."""

from datetime import date

import pytest

from audit.models import AuditEntry
from participants.models import Group, Participant
from participants.tests.helpers import make_secretariat, make_system_admin, sign_in
from portal.testing import GroupFactory, add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_group(personas):
    group = GroupFactory(name="Quiet arrangement", slug="quiet", kind=Group.Kind.BILATERAL, hidden_membership=True)
    add_member(group, agency=personas.alpha_agency, since=date(2011, 5, 11))
    add_member(group, agency=personas.beta_agency, since=date(2011, 5, 11))
    return group


def _json(client, method, url, data=None):
    return getattr(client, method)(url, data=data, content_type="application/json")


def test_participants_list_and_detail(client, personas):
    personas.alpha.status_history.create(status="member", effective_on=date(2012, 9, 1), precision="month")
    sign_in(client, personas.gus_outsider)
    body = client.get("/api/v1/participants/", {"status": "member"}).json()
    assert {row["code"] for row in body["results"]} >= {"alp", "bet", "gam"}
    detail = client.get(f"/api/v1/participants/{personas.alpha.uuid}/").json()
    assert detail["status_history"] == [
        {"status": "member", "effective_on": "2012-09", "precision": "month", "label": "September 2012", "note": ""}
    ]
    assert {agency["name"] for agency in detail["agencies"]} == {"Alphaland Immigration", "Alphaland Police"}


def test_agencies_filter_by_participant_and_location(client, personas):
    personas.alpha_agency.located_in = "BET"
    personas.alpha_agency.save()
    sign_in(client, personas.ben_viewer)
    body = client.get("/api/v1/agencies/", {"located_in": "bet"}).json()
    assert [row["name"] for row in body["results"]] == ["Alphaland Immigration"]
    assert body["results"][0]["participant"] == "alp"
    body = client.get("/api/v1/agencies/", {"participant": "bet"}).json()
    assert [row["name"] for row in body["results"]] == ["Betaland Immigration"]


def test_group_members_are_listed_with_dates(client, personas):
    sign_in(client, personas.gus_outsider)
    body = client.get(f"/api/v1/groups/{personas.rilon.uuid}/").json()
    assert {row["participant"] for row in body["members"]} == {"alp", "bet"}
    assert body["members"][0]["since"] == "2000-01-01"


def test_hidden_group_members_are_null_for_non_members_never_a_list_or_count(client, personas, hidden_group):
    sign_in(client, personas.gus_outsider)
    body = client.get(f"/api/v1/groups/{hidden_group.uuid}/").json()
    assert body["name"] == "Quiet arrangement" and body["members"] is None
    listing = client.get("/api/v1/groups/").json()
    row = next(row for row in listing["results"] if row["slug"] == "quiet")
    assert "members" not in row and "member_count" not in row
    raw = client.get(f"/api/v1/groups/{hidden_group.uuid}/").content.decode()
    assert str(personas.alpha_agency.uuid) not in raw and "alp" not in raw.replace("Quiet", "")


def test_hidden_group_members_are_shown_to_members(client, personas, hidden_group):
    sign_in(client, personas.bea_analyst)
    body = client.get(f"/api/v1/groups/{hidden_group.uuid}/").json()
    assert {row["participant"] for row in body["members"]} == {"alp", "bet"}


@pytest.mark.parametrize("persona", ["alice_focal", "alan_analyst", "ben_viewer"])
def test_writes_are_refused_to_non_managers(client, personas, persona):
    sign_in(client, getattr(personas, persona))
    membership = personas.rilon.memberships.first()
    attempts = [
        ("post", "/api/v1/participants/", {"code": "x", "name": "X", "kind": "state"}),
        ("patch", f"/api/v1/participants/{personas.alpha.uuid}/", {"name": "Renamed"}),
        (
            "post",
            f"/api/v1/participants/{personas.alpha.uuid}/status/",
            {"status": "former", "effective_on": "2013-01-01"},
        ),
        ("post", "/api/v1/agencies/", {"participant": "alp", "name": "X"}),
        ("patch", f"/api/v1/agencies/{personas.alpha_agency.uuid}/", {"name": "Renamed"}),
        ("post", "/api/v1/groups/", {"name": "X", "slug": "x", "kind": "other"}),
        ("patch", f"/api/v1/groups/{personas.rilon.uuid}/", {"hidden_membership": True}),
        ("post", f"/api/v1/groups/{personas.rilon.uuid}/members/", {"participant": "gam", "since": "2013-01-01"}),
        ("post", f"/api/v1/groups/{personas.rilon.uuid}/members/{membership.pk}/end/", {"until": "2013-01-01"}),
    ]
    for method, url, payload in attempts:
        response = _json(client, method, url, payload)
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "permission_denied"
    personas.alpha.refresh_from_db()
    assert personas.alpha.name == "Alphaland" and personas.alpha.status == "member"
    assert not Group.objects.filter(slug="x").exists()
    membership.refresh_from_db()
    assert membership.until is None


def test_the_secretariat_writes_through_the_api(client, personas):
    sign_in(client, make_secretariat())
    response = _json(
        client,
        "post",
        "/api/v1/participants/",
        {"code": "del", "name": "Deltaland", "kind": "state", "iso3": "DEL", "status": "observer",
         "status_since": "2011-01-01", "status_precision": "year"},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["status_history"][0]["label"] == "2011"
    uuid = response.json()["uuid"]
    response = _json(
        client, "post", f"/api/v1/participants/{uuid}/status/", {"status": "member", "effective_on": "2013-04-01"}
    )
    assert response.status_code == 201 and response.json()["status"] == "member"
    response = _json(
        client, "post", f"/api/v1/groups/{personas.rilon.uuid}/members/", {"participant": "del", "since": "2013-04-01"}
    )
    assert response.status_code == 201
    added = next(row for row in response.json()["members"] if row["participant"] == "del")
    response = _json(
        client, "post", f"/api/v1/groups/{personas.rilon.uuid}/members/{added['id']}/end/", {"until": "2014-08-06"}
    )
    assert response.status_code == 200
    ended = next(row for row in response.json()["members"] if row["id"] == added["id"])
    assert ended["until"] == "2014-08-06"
    assert AuditEntry.objects.filter(verb="participants.group.member_added").exists()


def test_unknown_fields_are_rejected_even_for_managers(client, personas):
    sign_in(client, make_system_admin())
    response = _json(client, "patch", f"/api/v1/participants/{personas.alpha.uuid}/", {"status": "former", "uuid": "x"})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"status", "uuid"}
    response = _json(client, "post", "/api/v1/groups/", {"name": "G", "slug": "g", "kind": "other", "members": []})
    assert response.status_code == 400 and "members" in response.json()["error"]["fields"]
    assert Participant.objects.get(pk=personas.alpha.pk).status == "member"


def test_unknown_uuids_answer_404(client, personas):
    sign_in(client, personas.ben_viewer)
    missing = "00000000-0000-0000-0000-000000000000"
    for url in (f"/api/v1/participants/{missing}/", f"/api/v1/agencies/{missing}/", f"/api/v1/groups/{missing}/"):
        assert client.get(url).status_code == 404


def test_the_api_needs_authentication(client, personas):
    assert client.get("/api/v1/participants/").status_code in (401, 403)


def test_the_schema_documents_the_endpoints(client, personas):
    sign_in(client, personas.ben_viewer)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/participants/", "/api/v1/agencies/{uuid}/", "/api/v1/groups/{uuid}/members/"):
        assert path in schema


def test_bad_values_answer_400_naming_the_field(client, personas):
    sign_in(client, make_secretariat())
    response = _json(client, "patch", f"/api/v1/agencies/{personas.alpha_agency.uuid}/", {"located_in": "L1"})
    assert response.status_code == 400 and "located_in" in response.json()["error"]["fields"]
    response = _json(
        client,
        "post",
        f"/api/v1/groups/{personas.rilon.uuid}/members/",
        {"participant": "gam", "since": "2013-01-01", "until": "2012-01-01"},
    )
    assert response.status_code == 400 and "until" in response.json()["error"]["fields"]


def test_who_joined_in_a_period_through_the_api(client, personas):
    late = add_member(personas.rilon, participant=personas.gamma, since=date(2011, 10, 20))
    sign_in(client, personas.ben_viewer)
    url = f"/api/v1/groups/{personas.rilon.uuid}/"
    body = client.get(url, {"joined_from": "2011-01-01", "joined_to": "2011-12-31"}).json()
    assert [row["id"] for row in body["members"]] == [late.pk]
    response = client.get(url, {"joined_from": "2012-01-01", "joined_to": "2011-01-01"})
    assert response.status_code == 400 and "joined_to" in response.json()["error"]["fields"]
    assert client.get(url, {"joined_from": "not-a-date"}).status_code == 400
