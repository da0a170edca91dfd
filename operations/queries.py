"""Reads for the operations pages: a job is shown only to the user who started it."""

from django.shortcuts import get_object_or_404

from operations.models import Job


def job_for_owner_or_404(user, job_id) -> Job:
    return get_object_or_404(Job, pk=job_id, owner_id=user.pk)
