"""Documents: the first shareable type (guidelines, SOPs, co-chairs' statements, presentations)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sharing.models import Shareable


def document_path(instance: "Document", filename: str) -> str:
    # Server-chosen storage path; the user's file name is kept only as metadata.
    return f"documents/{instance.uuid}"


class Document(Shareable):
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    file = models.FileField(_("file"), upload_to=document_path, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type_name = models.CharField(max_length=100, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    group = models.ForeignKey(
        "participants.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        help_text=_("The workspace library the document belongs to."),
    )

    class Meta(Shareable.Meta):
        ordering = ["-created_at"]
        # Lists read the newest visible documents first; the index lets the database stop after one page.
        # The home page's "new documents" reads the newest published ones the same way.
        indexes = [
            *Shareable.Meta.indexes,
            models.Index(fields=["-created_at", "id"], name="document_newest_first"),
            # Only published rows: PostgreSQL sorts NULLs first in a descending index, so a full index would
            # make "newest published" read past every draft (10% of the library) before the first match.
            models.Index(
                fields=["-published_at", "id"],
                name="document_newest_published",
                condition=models.Q(published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title
