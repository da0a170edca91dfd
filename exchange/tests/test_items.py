"""Items: who sees them, who changes them, anonymity, withdrawal, expiry, kinds and markings."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from exchange import services
from exchange.kinds import Kind
from exchange.models import Item
from exchange.queries import items_for
from exchange.tests.conftest import make_item
from sharing.models import ReleaseRequest, Status
from sharing.principals import forget_principals
from sharing.rules import can_see

pytestmark = pytest.mark.django_db


def without_forms(html: str) -> str:
    """The page's content, leaving out form option lists (which name every participant)."""
    return re.sub(r"<form.*?</form>", "", html, flags=re.S)


def test_outsider_gets_404_for_the_item_its_comments_attachments_and_exports(personas, signed_in, tmp_path):
    item = make_item(personas.alan_analyst, group=personas.rilon)
    services.add_comment(item=item, actor=personas.bea_analyst, body="Seen at CMB too.")
    client = signed_in(personas.gus_outsider)
    base = f"/exchange/items/{item.uuid}"
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/comments/").status_code == 404
    assert client.post(f"{base}/comments/", {"body": "hello"}).status_code == 404
    assert client.get(f"{base}/attachments/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert client.post(f"{base}/export/csv/").status_code == 404
    assert client.post(f"{base}/export/stix/").status_code == 404
    assert client.get(f"/api/v1/exchange/items/{item.uuid}/").status_code == 404
    assert client.get(f"/api/v1/exchange/items/{item.uuid}/comments/").status_code == 404
    assert item.comments.count() == 1


def test_members_of_the_group_see_it_and_others_of_the_originator_participant_do_not(personas):
    item = make_item(personas.alan_analyst, group=personas.rilon)
    assert can_see(personas.ben_viewer, item)
    assert not can_see(personas.abel_other_agency, item)
    assert not can_see(personas.gus_outsider, item)


def test_sharing_with_several_groups_participants_and_individuals_at_once(personas):
    item = make_item(
        personas.alan_analyst,
        recipients=[
            f"group:{personas.rilon.pk}",
            f"participant:{personas.gamma.pk}",
            f"user:{personas.abel_other_agency.pk}",
        ],
    )
    for user in (personas.bea_analyst, personas.gus_outsider, personas.abel_other_agency):
        forget_principals(user)
        assert can_see(user, item)


def test_a_recipient_cannot_reshare_an_h2_item_but_can_ask_for_release(personas, signed_in):
    item = make_item(personas.alan_analyst, group=personas.rilon, handling="H2")
    with pytest.raises(PermissionDenied):
        services.share_item(
            item=item, actor=personas.bea_analyst, distribution="members", tlp="amber", recipient_keys=[]
        )
    client = signed_in(personas.bea_analyst)
    response = client.post(f"/exchange/items/{item.uuid}/share/", {"distribution": "members", "tlp": "amber"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.distribution == "recipients"

    release = services.request_release(
        item=item,
        actor=personas.bea_analyst,
        principal_keys=[f"participant:{personas.gamma.pk}"],
        reason="Gamma sees the same route.",
    )
    with pytest.raises(PermissionDenied):
        services.decide_release(release=release, actor=personas.bob_focal, approve=True)
    services.decide_release(release=release, actor=personas.alice_focal, approve=True)
    assert ReleaseRequest.objects.get(pk=release.pk).state == "approved"
    forget_principals(personas.gus_outsider)
    assert can_see(personas.gus_outsider, item)


def test_anonymous_item_hides_the_originator_from_recipients_in_page_and_api(personas, signed_in):
    item = make_item(
        personas.alan_analyst,
        group=personas.rilon,
        anonymous=True,
        anonymous_group=personas.rilon,
        title="Anonymous tip",
    )
    client = signed_in(personas.bea_analyst)
    page = without_forms(client.get(f"/exchange/items/{item.uuid}/").content.decode())
    assert "a member of Test RILON" in page
    assert "Alphaland" not in page
    assert personas.alan_analyst.username not in page
    api = client.get(f"/api/v1/exchange/items/{item.uuid}/").json()
    assert api["originator"] == "a member of Test RILON"
    assert "Alphaland" not in str(api)

    own = signed_in(personas.avery_viewer).get(f"/exchange/items/{item.uuid}/").content.decode()
    assert "Alphaland Immigration" in own


def test_anonymity_must_name_a_group_the_author_belongs_to(personas):
    from portal.testing import GroupFactory

    foreign = GroupFactory(name="Other network", slug="other-network")
    with pytest.raises(ValidationError) as error:
        make_item(personas.alan_analyst, group=personas.rilon, anonymous=True, anonymous_group=foreign)
    assert "anonymous_group" in error.value.message_dict


def test_withdrawn_item_leaves_a_tombstone_for_recipients(personas, signed_in):
    item = make_item(personas.alan_analyst, group=personas.rilon, tlp="green", body="Secret method details")
    services.add_comment(item=item, actor=personas.bea_analyst, body="A comment with details")
    services.withdraw_item(item=item, actor=personas.alan_analyst, reason="Superseded")
    client = signed_in(personas.bea_analyst)
    page = client.get(f"/exchange/items/{item.uuid}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "withdrawn" in text
    assert "Secret method details" not in text
    assert "A comment with details" not in text
    assert client.get(f"/exchange/items/{item.uuid}/comments/").status_code == 404
    api = client.get(f"/api/v1/exchange/items/{item.uuid}/").json()
    assert "body_html" not in api and api["status"] == "withdrawn"
    assert client.post(f"/exchange/items/{item.uuid}/export/stix/").status_code == 404


def test_withdrawn_amber_item_hides_even_its_title(personas, signed_in):
    item = make_item(personas.alan_analyst, group=personas.rilon, tlp="amber", title="Route via KUL")
    services.withdraw_item(item=item, actor=personas.alan_analyst)
    text = signed_in(personas.bea_analyst).get(f"/exchange/items/{item.uuid}/").content.decode()
    assert "Route via KUL" not in text


def test_expiry_archives_the_item_but_keeps_it_reachable(personas, signed_in):
    item = make_item(personas.alan_analyst, group=personas.rilon)
    Item.objects.filter(pk=item.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert services.archive_expired() == 1
    assert services.archive_expired() == 0
    item.refresh_from_db()
    assert item.archived_at is not None and item.is_archived
    assert item not in items_for(personas.bea_analyst)
    assert item in items_for(personas.bea_analyst, include_archived=True)
    client = signed_in(personas.bea_analyst)
    assert b"Visa fraud trend" not in client.get("/exchange/").content
    page = client.get(f"/exchange/items/{item.uuid}/")
    assert page.status_code == 200 and b"Archived" in page.content
    assert AuditEntry.objects.filter(verb="exchange.item.archived", target_id=str(item.pk)).count() == 1


def test_a_vulnerability_notice_is_never_shared_with_all_members_or_the_public(personas):
    details = {"location": "CMB departure gates", "vulnerability": "Transit passengers bypass checks"}
    for distribution in ("members", "public"):
        with pytest.raises(ValidationError) as error:
            make_item(
                personas.alan_analyst,
                kind=Kind.VULNERABILITY_NOTICE,
                details=details,
                distribution=distribution,
                tlp="green",
            )
        assert "distribution" in error.value.message_dict
    item = make_item(personas.alan_analyst, kind=Kind.VULNERABILITY_NOTICE, details=details, group=personas.rilon)
    with pytest.raises(ValidationError):
        services.share_item(
            item=item, actor=personas.alan_analyst, distribution="members", tlp="green", recipient_keys=[]
        )


def test_structured_fields_are_validated_per_kind(personas):
    with pytest.raises(ValidationError) as error:
        make_item(personas.alan_analyst, group=personas.rilon, details={"airports": ["CMBX"], "fees": "10"})
    messages = " ".join(error.value.message_dict["details"])
    assert "CMBX" in messages and "'fees' is not a field" in messages
    item = make_item(
        personas.alan_analyst,
        kind=Kind.DOCUMENT_FRAUD_ALERT,
        group=personas.rilon,
        details={"document_type": "Passport", "issuing_country": "lka", "fraud_type": "impostor"},
        routes=["cmb > kul > per"],
        nationalities=["lka"],
    )
    assert item.details["issuing_country"] == "LKA"
    assert item.routes == ["CMB-KUL-PER"]
    with pytest.raises(ValidationError):
        make_item(
            personas.alan_analyst,
            kind=Kind.DOCUMENT_FRAUD_ALERT,
            group=personas.rilon,
            details={"document_type": "Passport", "issuing_country": "LKA", "fraud_type": "magic"},
        )


def test_four_eyes_keeps_the_item_a_draft_until_a_focal_point_approves(personas):
    personas.alpha.four_eyes = True
    personas.alpha.save()
    item = make_item(personas.alan_analyst, group=personas.rilon)
    assert item.status == Status.DRAFT and item.pending_approval
    assert not can_see(personas.bea_analyst, item)
    with pytest.raises(PermissionDenied):
        services.approve_item(item=item, actor=personas.bob_focal)
    services.approve_item(item=item, actor=personas.alice_focal)
    forget_principals(personas.bea_analyst)
    assert can_see(personas.bea_analyst, item)


def test_only_the_originator_edits_and_a_recipient_gets_403(personas, signed_in):
    item = make_item(personas.alan_analyst, group=personas.rilon)
    with pytest.raises(PermissionDenied):
        services.update_item(item=item, actor=personas.bea_analyst, title="Changed")
    client = signed_in(personas.bea_analyst)
    assert client.post(f"/exchange/items/{item.uuid}/edit/", {"title": "Changed"}).status_code == 403
    services.update_item(item=item, actor=personas.alice_focal, title="Refined title")
    item.refresh_from_db()
    assert item.title == "Refined title"
    assert AuditEntry.objects.filter(verb="exchange.item.updated", target_id=str(item.pk)).exists()


def test_stored_xss_in_title_body_tags_and_comments_is_inert(personas, signed_in):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    item = make_item(
        personas.alan_analyst,
        group=personas.rilon,
        title=f"Title {payload}",
        body=f"Body {payload} [link](javascript:alert(1))",
        tags=[f"tag{payload}"],
    )
    services.add_comment(item=item, actor=personas.bea_analyst, body=f"Comment {payload}")
    text = signed_in(personas.bea_analyst).get(f"/exchange/items/{item.uuid}/").content.decode()
    assert "<script>alert" not in text
    assert "onerror=alert" not in text.replace("onerror=alert(1)&gt;", "")
    assert "<img" not in text
    assert "javascript:" not in text
    assert "&lt;script&gt;" in text


def test_related_items_only_list_what_the_reader_sees(personas, signed_in):
    shared = make_item(personas.alan_analyst, group=personas.rilon, title="Shared report")
    private = make_item(personas.alan_analyst, distribution="originator", title="Internal note")
    services.link_items(from_item=shared, to_item=private, actor=personas.alan_analyst)
    reader = signed_in(personas.bea_analyst).get(f"/exchange/items/{shared.uuid}/").content.decode()
    assert "Internal note" not in reader
    author = signed_in(personas.alan_analyst).get(f"/exchange/items/{shared.uuid}/").content.decode()
    assert "Internal note" in author


def test_reading_an_amber_item_is_audited_once_per_request(personas, signed_in):
    item = make_item(personas.alan_analyst, group=personas.rilon, tlp="amber")
    signed_in(personas.bea_analyst).get(f"/exchange/items/{item.uuid}/")
    assert AuditEntry.objects.filter(verb="exchange.item.viewed", target_id=str(item.pk)).count() == 1


def test_create_page_shares_to_a_group_at_once(personas, signed_in):
    client = signed_in(personas.alan_analyst)
    response = client.post(
        "/exchange/items/new/?kind=irregular_movement_alert",
        {
            "kind": "irregular_movement_alert",
            "title": "Group travelling via KUL",
            "distribution": "recipients",
            "tlp": "amber",
            "groups": [personas.rilon.pk],
            "source_reliability": "B",
            "information_accuracy": "2",
            "handling": "H1",
            "d_transit_points": "KUL\nBKK",
            "routes": "CMB-KUL-PER",
            "publish": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item = Item.objects.get(title="Group travelling via KUL")
    assert item.status == "published" and item.details["transit_points"] == ["KUL", "BKK"]
    forget_principals(personas.bea_analyst)
    assert can_see(personas.bea_analyst, item)


def test_create_page_names_the_field_in_error(personas, signed_in):
    client = signed_in(personas.alan_analyst)
    response = client.post(
        "/exchange/items/new/?kind=trend_report",
        {
            "kind": "trend_report",
            "title": "x",
            "distribution": "public",
            "tlp": "red",
            "source_reliability": "A",
            "information_accuracy": "1",
            "handling": "H0",
        },
    )
    assert response.status_code == 200
    assert "TLP:RED goes to named individual users only." in response.content.decode()
