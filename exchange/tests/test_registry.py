"""Every exchange route registered for the leak walker answers 404 to a persona outside the audience."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from exchange import services
from exchange.models import Item, RequestForInformation, RfiAnswer
from exchange.tests.conftest import make_item
from sharing.registry import registrations

pytestmark = pytest.mark.django_db


def test_every_registered_route_hides_invisible_objects(personas, signed_in):
    from datetime import timedelta

    from django.utils import timezone

    item = make_item(personas.alan_analyst, group=personas.rilon)
    services.add_attachment(item=item, actor=personas.alan_analyst, uploaded=SimpleUploadedFile("a.csv", b"a\n"))
    rfi = services.create_rfi(
        actor=personas.alan_analyst,
        title="Q",
        due_on=timezone.localdate() + timedelta(days=3),
        recipient_keys=[f"group:{personas.rilon.pk}"],
    )
    answer = services.answer_rfi(rfi=rfi, actor=personas.bea_analyst, body="A")
    objects = {Item: item, RequestForInformation: rfi, RfiAnswer: answer}
    page_client = signed_in(personas.gus_outsider)
    api_client = APIClient()
    api_client.force_authenticate(personas.gus_outsider)
    checked = 0
    for registration in registrations():
        if registration.model not in objects:
            continue
        obj = objects[registration.model]
        for route in registration.routes:
            url = reverse(route.url_name, kwargs=route.kwargs(obj))
            client = api_client if route.is_api else page_client
            method = getattr(client, route.method.lower())
            kwargs = {"format": "json"} if route.is_api and route.method != "GET" else {}
            response = method(url, route.payload or {}, **kwargs) if route.method != "GET" else method(url)
            assert response.status_code == 404, (route.url_name, route.method, response.status_code)
            checked += 1
        for name in registration.list_routes:
            path, _, query = name.partition("?")
            response = (api_client if path.startswith("api-") else page_client).get(
                reverse(path) + (f"?{query}" if query else "")
            )
            if path.startswith("exchange:export") or path == "api-exchange-export":
                body = response.content.decode("utf-8", errors="replace")
            else:
                body = response.content.decode()
            assert registration.marker(obj) not in body, name
    assert checked >= 25
    item.refresh_from_db()
    assert item.title == "Visa fraud trend at Colombo" and item.distribution == "recipients"
