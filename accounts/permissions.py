"""Who may invite and manage which users (focal points inside their participant, the secretariat everywhere)."""

from accounts.models import ROLE_RANK, Role

# The roles a focal point hands out and manages: those below its own.
FOCAL_POINT_MANAGES = (Role.VIEWER, Role.CONTRIBUTOR, Role.ANALYST)


def manages_users(actor) -> bool:
    return actor.is_authenticated and actor.role in (Role.FOCAL_POINT, Role.SECRETARIAT, Role.SYSTEM_ADMIN)


def invitable_roles(actor) -> list[str]:
    """Roles the actor may give in an invitation or a role change."""
    if not actor.is_authenticated:
        return []
    if actor.role == Role.SYSTEM_ADMIN:
        return [role.value for role in Role]
    if actor.role == Role.SECRETARIAT:
        return [role.value for role in Role if role != Role.SYSTEM_ADMIN]
    if actor.role == Role.FOCAL_POINT:
        return [role.value for role in FOCAL_POINT_MANAGES]
    return []


def sees_user(actor, target) -> bool:
    """Whether the target exists for the actor in user management (else 404)."""
    if actor.role in (Role.SECRETARIAT, Role.SYSTEM_ADMIN):
        return True
    if actor.role == Role.FOCAL_POINT:
        return actor.participant_id is not None and target.participant_id == actor.participant_id
    return False


def may_manage(actor, target) -> bool:
    """Whether the actor may change the target's role, disable it or end its sessions (else 403)."""
    if not sees_user(actor, target) or actor.pk == target.pk:
        return False
    if actor.role == Role.SYSTEM_ADMIN:
        return True
    if actor.role == Role.FOCAL_POINT:
        return target.role in FOCAL_POINT_MANAGES
    return ROLE_RANK[Role(target.role)] < ROLE_RANK[Role(actor.role)]


def may_invite_into(actor, agency) -> bool:
    if actor.role in (Role.SECRETARIAT, Role.SYSTEM_ADMIN):
        return True
    return actor.role == Role.FOCAL_POINT and agency.participant_id == actor.participant_id
