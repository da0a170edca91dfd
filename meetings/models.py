"""Meetings and workshops, the priorities they serve, the actions agreed there, contributions and the report."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import DatePrecision
from sharing.models import TLP, Distribution, Shareable

alpha3 = RegexValidator(r"^[A-Z]{3}$", _("Use the ISO 3166-1 alpha-3 code in capitals, e.g. LKA."))

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def format_date_range(start: date | None, end: date | None, precision: str = DatePrecision.DAY) -> str:
    """'12 October 2011', '10-11 May 2011', '30 May – 1 June 2011', 'March 2011' or '2011'."""
    if start is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(start.year) if not end or end.year == start.year else f"{start.year}–{end.year}"
    if precision == DatePrecision.MONTH:
        first = f"{MONTHS[start.month - 1]} {start.year}"
        if not end or (end.year, end.month) == (start.year, start.month):
            return first
        return f"{first} – {MONTHS[end.month - 1]} {end.year}"
    if not end or end == start:
        return f"{start.day} {MONTHS[start.month - 1]} {start.year}"
    if (end.year, end.month) == (start.year, start.month):
        return f"{start.day}-{end.day} {MONTHS[start.month - 1]} {start.year}"
    if end.year == start.year:
        return f"{start.day} {MONTHS[start.month - 1]} – {end.day} {MONTHS[end.month - 1]} {end.year}"
    return f"{start.day} {MONTHS[start.month - 1]} {start.year} – {end.day} {MONTHS[end.month - 1]} {end.year}"


class Priority(models.Model):
    """A priority the ministers set for the AHG, with its mandate (the conference) and period."""

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("e.g. ahg-2011-a"))
    letter = models.CharField(_("letter"), max_length=4, help_text=_("As written in the mandate, e.g. a"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    mandate = models.ForeignKey(
        "meetings.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="priorities_set",
        verbose_name=_("set by"),
    )
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["period_from", "letter"]
        verbose_name_plural = "priorities"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__isnull=True) | Q(period_to__gte=models.F("period_from")),
                name="priority_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.letter}) {self.title}"

    def clean(self) -> None:
        if self.period_to and self.period_to < self.period_from:
            raise ValidationError({"period_to": _("The end of the period is before its start.")})


class Event(Shareable):
    """A meeting, workshop, conference or training course of the process."""

    class Kind(models.TextChoices):
        MINISTERIAL = "ministerial", _("Ministerial conference")
        SOM = "som", _("Senior officials' meeting")
        STEERING_GROUP = "steering_group", _("Steering group meeting")
        TEWG = "tewg", _("Technical experts working group")
        WORKING_GROUP = "working_group", _("Working group meeting")
        WORKSHOP = "workshop", _("Workshop")
        RILON = "rilon", _("RILON meeting")
        ROUNDTABLE = "roundtable", _("Roundtable")
        INFORMAL = "informal", _("Informal meeting")
        TRAINING = "training", _("Training course")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    # Kinds listed in Annex A ("workshop summaries"): not SOMs, conferences or steering groups.
    ANNEX_KINDS = (Kind.WORKSHOP, Kind.TEWG, Kind.ROUNDTABLE, Kind.INFORMAL, Kind.WORKING_GROUP, Kind.TRAINING)

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    also_rilon_meeting = models.BooleanField(
        _("also recorded as a RILON meeting"),
        default=False,
        help_text=_("For a meeting held 'and RILON': it is then listed among the RILON meetings too."),
    )
    ordinal = models.PositiveSmallIntegerField(_("ordinal"), null=True, blank=True, help_text=_("5 for the 5th SOM"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("dates known to the"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country (ISO alpha-3)"), max_length=3, blank=True, validators=[alpha3])
    hosts = models.ManyToManyField(
        "participants.Participant", blank=True, related_name="hosted_events", verbose_name=_("hosts")
    )
    in_kind_host = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="in_kind_hosted_events",
        verbose_name=_("in-kind host"),
    )
    organising_group = models.ForeignKey(
        "participants.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organising group"),
    )
    attendees = models.ManyToManyField(
        "participants.Participant", blank=True, related_name="attended_events", verbose_name=_("attending participants")
    )
    delegates = models.PositiveIntegerField(_("number of delegates"), null=True, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    outcome = models.TextField(_("summary of outcomes"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNED)
    priorities = models.ManyToManyField(Priority, blank=True, related_name="events", verbose_name=_("priorities"))

    class Meta(Shareable.Meta):
        ordering = ["start_date", "id"]
        indexes = [*Shareable.Meta.indexes, models.Index(fields=["start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="event_end_not_before_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        if self.country:
            self.country = self.country.upper()

    @property
    def dates_label(self) -> str:
        return format_date_range(self.start_date, self.end_date, self.date_precision)

    @property
    def last_day(self) -> date:
        return self.end_date or self.start_date

    @property
    def is_upcoming(self) -> bool:
        return self.state == self.State.PLANNED and self.last_day >= timezone.localdate()

    @property
    def is_rilon_meeting(self) -> bool:
        return self.kind == self.Kind.RILON or self.also_rilon_meeting

    @property
    def in_annex(self) -> bool:
        return self.kind in self.ANNEX_KINDS

    @property
    def place_label(self) -> str:
        return self.city


class EventDocument(models.Model):
    """A document (with its own distribution and TLP) attached to an event in a role."""

    class Role(models.TextChoices):
        STATEMENT = "statement", _("Co-chairs' statement")
        SUMMARY = "summary", _("Summary")
        PRESENTATION = "presentation", _("Presentation")
        AGENDA = "agenda", _("Agenda")
        OTHER = "other", _("Other")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_documents")
    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="event_links")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OTHER)

    class Meta:
        ordering = ["event", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "document"], name="event_document_once")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.document_id}"


class Action(Shareable):
    """Something participants agreed to do at an event; tracked until done or dropped."""

    class State(models.TextChoices):
        AGREED = "agreed", _("Agreed")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATES = (State.AGREED, State.IN_PROGRESS)

    text = models.TextField(_("what was agreed"))
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="actions", verbose_name=_("agreed at")
    )
    responsible = models.ManyToManyField(
        "participants.Participant", related_name="actions", verbose_name=_("responsible participants")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.AGREED)
    priorities = models.ManyToManyField(Priority, blank=True, related_name="actions", verbose_name=_("priorities"))
    reported_at = models.ManyToManyField(
        Event, blank=True, related_name="reported_actions", verbose_name=_("progress reported at")
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta(Shareable.Meta):
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def is_overdue(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < on

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def responsible_label(self) -> str:
        names = [p.short_name or p.name for p in self.responsible.all()]
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + " " + str(_("and")) + " " + names[-1]


class ActionUpdate(models.Model):
    """A dated progress note on an action, possibly reported at an event."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    state_after = models.CharField(_("state after"), max_length=12, choices=Action.State.choices, blank=True)
    reported_at = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("reported at")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "on", "id"]

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:60]}"


class Contribution(models.Model):
    """Funding received for AHG work: cash (target contributions) or in kind (hosting)."""

    class Kind(models.TextChoices):
        CASH = "cash", _("Cash")
        IN_KIND = "in_kind", _("In kind")

    donor = models.ForeignKey("participants.Participant", on_delete=models.PROTECT, related_name="contributions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300)
    received_on = models.DateField(_("received on"))
    precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    event = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="contributions")

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["donor", "kind", "purpose", "received_on"], name="contribution_once")
        ]

    def __str__(self) -> str:
        return f"{self.donor}: {self.purpose}"

    def clean(self) -> None:
        if self.amount is not None and not self.currency:
            raise ValidationError({"currency": _("Give the currency of the amount.")})


class ReportNarrative(models.Model):
    """The written sections of one progress report period; every version is kept."""

    period_from = models.DateField()
    period_to = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_to"]
        constraints = [models.UniqueConstraint(fields=["period_from", "period_to"], name="narrative_per_period")]

    def __str__(self) -> str:
        return f"{self.period_from} – {self.period_to}"


class ReportNarrativeVersion(models.Model):
    """Draft (secretariat) → approved (co-chairs) → published to an audience."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved by the co-chairs")
        PUBLISHED = "published", _("Published")

    class PublishedTo(models.TextChoices):
        MEMBERS = Distribution.MEMBERS.value, _("All members")
        PUBLIC = Distribution.PUBLIC.value, _("Public")

    narrative = models.ForeignKey(ReportNarrative, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    introduction = models.TextField(_("introduction"), blank=True)
    future = models.TextField(_("the future"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    published_to = models.CharField(max_length=10, choices=PublishedTo.choices, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["narrative", "-number"]
        constraints = [models.UniqueConstraint(fields=["narrative", "number"], name="narrative_version_number")]

    def __str__(self) -> str:
        return f"{self.narrative} v{self.number}"


DEFAULT_EVENT_TLP = TLP.GREEN
