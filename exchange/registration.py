"""The exchange joins the navigation, the home page, the sharing registry (leak tests), the outbox
send-time checks and the periodic scheduler."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sharing.registry import ShareableRoute, register_shareable


def _uuid(obj) -> dict:
    return {"uuid": obj.uuid}


def _attachment(item) -> dict:
    from exchange.models import Attachment

    first = Attachment.objects.filter(item_id=item.pk).values_list("uuid", flat=True).first()
    return {"uuid": item.uuid, "attachment": first or "00000000-0000-4000-8000-000000000000"}


def _fmt(fmt: str):
    return lambda item: {"uuid": item.uuid, "fmt": fmt}


ITEM_ROUTES = [
    ShareableRoute("exchange:item", _uuid),
    ShareableRoute("exchange:item-edit", _uuid),
    ShareableRoute("exchange:item-edit", _uuid, method="POST", payload={"title": "Hijacked", "summary": "x"}),
    ShareableRoute("exchange:item-share", _uuid),
    ShareableRoute("exchange:item-share", _uuid, method="POST", payload={"distribution": "public", "tlp": "clear"}),
    ShareableRoute("exchange:item-publish", _uuid, method="POST", payload={}),
    ShareableRoute("exchange:item-approve", _uuid, method="POST", payload={}),
    ShareableRoute("exchange:item-withdraw", _uuid, method="POST", payload={"reason": "x"}),
    ShareableRoute("exchange:item-release", _uuid, method="POST", payload={"reason": "need", "groups": []}),
    ShareableRoute("exchange:comments", _uuid),
    ShareableRoute("exchange:comments", _uuid, method="POST", payload={"body": "leak?"}),
    ShareableRoute("exchange:attachment", _attachment),
    ShareableRoute("exchange:attachments", _uuid, method="POST", payload={}),
    ShareableRoute("exchange:item-link", _uuid, method="POST", payload={"to_item": "x"}),
    ShareableRoute("exchange:item-export", _fmt("csv"), method="POST", payload={}),
    ShareableRoute("exchange:item-export", _fmt("stix"), method="POST", payload={}),
    ShareableRoute("api-exchange-item", _uuid, is_api=True),
    ShareableRoute("api-exchange-item", _uuid, method="PATCH", payload={"title": "Hijacked"}, is_api=True),
    ShareableRoute(
        "api-exchange-item-share", _uuid, method="POST", payload={"distribution": "public", "tlp": "clear"}, is_api=True
    ),
    ShareableRoute("api-exchange-item-withdraw", _uuid, method="POST", payload={"reason": "x"}, is_api=True),
    ShareableRoute("api-exchange-item-comments", _uuid, is_api=True),
    ShareableRoute("api-exchange-item-comments", _uuid, method="POST", payload={"body": "leak?"}, is_api=True),
    ShareableRoute("api-exchange-item-attachment", _attachment, is_api=True),
]
ITEM_LIST_ROUTES = [
    "exchange:index",
    "exchange:index?archived=1",
    "exchange:search?q=the",
    "exchange:search?q=the&archived=1",
    "exchange:suggest?q=th",
    "exchange:notifications",
    "exchange:approvals",
    "exchange:export-all?fmt=csv",
    "api-exchange-items",
    "api-exchange-search?q=the",
    "api-exchange-export?fmt=stix",
    "api-exchange-export?fmt=csv",
    "api-exchange-notifications",
    "home",
]
RFI_ROUTES = [
    ShareableRoute("exchange:rfi", _uuid),
    ShareableRoute(
        "exchange:rfi-answer", _uuid, method="POST", payload={"body": "x", "audience": "requester", "tlp": "amber"}
    ),
    ShareableRoute("exchange:rfi-close", _uuid, method="POST", payload={"note": "x"}),
    ShareableRoute("api-exchange-rfi", _uuid, is_api=True),
    ShareableRoute("api-exchange-rfi-answers", _uuid, method="POST", payload={"body": "x"}, is_api=True),
    ShareableRoute("api-exchange-rfi-close", _uuid, method="POST", payload={"note": "x"}, is_api=True),
]
RFI_LIST_ROUTES = ["exchange:rfis", "exchange:rfi-rates", "api-exchange-rfis", "home"]


def register() -> None:
    from exchange import notify
    from exchange.models import Item, RequestForInformation, RfiAnswer
    from operations.outbox import register_send_time_check
    from portal.home import HomeSection, register_home_section
    from portal.nav import NavEntry, register_nav

    register_nav(NavEntry(gettext_lazy("Information exchange"), "exchange:index", order=40))
    register_nav(NavEntry(gettext_lazy("Search"), "exchange:search", order=41))
    register_nav(NavEntry(gettext_lazy("Requests"), "exchange:rfis", order=42))

    register_shareable(Item, routes=ITEM_ROUTES, list_routes=ITEM_LIST_ROUTES)
    register_shareable(RequestForInformation, routes=RFI_ROUTES, list_routes=RFI_LIST_ROUTES)
    register_shareable(
        RfiAnswer,
        routes=[ShareableRoute("exchange:answer", _uuid), ShareableRoute("api-exchange-answer", _uuid, is_api=True)],
        list_routes=["api-exchange-rfis"],
    )

    register_send_time_check(notify.ITEM_TARGET, notify.item_still_visible)
    register_send_time_check(notify.RFI_TARGET, notify.rfi_still_visible)
    register_send_time_check(notify.DIGEST_TARGET, notify.digest_still_visible)

    try:
        from operations.schedule import register_periodic
    except ImportError:  # the scheduler arrives with the operations capability
        register_periodic = None
    if register_periodic is not None:
        from exchange import tasks

        register_periodic(tasks.archive_expired_items, every=timedelta(hours=1))
        register_periodic(tasks.send_daily_digests, every=timedelta(hours=1))
        register_periodic(tasks.remind_overdue_requests, every=timedelta(hours=6))

    @register_home_section
    def notifications_section(user):
        if not getattr(user, "is_authenticated", False):
            return None
        from exchange.queries import unread_notifications
        from exchange.views_helpers import notification_text

        rows, count = unread_notifications(user)

        return HomeSection(
            title=_("Notifications (%(n)s unread)") % {"n": count},
            items=[
                {"title": notification_text(user, n), "url": reverse("exchange:notifications"), "meta": ""}
                for n in rows
            ],
            more_url=reverse("exchange:notifications"),
            empty_text=_("No unread notifications. Subscribe to groups, kinds or searches to hear of new items."),
            order=15,
        )

    @register_home_section
    def new_items(user):
        if not getattr(user, "is_authenticated", False):
            return None
        from exchange.queries import items_for
        from sharing.models import Status
        from sharing.rules import originator_label

        recent = items_for(user).filter(status=Status.PUBLISHED)[:5]
        return HomeSection(
            title=_("New in the information exchange"),
            items=[
                {
                    "title": item.title,
                    "url": reverse("exchange:item", kwargs={"uuid": item.uuid}),
                    "meta": f"{item.get_kind_display()} · {item.get_tlp_display()} · {originator_label(item, user)}",
                }
                for item in recent
            ],
            more_url=reverse("exchange:index"),
            empty_text=_("Nothing shared with you yet. Share a report from the information exchange."),
            order=20,
        )

    @register_home_section
    def open_requests(user):
        if not getattr(user, "is_authenticated", False):
            return None
        from exchange.queries import rfis_for

        rfis = list(rfis_for(user).filter(state=RequestForInformation.State.OPEN, status="published")[:5])
        return HomeSection(
            title=_("Open requests for information"),
            items=[
                {
                    "title": rfi.title,
                    "url": reverse("exchange:rfi", kwargs={"uuid": rfi.uuid}),
                    "meta": _("due %(date)s") % {"date": f"{rfi.due_on.day} {rfi.due_on:%B %Y}"},
                }
                for rfi in rfis
            ],
            more_url=reverse("exchange:rfis"),
            empty_text=_("No open requests. Ask participants a question from the Requests page."),
            order=25,
        )
