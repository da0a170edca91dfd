"""CSV export of the document list, produced as the requesting user (DESIGN.md 1, derived output)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from documents.queries import exportable_documents_for
from portal.csv_export import csv_response
from sharing.rules import can_see_content, originator_label, tombstone_shows_title

HEADER = (
    "uuid",
    "title",
    "status",
    "distribution",
    "tlp",
    "handling",
    "language",
    "originator",
    "workspace",
    "created",
    "valid_until",
    "file_name",
    "sha256",
)


def export_rows(user, filters: dict) -> list[list]:
    """Rows the user may see; H2/H3 only when the user belongs to the originator agency; tombstones masked."""
    rows = []
    for doc in exportable_documents_for(user, **filters):
        content = can_see_content(user, doc)
        title = doc.title if content or tombstone_shows_title(doc) else _("(withdrawn)")
        rows.append(
            [
                str(doc.uuid),
                title,
                doc.status,
                doc.distribution,
                doc.get_tlp_display(),
                doc.handling,
                doc.language,
                originator_label(doc, user),
                doc.group.name if doc.group_id and content else "",
                doc.created_at.date().isoformat(),
                doc.expires_at.date().isoformat() if doc.expires_at else "",
                doc.file_name if content else "",
                doc.sha256 if content else "",
            ]
        )
    return rows


def export_documents_csv(user, filters: dict):
    rows = export_rows(user, filters)
    response, count = csv_response(f"documents-{timezone.localdate().isoformat()}.csv", HEADER, rows)
    audit.record("documents.document.exported", actor=user, extra={"count": count, "filters": sorted(filters)})
    return response
