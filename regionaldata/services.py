"""Every write of the regional data capability: one keyword-only function per action, one transaction each."""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AGENCY_EDITOR_ROLES, Role
from audit import services as audit
from regionaldata import periods, storage
from regionaldata.models import (
    DIMENSIONS,
    LOCKED_STATES,
    Audience,
    CodeListItem,
    DataSet,
    Indicator,
    Observation,
    QualityNote,
    Revision,
    Submission,
    SummaryCell,
    UploadedFile,
    ValidationRule,
    WorkflowState,
)
from regionaldata.principals import reported_key
from regionaldata.validation import Context, Problem, Report, parse_upload, validate
from sharing.models import TLP, Distribution, Recipient, Status
from sharing.principals import principals_of
from sharing.rules import can_see

# Files with more bytes than this are stored and processed by a background job.
BACKGROUND_BYTES = getattr(settings, "REGIONALDATA_BACKGROUND_BYTES", 2_000_000)
AUDIENCE_DISTRIBUTION = {
    Audience.OWN: (Distribution.ORIGINATOR, TLP.GREEN),
    Audience.RECIPROCAL: (Distribution.RECIPIENTS, TLP.GREEN),
    Audience.MEMBERS: (Distribution.MEMBERS, TLP.GREEN),
    Audience.PUBLIC: (Distribution.PUBLIC, TLP.CLEAR),
}


@dataclass
class ImportResult:
    report: Report
    file: UploadedFile | None = None
    unchanged: bool = False
    queued: bool = False
    submissions: list[Submission] = field(default_factory=list)


# --- who may do what ---------------------------------------------------------------------------


def may_submit_for(user, dataset: DataSet) -> bool:
    """Contributors, analysts and focal points of the reporting participant send its figures."""
    principals = principals_of(user)
    return (
        principals.has_any
        and principals.participant_id == dataset.participant_id
        and principals.role in AGENCY_EDITOR_ROLES
    )


def is_secretariat(user) -> bool:
    principals = principals_of(user)
    return principals.has_any and principals.role == Role.SECRETARIAT


def is_focal_point_of(user, participant_id: int) -> bool:
    principals = principals_of(user)
    return principals.has_any and principals.role == Role.FOCAL_POINT and principals.participant_id == participant_id


def _require_visible(actor, submission: Submission) -> None:
    if actor is not None and not can_see(actor, submission):
        raise Http404


# --- catalogue ---------------------------------------------------------------------------------


def indicator_change(
    *, actor, code: str, name: str, definition: str, unit: str, dimensions: list[str], note: str
) -> Indicator:
    """Write a new version of an indicator (the secretariat's job); submissions keep the version they used."""
    if not is_secretariat(actor):
        raise PermissionDenied(_("Only the RSO secretariat edits the indicator catalogue."))
    unknown = [name for name in dimensions if name not in DIMENSIONS]
    if unknown:
        raise ValidationError({"dimensions": _("Unknown dimension: %(names)s") % {"names": ", ".join(unknown)}})
    with transaction.atomic():
        current = Indicator.objects.select_for_update().filter(code=code, is_current=True).first()
        version = 1
        if current is not None:
            version = current.version + 1
            current.is_current = False
            current.save(update_fields=["is_current"])
        indicator = Indicator(
            code=code,
            version=version,
            name=name,
            definition=definition,
            unit=unit,
            dimensions=dimensions,
            changed_by=actor,
            change_note=note,
        )
        indicator.full_clean()
        indicator.save()
        audit.record(
            "regionaldata.indicator.changed",
            actor=actor,
            target=indicator,
            changes={"version": [version - 1 if current else None, version]},
            extra={"code": code, "note": note},
        )
    return indicator


def dataset_create(
    *,
    actor,
    participant,
    agency,
    indicator_set,
    code: str,
    name: str,
    audience: str,
    first_period: date,
    period_type: str = periods.MONTHLY,
    due_days: int = 30,
) -> DataSet:
    """The secretariat sets up a participant's data set; the participant's focal point may change its audience."""
    if not is_secretariat(actor):
        raise PermissionDenied(_("Only the RSO secretariat sets up data sets."))
    if agency.participant_id != participant.pk:
        raise ValidationError({"agency": _("Choose an agency of %(p)s.") % {"p": participant}})
    with transaction.atomic():
        dataset = DataSet(
            code=code,
            name=name,
            participant=participant,
            agency=agency,
            indicator_set=indicator_set,
            audience=audience,
            period_type=period_type,
            first_period=periods.start_of(first_period, period_type),
            due_days=due_days,
        )
        dataset.full_clean()
        dataset.save()
        audit.record(
            "regionaldata.dataset.created",
            actor=actor,
            target=dataset,
            target_participant_id=participant.pk,
            extra={
                "code": code,
                "audience": audience,
                "indicator_set": indicator_set.code,
                "period_type": period_type,
            },
        )
    return dataset


def dataset_set_audience(*, actor, dataset: DataSet, audience: str) -> DataSet:
    """The participant's focal point chooses who sees its published figures; published months follow."""
    if not is_focal_point_of(actor, dataset.participant_id):
        raise PermissionDenied(_("Only a focal point of %(p)s chooses this.") % {"p": dataset.participant})
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Choose one of the offered audiences.")})
    with transaction.atomic():
        before = dataset.audience
        dataset.audience = audience
        dataset.save(update_fields=["audience"])
        for submission in dataset.submissions.filter(state=WorkflowState.PUBLISHED):
            _apply_audience(submission)
        audit.record(
            "regionaldata.dataset.audience_changed",
            actor=actor,
            target=dataset,
            changes={"audience": [before, audience]},
        )
    return dataset


def quality_note_add(*, actor, dataset: DataSet, text: str, period: date | None = None) -> QualityNote:
    """Add a data-quality note; it is shown with every chart and export using the data set."""
    if not (is_secretariat(actor) or may_submit_for(actor, dataset)):
        raise PermissionDenied(_("Only the reporting participant or the secretariat add notes."))
    with transaction.atomic():
        note = QualityNote(dataset=dataset, text=text.strip(), period=period, author=actor)
        note.full_clean()
        note.save()
        audit.record("regionaldata.quality_note.added", actor=actor, target=note, extra={"dataset": dataset.code})
    return note


# --- submitting figures ------------------------------------------------------------------------


# How far back the outlier check looks: enough periods of each type for a usual figure.
HISTORY_PERIODS = {periods.MONTHLY: 24, periods.QUARTERLY: 12, periods.ANNUAL: 10}


def _history(dataset: DataSet) -> dict[str, tuple[float, float, int]]:
    period_type = dataset.period_type
    since = periods.shift(
        periods.start_of(timezone.localdate(), period_type), period_type, -HISTORY_PERIODS[period_type]
    )
    rows = (
        SummaryCell.objects.filter(
            participant_id=dataset.participant_id, dimension="total", period__gte=since, submission__dataset=dataset
        )
        .values("indicator", "period")
        .annotate(total=Sum("value"))
    )
    by_indicator: dict[str, list[int]] = {}
    for row in rows:
        by_indicator.setdefault(row["indicator"], []).append(row["total"])
    history = {}
    for indicator, values in by_indicator.items():
        mean = sum(values) / len(values)
        sd = (sum((value - mean) ** 2 for value in values) / len(values)) ** 0.5
        history[indicator] = (mean, sd, len(values))
    return history


def validation_context(dataset: DataSet, *, today: date | None = None, hidden: pl.DataFrame | None = None) -> Context:
    """Everything validation needs, loaded once per file (`hidden`: cells an external source suppressed)."""
    codes = dataset.indicator_set.indicator_codes
    indicators = {
        item.code: list(item.dimensions) for item in Indicator.objects.filter(code__in=codes, is_current=True)
    }
    code_lists: dict[str, set[str]] = {}
    for dimension, code in CodeListItem.objects.values_list("dimension", "code"):
        code_lists.setdefault(dimension, set()).add(code)
    locked = frozenset(dataset.submissions.filter(state__in=LOCKED_STATES).values_list("period", flat=True))
    rules = list(
        ValidationRule.objects.filter(is_active=True).values(
            "name",
            "instruction",
            "left_indicator",
            "left_multiplier",
            "operator",
            "right_indicator",
            "right_multiplier",
            "importance",
        )
    )
    return Context(
        indicator_dimensions=indicators,
        code_lists={name: frozenset(values) for name, values in code_lists.items()},
        today=today or timezone.localdate(),
        rules=rules,
        # An external source's history is its own revisions, not a participant's habits: no outlier warnings.
        history={} if dataset.is_external else _history(dataset),
        locked_periods=locked,
        period_type=dataset.period_type,
        hidden=hidden,
        # Figures of an external source are stored as it publishes them (documented in docs/regionaldata.md).
        additivity_warns=dataset.is_external,
    )


def check_figures(*, dataset: DataSet, frame: pl.DataFrame) -> Report:
    """Validate without storing anything (preview)."""
    return validate(frame, validation_context(dataset))


def _upload_dir() -> Path:
    path = Path(getattr(settings, "REGIONALDATA_UPLOAD_DIR", Path(settings.BASE_DIR) / "var" / "statistics-uploads"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_file(
    *, actor, dataset: DataSet, content: bytes, filename: str, background: bool | None = None
) -> ImportResult:
    """Import a template file (CSV, XLSX, JSON, SDMX-CSV): all rows or none; the same bytes twice change nothing."""
    if actor is not None and not may_submit_for(actor, dataset):
        raise PermissionDenied(_("Only the reporting participant's contributors send figures for this data set."))
    checksum = hashlib.sha256(content).hexdigest()
    previous = UploadedFile.objects.filter(dataset=dataset, checksum=checksum, state=UploadedFile.State.STORED).first()
    if previous is not None:
        return ImportResult(report=Report(), file=previous, unchanged=True)
    if background is None:
        background = len(content) > BACKGROUND_BYTES
    if background:
        return _queue_file(actor=actor, dataset=dataset, content=content, filename=filename, checksum=checksum)
    try:
        frame, fmt = parse_upload(content, filename=filename)
    except ValueError as error:
        report = Report()
        report.add([Problem(None, None, str(error))])
        return ImportResult(report=report)
    return store_frame(actor=actor, dataset=dataset, frame=frame, checksum=checksum, filename=filename, fmt=fmt)


def _queue_file(*, actor, dataset: DataSet, content: bytes, filename: str, checksum: str) -> ImportResult:
    from operations.jobs import start_job
    from regionaldata.tasks import process_upload

    path = _upload_dir() / f"{checksum}{Path(filename).suffix.lower()[:6]}"
    path.write_bytes(content)
    with transaction.atomic():
        upload = UploadedFile.objects.create(
            dataset=dataset,
            checksum=checksum,
            filename=filename[:255],
            fmt=Path(filename).suffix.lower().lstrip(".")[:10],
            uploaded_by=actor,
            stored_path=str(path),
        )
        job = start_job(
            kind="regionaldata.import",
            owner=actor,
            params={"upload_id": upload.pk},
            task=process_upload,
            cancellable=False,
        )
        upload.job_id = job.pk
        upload.save(update_fields=["job_id"])
    return ImportResult(report=Report(), file=upload, queued=True)


def store_frame(
    *,
    actor,
    dataset: DataSet,
    frame: pl.DataFrame,
    checksum: str,
    filename: str,
    fmt: str,
    upload: UploadedFile | None = None,
    progress=None,
    today: date | None = None,
    hidden: pl.DataFrame | None = None,
) -> ImportResult:
    """Validate every row, then store all periods of the file in one short transaction (two-phase import).

    `hidden` is for importers of external sources only: the cells the source suppressed (see validation).
    """
    report = validate(frame, validation_context(dataset, today=today, hidden=hidden))
    if not report.ok:
        if upload is not None:
            upload.state = UploadedFile.State.REJECTED
            upload.errors = [problem.as_dict() for problem in report.errors]
            upload.save(update_fields=["state", "errors"])
        audit.record(
            "regionaldata.file.rejected",
            actor=actor,
            target=dataset,
            extra={
                "filename": filename[:200],
                "checksum": checksum,
                "rows": frame.height,
                "errors": report.error_count,
            },
        )
        return ImportResult(report=report, file=upload)
    typed = report.frame
    assert typed is not None
    with transaction.atomic():
        stored_periods = sorted(typed["period"].unique().to_list())
        submissions = _submissions_for(dataset=dataset, periods=stored_periods, actor=actor)
        if any(submission.is_locked for submission in submissions.values()):
            raise ValidationError(_("A period in this file was approved meanwhile; nothing was stored."))
        ids = [submission.pk for submission in submissions.values()]
        Observation.objects.filter(submission_id__in=ids).delete()
        mapping = pl.DataFrame(
            {"period": list(submissions), "submission_id": ids}, schema={"period": pl.Date, "submission_id": pl.Int64}
        )
        rows = typed.join(mapping, on="period", how="left")
        storage.insert_observations(rows, progress=progress)
        storage.write_summary(
            rows.select(storage.OBS_COLUMNS),
            periods={submission.pk: period for period, submission in submissions.items()},
            participant_id=dataset.participant_id,
        )
        counts = dict(rows.group_by("submission_id").len().iter_rows())
        # Each period keeps the warnings of its own rows; a warning without a row concerns every period.
        period_of_row = dict(typed.select("row", "period").iter_rows())
        warnings_by_period: dict[date | None, list[dict]] = {}
        for problem in report.warnings:
            warnings_by_period.setdefault(period_of_row.get(problem.row), []).append(problem.as_dict())
        versions = dict(
            Indicator.objects.filter(code__in=dataset.indicator_set.indicator_codes, is_current=True).values_list(
                "code", "version"
            )
        )
        for submission in submissions.values():
            submission.row_count = counts.get(submission.pk, 0)
            submission.indicator_versions = versions
            own = warnings_by_period.get(submission.period, []) + warnings_by_period.get(None, [])
            submission.warnings = own[:50]
            submission.save(update_fields=["row_count", "indicator_versions", "warnings", "updated_at"])
        if upload is None:
            upload = UploadedFile(
                dataset=dataset, checksum=checksum, filename=filename[:255], fmt=fmt, uploaded_by=actor
            )
        upload.state = UploadedFile.State.STORED
        upload.row_count = typed.height
        upload.warnings = [problem.as_dict() for problem in report.warnings]
        upload.save()
        audit.record(
            "regionaldata.file.imported",
            actor=actor,
            target=upload,
            target_participant_id=dataset.participant_id,
            extra={
                "dataset": dataset.code,
                "filename": filename[:200],
                "format": fmt,
                "rows": typed.height,
                "checksum": checksum,
                "periods": [periods.key(period, dataset.period_type) for period in stored_periods],
            },
        )
    return ImportResult(report=report, file=upload, submissions=list(submissions.values()))


def _submissions_for(*, dataset: DataSet, periods: list[date], actor) -> dict[date, Submission]:
    wanted = periods
    existing = {
        submission.period: submission
        for submission in Submission.objects.select_for_update().filter(dataset=dataset, period__in=wanted)
    }
    for period in wanted:
        if period not in existing:
            submission = Submission(
                dataset=dataset,
                period=period,
                originator_agency=dataset.agency,
                originator_participant_id=dataset.participant_id,
                author=actor,
                status=Status.DRAFT,
                distribution=Distribution.ORIGINATOR,
                tlp=TLP.GREEN,
            )
            submission.save()
            existing[period] = submission
    return existing


def grid_save(*, actor, dataset: DataSet, period: date, rows: list[dict]) -> ImportResult:
    """The web grid for one period goes through the same validation and storage as files."""
    if not may_submit_for(actor, dataset):
        raise PermissionDenied(_("Only the reporting participant's contributors send figures for this data set."))
    data = {name: [row.get(name) or None for row in rows] for name in ("indicator", *DIMENSIONS, "value")}
    period_key = periods.key(period, dataset.period_type)
    data["period"] = [period_key] * len(rows)
    frame = pl.DataFrame(data, schema={name: pl.String for name in data})
    frame = frame.with_row_index("row", offset=1).with_columns(pl.col("row").cast(pl.Int64))
    checksum = hashlib.sha256(frame.drop("row").write_csv().encode()).hexdigest()
    return store_frame(
        actor=actor, dataset=dataset, frame=frame, checksum=checksum, filename=f"grid {period_key}", fmt="grid"
    )


# --- workflow ----------------------------------------------------------------------------------


def _transition(submission: Submission, *, actor, to: str, verb: str, extra: dict | None = None) -> Submission:
    before = submission.state
    submission.state = to
    stamp = {
        WorkflowState.SUBMITTED: "submitted_at",
        WorkflowState.VALIDATED: "validated_at",
        WorkflowState.APPROVED: "approved_at",
    }
    fields = ["state", "updated_at"]
    if to in stamp:
        setattr(submission, stamp[to], timezone.now())
        fields.append(stamp[to])
    submission.save(update_fields=fields)
    audit.record(verb, actor=actor, target=submission, changes={"state": [before, to]}, extra=extra or {})
    return submission


def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().get(pk=submission.pk)


def submission_submit(*, actor, submission: Submission) -> Submission:
    """Draft -> submitted: the reporting participant hands the month to the RSO secretariat."""
    _require_visible(actor, submission)
    if not may_submit_for(actor, submission.dataset):
        raise PermissionDenied(_("Only the reporting participant submits its figures."))
    with transaction.atomic():
        submission = _locked(submission)
        if submission.state != WorkflowState.DRAFT:
            raise ValidationError({"state": _("Only a draft can be submitted.")})
        if submission.row_count == 0:
            raise ValidationError({"state": _("Enter or upload figures before submitting.")})
        return _transition(
            submission, actor=actor, to=WorkflowState.SUBMITTED, verb="regionaldata.submission.submitted"
        )


def submission_validate(*, actor, submission: Submission, accept: bool, note: str = "") -> Submission:
    """Submitted -> validated (or back to draft with a note): the RSO secretariat's step."""
    _require_visible(actor, submission)
    if not is_secretariat(actor):
        raise PermissionDenied(_("Only the RSO secretariat validates submissions."))
    with transaction.atomic():
        submission = _locked(submission)
        if submission.state != WorkflowState.SUBMITTED:
            raise ValidationError({"state": _("Only a submitted month can be validated.")})
        if not accept and not note.strip():
            raise ValidationError({"note": _("Say what the participant should fix.")})
        to = WorkflowState.VALIDATED if accept else WorkflowState.DRAFT
        verb = "regionaldata.submission.validated" if accept else "regionaldata.submission.returned"
        return _transition(submission, actor=actor, to=to, verb=verb, extra={"note": note[:500]})


def submission_approve(*, actor, submission: Submission) -> Submission:
    """Validated -> approved by the participant's focal point; figures are locked from now on."""
    _require_visible(actor, submission)
    if not is_focal_point_of(actor, submission.originator_participant_id):
        raise PermissionDenied(_("Only a focal point of the reporting participant approves its figures."))
    with transaction.atomic():
        submission = _locked(submission)
        if submission.state != WorkflowState.VALIDATED:
            raise ValidationError({"state": _("Only a validated month can be approved.")})
        return _transition(submission, actor=actor, to=WorkflowState.APPROVED, verb="regionaldata.submission.approved")


def _apply_audience(submission: Submission) -> None:
    distribution, tlp = AUDIENCE_DISTRIBUTION[Audience(submission.dataset.audience)]
    content_type = ContentType.objects.get_for_model(Submission)
    Recipient.objects.filter(content_type=content_type, object_id=submission.pk).delete()
    submission.distribution = distribution
    submission.tlp = tlp
    submission.save(update_fields=["distribution", "tlp", "updated_at"])
    if distribution == Distribution.RECIPIENTS:
        # The derived principal written in the same transaction as the publication (DESIGN.md 1).
        Recipient.objects.create(
            content_type=content_type,
            object_id=submission.pk,
            principal_key=reported_key(
                submission.dataset.indicator_set.code, submission.period, submission.dataset.period_type
            ),
        )


def submission_publish(*, actor, submission: Submission) -> Submission:
    """Approved -> published to the data set's audience (reciprocal, members or public in aggregate)."""
    _require_visible(actor, submission)
    if actor is not None and not is_focal_point_of(actor, submission.originator_participant_id):
        raise PermissionDenied(_("Only a focal point of the reporting participant publishes its figures."))
    with transaction.atomic():
        submission = _locked(submission)
        if submission.state != WorkflowState.APPROVED:
            raise ValidationError({"state": _("Only an approved month can be published.")})
        submission.status = Status.PUBLISHED
        submission.published_at = submission.published_at or timezone.now()
        submission.save(update_fields=["status", "published_at", "updated_at"])
        _apply_audience(submission)
        return _transition(
            submission,
            actor=actor,
            to=WorkflowState.PUBLISHED,
            verb="regionaldata.submission.published",
            extra={"audience": submission.dataset.audience},
        )


def submission_reopen(*, actor, submission: Submission, reason: str) -> Submission:
    """Correction: reopen an approved or published month as a draft, keeping the old figures as a revision."""
    _require_visible(actor, submission)
    if not (
        is_focal_point_of(actor, submission.originator_participant_id) or may_submit_for(actor, submission.dataset)
    ):
        raise PermissionDenied(_("Only the reporting participant corrects its figures."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the figures are corrected.")})
    with transaction.atomic():
        submission = _locked(submission)
        if submission.state not in LOCKED_STATES:
            raise ValidationError({"state": _("Only approved or published months are reopened; drafts can be edited.")})
        old = storage.observations_frame([submission.pk]).drop("submission_id")
        number = submission.revision + 1
        Revision.objects.create(
            submission=submission,
            number=number,
            reason=reason.strip(),
            reopened_by=actor,
            state_before=submission.state,
            rows=old.to_dicts(),
        )
        submission.revision = number
        submission.status = Status.DRAFT
        submission.distribution = Distribution.ORIGINATOR
        Recipient.objects.filter(
            content_type=ContentType.objects.get_for_model(Submission), object_id=submission.pk
        ).delete()
        submission.save(update_fields=["revision", "status", "distribution", "updated_at"])
        return _transition(
            submission,
            actor=actor,
            to=WorkflowState.DRAFT,
            verb="regionaldata.submission.reopened",
            extra={"reason": reason[:500], "revision": number},
        )


# --- completeness and reminders ----------------------------------------------------------------


def expected_periods(dataset: DataSet, *, today: date | None = None) -> list[date]:
    """Every period from the data set's first one that has ended by today (a year: once it is over)."""
    period_type = dataset.period_type
    current = periods.start_of(today or timezone.localdate(), period_type)
    cursor = periods.start_of(dataset.first_period, period_type)
    expected = []
    while cursor < current:
        expected.append(cursor)
        cursor = periods.shift(cursor, period_type)
    return expected


def due_date(dataset: DataSet, period: date) -> date:
    """Figures are due `due_days` after the period ends (30 days after year end for an annual data set)."""
    from datetime import timedelta

    return periods.end_of(period, dataset.period_type) + timedelta(days=dataset.due_days)


def send_overdue_reminders(*, today: date | None = None) -> int:
    """Queue one reminder per focal point, data set and overdue period (dedup keys make reruns harmless)."""
    from accounts.models import User
    from operations.outbox import enqueue_email

    today = today or timezone.localdate()
    queued = 0
    with transaction.atomic():
        for dataset in DataSet.objects.filter(is_external=False).select_related("participant"):
            done = set(dataset.submissions.exclude(state=WorkflowState.DRAFT).values_list("period", flat=True))
            overdue = [
                p for p in expected_periods(dataset, today=today) if p not in done and due_date(dataset, p) < today
            ]
            if not overdue:
                continue
            focal_points = User.objects.filter(
                agency__participant=dataset.participant, role=Role.FOCAL_POINT, is_active=True
            )
            for user in focal_points:
                for period in overdue:
                    label = periods.label(period, dataset.period_type)
                    message = enqueue_email(
                        recipient=user,
                        subject=_("Figures for %(period)s are overdue: %(dataset)s")
                        % {"period": label, "dataset": dataset.name},
                        body=_(
                            "The %(frequency)s figures of %(dataset)s for %(period)s were due on %(due)s. "
                            "Please upload them or enter them in the portal."
                        )
                        % {
                            "frequency": dataset.get_period_type_display().lower(),
                            "dataset": dataset.name,
                            "period": label,
                            "due": f"{due_date(dataset, period):%d %B %Y}",
                        },
                        dedup_key=(
                            f"regionaldata:overdue:{dataset.pk}:{periods.key(period, dataset.period_type)}:{user.pk}"
                        ),
                        target_type="regionaldata.dataset",
                        target_id=str(dataset.pk),
                    )
                    queued += message is not None
        audit.record("regionaldata.reminders.queued", extra={"count": queued, "on": today.isoformat()})
    return queued


def observation_value_sum(submission: Submission) -> int:
    return Observation.objects.filter(submission=submission).aggregate(total=Sum("value"))["total"] or 0
