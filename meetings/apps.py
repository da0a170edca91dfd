from datetime import timedelta
from uuid import UUID

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# A document uuid that exists nowhere: write routes sent by the leak walker must change nothing.
NO_SUCH_DOCUMENT = UUID(int=0)


def _first_document(event) -> UUID:
    """An attached document's uuid (or none): the walker's remove requests must answer 404 and keep it."""
    link = event.event_documents.select_related("document").first()
    return link.document.uuid if link else NO_SUCH_DOCUMENT


class MeetingsConfig(AppConfig):
    name = "meetings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meetings import home, tasks
        from meetings.models import Action, Event
        from operations.outbox import register_send_time_check
        from operations.schedule import register_periodic
        from portal.home import register_home_section
        from portal.nav import NavEntry, register_nav
        from sharing.registry import ShareableRoute, register_shareable

        register_nav(NavEntry(_("Meetings"), "meetings:calendar", order=40))
        register_nav(NavEntry(_("Actions"), "meetings:actions", order=41))
        register_home_section(home.upcoming_meetings)
        register_home_section(home.my_open_actions)
        register_send_time_check("meetings.action", tasks.action_still_visible)
        register_periodic(tasks.send_action_reminders, every=timedelta(hours=6))
        register_shareable(
            Event,
            routes=[
                ShareableRoute("meetings:event", lambda e: {"uuid": e.uuid}),
                ShareableRoute("meetings:event_edit", lambda e: {"uuid": e.uuid}),
                ShareableRoute(
                    "meetings:event_edit", lambda e: {"uuid": e.uuid}, method="POST", payload={"title": "changed"}
                ),
                ShareableRoute("meetings:event_documents_add", lambda e: {"uuid": e.uuid}),
                ShareableRoute(
                    "meetings:event_documents_add",
                    lambda e: {"uuid": e.uuid},
                    method="POST",
                    payload={"mode": "link", "link-role": "other", "link-document": str(NO_SUCH_DOCUMENT)},
                ),
                ShareableRoute(
                    "meetings:event_document_remove",
                    lambda e: {"uuid": e.uuid, "document": _first_document(e)},
                    method="POST",
                    payload={},
                ),
                ShareableRoute(
                    "api-meetings-event-documents",
                    lambda e: {"uuid": e.uuid},
                    method="POST",
                    payload={"document": str(NO_SUCH_DOCUMENT), "role": "other"},
                    is_api=True,
                ),
                ShareableRoute(
                    "api-meetings-event-document",
                    lambda e: {"uuid": e.uuid, "document": _first_document(e)},
                    method="DELETE",
                    is_api=True,
                ),
                ShareableRoute("api-meetings-event-detail", lambda e: {"uuid": e.uuid}, is_api=True),
                ShareableRoute(
                    "api-meetings-event-detail",
                    lambda e: {"uuid": e.uuid},
                    method="PATCH",
                    payload={"title": "changed"},
                    is_api=True,
                ),
            ],
            list_routes=["meetings:calendar", "api-meetings-event-list"],
        )
        register_shareable(
            Action,
            routes=[
                ShareableRoute("meetings:action", lambda a: {"uuid": a.uuid}),
                ShareableRoute(
                    "meetings:action",
                    lambda a: {"uuid": a.uuid},
                    method="POST",
                    payload={"text": "x", "on": "2020-01-01"},
                ),
                ShareableRoute("api-meetings-action-detail", lambda a: {"uuid": a.uuid}, is_api=True),
                ShareableRoute(
                    "api-meetings-action-detail",
                    lambda a: {"uuid": a.uuid},
                    method="PATCH",
                    payload={"state": "done"},
                    is_api=True,
                ),
            ],
            list_routes=["meetings:actions", "api-meetings-action-list"],
        )
