"""Background work of the audit chain, run by the operations worker's scheduler."""

from django_tasks import task

from audit.services import checkpoint_if_moved


@task()
def sign_chain_head() -> int | None:
    """Sign the head if entries were written since the last checkpoint, so the tail never stays unsigned
    (and the external file never lags) more than one period; returns the signed sequence."""
    checkpoint = checkpoint_if_moved()
    return checkpoint.sequence if checkpoint else None
