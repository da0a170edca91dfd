"""The sharing rules: the ONE place that decides who sees and changes what (DESIGN.md section 1).

Every page, API endpoint, search, export, feed, notification, count and job asks `visible_to`
(for querysets) or `can_see` / `can_change` (for one object); both are built from `visible_q`.
"""

from dataclasses import dataclass
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import AGENCY_EDITOR_ROLES, Role
from sharing.models import (
    DISTRIBUTION_RANK,
    HANDLING_KEPT_OUT_OF_EXPORTS,
    TLP,
    Distribution,
    Recipient,
    Shareable,
    Status,
)
from sharing.principals import NOBODY, Principals, parse_key, principals_of

M = TypeVar("M", bound=Shareable)

NOTHING = Q(pk__in=[])
LIVE_STATUSES = (Status.PUBLISHED, Status.WITHDRAWN)


@dataclass(frozen=True)
class Audience:
    """Who a derived output (export, digest, report, chart, count) is produced for."""

    kind: str  # "user", "members", "public"
    user: object | None = None

    @classmethod
    def of(cls, user) -> "Audience":
        return cls("user", user)

    @property
    def label(self) -> str:
        if self.kind == "user":
            return str(self.user)
        return {"members": _("all members"), "public": _("the public")}[self.kind]


ALL_MEMBERS = Audience("members")
PUBLIC = Audience("public")


def _as_audience(who) -> Audience:
    if isinstance(who, Audience):
        return who
    return Audience.of(who)


def _recipient_exists(model: type[Model], keys: frozenset[str]) -> Exists:
    content_type = ContentType.objects.get_for_model(model)
    return Exists(Recipient.objects.filter(content_type=content_type, object_id=OuterRef("pk"), principal_key__in=keys))


def visible_q(model: type[M], who) -> Q:
    """One Q expressing every row of the table in DESIGN.md section 1 for a user or a named audience."""
    audience = _as_audience(who)
    # A withdrawn object keeps the audience it had: if it was never published, that is the draft audience.
    was_published = Q(published_at__isnull=False)
    live = Q(status=Status.PUBLISHED) | (Q(status=Status.WITHDRAWN) & was_published)
    draft_state = Q(status=Status.DRAFT) | (Q(status=Status.WITHDRAWN) & ~was_published)
    public = live & Q(distribution=Distribution.PUBLIC)
    if audience.kind == "public":
        return public
    if audience.kind == "members":
        return public | (live & Q(distribution=Distribution.MEMBERS))

    principals = principals_of(audience.user)
    if not principals.has_any:
        return public
    own = Q(author_id=principals.user_id)
    own_agency = Q(originator_agency_id=principals.agency_id)
    own_participant = Q(originator_participant_id=principals.participant_id)

    # The same rows as the table, written with as few terms as the user's facts allow: every term costs
    # building, compiling and planning on each of the many queries a page makes.
    draft_editors = own | own_agency
    if principals.role == Role.FOCAL_POINT:
        draft_editors |= own_participant
    reviewers = model.draft_reviewers_q(audience.user)
    if reviewers != NOTHING:
        draft_editors |= reviewers
    draft = draft_state & draft_editors
    recipients = Q(distribution=Distribution.RECIPIENTS) & (
        own | (own_agency & ~Q(tlp=TLP.RED)) | Q(_recipient_exists(model, principals.keys))
    )
    if principals.is_member:
        open_to_user = Q(distribution__in=[Distribution.PUBLIC, Distribution.MEMBERS]) | (
            Q(distribution=Distribution.ORIGINATOR) & own_participant
        )
    else:
        open_to_user = Q(distribution=Distribution.PUBLIC) | (
            Q(distribution__in=[Distribution.ORIGINATOR, Distribution.MEMBERS]) & own_participant
        )
    return draft | (live & (open_to_user | recipients))


def visible_to(queryset_or_model, who) -> QuerySet:
    """The objects a user or audience may see, as one indexed query."""
    queryset = queryset_or_model._default_manager.all() if isinstance(queryset_or_model, type) else queryset_or_model
    return queryset.filter(visible_q(queryset.model, who))


def can_see(who, obj: Shareable) -> bool:
    """Same expression as `visible_to`, evaluated for one object."""
    return visible_to(type(obj)._default_manager.filter(pk=obj.pk), who).exists()


def get_visible_or_404(queryset_or_model, who, **lookup):
    """The one way views fetch a shareable object: not visible and not existing are the same 404."""
    from django.http import Http404

    obj = visible_to(queryset_or_model, who).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def is_originator_editor(principals: Principals, obj: Shareable) -> bool:
    if not principals.has_any:
        return False
    if obj.author_id is not None and obj.author_id == principals.user_id:
        return True
    if principals.agency_id == obj.originator_agency_id and principals.role in AGENCY_EDITOR_ROLES:
        return True
    return principals.participant_id == obj.originator_participant_id and principals.role == Role.FOCAL_POINT


def can_change(user, obj: Shareable) -> bool:
    """Edit, withdraw, change recipients: the author and the originator's editors only, whatever the role."""
    return is_originator_editor(principals_of(user), obj) and can_see(user, obj)


def can_change_fetched_visible(user, obj: Shareable) -> bool:
    """`can_change` for an object fetched through `visible_to` / `get_visible_or_404` in this request.

    Lists call it once per row: the visibility half of `can_change` is already part of the query that
    fetched the rows, so only the originator half is left (no query per row).
    """
    return is_originator_editor(principals_of(user), obj)


def can_approve_for_participant(user, participant_id: int) -> bool:
    """Focal points approve what leaves their participant (four-eyes, release requests)."""
    principals = principals_of(user)
    return principals.has_any and principals.role == Role.FOCAL_POINT and principals.participant_id == participant_id


def can_see_content(user, obj: Shareable) -> bool:
    """A withdrawn object's content stays only with its author and originator agency."""
    if obj.status != Status.WITHDRAWN:
        return True
    principals = principals_of(user)
    if not principals.has_any:
        return False
    return obj.author_id == principals.user_id or obj.originator_agency_id == principals.agency_id


def tombstone_shows_title(obj: Shareable) -> bool:
    return obj.tlp not in (TLP.AMBER, TLP.AMBER_STRICT, TLP.RED)


def may_include_in_export(user, obj: Shareable) -> bool:
    """H2/H3 objects stay out of exported files unless the exporter belongs to the originator agency."""
    if obj.handling not in HANDLING_KEPT_OUT_OF_EXPORTS:
        return True
    principals = principals_of(user) if not isinstance(user, Audience) else NOBODY
    return principals.agency_id is not None and principals.agency_id == obj.originator_agency_id


def exportable_q(who) -> Q:
    audience = _as_audience(who)
    principals = principals_of(audience.user) if audience.kind == "user" else NOBODY
    kept_out = Q(handling__in=HANDLING_KEPT_OUT_OF_EXPORTS)
    if principals.agency_id is None:
        return ~kept_out
    return ~kept_out | Q(originator_agency_id=principals.agency_id)


def validate_marking(*, distribution: str, tlp: str, recipient_keys: list[str] | set[str] | frozenset[str]) -> None:
    """TLP must fit the distribution (DESIGN.md 1); raises ValidationError naming the field."""
    kinds = {parse_key(key)[0] for key in recipient_keys}
    if distribution == Distribution.RECIPIENTS and not recipient_keys:
        raise ValidationError({"recipients": _("Choose at least one recipient, or another distribution.")})
    if distribution != Distribution.RECIPIENTS and recipient_keys:
        raise ValidationError(
            {"recipients": _("Recipients can only be named with the 'Named recipients' distribution.")}
        )
    if tlp == TLP.CLEAR:
        return
    if tlp in (TLP.GREEN, TLP.AMBER):
        if distribution == Distribution.PUBLIC:
            raise ValidationError({"tlp": _("%(tlp)s cannot be public.") % {"tlp": TLP(tlp).label}})
        return
    if tlp == TLP.AMBER_STRICT:
        if distribution == Distribution.ORIGINATOR:
            return
        if distribution == Distribution.RECIPIENTS and kinds <= {"participant", "agency"}:
            return
        raise ValidationError(
            {"tlp": _("TLP:AMBER+STRICT goes to the originator, or to named participants or agencies only.")}
        )
    if tlp == TLP.RED:
        if distribution == Distribution.RECIPIENTS and kinds == {"user"}:
            return
        raise ValidationError({"tlp": _("TLP:RED goes to named individual users only.")})
    raise ValidationError({"tlp": _("Unknown TLP marking.")})


def is_widening(
    *,
    old_distribution: str,
    new_distribution: str,
    old_keys: set[str] | frozenset[str],
    new_keys: set[str] | frozenset[str],
) -> bool:
    if DISTRIBUTION_RANK[Distribution(new_distribution)] > DISTRIBUTION_RANK[Distribution(old_distribution)]:
        return True
    return bool(set(new_keys) - set(old_keys)) and new_distribution == Distribution.RECIPIENTS


def originator_label(obj: Shareable, who) -> str:
    """'a member of <group>' for anonymous objects, except inside the originator agency."""
    if obj.anonymous:
        audience = _as_audience(who)
        principals = principals_of(audience.user) if audience.kind == "user" else NOBODY
        if principals.agency_id != obj.originator_agency_id:
            group_name = obj.anonymous_group.name if obj.anonymous_group_id else _("the portal")
            return _("a member of %(group)s") % {"group": group_name}
    return str(obj.originator_agency)


def recipient_keys_of(obj: Shareable) -> set[str]:
    content_type = ContentType.objects.get_for_model(type(obj))
    return set(
        Recipient.objects.filter(content_type=content_type, object_id=obj.pk).values_list("principal_key", flat=True)
    )
