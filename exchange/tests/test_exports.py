"""CSV and STIX 2.1 exports: only what the exporter sees, H2/H3 kept in, markings carried, audited."""

import csv
import io
import json

import pytest
import stix2

from audit.models import AuditEntry
from exchange import exports
from exchange.kinds import Kind
from exchange.tests.conftest import make_item

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_neutralises_formula_injection(personas, signed_in):
    make_item(
        personas.alan_analyst,
        group=personas.rilon,
        title='=HYPERLINK("http://evil","x")',
        summary="+1+1",
        tags=["@SUM(A1)", "-2"],
    )
    client = signed_in(personas.bea_analyst)
    response = client.post("/exchange/export/", {"fmt": "csv"})
    assert response["Content-Disposition"].startswith("attachment")
    row = csv_rows(response)[0]
    assert row["title"].startswith("'=")
    assert row["summary"].startswith("'+")
    assert row["tags"].startswith("'@")


def test_exports_contain_only_visible_items_and_leave_out_other_agencies_h2_and_h3(personas):
    make_item(personas.alan_analyst, group=personas.rilon, title="Shareable H0")
    make_item(personas.alan_analyst, group=personas.rilon, title="Restricted H2", handling="H2")
    make_item(
        personas.alan_analyst, group=personas.rilon, title="Other H3", handling="H3", handling_note="No court use"
    )
    make_item(personas.gus_outsider, distribution="originator", title="Gamma only")
    response, count = exports.items_csv(personas.bea_analyst)
    assert count == 1 and [r["title"] for r in csv_rows(response)] == ["Shareable H0"]
    _, count = exports.items_csv(personas.avery_viewer)
    assert count == 3
    _, count = exports.items_csv(personas.abel_other_agency)
    assert count == 0


def test_stix_bundle_parses_and_carries_markings_grading_and_handling(personas):
    make_item(
        personas.alan_analyst,
        group=personas.rilon,
        title="Facilitation network via KUL",
        kind=Kind.MODUS_OPERANDI,
        details={"method": "Genuine passports, impostors", "facilitator_profile": "Travel agent in Colombo"},
        routes=["CMB-KUL-PER"],
        source_reliability="B",
        information_accuracy="2",
        handling="H1",
        tlp="amber",
    )
    make_item(personas.alan_analyst, group=personas.rilon, title="Green trend", tlp="green")
    text, count = exports.items_stix(personas.bea_analyst)
    assert count == 2
    bundle = exports.parse_bundle(text)
    assert isinstance(bundle, stix2.Bundle)
    reports = {o.name: o for o in bundle.objects if o.type == "report"}
    report = reports["Facilitation network via KUL"]
    assert report.x_bpp_handling == "H1"
    assert (report.x_bpp_source_reliability, report.x_bpp_information_accuracy) == ("B", "2")
    assert stix2.TLP_AMBER.id in report.object_marking_refs
    assert stix2.TLP_GREEN.id in reports["Green trend"].object_marking_refs
    types = {o.type for o in bundle.objects}
    assert {"intrusion-set", "threat-actor", "relationship", "marking-definition", "identity"} <= types
    ids = {o.id for o in bundle.objects}
    for obj in bundle.objects:
        for ref in getattr(obj, "object_refs", []):
            assert ref in ids
    assert AuditEntry.objects.filter(verb="exchange.item.exported", extra__format="stix").exists()


def test_anonymous_item_export_hides_the_originator(personas):
    make_item(personas.alan_analyst, group=personas.rilon, title="Anon", anonymous=True, anonymous_group=personas.rilon)
    response, _ = exports.items_csv(personas.bea_analyst)
    assert csv_rows(response)[0]["originator"] == "a member of Test RILON"
    text, _ = exports.items_stix(personas.bea_analyst)
    assert "Alphaland" not in text
    names = {o["name"] for o in json.loads(text)["objects"] if o["type"] == "identity"}
    assert "a member of Test RILON" in names


def test_withdrawn_items_are_not_exported(personas):
    from exchange import services

    item = make_item(personas.alan_analyst, group=personas.rilon, title="Gone")
    services.withdraw_item(item=item, actor=personas.alan_analyst)
    _, count = exports.items_csv(personas.alan_analyst)
    assert count == 0


def test_export_of_one_item_through_the_page(personas, signed_in):
    item = make_item(personas.alan_analyst, group=personas.rilon, title="One item", tlp="amber")
    response = signed_in(personas.bea_analyst).post(f"/exchange/items/{item.uuid}/export/stix/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    bundle = exports.parse_bundle(response.content.decode())
    assert [o.name for o in bundle.objects if o.type == "report"] == ["One item"]
