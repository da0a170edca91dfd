"""The table of DESIGN.md section 1, row by row, on Documents."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents.models import Document
from participants.models import Participant
from sharing import services
from sharing.models import TLP, Distribution, Status
from sharing.principals import forget_principals
from sharing.rules import (
    ALL_MEMBERS,
    PUBLIC,
    can_change,
    can_see,
    can_see_content,
    originator_label,
    visible_to,
)

pytestmark = pytest.mark.django_db


def make_doc(author, *, distribution=Distribution.ORIGINATOR, tlp=TLP.AMBER, recipients=(), publish=True, **fields):
    doc = Document(title="Doc", distribution=distribution, tlp=tlp, **fields)
    return services.create_shared(doc, actor=author, recipient_keys=recipients, publish=publish)


def seen_by(user):
    forget_principals(user)
    return set(visible_to(Document, user).values_list("pk", flat=True))


def test_draft_is_seen_by_author_agency_and_focal_points_only(personas):
    doc = make_doc(personas.alan_analyst, publish=False)
    assert doc.status == Status.DRAFT
    for user in (personas.alan_analyst, personas.avery_viewer, personas.alice_focal):
        assert doc.pk in seen_by(user)
    for user in (personas.abel_other_agency, personas.bob_focal, personas.gus_outsider):
        assert doc.pk not in seen_by(user)


def test_originator_distribution_reaches_every_user_of_the_participant(personas):
    doc = make_doc(personas.alan_analyst)
    assert doc.pk in seen_by(personas.abel_other_agency)
    assert doc.pk not in seen_by(personas.bea_analyst)


def test_recipients_distribution_reaches_group_members_only(personas):
    doc = make_doc(
        personas.alan_analyst, distribution=Distribution.RECIPIENTS, recipients=[f"group:{personas.rilon.pk}"]
    )
    assert doc.pk in seen_by(personas.ben_viewer)
    assert doc.pk in seen_by(personas.avery_viewer)  # originator agency
    assert doc.pk not in seen_by(personas.abel_other_agency)  # same participant, other agency, not in RILON
    assert doc.pk not in seen_by(personas.gus_outsider)


def test_tlp_red_excludes_the_originator_agency_but_not_the_author(personas):
    doc = make_doc(
        personas.alan_analyst,
        distribution=Distribution.RECIPIENTS,
        tlp=TLP.RED,
        recipients=[f"user:{personas.bea_analyst.pk}"],
    )
    assert doc.pk in seen_by(personas.alan_analyst)
    assert doc.pk in seen_by(personas.bea_analyst)
    assert doc.pk not in seen_by(personas.avery_viewer)
    assert doc.pk not in seen_by(personas.ben_viewer)


def test_members_distribution_and_suspension(personas):
    doc = make_doc(personas.alan_analyst, distribution=Distribution.MEMBERS)
    assert doc.pk in seen_by(personas.gus_outsider)
    personas.gamma.status = Participant.Status.SUSPENDED
    personas.gamma.save()
    personas.gus_outsider.refresh_from_db()
    assert doc.pk not in seen_by(personas.gus_outsider)


def test_named_audiences(personas):
    members_doc = make_doc(personas.alan_analyst, distribution=Distribution.MEMBERS)
    public_doc = make_doc(personas.alan_analyst, distribution=Distribution.PUBLIC, tlp=TLP.CLEAR)
    group_doc = make_doc(
        personas.alan_analyst, distribution=Distribution.RECIPIENTS, recipients=[f"group:{personas.rilon.pk}"]
    )
    assert set(visible_to(Document, ALL_MEMBERS).values_list("pk", flat=True)) == {
        members_doc.pk,
        public_doc.pk,
    }
    assert set(visible_to(Document, PUBLIC).values_list("pk", flat=True)) == {public_doc.pk}
    assert group_doc.pk not in set(visible_to(Document, ALL_MEMBERS).values_list("pk", flat=True))


def test_tlp_must_fit_distribution(personas):
    with pytest.raises(ValidationError) as error:
        make_doc(personas.alan_analyst, distribution=Distribution.PUBLIC, tlp=TLP.AMBER)
    assert "tlp" in error.value.message_dict
    with pytest.raises(ValidationError):
        make_doc(
            personas.alan_analyst,
            distribution=Distribution.RECIPIENTS,
            tlp=TLP.RED,
            recipients=[f"group:{personas.rilon.pk}"],
        )
    with pytest.raises(ValidationError):
        make_doc(
            personas.alan_analyst,
            distribution=Distribution.RECIPIENTS,
            tlp=TLP.AMBER_STRICT,
            recipients=[f"group:{personas.rilon.pk}"],
        )
    assert not Document.objects.exists()


def test_only_the_originator_changes_and_widens(personas):
    doc = make_doc(
        personas.alan_analyst, distribution=Distribution.RECIPIENTS, recipients=[f"group:{personas.rilon.pk}"]
    )
    assert can_change(personas.alice_focal, doc)
    assert not can_change(personas.avery_viewer, doc)  # viewer of the originator agency
    assert not can_change(personas.bob_focal, doc)  # recipient focal point
    with pytest.raises(PermissionDenied):
        services.change_sharing(
            doc, actor=personas.bob_focal, distribution=Distribution.MEMBERS, tlp=TLP.AMBER, recipient_keys=[]
        )
    services.change_sharing(
        doc, actor=personas.alan_analyst, distribution=Distribution.MEMBERS, tlp=TLP.AMBER, recipient_keys=[]
    )
    assert doc.pk in seen_by(personas.gus_outsider)


def test_four_eyes_holds_publication_until_a_focal_point_approves(personas):
    personas.alpha.four_eyes = True
    personas.alpha.save()
    doc = make_doc(personas.alan_analyst, distribution=Distribution.MEMBERS)
    assert doc.status == Status.DRAFT and doc.pending_approval
    assert doc.pk not in seen_by(personas.bea_analyst)
    services.approve_publication(doc, actor=personas.alice_focal)
    assert doc.pk in seen_by(personas.bea_analyst)


def test_withdrawn_keeps_a_tombstone_without_content(personas):
    doc = make_doc(personas.alan_analyst, distribution=Distribution.MEMBERS)
    services.withdraw(doc, actor=personas.alan_analyst)
    doc.refresh_from_db()
    assert can_see(personas.bea_analyst, doc)
    assert not can_see_content(personas.bea_analyst, doc)
    assert can_see_content(personas.avery_viewer, doc)


def test_anonymous_originator_is_masked_outside_the_agency(personas):
    doc = make_doc(
        personas.alan_analyst,
        distribution=Distribution.MEMBERS,
        anonymous=True,
        anonymous_group=personas.rilon,
    )
    assert originator_label(doc, personas.bea_analyst) == "a member of Test RILON"
    assert originator_label(doc, personas.abel_other_agency) == "a member of Test RILON"
    assert originator_label(doc, personas.avery_viewer) == str(personas.alpha_agency)


def test_release_request_widens_only_after_the_originator_focal_point_agrees(personas):
    doc = make_doc(
        personas.alan_analyst, distribution=Distribution.RECIPIENTS, recipients=[f"group:{personas.rilon.pk}"]
    )
    release = services.request_release(
        doc,
        actor=personas.bea_analyst,
        principal_keys=[f"participant:{personas.gamma.pk}"],
        reason="Gammaland's airport sees the same route",
    )
    assert doc.pk not in seen_by(personas.gus_outsider)
    with pytest.raises(PermissionDenied):
        services.decide_release(release, actor=personas.bob_focal, approve=True)
    services.decide_release(release, actor=personas.alice_focal, approve=True)
    assert doc.pk in seen_by(personas.gus_outsider)
