"""Writes on documents. Sharing changes go through sharing.services; nothing here re-implements the rules."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit import services as audit
from documents.models import Document
from documents.uploads import ValidatedUpload
from participants.models import Group
from sharing import services as sharing
from sharing.models import TLP_AMBER_OR_ABOVE, ReleaseRequest
from sharing.principals import principals_of
from sharing.rules import can_change, can_see, can_see_content, tombstone_shows_title

EDITABLE_FIELDS = ("title", "description", "language", "handling", "expires_at")


def _check_workspace(actor, group: Group | None) -> None:
    if group is not None and f"group:{group.pk}" not in principals_of(actor).keys:
        raise ValidationError({"group": _("Your agency is not a member of this group.")})


def _attach(document: Document, upload: ValidatedUpload) -> None:
    document.file.save(upload.storage_path, upload.as_content_file(), save=False)
    document.file_name = upload.file_name
    document.content_type_name = upload.content_type
    document.size_bytes = upload.size_bytes
    document.sha256 = upload.sha256


def create_document(
    *,
    actor: User,
    title: str,
    description: str = "",
    language: str = "en",
    upload: ValidatedUpload | None = None,
    group: Group | None = None,
    distribution: str,
    tlp: str,
    handling: str = "H0",
    expires_at: datetime | None = None,
    anonymous: bool = False,
    anonymous_group: Group | None = None,
    recipient_keys: Iterable[str] = (),
    publish: bool = False,
) -> Document:
    """Upload a document with its markings and recipients in one transaction (never wider than intended)."""
    _check_workspace(actor, group)
    document = Document(
        title=title,
        description=description,
        language=language,
        group=group,
        distribution=distribution,
        tlp=tlp,
        handling=handling,
        expires_at=expires_at,
        anonymous=anonymous,
        anonymous_group=anonymous_group,
    )
    with transaction.atomic():
        if upload is not None:
            _attach(document, upload)
        document = sharing.create_shared(document, actor=actor, recipient_keys=recipient_keys, publish=publish)
        if document.pending_approval:
            transaction.on_commit(lambda: _notify_approvers(document))
    return document


def update_document(*, actor: User, document: Document, upload: ValidatedUpload | None = None, **fields) -> Document:
    """Edit title, description, language, handling code, expiry or the file; the originator's editors only."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if not can_see(actor, document):
        raise Http404
    if not can_change(actor, document):
        raise PermissionDenied(_("Only the originator can edit this document."))
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        before = {name: getattr(document, name) for name in EDITABLE_FIELDS}
        before["sha256"] = document.sha256
        for name, value in fields.items():
            setattr(document, name, value)
        if upload is not None:
            _attach(document, upload)
        document.full_clean()
        document.save()
        after = {name: getattr(document, name) for name in EDITABLE_FIELDS}
        after["sha256"] = document.sha256
        audit.record("documents.document.updated", actor=actor, target=document, changes=audit.diff(before, after))
    return document


def share_document(
    *, actor: User, document: Document, distribution: str, tlp: str, recipient_keys: Iterable[str]
) -> Document:
    """Change who sees it: narrowing is free to the originator, widening is the originator's alone."""
    return sharing.change_sharing(
        document, actor=actor, distribution=distribution, tlp=tlp, recipient_keys=recipient_keys
    )


def publish_document(*, actor: User, document: Document) -> Document:
    if not can_see(actor, document):
        raise Http404
    document = sharing.publish(document, actor=actor)
    if document.pending_approval:
        transaction.on_commit(lambda: _notify_approvers(document))
    return document


def approve_document(*, actor: User, document: Document) -> Document:
    if not can_see(actor, document):
        raise Http404
    return sharing.approve_publication(document, actor=actor)


def withdraw_document(*, actor: User, document: Document, reason: str = "") -> Document:
    """Withdraw: recipients keep a tombstone; content stays only with the author and its agency."""
    if not can_see(actor, document):
        raise Http404
    return sharing.withdraw(document, actor=actor, reason=reason)


def record_download(*, actor: User, document: Document) -> None:
    """Downloads need the content rule; AMBER and above leave an audit entry (one per request)."""
    if not can_see(actor, document):
        raise Http404
    if not can_see_content(actor, document) or not document.file:
        raise Http404
    if document.tlp in TLP_AMBER_OR_ABOVE:
        audit.record("documents.document.downloaded", actor=actor, target=document)


def record_view(*, actor: User, document: Document) -> None:
    if document.tlp in TLP_AMBER_OR_ABOVE:
        audit.record("documents.document.viewed", actor=actor, target=document)


def file_release_request(
    *, actor: User, document: Document, principal_keys: Iterable[str], reason: str
) -> ReleaseRequest:
    """A recipient asks the originator to widen the audience; the originator's focal points are told."""
    if not can_see(actor, document):
        raise Http404
    if can_change(actor, document):
        raise ValidationError({"principal_keys": _("You are the originator: change the sharing directly.")})
    with transaction.atomic():
        release = sharing.request_release(document, actor=actor, principal_keys=principal_keys, reason=reason)
        transaction.on_commit(lambda: _notify_release_deciders(document, release))
    return release


def decide_release_request(*, actor: User, release: ReleaseRequest, approve: bool, note: str = "") -> ReleaseRequest:
    """The originator's focal point approves (recipients are added) or refuses; the requester is told."""
    with transaction.atomic():
        release = sharing.decide_release(release, actor=actor, approve=approve, note=note)
        transaction.on_commit(lambda: _notify_requester(release))
    return release


# Notifications: queued after commit, re-checked against the rules at send time by the outbox.


def _document_subject(document: Document, text: str) -> str:
    title = document.title if tombstone_shows_title(document) else _("a restricted document")
    return f"{text}: {title}"


def _focal_points_of(participant_id: int):
    return User.objects.filter(is_active=True, role=Role.FOCAL_POINT, agency__participant_id=participant_id)


def _notify_approvers(document: Document) -> None:
    from operations.outbox import enqueue_email

    link = reverse("documents:approvals")
    for user in _focal_points_of(document.originator_participant_id).exclude(pk=document.author_id):
        enqueue_email(
            recipient=user,
            subject=_document_subject(document, _("Waiting for your approval")),
            body=_("A document of your participant waits for a focal point's approval: %(link)s") % {"link": link},
            dedup_key=f"documents.approval:{document.pk}:{user.pk}:{document.updated_at.isoformat()}",
            target_type="documents.document",
            target_id=str(document.pk),
        )


def _notify_release_deciders(document: Document, release: ReleaseRequest) -> None:
    from operations.outbox import enqueue_email

    link = reverse("documents:release_requests")
    for user in _focal_points_of(document.originator_participant_id):
        enqueue_email(
            recipient=user,
            subject=_document_subject(document, _("Release request")),
            body=_("A recipient asks to share a document of your participant more widely: %(link)s") % {"link": link},
            dedup_key=f"documents.release:{release.pk}:{user.pk}",
            target_type="documents.document",
            target_id=str(document.pk),
        )


def _notify_requester(release: ReleaseRequest) -> None:
    from operations.outbox import enqueue_email

    document = release.target
    verb = _("approved") if release.state == ReleaseRequest.State.APPROVED else _("refused")
    enqueue_email(
        recipient=release.requested_by,
        subject=_document_subject(document, _("Your release request was %(verb)s") % {"verb": verb}),
        body=_("See %(link)s") % {"link": reverse("documents:release_requests")},
        dedup_key=f"documents.release-decided:{release.pk}",
        target_type="documents.document",
        target_id=str(document.pk),
    )


def _send_time_check(user, target_id: str) -> bool:
    document = Document.objects.filter(pk=int(target_id)).first() if target_id.isdigit() else None
    return document is not None and can_see(user, document)
