"""Group workspaces: members (hidden from non-members when the group asks), items, library, feed."""

import pytest

from exchange.tests.conftest import make_item
from portal.testing import add_member

pytestmark = pytest.mark.django_db


def test_hidden_membership_is_shown_to_members_only(personas, signed_in):
    personas.rilon.hidden_membership = True
    personas.rilon.save()
    member_view = signed_in(personas.bea_analyst).get("/exchange/groups/test-rilon/").content.decode()
    assert "Alphaland Immigration" in member_view
    outsider_view = signed_in(personas.gus_outsider).get("/exchange/groups/test-rilon/").content.decode()
    assert "keeps its membership private" in outsider_view
    assert "Betaland Immigration" not in outsider_view


def test_workspace_lists_only_visible_current_items_and_documents(personas, signed_in):
    from documents.models import Document
    from sharing.services import create_shared

    make_item(personas.alan_analyst, group=personas.rilon, title="Shared with the RILON")
    make_item(personas.alan_analyst, distribution="originator", title="Alphaland internal")
    create_shared(
        Document(title="Revised RILON guidelines", group=personas.rilon, distribution="recipients", tlp="green"),
        actor=personas.alan_analyst,
        recipient_keys=[f"group:{personas.rilon.pk}"],
        publish=True,
    )
    page = signed_in(personas.bea_analyst).get("/exchange/groups/test-rilon/").content.decode()
    assert "Shared with the RILON" in page
    assert "Revised RILON guidelines" in page
    assert "Alphaland internal" not in page
    outsider = signed_in(personas.gus_outsider).get("/exchange/groups/test-rilon/").content.decode()
    assert "Shared with the RILON" not in outsider and "Revised RILON guidelines" not in outsider


def test_members_see_the_members_list_when_not_hidden(personas, signed_in):
    add_member(personas.rilon, participant=personas.gamma)
    page = signed_in(personas.gus_outsider).get("/exchange/groups/test-rilon/").content.decode()
    assert "Gammaland" in page and "Betaland Immigration" in page
