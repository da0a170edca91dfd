"""Requests for information: addressed, answered with per-answer sharing, closed, reminded, measured."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from exchange import notify, services
from exchange.models import RequestForInformation, RfiAnswer
from exchange.queries import answers_for, response_rates
from operations.models import OutboxMessage
from sharing.principals import forget_principals
from sharing.rules import can_see

pytestmark = pytest.mark.django_db


def ask(personas, **fields):
    defaults = {
        "title": "Have you seen forged LKA passports with series N12?",
        "body": "Details in the trend report.",
        "due_on": timezone.localdate() + timedelta(days=7),
        "recipient_keys": [f"participant:{personas.beta.pk}", f"participant:{personas.gamma.pk}"],
    }
    defaults.update(fields)
    return services.create_rfi(actor=personas.alan_analyst, **defaults)


def test_an_answer_to_the_requester_is_not_seen_by_the_other_addressees(personas):
    rfi = ask(personas)
    assert can_see(personas.bea_analyst, rfi) and can_see(personas.gus_outsider, rfi)
    assert not can_see(personas.abel_other_agency, rfi)
    answer = services.answer_rfi(rfi=rfi, actor=personas.bea_analyst, body="Yes, twice in March.")
    forget_principals(personas.gus_outsider)
    assert answer in answers_for(personas.alan_analyst, rfi)
    assert answer in answers_for(personas.bob_focal, rfi)  # the answering agency keeps its own answer
    assert answer not in answers_for(personas.gus_outsider, rfi)
    shared = services.answer_rfi(rfi=rfi, actor=personas.bea_analyst, body="Details for all.", audience="all")
    assert shared in answers_for(personas.gus_outsider, rfi)


def test_only_the_requester_closes_and_a_closed_request_takes_no_answers(personas, signed_in):
    rfi = ask(personas)
    with pytest.raises(PermissionDenied):
        services.close_rfi(rfi=rfi, actor=personas.bea_analyst)
    client = signed_in(personas.bea_analyst)
    assert client.post(f"/exchange/requests/{rfi.uuid}/close/", {"note": "x"}).status_code == 403
    services.close_rfi(rfi=rfi, actor=personas.alan_analyst, note="Answered")
    with pytest.raises(PermissionDenied):
        services.answer_rfi(rfi=rfi, actor=personas.bea_analyst, body="Late")


def test_outsiders_get_404_on_the_request_and_its_answers(personas, signed_in):
    rfi = ask(personas, recipient_keys=[f"group:{personas.rilon.pk}"])
    answer = services.answer_rfi(rfi=rfi, actor=personas.bea_analyst, body="Seen")
    client = signed_in(personas.gus_outsider)
    assert client.get(f"/exchange/requests/{rfi.uuid}/").status_code == 404
    assert (
        client.post(
            f"/exchange/requests/{rfi.uuid}/answer/", {"body": "x", "audience": "all", "tlp": "amber"}
        ).status_code
        == 404
    )
    assert client.get(f"/exchange/answers/{answer.uuid}/").status_code == 404
    assert client.get(f"/api/v1/exchange/requests/{rfi.uuid}/").status_code == 404
    assert RfiAnswer.objects.count() == 1


def test_overdue_requests_remind_the_addressees_focal_points_once(personas):
    rfi = ask(personas)
    RequestForInformation.objects.filter(pk=rfi.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    services.answer_rfi(rfi=rfi, actor=personas.gus_outsider, body="Nothing seen")
    assert notify.remind_overdue_rfis() == 1
    assert notify.remind_overdue_rfis() == 0
    reminders = OutboxMessage.objects.filter(dedup_key__contains=":overdue:")
    assert [m.recipient for m in reminders] == [personas.bob_focal]
    assert "Overdue" in reminders[0].subject


def test_new_requests_reach_the_addressees_focal_points(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask(personas)
    recipients = set(
        OutboxMessage.objects.filter(dedup_key__contains=":asked:").values_list("recipient__username", flat=True)
    )
    assert recipients == {"bob"}


def test_response_rates_and_median_time(personas, signed_in):
    rfi = ask(personas)
    services.answer_rfi(rfi=rfi, actor=personas.bea_analyst, body="Yes")
    ask(personas, title="Second question")
    rows = {row.participant.name: row for row in response_rates(personas.alan_analyst)}
    assert (rows["Betaland"].asked, rows["Betaland"].answered) == (2, 1)
    assert rows["Betaland"].median_hours is not None
    assert (rows["Gammaland"].asked, rows["Gammaland"].answered) == (2, 0)
    page = signed_in(personas.alan_analyst).get("/exchange/requests/response-rates/").content.decode()
    assert "Betaland" in page and "50%" in page


def test_ask_page_and_answer_page(personas, signed_in):
    client = signed_in(personas.alan_analyst)
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        "/exchange/requests/new/",
        {"title": "Any KUL transits?", "due_on": due, "tlp": "amber", "handling": "H0", "groups": [personas.rilon.pk]},
    )
    assert response.status_code == 302
    rfi = RequestForInformation.objects.get(title="Any KUL transits?")
    bea = signed_in(personas.bea_analyst)
    assert (
        bea.post(
            f"/exchange/requests/{rfi.uuid}/answer/", {"body": "Three", "audience": "requester", "tlp": "amber"}
        ).status_code
        == 302
    )
    assert RfiAnswer.objects.filter(rfi=rfi).count() == 1
