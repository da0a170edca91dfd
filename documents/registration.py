"""Documents join the sharing registry (leak tests), the outbox send-time check and the home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sharing.registry import ShareableRoute, register_shareable


def _uuid(doc) -> dict:
    return {"uuid": doc.uuid}


def _release(doc) -> dict:
    # Nested route: the parent must be visible before the child is even looked up.
    from sharing.models import ReleaseRequest

    first = ReleaseRequest.objects.filter(object_id=doc.pk).order_by("pk").values_list("pk", flat=True).first()
    return {"uuid": doc.uuid, "request_id": first or 1}


def _release_api(doc) -> dict:
    from sharing.models import ReleaseRequest

    first = ReleaseRequest.objects.filter(object_id=doc.pk).order_by("pk").values_list("pk", flat=True).first()
    return {"pk": first or 999999}


SHARE_PAYLOAD = {"distribution": "public", "tlp": "clear", "recipients": []}

ROUTES = [
    ShareableRoute("documents:detail", _uuid),
    ShareableRoute("documents:download", _uuid),
    ShareableRoute("documents:edit", _uuid),
    ShareableRoute(
        "documents:edit", _uuid, method="POST", payload={"title": "Hijacked", "language": "en", "handling": "H0"}
    ),
    ShareableRoute("documents:share", _uuid),
    ShareableRoute("documents:share", _uuid, method="POST", payload={"distribution": "public", "tlp": "clear"}),
    ShareableRoute("documents:withdraw", _uuid),
    ShareableRoute("documents:withdraw", _uuid, method="POST", payload={"reason": "x"}),
    ShareableRoute("documents:publish", _uuid, method="POST", payload={}),
    ShareableRoute("documents:approve", _uuid, method="POST", payload={}),
    ShareableRoute("documents:release_request_new", _uuid),
    ShareableRoute(
        "documents:release_request_new", _uuid, method="POST", payload={"recipients": [], "reason": "need it"}
    ),
    ShareableRoute("documents:release_request_decide", _release),
    ShareableRoute("documents:release_request_decide", _release, method="POST", payload={"decision": "approve"}),
    ShareableRoute("api-documents-detail", _uuid, is_api=True),
    ShareableRoute("api-documents-detail", _uuid, method="PATCH", payload=SHARE_PAYLOAD, is_api=True),
    ShareableRoute("api-documents-withdraw", _uuid, method="POST", payload={"reason": "x"}, is_api=True),
    ShareableRoute("api-documents-publish", _uuid, method="POST", payload={}, is_api=True),
    ShareableRoute("api-documents-approve", _uuid, method="POST", payload={}, is_api=True),
    ShareableRoute("api-documents-download", _uuid, is_api=True),
    ShareableRoute("api-release-requests-detail", _release_api, is_api=True),
    ShareableRoute("api-release-requests-decide", _release_api, method="POST", payload={"approve": True}, is_api=True),
]
LIST_ROUTES = [
    "documents:list",
    "documents:list?status=archived",
    "documents:list?status=withdrawn",
    "documents:list?status=draft",
    "documents:export",
    "documents:approvals",
    "documents:release_requests",
    "api-documents-list",
    "api-documents-list?status=archived",
    "api-release-requests-list",
    "home",
]


def register() -> None:
    from documents.models import Document
    from operations.outbox import register_send_time_check
    from portal.home import HomeSection, register_home_section

    register_shareable(Document, routes=ROUTES, list_routes=LIST_ROUTES)

    from documents.services import _send_time_check

    register_send_time_check("documents.document", _send_time_check)

    @register_home_section
    def new_documents(user):
        if not getattr(user, "is_authenticated", False):
            return None
        from documents.queries import documents_for

        # Title, link and marking only: none of the related rows the library list prefetches.
        recent = (
            documents_for(user, status="published")
            .filter(published_at__isnull=False)  # lets the database read the partial index newest first
            .prefetch_related(None)
            .order_by("-published_at", "-id")[:5]
        )
        return HomeSection(
            title=_("New documents"),
            items=[
                {
                    "title": d.title,
                    "url": reverse("documents:detail", kwargs={"uuid": d.uuid}),
                    "meta": d.get_tlp_display(),
                }
                for d in recent
            ],
            more_url=reverse("documents:list"),
            empty_text=_("No new documents. Upload one from the document library."),
            order=30,
        )
