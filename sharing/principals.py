"""A user's principals: computed once per request from today's facts, never cached across requests.

Capabilities add derived principals (e.g. `reported:<dataset>:<period>`) with `register_principal_source`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

PrincipalSource = Callable[["object"], Iterable[str]]
_sources: list[PrincipalSource] = []


def register_principal_source(source: PrincipalSource) -> PrincipalSource:
    """Register a function user -> principal keys; usable as a decorator."""
    if source not in _sources:
        _sources.append(source)
    return source


def user_key(user_id: int) -> str:
    return f"user:{user_id}"


def agency_key(agency_id: int) -> str:
    return f"agency:{agency_id}"


def participant_key(participant_id: int) -> str:
    return f"participant:{participant_id}"


def group_key(group_id: int) -> str:
    return f"group:{group_id}"


def parse_key(key: str) -> tuple[str, str]:
    kind, _, ident = key.partition(":")
    return kind, ident


@dataclass(frozen=True)
class Principals:
    """What a signed-in user is, for the sharing rules."""

    user_id: int | None
    agency_id: int | None
    participant_id: int | None
    role: str
    is_member: bool
    keys: frozenset[str]

    @property
    def has_any(self) -> bool:
        return bool(self.keys)


NOBODY = Principals(None, None, None, "", False, frozenset())


def group_ids_for(agency_id: int, participant_id: int, on: date | None = None) -> list[int]:
    from django.db.models import Q

    from participants.models import GroupMembership, current_membership_q

    return list(
        GroupMembership.objects.filter(current_membership_q(on))
        .filter(Q(agency_id=agency_id) | Q(participant_id=participant_id))
        .order_by()
        .values_list("group_id", flat=True)
        .distinct()
    )


def compute_principals(user) -> Principals:
    """Principals of `user` today. Inactive users and suspended/former participants have none."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    if user.agency_id is None:
        return NOBODY
    agency = user.agency
    participant = agency.participant
    if not participant.has_principals:
        return NOBODY
    keys = {
        user_key(user.pk),
        agency_key(agency.pk),
        participant_key(participant.pk),
        *(group_key(gid) for gid in group_ids_for(agency.pk, participant.pk, timezone.localdate())),
    }
    for source in _sources:
        keys.update(source(user))
    return Principals(
        user_id=user.pk,
        agency_id=agency.pk,
        participant_id=participant.pk,
        role=user.role,
        is_member=participant.is_active_member,
        keys=frozenset(keys),
    )


def principals_of(user) -> Principals:
    """Principals for this request: memoised on the user object, which lives for one request only."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NOBODY
    cached = getattr(user, "_sharing_principals", None)
    if cached is None:
        cached = compute_principals(user)
        user._sharing_principals = cached
    return cached


def forget_principals(user) -> None:
    if hasattr(user, "_sharing_principals"):
        del user._sharing_principals
