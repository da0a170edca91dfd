"""Notifications, produced as their recipient: matched to subscriptions, checked against the sharing
rules when created AND again when the e-mail leaves the outbox (send-time check).

An e-mail never carries the body of an item marked AMBER or above: AMBER gives the title and a link;
AMBER+STRICT and RED give a neutral sentence and a link; CLEAR and GREEN add the summary.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from exchange.models import Comment, Item, Notification, RequestForInformation, Subscription
from exchange.search import matching_ids, parse_query
from operations.outbox import enqueue_email
from sharing.models import TLP, Status
from sharing.principals import forget_principals, parse_key
from sharing.rules import can_see, can_see_content, originator_label, recipient_keys_of

ITEM_TARGET = "exchange.item"
RFI_TARGET = "exchange.rfi"
DIGEST_TARGET = "exchange.digest"


def _fresh(user) -> User:
    forget_principals(user)
    return user


def item_url(item: Item) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("exchange:item", kwargs={"uuid": item.uuid})


def rfi_url(rfi: RequestForInformation) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("exchange:rfi", kwargs={"uuid": rfi.uuid})


def email_lines_for_item(item: Item, user) -> tuple[str, list[str]]:
    """(subject, lines) describing one item to one recipient, within what e-mail may carry."""
    kind = item.get_kind_display()
    who = originator_label(item, user)
    marking = item.get_tlp_display()
    if item.tlp in (TLP.AMBER_STRICT, TLP.RED):
        subject = _("New item marked %(tlp)s") % {"tlp": marking}
        lines = [_("A new item marked %(tlp)s was shared with you. Read it in the portal.") % {"tlp": marking}]
    elif item.tlp == TLP.AMBER:
        subject = f"{kind}: {item.title}"
        lines = [f"{item.title} ({marking}, {item.handling})", _("From %(who)s.") % {"who": who}]
    else:
        subject = f"{kind}: {item.title}"
        lines = [f"{item.title} ({marking}, {item.handling})", _("From %(who)s.") % {"who": who}]
        if item.summary:
            lines.append(item.summary)
    lines.append(item_url(item))
    return subject, lines


def subscription_matches(subscription: Subscription, item: Item, group_ids: set[int]) -> bool:
    if subscription.kind and subscription.kind != item.kind:
        return False
    if subscription.group_id and subscription.group_id not in group_ids:
        return False
    if subscription.country and subscription.country not in (item.countries or []):
        return False
    if subscription.nationality and subscription.nationality not in (item.nationalities or []):
        return False
    if subscription.route and subscription.route not in (item.routes or []):
        return False
    if subscription.query:
        query = parse_query(subscription.query)
        if query.is_empty or not Item.objects.filter(pk=item.pk, pk__in=matching_ids(query)).exists():
            return False
    return True


def notify_item(item_id: int, verb: str) -> int:
    """Tell subscribers and individually named recipients who may now see the item; returns how many."""
    item = Item.objects.select_related("originator_agency", "anonymous_group").filter(pk=item_id).first()
    if item is None or item.status != Status.PUBLISHED or item.is_archived:
        return 0
    keys = recipient_keys_of(item)
    group_ids = {int(ident) for kind, ident in map(parse_key, keys) if kind == "group"}
    named_users = {int(ident) for kind, ident in map(parse_key, keys) if kind == "user"}
    wanted: dict[int, Subscription | None] = {uid: None for uid in named_users}
    for subscription in Subscription.objects.select_related("user"):
        if subscription_matches(subscription, item, group_ids):
            current = wanted.get(subscription.user_id)
            if current is None or current.frequency != Subscription.Frequency.IMMEDIATE:
                wanted[subscription.user_id] = subscription
    count = 0
    for user in User.objects.filter(pk__in=list(wanted), is_active=True):
        if user.pk == item.author_id or not can_see(_fresh(user), item):
            continue
        subscription = wanted[user.pk]
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                user=user, item=item, verb=verb, defaults={"subscription": subscription}
            )
            if not created:
                continue
            count += 1
            frequency = subscription.frequency if subscription else Subscription.Frequency.IMMEDIATE
            if frequency == Subscription.Frequency.IMMEDIATE:
                subject, lines = email_lines_for_item(item, user)
                enqueue_email(
                    recipient=user,
                    subject=subject,
                    body="\n\n".join(lines),
                    dedup_key=f"exchange.item:{item.pk}:{verb}:{user.pk}",
                    target_type=ITEM_TARGET,
                    target_id=str(item.pk),
                )
                Notification.objects.filter(pk=notification.pk).update(emailed=True)
    return count


def notify_comment(comment_id: int) -> int:
    """The item's author hears of comments on it (in the portal), if it still sees the content."""
    comment = Comment.objects.select_related("item").filter(pk=comment_id).first()
    if comment is None or comment.item.author is None or comment.item.author_id == comment.author_id:
        return 0
    author = _fresh(comment.item.author)
    if not author.is_active or not can_see(author, comment.item) or not can_see_content(author, comment.item):
        return 0
    _notification, created = Notification.objects.get_or_create(
        user=author, item=comment.item, verb=f"commented:{comment.pk}"
    )
    return int(created)


def focal_points_of(participant_id: int):
    return User.objects.filter(agency__participant_id=participant_id, role=Role.FOCAL_POINT, is_active=True)


def _rfi_email(rfi: RequestForInformation, user, *, overdue: bool) -> tuple[str, str]:
    who = originator_label(rfi, user)
    shows_title = rfi.tlp not in (TLP.AMBER_STRICT, TLP.RED)
    title = rfi.title if shows_title else _("a request marked %(tlp)s") % {"tlp": rfi.get_tlp_display()}
    if overdue:
        subject = _("Overdue request for information: %(title)s") % {"title": title}
        first = _("A request for information addressed to your participant was due on %(date)s and has no answer.") % {
            "date": f"{rfi.due_on.day} {rfi.due_on:%B %Y}"
        }
    else:
        subject = _("Request for information: %(title)s") % {"title": title}
        first = _("%(who)s asks your participant a question, due %(date)s.") % {
            "who": who,
            "date": f"{rfi.due_on.day} {rfi.due_on:%B %Y}",
        }
    return subject, "\n\n".join([first, title, rfi_url(rfi)])


def notify_rfi(rfi_id: int) -> int:
    """Focal points of each addressed participant hear of a new request."""
    from exchange.queries import addressed_participant_ids

    rfi = RequestForInformation.objects.filter(pk=rfi_id, status=Status.PUBLISHED).first()
    if rfi is None:
        return 0
    count = 0
    for participant_id in addressed_participant_ids(rfi):
        for user in focal_points_of(participant_id):
            if not can_see(_fresh(user), rfi):
                continue
            with transaction.atomic():
                _notification, created = Notification.objects.get_or_create(user=user, rfi=rfi, verb="asked")
                if created:
                    subject, body = _rfi_email(rfi, user, overdue=False)
                    enqueue_email(
                        recipient=user,
                        subject=subject,
                        body=body,
                        dedup_key=f"exchange.rfi:{rfi.pk}:asked:{user.pk}",
                        target_type=RFI_TARGET,
                        target_id=str(rfi.pk),
                    )
                    count += 1
    return count


def remind_overdue_rfis(today=None) -> int:
    """Each addressed participant that has not answered an overdue request: its focal points, once."""
    from exchange.models import RfiAnswer
    from exchange.queries import addressed_participant_ids

    today = today or timezone.localdate()
    count = 0
    overdue = RequestForInformation.objects.filter(
        state=RequestForInformation.State.OPEN, status=Status.PUBLISHED, due_on__lt=today
    )
    for rfi in overdue:
        answered = set(
            RfiAnswer.objects.filter(rfi=rfi, status=Status.PUBLISHED).values_list(
                "originator_participant_id", flat=True
            )
        )
        for participant_id in addressed_participant_ids(rfi) - answered:
            for user in focal_points_of(participant_id):
                if not can_see(_fresh(user), rfi):
                    continue
                with transaction.atomic():
                    Notification.objects.get_or_create(user=user, rfi=rfi, verb="overdue")
                    subject, body = _rfi_email(rfi, user, overdue=True)
                    if enqueue_email(
                        recipient=user,
                        subject=subject,
                        body=body,
                        dedup_key=f"exchange.rfi:{rfi.pk}:overdue:{user.pk}",
                        target_type=RFI_TARGET,
                        target_id=str(rfi.pk),
                    ):
                        count += 1
    return count


def send_digests(now=None) -> int:
    """One e-mail per user per day listing the not-yet-e-mailed notifications it may still see."""
    from exchange.queries import notifications_for

    now = now or timezone.now()
    day = now.date().isoformat()
    sent = 0
    user_ids = (
        Notification.objects.filter(
            emailed=False, item__isnull=False, subscription__frequency=Subscription.Frequency.DAILY
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user in User.objects.filter(pk__in=list(user_ids), is_active=True):
        _fresh(user)
        pending = list(
            notifications_for(user).filter(
                emailed=False, item__isnull=False, subscription__frequency=Subscription.Frequency.DAILY
            )
        )
        pending = [n for n in pending if n.item.status == Status.PUBLISHED]
        if not pending:
            continue
        blocks = []
        for notification in pending:
            _subject, lines = email_lines_for_item(notification.item, user)
            blocks.append("\n".join(lines))
        body = _("New in the Bali Process Portal for you:") + "\n\n" + "\n\n".join(blocks)
        with transaction.atomic():
            message = enqueue_email(
                recipient=user,
                subject=_("Your daily digest: %(n)s new items") % {"n": len(pending)},
                body=body,
                dedup_key=f"exchange.digest:{user.pk}:{day}",
                target_type=DIGEST_TARGET,
                target_id=",".join(str(n.item_id) for n in pending),
            )
            if message is not None:
                Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed=True)
                sent += 1
    return sent


# --- Send-time checks (asked again by the outbox worker just before sending) ---------------------


def item_still_visible(user, target_id: str) -> bool:
    item = Item.objects.filter(pk=int(target_id)).first() if str(target_id).isdigit() else None
    return item is not None and item.status == Status.PUBLISHED and can_see(_fresh(user), item)


def rfi_still_visible(user, target_id: str) -> bool:
    rfi = RequestForInformation.objects.filter(pk=int(target_id)).first() if str(target_id).isdigit() else None
    return rfi is not None and rfi.status == Status.PUBLISHED and can_see(_fresh(user), rfi)


def digest_still_visible(user, target_id: str) -> bool:
    ids = [part for part in str(target_id).split(",") if part]
    return bool(ids) and all(item_still_visible(user, part) for part in ids)
