"""Background work of the information exchange (django-tasks). Each task is safe to run twice."""

from django_tasks import task

from exchange import notify, services


@task()
def notify_item(*, item_id: int, verb: str) -> int:
    return notify.notify_item(item_id, verb)


@task()
def notify_comment(*, comment_id: int) -> int:
    return notify.notify_comment(comment_id)


@task()
def notify_rfi(*, rfi_id: int) -> int:
    return notify.notify_rfi(rfi_id)


@task()
def archive_expired_items() -> int:
    return services.archive_expired()


@task()
def send_daily_digests() -> int:
    return notify.send_digests()


@task()
def remind_overdue_requests() -> int:
    return notify.remind_overdue_rfis()
