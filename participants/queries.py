"""Permission-aware reads of participants, agencies and groups.

Reference data (names, kinds, statuses, agencies, group names and purposes) is open to every signed-in
user. Two things are not: the members of a group with hidden membership (only its current members and
the reference-data managers see them; others never see members or a count) and national contact
points (personal data, shown to members only, each read audited).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import User
from audit import services as audit
from participants.models import Agency, DatePrecision, Group, GroupMembership, Participant, current_membership_q
from participants.services import manages_reference_data
from sharing.principals import group_key, principals_of


def is_group_member(user, group: Group) -> bool:
    """Whether the user's agency or participant is a member of the group today (its principals say so)."""
    return group_key(group.pk) in principals_of(user).keys


def sees_members(user, group: Group) -> bool:
    """Members of a hidden group are shown to its own members and to the managers of reference data only."""
    return not group.hidden_membership or is_group_member(user, group) or manages_reference_data(user)


def groups_with_visible_members_q(user) -> Q:
    """Groups whose membership the user may see, as a Q on Group."""
    if manages_reference_data(user):
        return Q(pk__isnull=False)
    member_of = [int(key.partition(":")[2]) for key in principals_of(user).keys if key.startswith("group:")]
    return Q(hidden_membership=False) | Q(pk__in=member_of)


def _ahg_member_exists(user) -> Exists:
    return Exists(
        GroupMembership.objects.filter(
            current_membership_q(),
            participant_id=OuterRef("pk"),
            group__kind=Group.Kind.AD_HOC_GROUP,
        ).filter(**{"group__in": Group.objects.filter(groups_with_visible_members_q(user))})
    )


def directory_for(user, *, kind: str = "", status: str = "", ahg: str = "") -> QuerySet[Participant]:
    """Participants for the directory, filtered by kind, status and (today's) Ad Hoc Group membership."""
    participants = Participant.objects.annotate(in_ahg=_ahg_member_exists(user), agency_count=Count("agencies"))
    if kind:
        participants = participants.filter(kind=kind)
    if status:
        participants = participants.filter(status=status)
    if ahg == "yes":
        participants = participants.filter(in_ahg=True)
    elif ahg == "no":
        participants = participants.filter(in_ahg=False)
    return participants.order_by("name")


def get_participant(code: str) -> Participant | None:
    return Participant.objects.filter(code=code).first()


@dataclass
class ParticipantView:
    participant: Participant
    agencies: list[Agency]
    history: list
    memberships: list[GroupMembership]
    contact_points: list[User] | None  # None: the viewer may not see them
    countries: dict[str, str]  # ISO alpha-3 -> name, to say where agencies sit


def participant_view(user, participant: Participant) -> ParticipantView:
    """Everything the participant page shows to this user; contact-point reads are audited."""
    agencies = list(participant.agencies.order_by("-is_active", "name"))
    history = list(participant.status_history.order_by("effective_on", "id"))
    visible_groups = Group.objects.filter(groups_with_visible_members_q(user))
    memberships = list(
        GroupMembership.objects.filter(Q(participant=participant) | Q(agency__participant=participant))
        .filter(group__in=visible_groups)
        .select_related("group", "agency")
        .order_by("group__name", "since")
    )
    contact_points = None
    if principals_of(user).is_member:
        contact_points = list(
            User.objects.filter(agency__participant=participant, is_contact_point=True, is_active=True)
            .select_related("agency")
            .order_by("last_name", "first_name")
        )
        audit.record(
            "participants.contact_points.viewed",
            actor=user,
            target=participant,
            extra={"count": len(contact_points)},
        )
    countries = dict(Participant.objects.exclude(iso3="").values_list("iso3", "name"))
    for agency in agencies:
        agency.located_in_name = countries.get(agency.located_in, "")
    return ParticipantView(participant, agencies, history, memberships, contact_points, countries)


def groups_for(user) -> list[tuple[Group, int | None]]:
    """Every group with its current member count, or None where the membership is hidden from the user."""
    visible = set(Group.objects.filter(groups_with_visible_members_q(user)).values_list("pk", flat=True))
    groups = Group.objects.annotate(
        current=Count("memberships", filter=current_membership_q(prefix="memberships__"))
    ).order_by("kind", "name")
    return [(group, group.current if group.pk in visible else None) for group in groups]


def get_group(slug: str) -> Group | None:
    return Group.objects.filter(slug=slug).first()


def group_memberships(
    user, group: Group, *, joined_from: date | None = None, joined_to: date | None = None, current_only: bool = False
) -> QuerySet[GroupMembership] | None:
    """The dated membership rows the user may see (None when hidden); optionally who joined in a period."""
    if not sees_members(user, group):
        return None
    rows = group.memberships.select_related("agency__participant", "participant")
    if joined_from or joined_to:
        rows = rows.filter(joined_between_q(joined_from, joined_to))
    if current_only:
        rows = rows.filter(current_membership_q())
    return rows.order_by("since", "id")


def joined_between_q(joined_from: date | None, joined_to: date | None) -> Q:
    """Rows whose join date, at its precision, overlaps the period: a join "in 2011" matches any part of 2011."""
    q = Q()
    if joined_from:
        q &= (
            Q(since_precision=DatePrecision.DAY, since__gte=joined_from)
            | Q(since_precision=DatePrecision.MONTH, since__gte=joined_from.replace(day=1))
            | Q(since_precision=DatePrecision.YEAR, since__gte=date(joined_from.year, 1, 1))
        )
    if joined_to:
        q &= Q(since__lte=joined_to)
    return q


def agencies_for(*, participant_code: str = "", located_in: str = "") -> QuerySet[Agency]:
    agencies = Agency.objects.select_related("participant")
    if participant_code:
        agencies = agencies.filter(participant__code=participant_code)
    if located_in:
        agencies = agencies.filter(located_in=located_in.upper())
    return agencies.order_by("participant__name", "name")


def participants_with_agencies() -> QuerySet[Participant]:
    return Participant.objects.prefetch_related(Prefetch("agencies", queryset=Agency.objects.order_by("name")))
