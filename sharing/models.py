"""The shareable base every capability's content inherits, and the recipients table.

The rules themselves live in sharing/rules.py (DESIGN.md section 1).
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.choices import ChoiceLabelsMixin


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Distribution(models.TextChoices):
    ORIGINATOR = "originator", _("Originator only")
    RECIPIENTS = "recipients", _("Named recipients")
    MEMBERS = "members", _("All members")
    PUBLIC = "public", _("Public")


DISTRIBUTION_RANK = {
    Distribution.ORIGINATOR: 0,
    Distribution.RECIPIENTS: 1,
    Distribution.MEMBERS: 2,
    Distribution.PUBLIC: 3,
}


class TLP(models.TextChoices):
    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber_strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"


TLP_AMBER_OR_ABOVE = (TLP.AMBER, TLP.AMBER_STRICT, TLP.RED)


class Handling(models.TextChoices):
    H0 = "H0", _("H0: no restriction on use")
    H1 = "H1", _("H1: not for use as evidence in court")
    H2 = "H2", _("H2: not to be disseminated further without permission")
    H3 = "H3", _("H3: other restrictions")


HANDLING_KEPT_OUT_OF_EXPORTS = (Handling.H2, Handling.H3)


class Shareable(ChoiceLabelsMixin, models.Model):
    """Abstract base of every object the sharing rules govern."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    originator_agency = models.ForeignKey(
        "participants.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("originator agency")
    )
    originator_participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="+", editable=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    distribution = models.CharField(
        _("distribution"), max_length=12, choices=Distribution.choices, default=Distribution.ORIGINATOR
    )
    tlp = models.CharField(_("TLP"), max_length=12, choices=TLP.choices, default=TLP.AMBER)
    handling = models.CharField(_("handling code"), max_length=2, choices=Handling.choices, default=Handling.H0)
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    anonymous = models.BooleanField(_("hide originator from recipients"), default=False)
    anonymous_group = models.ForeignKey(
        "participants.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Recipients see 'a member of <group>' instead of the originator."),
    )
    pending_approval = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Fields whose values never appear in audit diffs (only that they changed).
    audit_masked_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["status", "distribution"])]

    @property
    def is_expired(self) -> bool:
        return self.status == Status.PUBLISHED and self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_withdrawn(self) -> bool:
        return self.status == Status.WITHDRAWN

    @classmethod
    def draft_reviewers_q(cls, user) -> Q:
        """Extra users who see a draft at its current workflow step; none by default."""
        return Q(pk__in=[])

    @classmethod
    def not_expired_q(cls) -> Q:
        return Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())


class Recipient(models.Model):
    """One principal an object is shared with: `user:<id>`, `agency:<id>`, `participant:<id>`, `group:<id>`."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    principal_key = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "principal_key"], name="recipient_unique_per_object"
            )
        ]
        indexes = [models.Index(fields=["principal_key", "content_type", "object_id"])]

    def __str__(self) -> str:
        return self.principal_key


class ReleaseRequest(models.Model):
    """A recipient asks the originator to widen an object's audience; the originator's focal point decides."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    principal_keys = models.JSONField(default=list)
    reason = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"Release request {self.pk}"
