"""The meetings API: strict input, clear errors naming the field, and the same sharing rules as the pages."""

import pytest

from meetings.tests.helpers import make_event


@pytest.fixture
def api(client, login, personas):
    login(personas.alice_focal)
    return client


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


EVENT = {
    "title": "Workshop on biometrics",
    "kind": "workshop",
    "start_date": "2031-04-23",
    "end_date": "2031-04-26",
    "city": "New Delhi",
    "country": "ind",
    "hosts": ["alp"],
}


def test_create_and_read_an_event(api, personas):
    response = _post(api, "/api/v1/events/", EVENT)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["dates_label"] == "23-26 April 2031"
    assert body["country"] == "IND"
    assert body["hosts"] == ["alp"]
    assert api.get(f"/api/v1/events/{body['uuid']}/").json()["title"] == "Workshop on biometrics"


def test_end_before_start_is_refused_naming_the_field(api):
    response = _post(api, "/api/v1/events/", EVENT | {"end_date": "2031-04-20"})
    assert response.status_code == 400
    assert "end_date" in response.json()["error"]["fields"]


def test_an_unknown_participant_is_refused_naming_it(api):
    response = _post(api, "/api/v1/events/", EVENT | {"hosts": ["alp", "zzz"]})
    assert response.status_code == 400
    assert "zzz" in str(response.json()["error"]["fields"]["hosts"])
    response = _post(api, "/api/v1/actions/", {"text": "Do it", "responsible": ["nope"]})
    assert response.status_code == 400
    assert "nope" in str(response.json()["error"]["fields"]["responsible"])


def test_unknown_fields_are_refused(api):
    response = _post(api, "/api/v1/events/", EVENT | {"originator_agency": 1})
    assert response.status_code == 400
    assert "originator_agency" in response.json()["error"]["fields"]


def test_an_event_outside_the_audience_is_404_everywhere(client, login, personas):
    hidden = make_event(personas.alice_focal, title="RILON only", keys=[f"group:{personas.rilon.pk}"])
    login(personas.gus_outsider)
    assert client.get(f"/api/v1/events/{hidden.uuid}/").status_code == 404
    assert (
        client.patch(f"/api/v1/events/{hidden.uuid}/", {"title": "x"}, content_type="application/json").status_code
        == 404
    )
    assert client.get(f"/meetings/events/{hidden.uuid}/").status_code == 404
    assert str(hidden.uuid) not in client.get("/api/v1/events/").content.decode()
    assert str(hidden.uuid) not in client.get("/meetings/").content.decode()
    hidden.refresh_from_db()
    assert hidden.title == "RILON only"


def test_a_visible_event_the_user_may_not_change_is_403(client, login, personas):
    event = make_event(personas.alice_focal, title="Members workshop")
    login(personas.bob_focal)
    response = client.patch(f"/api/v1/events/{event.uuid}/", {"title": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_create_update_and_filter_actions(api, personas):
    event = _post(api, "/api/v1/events/", EVENT).json()
    response = _post(
        api,
        "/api/v1/actions/",
        {"text": "Concept paper", "responsible": ["alp", "bet"], "event": event["uuid"], "due_date": "2020-01-01"},
    )
    assert response.status_code == 201, response.content
    action = response.json()
    assert action["overdue"] is True
    assert [a["uuid"] for a in api.get("/api/v1/actions/?overdue=1").json()["results"]] == [action["uuid"]]
    patched = api.patch(f"/api/v1/actions/{action['uuid']}/", {"state": "done"}, content_type="application/json")
    assert patched.json()["state"] == "done" and patched.json()["overdue"] is False


def test_priorities_are_listed(client, login, seeded, personas):
    login(personas.avery_viewer)
    codes = [p["code"] for p in client.get("/api/v1/priorities/").json()["results"]]
    assert codes == [f"ahg-2011-{letter}" for letter in "abcde"]
