"""Accounts by invitation only: who may invite whom, the e-mail, and opening the account."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from accounts import services
from accounts.models import Invitation, User
from audit.models import AuditEntry
from operations.models import OutboxMessage
from portal.testing import AgencyFactory, UserFactory, enrol_totp

pytestmark = pytest.mark.django_db
PASSPHRASE = "a long and private passphrase"


def invite(actor, agency, role="analyst", email="new.person@example.org"):
    return services.invitation_send(actor=actor, email=email, agency=agency, role=role)


def invitation_link(invitation) -> str:
    body = OutboxMessage.objects.get(target_type="accounts.invitation", target_id=str(invitation.pk)).body
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", body).group(1)


def test_there_is_no_self_sign_up(db):
    response = Client().post("/accounts/signup/", {"username": "me", "email": "me@example.org", "password1": "x" * 20})
    assert not User.objects.filter(username="me").exists()
    assert response.status_code in (200, 302, 403)


def test_a_focal_point_invites_into_its_own_participant_with_lower_roles(personas):
    invitation = invite(personas.alice_focal, personas.alpha_other_agency, role="contributor")
    assert invitation.accepted_user.agency == personas.alpha_other_agency
    assert OutboxMessage.objects.filter(target_type="accounts.invitation").count() == 1
    assert AuditEntry.objects.filter(verb="accounts.invitation.sent").count() == 1


@pytest.mark.parametrize("role", ["focal_point", "secretariat", "auditor", "system_admin"])
def test_a_focal_point_cannot_invite_peers_or_higher_roles(personas, role):
    with pytest.raises(PermissionDenied):
        invite(personas.alice_focal, personas.alpha_agency, role=role)


def test_a_focal_point_cannot_invite_into_another_participant(personas):
    with pytest.raises(PermissionDenied):
        invite(personas.alice_focal, personas.beta_agency)
    enrol_totp(personas.alice_focal)
    client = Client()
    client.force_login(personas.alice_focal)
    response = client.post(
        "/accounts/users/invite/", {"email": "x@example.org", "agency": personas.beta_agency.pk, "role": "viewer"}
    )
    assert response.status_code == 200 and "agency" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_the_secretariat_may_invite_focal_points_anywhere(personas):
    rso = UserFactory(role="secretariat", agency=AgencyFactory())
    assert invite(rso, personas.beta_agency, role="focal_point") is not None
    with pytest.raises(PermissionDenied):
        invite(rso, personas.beta_agency, role="system_admin", email="other@example.org")


def test_a_system_administrator_may_invite_anyone(personas):
    root = UserFactory(role="system_admin")
    assert invite(root, personas.beta_agency, role="system_admin") is not None


def test_viewers_and_analysts_cannot_invite(personas):
    for user in (personas.avery_viewer, personas.alan_analyst):
        with pytest.raises(PermissionDenied):
            invite(user, personas.alpha_agency, role="viewer")
        enrol_totp(user)
        client = Client()
        client.force_login(user)
        assert client.get("/accounts/users/invite/").status_code == 403


def test_accepting_sets_username_and_password_then_forces_totp_enrolment(personas):
    invitation = invite(personas.alice_focal, personas.alpha_agency)
    client = Client()
    link = invitation_link(invitation)
    assert client.get(link).status_code == 200
    response = client.post(link, {"username": " New.Person ", "password1": PASSPHRASE, "password2": PASSPHRASE})
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    user = User.objects.get(username="new.person")
    assert user.check_password(PASSPHRASE) and user.role == "analyst"
    assert client.get("/")["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get(link).status_code == 404  # used once
    assert AuditEntry.objects.filter(verb="accounts.invitation.accepted").count() == 1


def test_accepting_refuses_a_weak_password_and_a_taken_username(personas):
    invitation = invite(personas.alice_focal, personas.alpha_agency)
    link = invitation_link(invitation)
    weak = Client().post(link, {"username": "newbie", "password1": "password1234", "password2": "password1234"})
    assert weak.status_code == 200 and weak.context["form"].errors
    taken = Client().post(link, {"username": "ALAN", "password1": PASSPHRASE, "password2": PASSPHRASE})
    assert "username" in taken.context["form"].errors


def test_an_unknown_invitation_link_is_not_found(db):
    assert Client().get("/accounts/invitation/not-a-real-token/").status_code == 404


def test_a_withdrawn_invitation_can_no_longer_be_accepted(personas):
    invitation = invite(personas.alice_focal, personas.alpha_agency)
    link = invitation_link(invitation)
    enrol_totp(personas.bob_focal)
    outsider = Client()
    outsider.force_login(personas.bob_focal)
    assert outsider.post(f"/accounts/users/invitations/{invitation.pk}/withdraw/").status_code == 404
    enrol_totp(personas.alice_focal)
    client = Client()
    client.force_login(personas.alice_focal)
    assert client.post(f"/accounts/users/invitations/{invitation.pk}/withdraw/").status_code == 302
    assert Client().get(link).status_code == 404
    assert not User.objects.get(pk=invitation.accepted_user_id).is_active
    assert AuditEntry.objects.filter(verb="accounts.invitation.revoked").count() == 1
