"""Statistics join the sharing registry (leak tests), the derived principals, navigation and the home page."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sharing.registry import ShareableRoute, register_shareable


def _pk(submission) -> dict:
    return {"pk": submission.pk}


def _action(step: str):
    return lambda submission: {"pk": submission.pk, "action": step}


ROUTES = [
    ShareableRoute("regionaldata:submission", _pk),
    *[
        ShareableRoute(
            "regionaldata:submission-action", _action(step), method="POST", payload={"reason": "x", "note": "x"}
        )
        for step in ("submit", "validate", "return", "approve", "publish", "reopen")
    ],
    ShareableRoute("api-statistics-submissions-detail", _pk, is_api=True),
    *[
        ShareableRoute(
            "api-statistics-submissions-transition",
            lambda s, step=step: {"pk": s.pk, "step": step},
            method="POST",
            payload={"reason": "x"},
            is_api=True,
        )
        for step in ("submit", "validate", "approve", "publish", "reopen")
    ],
]
LIST_ROUTES = [
    "regionaldata:index",
    "regionaldata:dashboard",
    "regionaldata:explorer",
    "regionaldata:public",
    "api-statistics-submissions-list",
    "api-statistics-observations-list",
    "home",
]


def register() -> None:
    from operations.outbox import register_send_time_check
    from portal.home import HomeSection, register_home_section
    from portal.nav import NavEntry, register_nav
    from regionaldata.models import Submission
    from regionaldata.principals import reported_principals
    from sharing.principals import register_principal_source

    register_shareable(
        Submission, routes=ROUTES, list_routes=LIST_ROUTES, marker=lambda s: f"/statistics/submissions/{s.pk}/"
    )
    register_principal_source(reported_principals)
    register_nav(NavEntry(gettext_lazy("Statistics"), "regionaldata:index", order=50))

    def reminder_still_due(user, dataset_id: str) -> bool:
        from regionaldata.models import DataSet
        from regionaldata.services import is_focal_point_of

        dataset = DataSet.objects.filter(pk=dataset_id).first()
        return dataset is not None and is_focal_point_of(user, dataset.participant_id)

    register_send_time_check("regionaldata.dataset", reminder_still_due)

    @register_home_section
    def awaiting_me(user):
        if not getattr(user, "is_authenticated", False):
            return None
        from regionaldata.queries import awaiting

        items = awaiting(user)[:5]
        return HomeSection(
            title=_("Submissions awaiting me"),
            items=[
                {
                    "title": f"{item.dataset.name}, {item.period_label}",
                    "url": reverse("regionaldata:submission", kwargs={"pk": item.pk}),
                    "meta": item.get_state_display(),
                }
                for item in items
            ],
            more_url=reverse("regionaldata:index"),
            empty_text=_("No statistics wait for your validation or approval."),
            order=50,
        )
