"""Background tasks used by the operations tests (a synthetic import and a notification batch).

They live in a real module because a worker process imports tasks by dotted path. They follow the rules
every real job follows: take only an id, claim first, store effects and the finished state in one
transaction, so a redelivered task stores nothing twice.
"""

import time

from django.db import transaction
from django_tasks import task

from operations.jobs import claim, finish, report_progress
from operations.models import Job, OutboxMessage
from operations.outbox import enqueue_email


@task()
def synthetic_import(job_id: str) -> dict:
    """'Imports' params['rows'] rows as audit entries (verb operations.test.row), slowly if asked.

    Rows are validated with progress reporting first, then promoted in one transaction with the finish.
    """
    from audit.services import record

    job = claim(job_id)
    if job is None:
        return {"skipped": True}
    rows = int(job.params.get("rows", 10))
    delay = float(job.params.get("delay", 0))
    for done in range(1, rows + 1):
        if delay:
            time.sleep(delay)
        if (done % 10 == 0 or done == rows) and not report_progress(job, done=done, total=rows):
            finish(job, state=Job.State.CANCELLED, message="Cancelled by the user; nothing was stored.")
            return {"cancelled": True}
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.is_finished:
            return {"skipped": True}
        for number in range(rows):
            record("operations.test.row", target_type="operations.job", target_id=f"{job.pk}:{number}")
        finish(job, result={"stored": rows})
    return {"stored": rows}


@task()
def notification_batch(job_id: str) -> int:
    """Queues one e-mail per recipient in params['user_ids'], each under a dedup key: none twice."""
    from accounts.models import User

    job = claim(job_id)
    if job is None:
        return 0
    delay = float(job.params.get("delay", 0))
    users = list(User.objects.filter(pk__in=job.params["user_ids"]).order_by("pk"))
    queued = 0
    for number, user in enumerate(users, start=1):
        if delay:
            time.sleep(delay)
        if enqueue_email(recipient=user, subject="Notice", body="A notice.", dedup_key=f"job:{job.pk}:user:{user.pk}"):
            queued += 1
        report_progress(job, done=number, total=len(users))
    finish(job, result={"queued": OutboxMessage.objects.filter(dedup_key__startswith=f"job:{job.pk}:").count()})
    return queued
