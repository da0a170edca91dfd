"""Exports of what a user may see: CSV (the portal's one neutralising writer) and a STIX 2.1 bundle.

Both are derived output produced as the exporting user: visible items only, withdrawn ones left out,
H2/H3 left out unless the exporter belongs to the originator agency (`exportable_q`), every marking
carried, anonymity kept, and the export audited.
"""

import json
import uuid
from datetime import UTC

import stix2
from django.db.models import QuerySet

from audit import services as audit
from exchange.kinds import Kind
from exchange.models import Item
from exchange.notify import item_url
from exchange.queries import items_for
from sharing.models import TLP, Status
from sharing.rules import exportable_q, originator_label

CSV_HEADER = [
    "uuid",
    "kind",
    "title",
    "summary",
    "originator",
    "published",
    "valid_until",
    "archived",
    "tlp",
    "handling",
    "handling_note",
    "source_reliability",
    "information_accuracy",
    "countries",
    "nationalities",
    "routes",
    "tags",
    "link",
]

PORTAL_NAMESPACE = uuid.UUID("6d1f9a4e-2b0c-4c55-9a55-0b1a11b0c0de")
STIX_TLP = {
    TLP.CLEAR: stix2.TLP_WHITE,
    TLP.GREEN: stix2.TLP_GREEN,
    TLP.AMBER: stix2.TLP_AMBER,
    TLP.AMBER_STRICT: stix2.TLP_AMBER,
    TLP.RED: stix2.TLP_RED,
}


def exportable_items(user, items: QuerySet | None = None) -> QuerySet:
    """Visible, not withdrawn, and allowed out of the portal under the handling code."""
    items = items if items is not None else items_for(user, include_archived=True)
    return items.exclude(status=Status.WITHDRAWN).filter(exportable_q(user))


def _csv_row(user, item: Item) -> list:
    return [
        str(item.uuid),
        item.get_kind_display(),
        item.title,
        item.summary,
        originator_label(item, user),
        item.published_at.date().isoformat() if item.published_at else "",
        item.expires_at.date().isoformat() if item.expires_at else "",
        item.is_archived,
        item.get_tlp_display(),
        item.handling,
        item.handling_note,
        item.source_reliability,
        item.information_accuracy,
        " ".join(item.countries or []),
        " ".join(item.nationalities or []),
        " ".join(item.routes or []),
        "; ".join(item.tags or []),
        item_url(item),
    ]


def items_csv(user, items: QuerySet | None = None):
    """(HttpResponse, count): a CSV download of the exportable items; audited."""
    from portal.csv_export import csv_response

    rows = [_csv_row(user, item) for item in exportable_items(user, items)]
    response, count = csv_response("exchange-items.csv", CSV_HEADER, rows)
    audit.record("exchange.item.exported", actor=user, extra={"format": "csv", "count": count})
    return response, count


def _stix_id(kind: str, *parts: object) -> str:
    return f"{kind}--{uuid.uuid5(PORTAL_NAMESPACE, ':'.join(str(p) for p in parts))}"


def _when(value):
    return value.astimezone(UTC) if value else None


def _item_objects(user, item: Item, portal: stix2.Identity, strict: stix2.MarkingDefinition) -> list:
    originator = stix2.Identity(
        id=_stix_id("identity", "originator", originator_label(item, user)),
        name=originator_label(item, user),
        identity_class="organization",
        created_by_ref=portal.id,
    )
    markings = [STIX_TLP[item.tlp].id]
    if item.tlp == TLP.AMBER_STRICT:
        markings.append(strict.id)
    common = {"created_by_ref": originator.id, "object_marking_refs": markings}
    objects = [originator]
    refs = []
    if item.kind == Kind.MODUS_OPERANDI:
        details = item.details or {}
        network = stix2.IntrusionSet(
            id=_stix_id("intrusion-set", item.uuid),
            name=f"Smuggling network: {item.title}",
            description=details.get("method", ""),
            created=_when(item.created_at),
            allow_custom=True,
            x_bpp_routes=item.routes or [],
            **common,
        )
        actor = stix2.ThreatActor(
            id=_stix_id("threat-actor", item.uuid),
            name=f"Facilitators: {item.title}",
            description=details.get("facilitator_profile", ""),
            threat_actor_types=["criminal"],
            created=_when(item.created_at),
            **common,
        )
        relation = stix2.Relationship(
            id=_stix_id("relationship", item.uuid, "attributed-to"),
            relationship_type="attributed-to",
            source_ref=network.id,
            target_ref=actor.id,
            created=_when(item.created_at),
            **common,
        )
        objects += [network, actor, relation]
        refs += [network.id, actor.id, relation.id]
    report = stix2.Report(
        id=f"report--{item.uuid}",
        name=item.title,
        description="\n\n".join(part for part in (item.summary, item.body) if part),
        report_types=[item.kind.replace("_", "-")],
        published=_when(item.published_at or item.created_at),
        created=_when(item.created_at),
        modified=_when(max(item.updated_at, item.created_at)),
        object_refs=refs or [originator.id],
        labels=list(item.tags or []) or None,
        allow_custom=True,
        x_bpp_kind=item.kind,
        x_bpp_handling=item.handling,
        x_bpp_handling_note=item.handling_note,
        x_bpp_source_reliability=item.source_reliability,
        x_bpp_information_accuracy=item.information_accuracy,
        x_bpp_tlp=item.get_tlp_display(),
        x_bpp_details=item.details or {},
        x_bpp_countries=item.countries or [],
        x_bpp_nationalities=item.nationalities or [],
        x_bpp_routes=item.routes or [],
        x_bpp_valid_until=item.expires_at.astimezone(UTC).isoformat() if item.expires_at else "",
        **common,
    )
    objects.append(report)
    return objects


def items_stix(user, items: QuerySet | None = None) -> tuple[str, int]:
    """(JSON text of a STIX 2.1 bundle, count of reports); audited."""
    portal = stix2.Identity(
        id=_stix_id("identity", "portal"), name="Bali Process Cooperation Portal", identity_class="system"
    )
    strict = stix2.MarkingDefinition(
        id=_stix_id("marking-definition", "tlp-amber-strict"),
        definition_type="statement",
        definition=stix2.StatementMarking("TLP:AMBER+STRICT"),
        created_by_ref=portal.id,
        created="2022-08-01T00:00:00Z",
    )
    objects: dict[str, object] = {portal.id: portal}
    count = 0
    used = set()
    for item in exportable_items(user, items):
        for obj in _item_objects(user, item, portal, strict):
            objects[obj.id] = obj
        used.add(item.tlp)
        count += 1
    for tlp in used:
        objects[STIX_TLP[tlp].id] = STIX_TLP[tlp]
    if TLP.AMBER_STRICT in used:
        objects[strict.id] = strict
    bundle = stix2.Bundle(objects=list(objects.values()), allow_custom=True)
    audit.record("exchange.item.exported", actor=user, extra={"format": "stix", "count": count})
    return bundle.serialize(pretty=False), count


def parse_bundle(text: str):
    """Used by the tests (and by anyone checking an export): the bundle parsed back by the stix2 library."""
    return stix2.parse(json.loads(text), allow_custom=True)
