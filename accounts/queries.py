"""Permission-aware reads of users for user management."""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.http import Http404
from django.utils import timezone

from accounts import permissions
from accounts.models import Invitation, Role, User


def manageable_users(actor):
    """Users the actor sees in 'Users of my participant' (the secretariat and administrators: everyone).

    Accounts still waiting for their invitation to be accepted are listed as invitations instead.
    """
    users = User.objects.select_related("agency__participant").exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    if actor.role in (Role.SECRETARIAT, Role.SYSTEM_ADMIN):
        return users
    if actor.role == Role.FOCAL_POINT and actor.participant_id:
        return users.filter(agency__participant_id=actor.participant_id)
    return users.none()


def get_manageable_user_or_404(actor, uuid) -> User:
    """One user by UUID; another participant's users do not exist for a focal point."""
    user = manageable_users(actor).filter(uuid=uuid).first()
    if user is None or not permissions.sees_user(actor, user):
        raise Http404
    return user


def open_invitations(actor):
    """Invitations not yet accepted, of the actor's participant (the secretariat and administrators: all)."""
    invitations = Invitation.objects.select_related("agency__participant", "invited_by").filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    if actor.role in (Role.SECRETARIAT, Role.SYSTEM_ADMIN):
        return invitations
    if actor.role == Role.FOCAL_POINT and actor.participant_id:
        return invitations.filter(agency__participant_id=actor.participant_id)
    return invitations.none()
