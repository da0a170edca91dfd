"""Permission-aware reads of users for user management."""

from django.http import Http404

from accounts import permissions
from accounts.models import Role, User


def manageable_users(actor):
    """Users the actor sees in 'Users of my participant' (the secretariat and administrators: everyone)."""
    users = User.objects.select_related("agency__participant")
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
