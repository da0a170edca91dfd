"""Regional data management: indicator catalogue, data sets, submissions per period and their observations.

A submission is the shareable object (sharing/models.py): drafts are seen by the originator and the
reviewers of the current workflow step; once published, the data set's audience decides who sees it.
Reciprocity is a derived principal `reported:<indicator set>:<period>` (see principals.py), the period
written as periods.key gives it (2025-05, 2025-Q2, 2025).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regionaldata import periods
from sharing.models import Shareable

TOTAL = "_T"

# Every dimension an observation can carry; an indicator allows a subset. Order = column order in files.
DIMENSIONS = (
    "citizenship",
    "border_type",
    "bcp",
    "route",
    "sex",
    "age_group",
    "reason",
    "document_type",
    "issuing_country",
    "fraud_type",
    "exploitation",
    "return_type",
)
DIMENSION_LABELS = {
    "citizenship": _("citizenship"),
    "border_type": _("border type"),
    "bcp": _("border crossing point"),
    "route": _("route"),
    "sex": _("sex"),
    "age_group": _("age group"),
    "reason": _("reason for refusal"),
    "document_type": _("document type"),
    "issuing_country": _("issuing country"),
    "fraud_type": _("type of fraud"),
    "exploitation": _("form of exploitation"),
    "return_type": _("type of return"),
}
# Dimensions whose codes are countries (ISO 3166-1 alpha-3 plus stateless/unknown).
COUNTRY_DIMENSIONS = ("citizenship", "issuing_country")


class Indicator(models.Model):
    """One version of a catalogue indicator; editing writes a new version and keeps the old one."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("unit"), max_length=60, default="persons")
    dimensions = models.JSONField(_("allowed dimensions"), default=list)
    is_current = models.BooleanField(default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="indicator_code_version_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="indicator_one_current_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class CodeListItem(models.Model):
    """A code allowed in one dimension (SDMX code list).

    Code lists are versioned by addition: version N of a dimension's list is its codes with `version` <= N,
    so a new version adds codes and an older version never changes.
    """

    dimension = models.CharField(max_length=30, choices=[(d, DIMENSION_LABELS[d]) for d in DIMENSIONS])
    code = models.CharField(max_length=20)
    label = models.CharField(max_length=200)
    iata = models.CharField(_("IATA airport code"), max_length=3, blank=True)
    version = models.PositiveIntegerField(_("code-list version that added it"), default=1)

    class Meta:
        ordering = ["dimension", "code"]
        constraints = [models.UniqueConstraint(fields=["dimension", "code"], name="codelist_item_unique")]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.code}"


class IndicatorSet(models.Model):
    """Indicators collected together; reciprocity is per indicator set and period."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    indicator_codes = models.JSONField(_("indicators"), default=list)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    OWN = "own", _("Own participant only")
    RECIPROCAL = "reciprocal", _("Participants that reported for the same period")
    MEMBERS = "members", _("All members")
    PUBLIC = "public", _("Members, and the public in aggregate after disclosure control")


class DataSet(models.Model):
    """What one reporting participant sends: an indicator set, per month, quarter or year, for an audience."""

    class PeriodType(models.TextChoices):
        MONTHLY = periods.MONTHLY, _("Monthly")
        QUARTERLY = periods.QUARTERLY, _("Quarterly")
        ANNUAL = periods.ANNUAL, _("Annual")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    participant = models.ForeignKey("participants.Participant", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "participants.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("reporting agency")
    )
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.PROTECT, related_name="datasets")
    period_type = models.CharField(
        _("reporting period"), max_length=10, choices=PeriodType.choices, default=PeriodType.MONTHLY
    )
    audience = models.CharField(_("who sees published figures"), max_length=12, choices=Audience.choices)
    is_external = models.BooleanField(_("external source"), default=False)
    source_note = models.TextField(_("source and caveats"), blank=True)
    first_period = models.DateField(_("first period reported"), default=date(2024, 1, 1))
    due_days = models.PositiveIntegerField(_("days after the end of the period when due"), default=30)

    class Meta:
        ordering = ["participant__name", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.first_period and not periods.is_start(self.first_period, self.period_type):
            raise ValidationError({"first_period": _("Give the first day of a reporting period.")})

    @property
    def frequency(self) -> str:
        """The SDMX FREQ code: M, Q or A."""
        return periods.FREQ[self.period_type]


class WorkflowState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting validation")
    VALIDATED = "validated", _("Validated, awaiting approval")
    APPROVED = "approved", _("Approved (figures locked)")
    PUBLISHED = "published", _("Published")


REPORTED_STATES = (WorkflowState.APPROVED, WorkflowState.PUBLISHED)
LOCKED_STATES = (WorkflowState.APPROVED, WorkflowState.PUBLISHED)


class Submission(Shareable):
    """One data set's figures for one period (a month, quarter or year: the data set's period type)."""

    dataset = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="submissions")
    period = models.DateField(_("first day of the period"))
    state = models.CharField(max_length=12, choices=WorkflowState.choices, default=WorkflowState.DRAFT)
    revision = models.PositiveIntegerField(default=0)
    indicator_versions = models.JSONField(default=dict)
    row_count = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta(Shareable.Meta):
        ordering = ["-period", "dataset__name"]
        constraints = [models.UniqueConstraint(fields=["dataset", "period"], name="submission_one_per_period")]
        indexes = [models.Index(fields=["state", "period"]), *Shareable.Meta.indexes]

    def __str__(self) -> str:
        return f"{self.dataset} · {self.period_key}"

    @property
    def period_key(self) -> str:
        """2025-05 (monthly), 2025-Q2 (quarterly) or 2025 (annual)."""
        return periods.key(self.period, self.dataset.period_type)

    @property
    def period_label(self) -> str:
        return periods.label(self.period, self.dataset.period_type)

    @property
    def period_datetime(self) -> str:
        return periods.datetime_attr(self.period, self.dataset.period_type)

    @property
    def is_locked(self) -> bool:
        return self.state in LOCKED_STATES

    @classmethod
    def draft_reviewers_q(cls, user) -> Q:
        """The RSO secretariat reviews submissions awaiting validation (DESIGN.md 1, drafts)."""
        from accounts.models import Role
        from sharing.principals import principals_of

        principals = principals_of(user)
        if principals.has_any and principals.role == Role.SECRETARIAT:
            return Q(state=WorkflowState.SUBMITTED)
        return Q(pk__in=[])


class Observation(models.Model):
    """One number: indicator x dimension codes in a submission. `_T` means 'all' (a total)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="observations")
    indicator = models.CharField(max_length=40)
    citizenship = models.CharField(max_length=20, default=TOTAL)
    border_type = models.CharField(max_length=20, default=TOTAL)
    bcp = models.CharField(max_length=20, default=TOTAL)
    route = models.CharField(max_length=20, default=TOTAL)
    sex = models.CharField(max_length=20, default=TOTAL)
    age_group = models.CharField(max_length=20, default=TOTAL)
    reason = models.CharField(max_length=20, default=TOTAL)
    document_type = models.CharField(max_length=20, default=TOTAL)
    issuing_country = models.CharField(max_length=20, default=TOTAL)
    fraud_type = models.CharField(max_length=20, default=TOTAL)
    exploitation = models.CharField(max_length=20, default=TOTAL)
    return_type = models.CharField(max_length=20, default=TOTAL)
    value = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.indicator}={self.value}"


class Revision(models.Model):
    """Figures as they were before a correction reopened an approved submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    reason = models.TextField(_("reason for correction"))
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(default=timezone.now)
    state_before = models.CharField(max_length=12, choices=WorkflowState.choices)
    rows = models.JSONField(default=list)

    class Meta:
        ordering = ["submission", "-number"]
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="revision_number_unique")]

    def __str__(self) -> str:
        return f"{self.submission} r{self.number}"


class UploadedFile(models.Model):
    """One imported file: checksum makes a second upload of the same bytes a no-op."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be processed")
        STORED = "stored", _("Stored")
        REJECTED = "rejected", _("Rejected")

    dataset = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="files")
    checksum = models.CharField(max_length=64)
    filename = models.CharField(max_length=255)
    fmt = models.CharField(max_length=10)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    row_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    stored_path = models.CharField(max_length=500, blank=True)
    job_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "checksum"], condition=Q(state="stored"), name="uploaded_file_once_per_dataset"
            )
        ]

    def __str__(self) -> str:
        return self.filename


class ValidationRule(models.Model):
    """DHIS2-style rule: total of the left indicator <operator> total of the right indicator, per submission."""

    class Operator(models.TextChoices):
        EQ = "==", "="
        LE = "<=", "≤"
        GE = ">=", "≥"
        LT = "<", "<"
        GT = ">", ">"

    class Importance(models.TextChoices):
        HIGH = "high", _("High (blocks the submission)")
        MEDIUM = "medium", _("Medium (warning)")
        LOW = "low", _("Low (warning)")

    name = models.CharField(_("name"), max_length=200)
    instruction = models.CharField(_("what to check when it fails"), max_length=300)
    left_indicator = models.CharField(_("left side: indicator"), max_length=40)
    left_multiplier = models.FloatField(default=1.0)
    operator = models.CharField(max_length=2, choices=Operator.choices)
    right_indicator = models.CharField(_("right side: indicator"), max_length=40)
    right_multiplier = models.FloatField(default=1.0)
    importance = models.CharField(max_length=6, choices=Importance.choices, default=Importance.MEDIUM)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class QualityNote(models.Model):
    """A data-quality note that travels with every chart and export that uses the data set."""

    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="quality_notes")
    period = models.DateField(null=True, blank=True)
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["dataset", "period"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def period_label(self) -> str:
        return periods.label(self.period, self.dataset.period_type) if self.period else ""

    @property
    def period_datetime(self) -> str:
        return periods.datetime_attr(self.period, self.dataset.period_type) if self.period else ""


class SummaryCell(models.Model):
    """Pre-aggregated figures per submission, filled when a submission is stored: dashboards read these."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    participant_id = models.BigIntegerField()
    indicator = models.CharField(max_length=40)
    period = models.DateField()
    dimension = models.CharField(max_length=30)  # "total" or one of DIMENSIONS
    code = models.CharField(max_length=20)
    value = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["indicator", "dimension", "period"]),
            models.Index(fields=["submission"]),
            # Covering index: dashboard aggregates read only these columns (index-only scans on PostgreSQL).
            models.Index(
                fields=["indicator", "dimension", "period", "submission"],
                include=["code", "value"],
                name="summary_dashboard_covering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}/{self.dimension}={self.code}"
