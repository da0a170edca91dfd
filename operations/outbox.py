"""The e-mail outbox: queue in the caller's transaction, deliver from the worker.

A message is queued at most once (dedup key). Delivery marks it sent after the mail server accepted it;
a crash in that instant may resend one message (documented in the README).
"""

from collections.abc import Callable

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from operations.models import OutboxMessage

# target_type -> function(user, target_id) -> bool, asked again at send time (derived output).
_send_time_checks: dict[str, Callable[[object, str], bool]] = {}


def register_send_time_check(target_type: str, check: Callable[[object, str], bool]) -> None:
    _send_time_checks[target_type] = check


def enqueue_email(
    *, recipient, subject: str, body: str, dedup_key: str, target_type: str = "", target_id: str = ""
) -> OutboxMessage | None:
    """Queue one e-mail; returns None when the same dedup key was queued before."""
    try:
        with transaction.atomic():
            return OutboxMessage.objects.create(
                recipient=recipient,
                subject=subject[:300],
                body=body,
                dedup_key=dedup_key[:200],
                target_type=target_type,
                target_id=str(target_id),
            )
    except IntegrityError:
        return None


def deliver_pending(limit: int = 100) -> int:
    """Send pending messages; re-checks the sharing rules for each before sending."""
    sent = 0
    for message_id in list(
        OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).values_list("pk", flat=True)[:limit]
    ):
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update()
                .select_related("recipient")
                .filter(pk=message_id, state=OutboxMessage.State.PENDING)
                .first()
            )
            if message is None:
                continue
            check = _send_time_checks.get(message.target_type)
            user = message.recipient
            if not user.is_active or not user.email or (check is not None and not check(user, message.target_id)):
                message.state = OutboxMessage.State.DROPPED
                message.save(update_fields=["state"])
                continue
            message.attempts += 1
            try:
                EmailMessage(subject=message.subject, body=message.body, to=[user.email]).send()
            except Exception as error:
                message.last_error = str(error)[:1000]
                if message.attempts >= 5:
                    message.state = OutboxMessage.State.FAILED
                message.save(update_fields=["attempts", "last_error", "state"])
                continue
            message.state = OutboxMessage.State.SENT
            message.sent_at = timezone.now()
            message.save(update_fields=["attempts", "state", "sent_at"])
            sent += 1
    return sent
