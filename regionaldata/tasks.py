"""Background work: large uploads run here with progress reported to the uploader."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django_tasks import task

from operations import jobs
from operations.models import Job


@task()
def process_upload(*, job_id: str) -> None:
    """Validate and store one large uploaded file; a retry after a crash is harmless (checksum, atomic store)."""
    from regionaldata.models import UploadedFile
    from regionaldata.services import store_frame
    from regionaldata.validation import parse_upload

    job = jobs.claim(job_id)
    if job is None:
        return
    upload = UploadedFile.objects.select_related("dataset", "uploaded_by").get(pk=job.params["upload_id"])
    if upload.state != UploadedFile.State.PENDING:
        jobs.finish(job, result={"state": upload.state, "rows": upload.row_count})
        return
    content = Path(upload.stored_path).read_bytes()
    try:
        frame, fmt = parse_upload(content, filename=upload.filename)
    except ValueError as error:
        upload.state = UploadedFile.State.REJECTED
        upload.errors = [{"row": None, "column": None, "message": str(error)}]
        upload.save(update_fields=["state", "errors"])
        jobs.finish(job, state=Job.State.FAILED, message=str(error))
        return
    total = frame.height
    jobs.report_progress(job, done=0, total=total, message="validating")

    def progress(done: int) -> None:
        jobs.report_progress(job, done=done, total=total, message="storing")

    try:
        result = store_frame(
            actor=upload.uploaded_by,
            dataset=upload.dataset,
            frame=frame,
            checksum=upload.checksum,
            filename=upload.filename,
            fmt=fmt,
            upload=upload,
            progress=progress,
        )
    except ValidationError as error:
        jobs.finish(job, state=Job.State.FAILED, message="; ".join(error.messages))
        return
    if result.report.ok:
        jobs.report_progress(job, done=total, total=total, message="stored")
        jobs.finish(job, result={"rows": total, "upload_id": upload.pk})
    else:
        jobs.finish(
            job,
            state=Job.State.FAILED,
            result={"errors": result.report.error_count, "upload_id": upload.pk},
            message=f"{result.report.error_count} problems",
        )
