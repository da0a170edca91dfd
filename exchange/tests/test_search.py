"""Search never reveals, counts or suggests what the user may not see; facets, phrases, highlighting."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exchange import search, services
from exchange.kinds import Kind
from exchange.tests.conftest import make_item
from sharing.principals import forget_principals

pytestmark = pytest.mark.django_db


def observable(user, text, **filters):
    forget_principals(user)
    result = search.search(user, text=text, filters=filters)
    facets = {name: sorted((v.value, v.count) for v in values) for name, values in result.facets.items()}
    return result.total, [i.pk for i in result.items], facets, search.suggest(user, text[:4])


def test_an_invisible_matching_item_changes_no_hit_count_facet_or_suggestion(personas):
    make_item(personas.alan_analyst, group=personas.rilon, title="Impostor boarding at CMB", countries=["LKA"])
    before = observable(personas.bea_analyst, "impostor")
    hidden = make_item(
        personas.gus_outsider,
        distribution="originator",
        title="Impostor network in Gammaland",
        countries=["GAM"],
        nationalities=["GAM"],
        routes=["GAM-KUL-PER"],
        kind=Kind.MODUS_OPERANDI,
        details={"method": "impostor passports"},
    )
    after = observable(personas.bea_analyst, "impostor")
    assert after == before
    assert before[0] == 1
    assert hidden.pk not in after[1]
    assert observable(personas.bea_analyst, "impostor", country=["GAM"])[0] == 0
    assert observable(personas.gus_outsider, "impostor")[0] == 1


def test_the_outsider_finds_no_hit_count_or_facet_for_an_item_shared_with_a_group(personas, signed_in):
    item = make_item(personas.alan_analyst, group=personas.rilon, title="Counterfeit visas", nationalities=["LKA"])
    total, hits, facets, suggestions = observable(personas.gus_outsider, "counterfeit")
    assert (total, hits, suggestions) == (0, [], [])
    assert all(values == [] for values in facets.values())
    api = signed_in(personas.gus_outsider).get("/api/v1/exchange/search/?q=counterfeit").json()
    assert api["count"] == 0 and str(item.uuid) not in str(api)
    assert all(values == [] for values in api["facets"].values())


def test_facets_count_visible_hits_and_filter_them(personas):
    make_item(personas.alan_analyst, group=personas.rilon, title="Fraud A", nationalities=["LKA"], routes=["CMB-KUL"])
    make_item(personas.alan_analyst, group=personas.rilon, title="Fraud B", nationalities=["LKA", "IND"], tlp="green")
    make_item(
        personas.alan_analyst,
        group=personas.rilon,
        title="Fraud C",
        kind=Kind.IRREGULAR_MOVEMENT_ALERT,
        nationalities=["AFG"],
    )
    result = search.search(personas.bea_analyst, text="fraud")
    assert result.total == 3
    counts = {v.value: v.count for v in result.facets["nationality"]}
    assert counts == {"LKA": 2, "IND": 1, "AFG": 1}
    assert {v.value: v.count for v in result.facets["group"]} == {str(personas.rilon.pk): 3}
    assert {v.label for v in result.facets["group"]} == {"Test RILON"}
    filtered = search.search(personas.bea_analyst, text="fraud", filters={"nationality": ["LKA"], "tlp": ["green"]})
    assert [i.title for i in filtered.items] == ["Fraud B"]
    by_kind = search.search(personas.bea_analyst, text="", filters={"kind": [Kind.IRREGULAR_MOVEMENT_ALERT]})
    assert [i.title for i in by_kind.items] == ["Fraud C"]


def test_phrases_and_stemming(personas):
    make_item(
        personas.alan_analyst, group=personas.rilon, title="Smugglers charge fees", body="They use fishing boats."
    )
    make_item(personas.alan_analyst, group=personas.rilon, title="Boats fishing season", body="Unrelated.")
    assert search.search(personas.bea_analyst, text='"fishing boats"').total == 1
    assert search.search(personas.bea_analyst, text="fishing boats").total == 2
    assert search.search(personas.bea_analyst, text="smuggler").total == 1
    assert search.search(personas.bea_analyst, text='AND OR NOT "unbalanced * ( ^').total == 0


def test_highlights_are_escaped_html(personas):
    item = make_item(
        personas.alan_analyst, group=personas.rilon, title="Plain", body="The <script>alert(1)</script> visa stamp"
    )
    result = search.search(personas.bea_analyst, text="visa")
    snippet = result.snippets[item.pk]
    assert "<mark>visa</mark>" in snippet
    # SQLite's snippet keeps the text and it is escaped; PostgreSQL's ts_headline drops tags: inert either way.
    assert "<script" not in snippet


def test_comments_and_attachment_text_are_searched_for_the_audience(personas):
    import docx

    item = make_item(personas.alan_analyst, group=personas.rilon, title="Report")
    services.add_comment(item=item, actor=personas.bea_analyst, body="Also seen with laminated biodata pages")
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Ultraviolet features missing on the specimen")
    document.save(buffer)
    services.add_attachment(
        item=item, actor=personas.alan_analyst, uploaded=SimpleUploadedFile("note.docx", buffer.getvalue())
    )
    services.add_attachment(
        item=item,
        actor=personas.alan_analyst,
        uploaded=SimpleUploadedFile("list.csv", b"passport,series\nLKA,N123 holographic\n"),
    )
    assert search.search(personas.bea_analyst, text="laminated").total == 1
    assert search.search(personas.bea_analyst, text="ultraviolet").total == 1
    assert search.search(personas.bea_analyst, text="holographic").total == 1
    assert search.search(personas.gus_outsider, text="ultraviolet").total == 0


@pytest.mark.slow
def test_pdf_attachment_text_is_searched(personas):
    from weasyprint import HTML

    pdf = HTML(string="<p>Machine readable zone tampered</p>").write_pdf()
    item = make_item(personas.alan_analyst, group=personas.rilon, title="PDF report")
    services.add_attachment(item=item, actor=personas.alan_analyst, uploaded=SimpleUploadedFile("r.pdf", pdf))
    assert search.search(personas.bea_analyst, text="tampered").total == 1


def test_archived_and_withdrawn_items_leave_default_search(personas):
    from datetime import timedelta

    from django.utils import timezone

    from exchange.models import Item

    old = make_item(personas.alan_analyst, group=personas.rilon, title="Overstay pattern old")
    Item.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    gone = make_item(personas.alan_analyst, group=personas.rilon, title="Overstay pattern gone")
    services.withdraw_item(item=gone, actor=personas.alan_analyst)
    assert search.search(personas.bea_analyst, text="overstay").total == 0
    archived = search.search(personas.bea_analyst, text="overstay", include_archived=True)
    assert [i.pk for i in archived.items] == [old.pk]
    assert search.search(personas.alan_analyst, text="overstay", include_archived=True).total == 2


def test_search_page_shows_anonymised_originator(personas, signed_in):
    make_item(
        personas.alan_analyst,
        group=personas.rilon,
        title="Hidden source tip",
        anonymous=True,
        anonymous_group=personas.rilon,
    )
    page = signed_in(personas.bea_analyst).get("/exchange/search/?q=tip").content.decode()
    assert "Hidden source tip" in page and "a member of Test RILON" in page
    assert "Alphaland Immigration" not in page
