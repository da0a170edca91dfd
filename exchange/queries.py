"""Permission-aware reads of the information exchange. Every read starts from `visible_to`."""

import statistics
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from exchange.models import Attachment, Comment, Item, ItemLink, Notification, RequestForInformation, RfiAnswer
from participants.models import Agency, Group, GroupMembership, Participant, current_membership_q
from sharing.models import TLP_AMBER_OR_ABOVE, Recipient, ReleaseRequest, Status
from sharing.principals import parse_key, principals_of
from sharing.rules import (
    can_approve_for_participant,
    can_change,
    can_see_content,
    get_visible_or_404,
    originator_label,
    recipient_keys_of,
    tombstone_shows_title,
    visible_to,
)

FEED_DAYS = 60


def items_for(user, *, include_archived: bool = False) -> QuerySet:
    """Items the user may see, newest first; archived (expired) ones only on request."""
    items = visible_to(Item, user).select_related("originator_agency__participant", "anonymous_group")
    if not include_archived:
        items = items.filter(Item.not_expired_q())
    return items.order_by("-published_at", "-created_at", "-pk")


def shared_with_group_q(group: Group) -> Q:
    content_type = ContentType.objects.get_for_model(Item)
    return Q(
        Exists(
            Recipient.objects.filter(
                content_type=content_type, object_id=OuterRef("pk"), principal_key=f"group:{group.pk}"
            )
        )
    )


def get_item_or_404(user, uuid) -> Item:
    return get_visible_or_404(
        Item.objects.select_related("originator_agency__participant", "anonymous_group", "author"), user, uuid=uuid
    )


def record_read(user, item: Item) -> None:
    """Reads of AMBER-or-above objects are audited, once per object per request."""
    if item.tlp in TLP_AMBER_OR_ABOVE:
        audit.record("exchange.item.viewed", actor=user, target=item)


def record_list(user, verb: str, count: int) -> None:
    audit.record(verb, actor=user, extra={"count": count})


def in_originator_agency(user, obj) -> bool:
    return principals_of(user).agency_id == obj.originator_agency_id


def author_label(user, obj) -> str:
    """Who wrote it, as this reader may know it (anonymity hides the person and the agency)."""
    if obj.anonymous and not in_originator_agency(user, obj):
        return originator_label(obj, user)
    if obj.author is None:
        return str(obj.originator_agency)
    return f"{obj.author} ({obj.originator_agency})"


def comment_author_label(user, item: Item, comment: Comment) -> str:
    if (
        item.anonymous
        and comment.author_agency_id == item.originator_agency_id
        and not in_originator_agency(user, item)
    ):
        return originator_label(item, user)
    name = str(comment.author) if comment.author else _("a former user")
    return f"{name} ({comment.author_agency})"


def recipient_labels(item) -> list[str]:
    """Recipients by name; a group with hidden membership shows as its name only (never its members)."""
    by_kind: dict[str, list[int]] = {}
    for key in recipient_keys_of(item):
        kind, ident = parse_key(key)
        by_kind.setdefault(kind, []).append(int(ident))
    from accounts.models import User

    labels = [str(g) for g in Group.objects.filter(pk__in=by_kind.get("group", []))]
    labels += [str(p) for p in Participant.objects.filter(pk__in=by_kind.get("participant", []))]
    labels += [str(a) for a in Agency.objects.filter(pk__in=by_kind.get("agency", [])).select_related("participant")]
    labels += [str(u) for u in User.objects.filter(pk__in=by_kind.get("user", []))]
    return sorted(labels)


def comments_for(user, item: Item) -> list[dict]:
    if not can_see_content(user, item):
        return []
    comments = Comment.objects.filter(item=item).select_related("author", "author_agency__participant")
    return [{"comment": c, "author": comment_author_label(user, item, c)} for c in comments]


def attachments_for(user, item: Item) -> QuerySet:
    if not can_see_content(user, item):
        return Attachment.objects.none()
    return Attachment.objects.filter(item=item)


def get_attachment_or_404(user, item_uuid, attachment_uuid) -> Attachment:
    """The attachment only through its visible item, and only while the reader may see the content."""
    item = get_item_or_404(user, item_uuid)
    if not can_see_content(user, item):
        raise Http404
    attachment = Attachment.objects.filter(item=item, uuid=attachment_uuid).first()
    if attachment is None:
        raise Http404
    return attachment


def related_items(user, item: Item) -> QuerySet:
    """Linked items in either direction, only those the reader may see."""
    linked = ItemLink.objects.filter(Q(from_item=item) | Q(to_item=item)).values_list("from_item_id", "to_item_id")
    ids = {a for pair in linked for a in pair} - {item.pk}
    return items_for(user, include_archived=True).filter(pk__in=ids)


HISTORY_VERBS = (
    "created",
    "published",
    "approved",
    "submitted_for_approval",
    "updated",
    "widened",
    "narrowed",
    "withdrawn",
    "archived",
)


def history_for(user, item: Item) -> list[dict]:
    """The item's change history, with the originator masked exactly as on the page."""
    from audit.models import AuditEntry

    entries = AuditEntry.objects.filter(
        target_type="exchange.item", target_id=str(item.pk), verb__in=[f"exchange.item.{v}" for v in HISTORY_VERBS]
    ).order_by("sequence")
    masked = item.anonymous and not in_originator_agency(user, item)
    rows = []
    for entry in entries:
        who = originator_label(item, user) if masked else entry.actor_label
        if entry.actor_kind != "user" and not masked:
            who = _("the portal")
        rows.append({"when": entry.occurred_at, "what": entry.verb.rsplit(".", 1)[-1].replace("_", " "), "who": who})
    return rows


@dataclass
class ItemPage:
    item: Item
    show_content: bool
    show_title: bool
    can_change: bool
    originator: str
    author: str
    recipients: list[str] = field(default_factory=list)
    comments: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    related: list = field(default_factory=list)
    history: list = field(default_factory=list)
    release_requests: list = field(default_factory=list)
    can_approve: bool = False


def item_page(user, item: Item) -> ItemPage:
    show_content = can_see_content(user, item)
    changeable = can_change(user, item)
    page = ItemPage(
        item=item,
        show_content=show_content,
        show_title=show_content or tombstone_shows_title(item),
        can_change=changeable,
        originator=originator_label(item, user),
        author=author_label(user, item),
    )
    if show_content:
        page.recipients = recipient_labels(item)
        page.comments = comments_for(user, item)
        page.attachments = list(attachments_for(user, item))
        page.related = list(related_items(user, item))
        page.history = history_for(user, item)
    approver = can_approve_for_participant(user, item.originator_participant_id)
    page.can_approve = approver and item.pending_approval and item.author_id != user.pk
    if approver:
        page.release_requests = list(
            ReleaseRequest.objects.filter(
                content_type=ContentType.objects.get_for_model(Item), object_id=item.pk
            ).select_related("requested_by")
        )
    return page


def open_release_requests(user) -> QuerySet:
    """Release requests a focal point must decide: for items of its participant."""
    principals = principals_of(user)
    if not can_approve_for_participant(user, principals.participant_id):
        return ReleaseRequest.objects.none()
    own_items = Item.objects.filter(originator_participant_id=principals.participant_id).values("pk")
    return ReleaseRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(Item),
        object_id__in=own_items,
        state=ReleaseRequest.State.OPEN,
    )


def get_release_request_or_404(user, pk: int) -> ReleaseRequest:
    release = open_release_requests(user).filter(pk=pk).first()
    if release is None:
        raise Http404
    return release


def awaiting_approval(user) -> QuerySet:
    principals = principals_of(user)
    if not can_approve_for_participant(user, principals.participant_id):
        return Item.objects.none()
    return visible_to(Item, user).filter(pending_approval=True, originator_participant_id=principals.participant_id)


# --- Workspaces -----------------------------------------------------------------------------


def is_group_member(user, group: Group) -> bool:
    return f"group:{group.pk}" in principals_of(user).keys


def group_members(user, group: Group) -> list[GroupMembership] | None:
    """Current members, or None when membership is hidden from this (non-member) user."""
    if group.hidden_membership and not is_group_member(user, group):
        return None
    return list(
        GroupMembership.objects.filter(current_membership_q(), group=group).select_related(
            "agency__participant", "participant"
        )
    )


def group_meetings(user, group: Group) -> list:
    """Meetings the group organises, when the meetings capability provides them (and the user may see them)."""
    try:
        from meetings import models as meeting_models
    except ImportError:
        return []
    event_model = getattr(meeting_models, "Event", None)
    if event_model is None:
        return []
    field_names = {f.name for f in event_model._meta.get_fields()}
    group_field = next((name for name in ("organising_group", "group", "organizer_group") if name in field_names), None)
    if group_field is None:
        return []
    events = event_model._default_manager.filter(**{group_field: group})
    from sharing.models import Shareable

    if issubclass(event_model, Shareable):
        events = visible_to(events, user)
    order = "-starts_on" if "starts_on" in field_names else "-pk"
    return list(events.order_by(order)[:20])


def group_documents(user, group: Group) -> QuerySet:
    from documents.models import Document

    return visible_to(Document, user).filter(group=group).order_by("-created_at")


def group_items(user, group: Group) -> QuerySet:
    return items_for(user).filter(shared_with_group_q(group))


def group_feed(user, group: Group) -> QuerySet:
    """What is new in the group: visible, current, recent items shared with it."""
    since = timezone.now() - timedelta(days=FEED_DAYS)
    return group_items(user, group).filter(status=Status.PUBLISHED, published_at__gte=since)[:20]


# --- Requests for information --------------------------------------------------------------


def rfis_for(user) -> QuerySet:
    return (
        visible_to(RequestForInformation, user)
        .select_related("originator_agency__participant")
        .order_by("state", "due_on")
    )


def get_rfi_or_404(user, uuid) -> RequestForInformation:
    return get_visible_or_404(
        RequestForInformation.objects.select_related("originator_agency__participant", "author"), user, uuid=uuid
    )


def answers_for(user, rfi: RequestForInformation) -> QuerySet:
    """Answers in the thread the user may see (each answer has its own audience)."""
    return (
        visible_to(RfiAnswer.objects.filter(rfi=rfi), user)
        .select_related("author", "originator_agency__participant")
        .order_by("created_at", "pk")
    )


def addressed_participant_ids(rfi: RequestForInformation) -> set[int]:
    """Participants a request is addressed to: named ones, and those in named groups (when it was asked)."""
    ids: set[int] = set()
    on = rfi.created_at.date()
    for key in recipient_keys_of(rfi):
        kind, ident = parse_key(key)
        if kind == "participant":
            ids.add(int(ident))
        elif kind == "agency":
            ids |= set(Agency.objects.filter(pk=int(ident)).values_list("participant_id", flat=True))
        elif kind == "group":
            rows = GroupMembership.objects.filter(current_membership_q(on), group_id=int(ident))
            ids |= {pid for pid in rows.values_list("participant_id", flat=True) if pid}
            ids |= set(rows.filter(agency__isnull=False).values_list("agency__participant_id", flat=True))
    ids.discard(rfi.originator_participant_id)
    return ids


@dataclass
class ResponseRate:
    participant: Participant
    asked: int
    answered: int
    median_hours: float | None

    @property
    def rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0


def response_rates(user) -> list[ResponseRate]:
    """Per participant: requests addressed to it, how many it answered, median time to first answer.

    Derived output: computed over the requests and answers this user may see, so it never counts an
    answer the user could not read.
    """
    asked: dict[int, int] = {}
    answered: dict[int, list[float]] = {}
    rfis = list(visible_to(RequestForInformation, user).filter(status=Status.PUBLISHED))
    first_answers: dict[tuple[int, int], object] = {}
    for rfi_id, participant_id, created in (
        visible_to(RfiAnswer.objects.filter(rfi__in=[r.pk for r in rfis], status=Status.PUBLISHED), user)
        .order_by("created_at")
        .values_list("rfi_id", "originator_participant_id", "created_at")
    ):
        first_answers.setdefault((rfi_id, participant_id), created)
    for rfi in rfis:
        start = rfi.published_at or rfi.created_at
        for participant_id in addressed_participant_ids(rfi):
            asked[participant_id] = asked.get(participant_id, 0) + 1
            first = first_answers.get((rfi.pk, participant_id))
            if first is not None:
                answered.setdefault(participant_id, []).append((first - start).total_seconds() / 3600)
    participants = Participant.objects.in_bulk(list(asked))
    rows = [
        ResponseRate(
            participant=participants[pid],
            asked=count,
            answered=len(answered.get(pid, [])),
            median_hours=round(statistics.median(answered[pid]), 1) if answered.get(pid) else None,
        )
        for pid, count in asked.items()
        if pid in participants
    ]
    return sorted(rows, key=lambda r: (-r.rate, r.participant.name))


# --- Notifications ------------------------------------------------------------------------------


def notifications_for(user) -> QuerySet:
    """In-app notifications whose item or request the user still sees (checked at read time too)."""
    visible_items = visible_to(Item, user).values("pk")
    visible_rfis = visible_to(RequestForInformation, user).values("pk")
    return (
        Notification.objects.filter(user=user)
        .filter(Q(item__in=visible_items) | Q(rfi__in=visible_rfis))
        .select_related("item__originator_agency", "item__anonymous_group", "rfi")
    )


def unread_notifications(user, limit: int = 5) -> tuple[list[Notification], int]:
    """The newest `limit` unread notifications the user still sees, and how many there are.

    Most people have nothing unread: one indexed lookup says so before the visibility-checked query, which
    costs two visibility subqueries. What is shown and counted is always that checked query's answer.
    """
    if not Notification.objects.filter(user=user, read_at__isnull=True).exists():
        return [], 0
    unread = notifications_for(user).filter(read_at__isnull=True)
    rows = list(unread[:limit])
    return rows, len(rows) if len(rows) < limit else unread.count()


def unread_count(user) -> int:
    return unread_notifications(user)[1]
