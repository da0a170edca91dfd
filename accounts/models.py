"""Users, their roles, invitations and API tokens."""

import hashlib
import secrets
import unicodedata
import uuid as uuidlib
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from operations.crypto import EncryptedCharField, EncryptedEmailField, keyed_hashes, lookup_hash


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    CONTRIBUTOR = "contributor", _("Contributor")
    ANALYST = "analyst", _("Analyst")
    FOCAL_POINT = "focal_point", _("Focal point")
    SECRETARIAT = "secretariat", _("Secretariat (RSO)")
    AUDITOR = "auditor", _("Auditor")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# Roles that may author content. Viewers read; auditors read the audit trail; administrators run the platform.
AUTHOR_ROLES = frozenset({Role.CONTRIBUTOR, Role.ANALYST, Role.FOCAL_POINT, Role.SECRETARIAT})
# Roles of the originator agency that may change its objects (DESIGN.md 1, "Who changes an object").
AGENCY_EDITOR_ROLES = frozenset({Role.CONTRIBUTOR, Role.ANALYST, Role.FOCAL_POINT})
# Rank used to stop a manager acting on peers or higher roles.
ROLE_RANK = {
    Role.VIEWER: 1,
    Role.CONTRIBUTOR: 2,
    Role.ANALYST: 2,
    Role.AUDITOR: 3,
    Role.FOCAL_POINT: 4,
    Role.SECRETARIAT: 5,
    Role.SYSTEM_ADMIN: 6,
}


def normalize_username(raw: str) -> str:
    """The one spelling of a username: Unicode NFKC, trimmed, case-folded (used for sign-in and throttling)."""
    return unicodedata.normalize("NFKC", raw or "").strip().casefold()


class PortalUserManager(UserManager):
    def get_by_natural_key(self, username: str) -> "User":
        return self.get(username__iexact=normalize_username(username))

    def with_email(self, email: str) -> "models.QuerySet[User]":
        """Users holding this e-mail address (trimmed, any case), found under every configured hash key.

        Rows not yet recomputed by `rotate_keys --hash-key` after a FIELD_HASH_KEY change are found too.
        """
        return self.filter(email_hash__in=keyed_hashes(email))


class User(AbstractUser):
    """A person using the portal. Every user belongs to exactly one agency."""

    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        "participants.Agency", on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    # Personal contact fields are encrypted at rest; email_hash serves exact-match lookups.
    first_name = EncryptedCharField(_("first name"), max_length=150, blank=True)
    last_name = EncryptedCharField(_("last name"), max_length=150, blank=True)
    email = EncryptedEmailField(_("e-mail address"), blank=True)
    email_hash = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=60, blank=True)
    is_contact_point = models.BooleanField(_("national contact point"), default=False)
    calendar_secret = models.CharField(max_length=64, blank=True, default="")
    # Bumped to end every session and token at once (disable, "sign out everywhere").
    security_stamp = models.UUIDField(default=uuidlib.uuid4)

    objects = PortalUserManager()
    # Recomputed under a new FIELD_HASH_KEY by `rotate_keys --hash-key`.
    keyed_hash_fields: ClassVar[dict[str, str]] = {"email_hash": "email"}

    class Meta:
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(models.functions.Lower("username"), name="user_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs) -> None:
        # The lookup hash must never drift from the encrypted value, whoever writes the row.
        self.email_hash = lookup_hash(self.email)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "email_hash"}
        super().save(*args, **kwargs)

    @property
    def participant(self):
        return self.agency.participant if self.agency_id else None

    @property
    def participant_id(self) -> int | None:
        return self.agency.participant_id if self.agency_id else None

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def is_focal_point(self) -> bool:
        return self.role == Role.FOCAL_POINT

    @property
    def is_secretariat(self) -> bool:
        return self.role == Role.SECRETARIAT

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR

    @property
    def is_system_admin(self) -> bool:
        return self.role == Role.SYSTEM_ADMIN

    @property
    def can_author(self) -> bool:
        return self.role in AUTHOR_ROLES


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token; only its hash is stored. Sent as `Authorization: Bearer <token>`."""

    PREFIX = "bpp_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    security_stamp = models.UUIDField(help_text=_("The user's stamp when the token was issued."))

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def generate_raw(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_usable(self) -> bool:
        return (
            self.revoked_at is None
            and self.expires_at > timezone.now()
            and self.user.is_active
            and self.security_stamp == self.user.security_stamp
        )

    @staticmethod
    def default_expiry(days: int | None = None) -> "timezone.datetime":
        return timezone.now() + timedelta(days=days or settings.API_TOKEN_DEFAULT_DAYS)


class Invitation(models.Model):
    """An invitation to open an account, sent by a focal point or the secretariat. No self sign-up."""

    token_hash = models.CharField(max_length=64, unique=True)
    email = EncryptedEmailField(_("e-mail address"))
    email_hash = models.CharField(max_length=64, db_index=True, default="", editable=False)
    agency = models.ForeignKey("participants.Agency", on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    keyed_hash_fields: ClassVar[dict[str, str]] = {"email_hash": "email"}

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation {self.pk}"

    def save(self, *args, **kwargs) -> None:
        self.email_hash = lookup_hash(self.email)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class SignInThrottle(models.Model):
    """Failures counted per key (client IP, IP+username, username); locks back off exponentially, capped."""

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.failures}"
