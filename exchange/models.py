"""Information exchange: intelligence items, their comments, attachments and links, requests for
information and their answers, subscriptions and in-app notifications.

Items, requests and answers are Shareable: who sees them is decided by sharing/rules.py only.
Comments, attachments and links have no audience of their own: they are seen through their item.
"""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange.kinds import RESTRICTED_KINDS, Kind
from sharing.models import Distribution, Shareable, Status

ROUTE_RE = re.compile(r"^[A-Z]{3}(-[A-Z]{3})+$")


class SourceReliability(models.TextChoices):
    A = "A", _("A: no doubt about the source")
    B = "B", _("B: source mostly reliable")
    C = "C", _("C: source mostly unreliable")
    X = "X", _("X: reliability cannot be assessed")


class InformationAccuracy(models.TextChoices):
    ONE = "1", _("1: not in doubt")
    TWO = "2", _("2: known personally to the source")
    THREE = "3", _("3: corroborated")
    FOUR = "4", _("4: not known personally, not corroborated")


class Item(Shareable):
    """One piece of intelligence shared by a participant: report, alert, notice or opportunity."""

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    details = models.JSONField(_("structured fields"), default=dict, blank=True)
    countries = models.JSONField(_("countries concerned (ISO alpha-3)"), default=list, blank=True)
    nationalities = models.JSONField(_("nationalities (ISO alpha-3)"), default=list, blank=True)
    routes = models.JSONField(_("routes"), default=list, blank=True)
    source_reliability = models.CharField(
        _("source reliability"), max_length=1, choices=SourceReliability.choices, default=SourceReliability.X
    )
    information_accuracy = models.CharField(
        _("information accuracy"), max_length=1, choices=InformationAccuracy.choices, default=InformationAccuracy.FOUR
    )
    handling_note = models.CharField(_("H3 restrictions"), max_length=500, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    search_text = models.TextField(editable=False, blank=True)

    class Meta(Shareable.Meta):
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "distribution"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["-published_at"]),
            models.Index(fields=["originator_participant", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.kind in RESTRICTED_KINDS and self.distribution in (Distribution.MEMBERS, Distribution.PUBLIC):
            raise ValidationError(
                {"distribution": _("A vulnerability notice goes to the originator or named recipients only.")}
            )
        if self.handling == "H3" and not self.handling_note.strip():
            raise ValidationError({"handling_note": _("Say what the other restrictions (H3) are.")})
        for route in self.routes or []:
            if not ROUTE_RE.match(route):
                raise ValidationError(
                    {
                        "routes": _("'%(route)s' is not a route: write codes joined by hyphens, e.g. CMB-KUL-PER.")
                        % {"route": route}
                    }
                )

    @property
    def is_archived(self) -> bool:
        return self.is_expired or self.archived_at is not None

    @property
    def grading(self) -> str:
        return f"{self.source_reliability}{self.information_accuracy}"


class ItemFacet(models.Model):
    """One searchable facet value of an item (kind, group, country, nationality, route, month, TLP)."""

    class Facet(models.TextChoices):
        KIND = "kind", _("Kind")
        GROUP = "group", _("Group")
        COUNTRY = "country", _("Country")
        NATIONALITY = "nationality", _("Nationality")
        ROUTE = "route", _("Route")
        MONTH = "month", _("Month")
        TLP = "tlp", _("TLP")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=12, choices=Facet.choices)
    value = models.CharField(max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "facet", "value"], name="item_facet_unique")]
        indexes = [models.Index(fields=["facet", "value", "item"])]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"


class Comment(models.Model):
    """A comment or follow-up on an item; seen by the item's audience only."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_agency = models.ForeignKey("participants.Agency", on_delete=models.PROTECT, related_name="+")
    is_follow_up = models.BooleanField(_("this is a follow-up (new facts)"), default=False)
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on item {self.item_id}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return instance.storage_path


class Attachment(models.Model):
    """A file attached to an item: stored outside the web root, served through a view that asks the rules."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    file = models.FileField(upload_to=attachment_path)
    storage_path = models.CharField(max_length=300, editable=False)
    file_name = models.CharField(_("file name"), max_length=255)
    file_kind = models.CharField(max_length=20)
    content_type_name = models.CharField(max_length=120)
    size_bytes = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    is_specimen = models.BooleanField(_("specimen image"), default=False)
    text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.file_name


class ItemLink(models.Model):
    """'See also': a link between two related items, shown only where the reader sees both."""

    from_item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="links_out")
    to_item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="links_in")
    note = models.CharField(_("why they are related"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_item", "to_item"], name="item_link_unique"),
            models.CheckConstraint(condition=~Q(from_item=models.F("to_item")), name="item_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.from_item_id} -> {self.to_item_id}"


class RequestForInformation(Shareable):
    """A question to participants or a group, with a due date; its recipients are the addressees."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("question, in one line"), max_length=300)
    body = models.TextField(_("details (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    due_on = models.DateField(_("answer wanted by"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closing_note = models.TextField(blank=True)

    class Meta(Shareable.Meta):
        ordering = ["-created_at"]
        verbose_name = _("request for information")

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.state == self.State.OPEN and self.due_on < timezone.localdate()


class RfiAnswer(Shareable):
    """One answer in a request's thread, with its own sharing (often to the requester only)."""

    rfi = models.ForeignKey(RequestForInformation, on_delete=models.CASCADE, related_name="answers")
    reply_to = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    body = models.TextField(_("answer (Markdown)"))
    body_html = models.TextField(editable=False, blank=True)

    class Meta(Shareable.Meta):
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Answer {self.pk} to {self.rfi_id}"


class Subscription(models.Model):
    """What a user wants to hear about; every filter given must match (empty filters match everything)."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("At once (in the portal and by e-mail)")
        DAILY = "daily", _("Daily digest by e-mail")
        IN_APP = "in_app", _("In the portal only")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_subscriptions")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, blank=True)
    group = models.ForeignKey("participants.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    country = models.CharField(_("country (ISO alpha-3)"), max_length=3, blank=True)
    nationality = models.CharField(_("nationality (ISO alpha-3)"), max_length=3, blank=True)
    route = models.CharField(_("route"), max_length=80, blank=True)
    query = models.CharField(_("saved search words"), max_length=200, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    created_at = models.DateTimeField(default=timezone.now)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """An in-app notification; shown only while its item is still visible to its user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_notifications")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    rfi = models.ForeignKey(RequestForInformation, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    subscription = models.ForeignKey(Subscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    verb = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item", "verb"], condition=Q(item__isnull=False), name="notification_once_per_item"
            ),
            models.UniqueConstraint(
                fields=["user", "rfi", "verb"], condition=Q(rfi__isnull=False), name="notification_once_per_rfi"
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.verb} for {self.user_id}"


__all__ = [
    "Attachment",
    "Comment",
    "InformationAccuracy",
    "Item",
    "ItemFacet",
    "ItemLink",
    "Kind",
    "Notification",
    "RequestForInformation",
    "RfiAnswer",
    "SourceReliability",
    "Status",
    "Subscription",
]
