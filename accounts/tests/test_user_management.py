"""'Users of my participant': a focal point manages lower roles of its own participant only."""

import pytest
from django.test import Client

from accounts.models import User
from audit.models import AuditEntry
from portal.testing import AgencyFactory, UserFactory, enrol_totp

pytestmark = pytest.mark.django_db


def manager(user) -> Client:
    enrol_totp(user)
    client = Client()
    client.force_login(user)
    return client


def test_the_list_shows_only_my_participants_users(personas):
    page = manager(personas.alice_focal).get("/accounts/users/")
    names = {u.username for u in page.context["users"]}
    assert {"alice", "alan", "avery", "abel"} <= names
    assert not names & {"bob", "bea", "ben", "gus"}


def test_another_participants_user_does_not_exist_for_a_focal_point(personas):
    client = manager(personas.alice_focal)
    bea = personas.bea_analyst
    assert client.get(f"/accounts/users/{bea.uuid}/").status_code == 404
    assert client.post(f"/accounts/users/{bea.uuid}/", {"role": "viewer"}).status_code == 404
    assert client.post(f"/accounts/users/{bea.uuid}/disable/").status_code == 404
    bea.refresh_from_db()
    assert bea.role == "analyst" and bea.is_active


def test_a_peer_or_higher_role_is_forbidden(personas):
    peer = UserFactory(username="alfie", agency=personas.alpha_agency, role="focal_point")
    client = manager(personas.alice_focal)
    assert client.get(f"/accounts/users/{peer.uuid}/").status_code == 200
    assert client.post(f"/accounts/users/{peer.uuid}/", {"role": "viewer"}).status_code == 403
    assert client.post(f"/accounts/users/{peer.uuid}/disable/").status_code == 403
    assert client.post(f"/accounts/users/{peer.uuid}/end-sessions/").status_code == 403
    peer.refresh_from_db()
    assert peer.role == "focal_point" and peer.is_active


def test_a_focal_point_changes_roles_within_its_limits(personas):
    client = manager(personas.alice_focal)
    avery = personas.avery_viewer
    assert client.post(f"/accounts/users/{avery.uuid}/", {"role": "contributor"}).status_code == 302
    avery.refresh_from_db()
    assert avery.role == "contributor"
    entry = AuditEntry.objects.get(verb="accounts.user.role_changed")
    assert entry.changes == {"role": ["viewer", "contributor"]}
    response = client.post(f"/accounts/users/{avery.uuid}/", {"role": "focal_point"})
    assert response.status_code == 200 and "role" in response.context["form"].errors
    avery.refresh_from_db()
    assert avery.role == "contributor"


def test_disable_enable_and_end_sessions_are_audited(personas):
    client = manager(personas.alice_focal)
    alan = personas.alan_analyst
    assert client.post(f"/accounts/users/{alan.uuid}/disable/").status_code == 302
    assert not User.objects.get(pk=alan.pk).is_active
    assert client.post(f"/accounts/users/{alan.uuid}/enable/").status_code == 302
    assert User.objects.get(pk=alan.pk).is_active
    assert client.post(f"/accounts/users/{alan.uuid}/end-sessions/").status_code == 302
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"accounts.user.disabled", "accounts.user.enabled", "accounts.sessions.ended"} <= verbs


def test_state_changes_need_post(personas):
    client = manager(personas.alice_focal)
    alan = personas.alan_analyst
    assert client.get(f"/accounts/users/{alan.uuid}/disable/").status_code == 405
    assert client.put("/accounts/me/").status_code == 405


def test_the_secretariat_manages_every_participant_but_not_administrators(personas):
    rso = UserFactory(role="secretariat", agency=AgencyFactory())
    root = UserFactory(role="system_admin")
    client = manager(rso)
    assert client.post(f"/accounts/users/{personas.bob_focal.uuid}/", {"role": "analyst"}).status_code == 302
    assert client.post(f"/accounts/users/{root.uuid}/disable/").status_code == 403


def test_ordinary_users_have_no_user_management(personas):
    assert manager(personas.alan_analyst).get("/accounts/users/").status_code == 403
