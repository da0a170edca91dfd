"""Permission-aware reads of documents: every one starts from `sharing.rules.visible_to`."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from documents.models import Document
from participants.models import Agency, Group, Participant
from sharing.models import ReleaseRequest, Status
from sharing.principals import parse_key, principals_of
from sharing.rules import (
    can_approve_for_participant,
    exportable_q,
    get_visible_or_404,
    recipient_keys_of,
    visible_to,
)

ARCHIVED = "archived"
STATUS_FILTERS = (Status.DRAFT, Status.PUBLISHED, Status.WITHDRAWN, ARCHIVED)


def documents_for(
    who,
    *,
    group: str = "",
    language: str = "",
    tlp: str = "",
    status: str = "",
    q: str = "",
) -> QuerySet[Document]:
    """The documents a user (or audience) sees, filtered; expired ones only when asked for ('archived')."""
    # prefetch, not select_related: joins in the filtered and sorted query let a misestimated search term
    # (LIKE selectivity is a guess) turn a 50-row page into a nested loop over thousands of rows.
    # No author: lists do not show it, and each user row costs decrypting its personal fields.
    documents = visible_to(Document, who).prefetch_related("originator_agency__participant", "group", "anonymous_group")
    if status == ARCHIVED:
        documents = documents.filter(status=Status.PUBLISHED).exclude(Document.not_expired_q())
    elif status in (Status.DRAFT, Status.PUBLISHED, Status.WITHDRAWN):
        documents = documents.filter(status=status).filter(Document.not_expired_q() | ~Q(status=Status.PUBLISHED))
    else:
        documents = documents.filter(Document.not_expired_q() | ~Q(status=Status.PUBLISHED))
    if group:
        documents = documents.filter(group__slug=group)
    if language:
        documents = documents.filter(language=language)
    if tlp:
        documents = documents.filter(tlp=tlp)
    if q:
        documents = documents.filter(title__icontains=q.strip()[:200])
    return documents


def exportable_documents_for(user, **filters) -> QuerySet[Document]:
    """What the user may put in a file: visible, and H2/H3 only from the user's own agency."""
    return documents_for(user, **filters).filter(exportable_q(user))


def visible_documents_by_pk(user, ids) -> dict[int, Document]:
    return {d.pk: d for d in visible_to(Document, user).filter(pk__in=list(ids))}


def get_document(user, uuid) -> Document:
    """One visible document, or 404 (not visible and not existing are the same answer)."""
    return get_visible_or_404(
        Document.objects.select_related("originator_agency__participant", "group", "anonymous_group", "author"),
        user,
        uuid=uuid,
    )


def groups_of(user) -> QuerySet[Group]:
    """The groups (workspaces) the user's agency or participant belongs to today."""
    ids = [int(parse_key(key)[1]) for key in principals_of(user).keys if key.startswith("group:")]
    return Group.objects.filter(pk__in=ids)


def awaiting_approval_for(user) -> QuerySet[Document]:
    """Four-eyes queue: drafts of the user's participant waiting for a focal point."""
    principals = principals_of(user)
    if principals.participant_id is None or not can_approve_for_participant(user, principals.participant_id):
        return Document.objects.none()
    return (
        visible_to(Document, user)
        .filter(pending_approval=True, originator_participant_id=principals.participant_id)
        .select_related("originator_agency__participant", "author")
    )


def release_requests_for(user) -> QuerySet[ReleaseRequest]:
    """Requests the user filed, and those on its participant's documents when it is a focal point."""
    content_type = ContentType.objects.get_for_model(Document)
    visible_ids = visible_to(Document, user).values("pk")
    principals = principals_of(user)
    mine = Q(requested_by_id=principals.user_id) if principals.user_id else Q(pk__in=[])
    deciding = Q(pk__in=[])
    if principals.participant_id and can_approve_for_participant(user, principals.participant_id):
        own_docs = visible_to(Document, user).filter(originator_participant_id=principals.participant_id)
        deciding = Q(object_id__in=own_docs.values("pk"))
    return (
        ReleaseRequest.objects.filter(content_type=content_type, object_id__in=visible_ids)
        .filter(mine | deciding)
        .select_related("requested_by", "decided_by")
    )


def get_release_request(user, document: Document, request_id: int) -> ReleaseRequest:
    from django.http import Http404

    release = release_requests_for(user).filter(object_id=document.pk, pk=request_id).first()
    if release is None:
        raise Http404
    return release


@dataclass(frozen=True)
class RecipientLine:
    key: str
    kind: str
    label: str
    members: tuple[str, ...] = ()  # shown for groups whose membership is not hidden


def recipient_lines(document: Document) -> list[RecipientLine]:
    """The recipients list as shown to those who see the document; hidden groups show their name only."""
    from accounts.models import User

    by_kind: dict[str, list[int]] = {}
    for key in recipient_keys_of(document):
        kind, ident = parse_key(key)
        if ident.isdigit():
            by_kind.setdefault(kind, []).append(int(ident))
    lines: list[RecipientLine] = []
    today = timezone.localdate()
    for group in Group.objects.filter(pk__in=by_kind.get("group", [])).prefetch_related(
        "memberships__agency__participant", "memberships__participant"
    ):
        members: tuple[str, ...] = ()
        # Anonymous documents list group names only: member lists would narrow down the originator.
        if not group.hidden_membership and not document.anonymous:
            members = tuple(
                sorted(
                    str(m.agency or m.participant)
                    for m in group.memberships.all()
                    if m.since <= today and (m.until is None or m.until >= today)
                )
            )
        lines.append(RecipientLine(f"group:{group.pk}", "group", group.name, members))
    for participant in Participant.objects.filter(pk__in=by_kind.get("participant", [])):
        lines.append(RecipientLine(f"participant:{participant.pk}", "participant", participant.name))
    for agency in Agency.objects.filter(pk__in=by_kind.get("agency", [])).select_related("participant"):
        lines.append(RecipientLine(f"agency:{agency.pk}", "agency", str(agency)))
    for person in User.objects.filter(pk__in=by_kind.get("user", [])).select_related("agency__participant"):
        lines.append(RecipientLine(f"user:{person.pk}", "user", f"{person} ({person.agency})"))
    return lines
