"""Background work: reminders to responsible focal points before and after an action's due date."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from accounts.models import Role, User
from meetings.models import Action
from operations.outbox import enqueue_email
from sharing.rules import can_see

DUE_SOON_DAYS = 14
OVERDUE_AGAIN_DAYS = 30


def _stage(action: Action, today) -> str:
    if action.due_date is None:
        return ""
    if action.due_date < today - timedelta(days=OVERDUE_AGAIN_DAYS):
        return "overdue-30"
    if action.due_date < today:
        return "overdue"
    if action.due_date <= today + timedelta(days=DUE_SOON_DAYS):
        return "due-soon"
    return ""


def reminders_due(today=None) -> int:
    """Queue one e-mail per focal point, action and stage; the dedup key makes re-runs harmless."""
    today = today or timezone.localdate()
    queued = 0
    actions = (
        Action.objects.filter(state__in=Action.OPEN_STATES, due_date__isnull=False)
        .filter(due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
        .prefetch_related("responsible")
    )
    for action in actions:
        stage = _stage(action, today)
        if not stage:
            continue
        focal_points = User.objects.filter(
            role=Role.FOCAL_POINT, is_active=True, agency__participant__in=action.responsible.all()
        ).select_related("agency__participant")
        for user in focal_points:
            if not can_see(user, action):
                continue
            subject = {
                "due-soon": "Action due on %s",
                "overdue": "Action overdue since %s",
                "overdue-30": "Action still open, due %s",
            }[stage] % action.due_date.strftime("%-d %B %Y")
            body = (
                f"{action.text}\n\nDue: {action.due_date.strftime('%-d %B %Y')}\n"
                f"Record progress: {reverse('meetings:action', args=[action.uuid])}\n"
            )
            with transaction.atomic():
                message = enqueue_email(
                    recipient=user,
                    subject=subject,
                    body=body,
                    dedup_key=f"meetings.action.{action.pk}.{stage}.{action.due_date.isoformat()}.{user.pk}",
                    target_type="meetings.action",
                    target_id=str(action.pk),
                )
            queued += message is not None
    return queued


@task()
def send_action_reminders() -> int:
    return reminders_due()


def action_still_visible(user, target_id: str) -> bool:
    """Asked again when the e-mail is sent: the action may have been narrowed or closed since."""
    action = Action.objects.filter(pk=int(target_id)).first() if target_id.isdigit() else None
    return action is not None and action.is_open and can_see(user, action)
