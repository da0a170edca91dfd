"""Rules that the first version of the core missed (DESIGN.md section 1), each with the case that broke it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents.models import Document
from sharing import services
from sharing.models import TLP, Distribution, ReleaseRequest, Status
from sharing.principals import forget_principals
from sharing.rules import PUBLIC, visible_to

pytestmark = pytest.mark.django_db


def seen_by(who):
    if not hasattr(who, "kind"):
        forget_principals(who)
    return set(visible_to(Document, who).values_list("pk", flat=True))


def test_a_withdrawn_draft_keeps_the_draft_audience(personas):
    """'Those who could see it before see a tombstone': a never-published draft was seen by its originator only."""
    doc = services.create_shared(
        Document(title="Draft", distribution=Distribution.PUBLIC, tlp=TLP.CLEAR), actor=personas.alan_analyst
    )
    services.withdraw(doc, actor=personas.alan_analyst)
    doc.refresh_from_db()
    assert doc.status == Status.WITHDRAWN
    assert doc.pk not in seen_by(PUBLIC)
    assert doc.pk not in seen_by(personas.bea_analyst)
    assert doc.pk in seen_by(personas.avery_viewer)


def test_a_published_then_withdrawn_object_stays_a_tombstone_for_its_audience(personas):
    doc = services.create_shared(
        Document(title="Public", distribution=Distribution.PUBLIC, tlp=TLP.CLEAR),
        actor=personas.alan_analyst,
        publish=True,
    )
    services.withdraw(doc, actor=personas.alan_analyst)
    assert doc.pk in seen_by(PUBLIC)


def test_the_anonymity_group_must_be_one_of_the_authors_groups(personas):
    """'a member of <group>' must be true."""
    with pytest.raises(ValidationError) as excinfo:
        services.create_shared(
            Document(
                title="Anon",
                distribution=Distribution.MEMBERS,
                tlp=TLP.GREEN,
                anonymous=True,
                anonymous_group=personas.rilon,
            ),
            actor=personas.gus_outsider,
        )
    assert "anonymous_group" in excinfo.value.message_dict


def test_the_requester_cannot_decide_its_own_release_request(personas):
    doc = services.create_shared(
        Document(title="Beta", distribution=Distribution.RECIPIENTS, tlp=TLP.GREEN),
        actor=personas.bea_analyst,
        recipient_keys=[f"group:{personas.rilon.pk}"],
        publish=True,
    )
    release = services.request_release(
        doc, actor=personas.bob_focal, principal_keys=[f"participant:{personas.gamma.pk}"], reason="needed"
    )
    # Bob is a focal point of Betaland, the originator, but filed the request himself: another must decide.
    with pytest.raises(PermissionDenied):
        services.decide_release(release, actor=personas.bob_focal, approve=True)
    release.refresh_from_db()
    assert release.state == ReleaseRequest.State.OPEN
