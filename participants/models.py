"""Who takes part: participants (states, organisations, the RSO), their agencies, and groups."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from portal.choices import ChoiceLabelsMixin


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def format_partial_date(value: date | None, precision: str) -> str:
    """Write a date as precisely as it is known: '12 October 2011', 'March 2011' or '2011'."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    # dateformat translates month names (gettext), unlike strftime which follows the C locale.
    if precision == DatePrecision.MONTH:
        return dateformat.format(value, "F Y")
    return dateformat.format(value, "j F Y")


def partial_date_iso(value: date | None, precision: str) -> str:
    """The ISO form for `<time datetime>`: '2011', '2012-09' or '2011-10-12'."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


# Path segments under /participants/ that a participant code must not shadow.
RESERVED_CODES = frozenset({"new", "groups", "agencies"})


class Participant(ChoiceLabelsMixin, models.Model):
    class Kind(models.TextChoices):
        STATE = "state", _("State")
        TERRITORY = "territory", _("Territory")
        ORGANISATION = "organisation", _("International organisation")
        REGIONAL_OFFICE = "regional_office", _("Regional office")
        PARTNER = "partner", _("Partner")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        APPLICANT = "applicant", _("Applicant")
        OBSERVER = "observer", _("Observer")
        MEMBER = "member", _("Member")
        SUSPENDED = "suspended", _("Suspended")
        FORMER = "former", _("Former")

    ACTIVE_STATUSES = (Status.OBSERVER, Status.MEMBER)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    code = models.SlugField(
        _("code"), max_length=20, unique=True, help_text=_("ISO 3166-1 alpha-3 in lower case, or an acronym.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    iso3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.INVITED)
    four_eyes = models.BooleanField(
        _("four-eyes publishing"),
        default=False,
        help_text=_("Items leaving this participant wait for a focal point's approval."),
    )
    notes = models.TextField(_("notes"), blank=True)
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(iso3="") | Q(iso3__regex=r"^[A-Z]{3}$"), name="participant_iso3_upper_alpha3"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.code in RESERVED_CODES:
            raise ValidationError({"code": _("This code is reserved by the portal's addresses; choose another.")})

    @property
    def display_name(self) -> str:
        """The short name where one is in use (IOM, UNHCR, RSO), else the full name."""
        return self.short_name or self.name

    @property
    def is_active_member(self) -> bool:
        """Observers and members take part; partners never count as members (DESIGN.md 1)."""
        return self.status in self.ACTIVE_STATUSES and self.kind != self.Kind.PARTNER

    @property
    def has_principals(self) -> bool:
        return self.status not in (self.Status.SUSPENDED, self.Status.FORMER)


class ParticipantStatusChange(models.Model):
    """Dated history of a participant's status; dates may be known to the day, month or year."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=20, choices=Participant.Status.choices)
    effective_on = models.DateField(_("effective on"))
    precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    note = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["participant", "effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.participant}: {self.status} ({self.effective_label})"

    @property
    def effective_label(self) -> str:
        return format_partial_date(self.effective_on, self.precision)


class Agency(ChoiceLabelsMixin, models.Model):
    """An organisation inside a participant, possibly located in another country (an embassy abroad)."""

    class Kind(models.TextChoices):
        IMMIGRATION = "immigration", _("Immigration / border authority")
        POLICE = "police", _("Police / law enforcement")
        FOREIGN_MINISTRY = "foreign_ministry", _("Foreign ministry")
        MISSION = "mission", _("Diplomatic mission")
        SECRETARIAT = "secretariat", _("Secretariat")
        OTHER = "other", _("Other")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    located_in = models.CharField(
        _("located in (ISO alpha-3)"), max_length=3, blank=True, help_text=_("Where the agency sits.")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["participant__name", "name"]
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(fields=["participant", "name"], name="agency_unique_per_participant")]

    def __str__(self) -> str:
        return f"{self.name} ({self.participant.display_name})"

    def clean(self) -> None:
        if self.located_in and not (
            len(self.located_in) == 3 and self.located_in.isalpha() and self.located_in.isupper()
        ):
            raise ValidationError({"located_in": _("Give a three-letter ISO 3166-1 alpha-3 code, for example LKA.")})


class Group(ChoiceLabelsMixin, models.Model):
    """A named set of agencies and/or whole participants with a purpose. Groups do not nest."""

    class Kind(models.TextChoices):
        AD_HOC_GROUP = "ahg", _("Ad Hoc Group")
        STEERING_GROUP = "steering", _("Steering group")
        CO_CHAIRS = "co_chairs", _("Co-chairs")
        RILON = "rilon", _("Regional Immigration Liaison Officer Network")
        WORKING_GROUP = "working_group", _("Working group")
        BILATERAL = "bilateral", _("Bilateral arrangement")
        OTHER = "other", _("Other")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    hidden_membership = models.BooleanField(_("hide membership from non-members"), default=False)
    established_on = models.DateField(null=True, blank=True)
    established_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def established_label(self) -> str:
        return format_partial_date(self.established_on, self.established_precision)


class GroupMembership(ChoiceLabelsMixin, models.Model):
    """A dated membership row: either one agency or a whole participant."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        CO_CHAIR = "co_chair", _("Co-chair")
        HOST = "host", _("Host")
        OBSERVER = "observer", _("Observer")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="group_memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("since"))
    since_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    until = models.DateField(_("until"), null=True, blank=True)
    until_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["group", "since", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(agency__isnull=False, participant__isnull=True)
                    | Q(agency__isnull=True, participant__isnull=False)
                ),
                name="membership_agency_xor_participant",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="membership_until_after_since",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "since", "until"]),
            models.Index(fields=["participant", "since", "until"]),
        ]

    def __str__(self) -> str:
        return f"{self.member_label} in {self.group}"

    @property
    def member_label(self) -> str:
        return str(self.agency or self.participant)

    def clean(self) -> None:
        if (self.agency_id is None) == (self.participant_id is None):
            raise ValidationError(_("A membership names either one agency or one participant."))
        if self.until and self.until < self.since:
            raise ValidationError({"until": _("The end date is before the start date.")})

    @property
    def since_label(self) -> str:
        return format_partial_date(self.since, self.since_precision)

    @property
    def until_label(self) -> str:
        return format_partial_date(self.until, self.until_precision)

    def is_current(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.since <= on and (self.until is None or self.until >= on)


def current_membership_q(on: date | None = None, prefix: str = "") -> Q:
    """Membership rows in force on a day (today by default)."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}since__lte": on}) & (Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gte": on}))
