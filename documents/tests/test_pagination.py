"""Long lists count at most COUNT_CAP rows, and Next still reaches every page (pages and API)."""

import pytest
from django.urls import reverse

from documents.tests.helpers import make_document
from portal import pagination
from sharing.models import TLP, Distribution

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_member_documents(personas):
    return [
        make_document(
            personas.alan_analyst,
            title=f"Member paper {n}",
            distribution=Distribution.MEMBERS,
            tlp=TLP.GREEN,
            with_file=False,
        )
        for n in range(7)
    ]


@pytest.fixture
def cap_of_three(monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    monkeypatch.setattr(pagination.CappedLimitOffsetPagination, "count_cap", 3)
    original = pagination.CappedPaginator.__init__

    def with_small_cap(self, object_list, per_page, **kwargs):
        kwargs.pop("count_cap", None)
        original(self, object_list, per_page, count_cap=3, **kwargs)

    monkeypatch.setattr(pagination.CappedPaginator, "__init__", with_small_cap)


def test_capped_count_stops_one_past_the_cap(personas, seven_member_documents):
    from documents.models import Document

    assert pagination.capped_count(Document.objects.all(), cap=3) == 4
    assert pagination.capped_count(Document.objects.all(), cap=10) == 7


def test_paginator_is_exact_under_the_cap_and_walks_every_page_over_it(personas, seven_member_documents):
    from documents.models import Document

    everything = Document.objects.order_by("pk")
    exact = pagination.CappedPaginator(everything, 2, count_cap=10)
    assert not exact.count_is_capped and exact.count == 7 and exact.num_pages == 4

    capped = pagination.CappedPaginator(everything, 2, count_cap=3)
    assert capped.count_is_capped
    seen, number = [], 1
    while True:
        page = capped.get_page(number)
        seen += [d.pk for d in page.object_list]
        if not page.has_next():
            break
        number = page.next_page_number()
    assert seen == [d.pk for d in everything] and number == 4
    assert capped.get_page(99).number == capped.num_pages  # past the end: a page that exists
    assert capped.get_page("9" * 30).number == capped.num_pages  # absurd numbers never reach the database
    assert capped.get_page("x").number == 1


def test_library_page_says_more_than_the_cap_and_offers_next(
    personas, seven_member_documents, login, client, cap_of_three
):
    login(personas.bea_analyst)
    first = client.get(reverse("documents:list"))
    body = first.content.decode()
    assert "More than 3 documents" in body and "Page 1</" not in body
    last = client.get(reverse("documents:list"), {"page": 2})
    assert "Member paper" in last.content.decode()


def test_api_count_is_marked_capped_and_next_reaches_the_end(
    personas, seven_member_documents, login, client, cap_of_three
):
    login(personas.bea_analyst)
    url = reverse("api-documents-list") + "?limit=2"
    uuids = []
    while url:
        body = client.get(url).json()
        assert body["count_is_capped"] is True and body["count"] >= 3
        uuids += [row["uuid"] for row in body["results"]]
        url = body["next"]
    assert len(uuids) == len(set(uuids)) == 7


def test_api_count_is_exact_under_the_cap(personas, seven_member_documents, login, client):
    login(personas.bea_analyst)
    body = client.get(reverse("api-documents-list") + "?limit=5").json()
    assert body["count"] == 7 and body["count_is_capped"] is False and body["next"]
    assert client.get(reverse("api-documents-list") + "?limit=5&offset=5").json()["next"] is None
