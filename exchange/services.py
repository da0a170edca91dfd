"""Writes of the information exchange. Each is one keyword-only function taking the acting user, in one
transaction, with its audit entry inside; notifications are queued after commit.

Who may see or widen what is decided by sharing.services/sharing.rules; these functions add the
exchange's own fields (kind, grading, structured details), its search index and its side objects.
"""

import re
import unicodedata
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from documents import uploads
from exchange import search
from exchange.kinds import RESTRICTED_KINDS, clean_codes, clean_details
from exchange.markup import render_markdown
from exchange.models import ROUTE_RE, Attachment, Comment, Item, ItemFacet, ItemLink, RequestForInformation, RfiAnswer
from exchange.text_extract import extract_text
from sharing import services as sharing
from sharing.models import TLP, Distribution, ReleaseRequest, Status
from sharing.principals import group_ids_for, parse_key
from sharing.rules import can_change, can_see, can_see_content, recipient_keys_of

ATTACHMENT_KINDS = frozenset(
    {
        uploads.PDF,
        uploads.PNG,
        uploads.JPEG,
        uploads.DOCX,
        uploads.XLSX,
        uploads.PPTX,
        uploads.LEGACY_OFFICE,
        uploads.CSV,
        uploads.TEXT,
    }
)
MAX_TAGS = 20
CONTENT_FIELDS = (
    "title",
    "summary",
    "body",
    "tags",
    "details",
    "countries",
    "nationalities",
    "routes",
    "source_reliability",
    "information_accuracy",
    "handling",
    "handling_note",
    "expires_at",
)


# --- Cleaning -------------------------------------------------------------------------------


def clean_tags(tags) -> list[str]:
    """Short plain-text labels: no control characters, at most 50 characters, at most 20 tags."""
    from exchange.kinds import split_values

    clean: list[str] = []
    for tag in split_values(tags):
        tag = "".join(ch for ch in unicodedata.normalize("NFC", tag) if unicodedata.category(ch)[0] != "C")
        tag = tag.strip()[:50]
        if tag and tag.lower() not in {t.lower() for t in clean}:
            clean.append(tag)
    if len(clean) > MAX_TAGS:
        raise ValidationError({"tags": _("At most %(n)s tags.") % {"n": MAX_TAGS}})
    return clean


def clean_routes(routes) -> list[str]:
    from exchange.kinds import split_values

    clean = []
    for route in split_values(routes):
        normal = re.sub(r"\s*(->|>|–|—|-)\s*", "-", route.strip().upper())
        if not ROUTE_RE.match(normal):
            raise ValidationError(
                {
                    "routes": _("'%(route)s' is not a route: write codes joined by hyphens, e.g. CMB-KUL-PER.")
                    % {"route": route}
                }
            )
        if normal not in clean:
            clean.append(normal)
    return clean


def _clean_content(kind: str, fields: dict) -> dict:
    clean = dict(fields)
    if "details" in clean:
        clean["details"] = clean_details(kind, clean["details"])
    if "tags" in clean:
        clean["tags"] = clean_tags(clean["tags"])
    if "countries" in clean:
        clean["countries"] = clean_codes(clean["countries"], field="countries", hint="ISO alpha-3")
    if "nationalities" in clean:
        clean["nationalities"] = clean_codes(clean["nationalities"], field="nationalities", hint="ISO alpha-3")
    if "routes" in clean:
        clean["routes"] = clean_routes(clean["routes"])
    if "title" in clean:
        clean["title"] = " ".join(str(clean["title"]).split())
    return clean


def _check_anonymous_group(actor, group) -> None:
    """'A member of <group>' must be true: the group is one the author's agency or participant is in."""
    if group is None:
        raise ValidationError({"anonymous_group": _("Choose the group recipients will see you as a member of.")})
    if group.pk not in group_ids_for(actor.agency_id, actor.agency.participant_id):
        raise ValidationError({"anonymous_group": _("You can only appear as a member of a group you belong to.")})


def _check_restricted_kind(kind: str, distribution: str) -> None:
    if kind in RESTRICTED_KINDS and distribution in (Distribution.MEMBERS, Distribution.PUBLIC):
        raise ValidationError(
            {"distribution": _("A vulnerability notice goes to the originator or named recipients only.")}
        )


# --- Search index and facets ------------------------------------------------------------------


def _search_text(item: Item) -> str:
    parts = [item.summary, item.body, " ".join(item.tags or [])]
    for value in (item.details or {}).values():
        parts.append(" ".join(value) if isinstance(value, list) else str(value))
    parts += [" ".join(item.countries or []), " ".join(item.nationalities or []), " ".join(item.routes or [])]
    parts += list(item.comments.values_list("body", flat=True))
    parts += list(item.attachments.values_list("file_name", flat=True))
    parts += list(item.attachments.values_list("text", flat=True))
    return "\n".join(p for p in parts if p)


def _facet_rows(item: Item) -> set[tuple[str, str]]:
    F = ItemFacet.Facet
    rows = {(F.KIND, item.kind), (F.TLP, item.tlp)}
    when = item.published_at or item.created_at
    rows.add((F.MONTH, when.strftime("%Y-%m")))
    rows |= {(F.COUNTRY, c) for c in item.countries or []}
    rows |= {(F.NATIONALITY, n) for n in item.nationalities or []}
    rows |= {(F.ROUTE, r) for r in item.routes or []}
    for key in recipient_keys_of(item):
        kind, ident = parse_key(key)
        if kind == "group":
            rows.add((F.GROUP, ident))
    return rows


def reindex(item: Item) -> None:
    """Refresh the item's facets and full-text entry (inside the caller's transaction)."""
    item.search_text = _search_text(item)
    Item.objects.filter(pk=item.pk).update(search_text=item.search_text)
    wanted = _facet_rows(item)
    existing = set(ItemFacet.objects.filter(item=item).values_list("facet", "value"))
    for facet, value in existing - wanted:
        ItemFacet.objects.filter(item=item, facet=facet, value=value).delete()
    ItemFacet.objects.bulk_create([ItemFacet(item=item, facet=f, value=v) for f, v in sorted(wanted - existing)])
    item.refresh_from_db(fields=["status", "distribution", "tlp", "archived_at", "published_at"])
    search.index_item(item, access=search.item_access_tokens(item, recipient_keys_of(item)), facets=wanted)


def _after_commit_notify(item: Item, verb: str) -> None:
    from exchange import tasks

    item_id = item.pk
    transaction.on_commit(lambda: tasks.notify_item.enqueue(item_id=item_id, verb=verb))


# --- Items ------------------------------------------------------------------------------------


def create_item(
    *,
    actor,
    kind: str,
    title: str,
    summary: str = "",
    body: str = "",
    tags=(),
    details: dict | None = None,
    countries=(),
    nationalities=(),
    routes=(),
    source_reliability: str = "X",
    information_accuracy: str = "4",
    handling: str = "H0",
    handling_note: str = "",
    tlp: str = TLP.AMBER,
    distribution: str = Distribution.ORIGINATOR,
    recipient_keys=(),
    anonymous: bool = False,
    anonymous_group=None,
    expires_at: datetime | None = None,
    publish: bool = False,
) -> Item:
    """A new item with its recipients, grading and markings set at once (never visible more widely)."""
    fields = _clean_content(
        kind,
        {
            "title": title,
            "tags": tags,
            "details": details or {},
            "countries": countries,
            "nationalities": nationalities,
            "routes": routes,
        },
    )
    if anonymous:
        _check_anonymous_group(actor, anonymous_group)
    _check_restricted_kind(kind, distribution)
    item = Item(
        kind=kind,
        summary=summary,
        body=body,
        body_html=render_markdown(body),
        source_reliability=source_reliability,
        information_accuracy=information_accuracy,
        handling=handling,
        handling_note=handling_note,
        tlp=tlp,
        distribution=distribution,
        anonymous=anonymous,
        anonymous_group=anonymous_group if anonymous else None,
        expires_at=expires_at,
        **fields,
    )
    with transaction.atomic():
        sharing.create_shared(item, actor=actor, recipient_keys=recipient_keys, publish=publish)
        reindex(item)
        if item.status == Status.PUBLISHED:
            _after_commit_notify(item, "published")
    return item


def update_item(*, item: Item, actor, **changes) -> Item:
    """Change an item's content (not its audience: see `share_item`). Originator editors only."""
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    if not can_see(actor, item):
        raise Http404
    if not can_change(actor, item) or item.status == Status.WITHDRAWN:
        raise PermissionDenied(_("Only the originator can change this item."))
    changes = _clean_content(item.kind, changes)
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        before = {name: getattr(item, name) for name in changes}
        for name, value in changes.items():
            setattr(item, name, value)
        if "body" in changes:
            item.body_html = render_markdown(item.body)
        if "expires_at" in changes and (item.expires_at is None or item.expires_at > timezone.now()):
            item.archived_at = None  # a renewed item is current again
        item.full_clean()
        item.save()
        after = {name: getattr(item, name) for name in changes}
        audit.record(
            "exchange.item.updated", actor=actor, target=item, changes=audit.diff(_jsonable(before), _jsonable(after))
        )
        reindex(item)
    return item


def _jsonable(values: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, datetime | date) else v) for k, v in values.items()}


def share_item(*, item: Item, actor, distribution: str, tlp: str, recipient_keys) -> Item:
    """Change who sees an item: narrowing at any time, widening by the originator only."""
    _check_restricted_kind(item.kind, distribution)
    with transaction.atomic():
        item = sharing.change_sharing(
            item, actor=actor, distribution=distribution, tlp=tlp, recipient_keys=recipient_keys
        )
        reindex(item)
        if item.status == Status.PUBLISHED:
            _after_commit_notify(item, "shared")
    return item


def publish_item(*, item: Item, actor) -> Item:
    with transaction.atomic():
        item = sharing.publish(item, actor=actor)
        reindex(item)
        if item.status == Status.PUBLISHED:
            _after_commit_notify(item, "published")
    return item


def approve_item(*, item: Item, actor) -> Item:
    """Four-eyes: a focal point of the originating participant releases a waiting item."""
    with transaction.atomic():
        item = sharing.approve_publication(item, actor=actor)
        reindex(item)
        _after_commit_notify(item, "published")
    return item


def withdraw_item(*, item: Item, actor, reason: str = "") -> Item:
    """Recipients keep a tombstone only; content, attachments and comments are gone for them."""
    if not can_see(actor, item):
        raise Http404
    with transaction.atomic():
        item = sharing.withdraw(item, actor=actor, reason=reason)
        reindex(item)
    return item


def request_release(*, item: Item, actor, principal_keys, reason: str) -> ReleaseRequest:
    """A recipient asks for a wider audience (H2 items included); nothing widens until a focal point agrees."""
    return sharing.request_release(item, actor=actor, principal_keys=principal_keys, reason=reason)


def decide_release(*, release: ReleaseRequest, actor, approve: bool, note: str = "") -> ReleaseRequest:
    with transaction.atomic():
        release = sharing.decide_release(release, actor=actor, approve=approve, note=note)
        item = Item.objects.get(pk=release.object_id)
        reindex(item)
        if approve and item.status == Status.PUBLISHED:
            _after_commit_notify(item, "shared")
    return release


def archive_expired(*, now: datetime | None = None) -> int:
    """Mark expired items archived (they stay reachable, out of feeds and default search). Idempotent."""
    now = now or timezone.now()
    count = 0
    for item_id in Item.objects.filter(
        status=Status.PUBLISHED, expires_at__lte=now, archived_at__isnull=True
    ).values_list("pk", flat=True):
        with transaction.atomic():
            updated = Item.objects.filter(pk=item_id, archived_at__isnull=True).update(archived_at=now)
            if updated:
                item = Item.objects.get(pk=item_id)
                audit.record("exchange.item.archived", target=item, extra={"expired_at": item.expires_at.isoformat()})
                reindex(item)
                count += 1
    return count


# --- Comments, attachments, links -------------------------------------------------------------


def _require_content(actor, item: Item) -> None:
    if not can_see(actor, item) or not can_see_content(actor, item):
        raise Http404


def add_comment(*, item: Item, actor, body: str, is_follow_up: bool = False) -> Comment:
    """A comment seen by the item's audience only."""
    _require_content(actor, item)
    if item.status == Status.WITHDRAWN:
        raise PermissionDenied(_("This item was withdrawn."))
    if actor.agency_id is None:
        raise PermissionDenied(_("Your account has no agency."))
    if not body.strip():
        raise ValidationError({"body": _("Write a comment.")})
    if len(body) > 20_000:
        raise ValidationError({"body": _("A comment can be at most 20,000 characters.")})
    with transaction.atomic():
        comment = Comment(
            item=item,
            author=actor,
            author_agency=actor.agency,
            body=body,
            body_html=render_markdown(body),
            is_follow_up=is_follow_up,
        )
        comment.full_clean()
        comment.save()
        audit.record(
            "exchange.comment.created",
            actor=actor,
            target=comment,
            target_participant_id=item.originator_participant_id,
            extra={"item": item.pk},
        )
        reindex(item)
        _after_commit_notify_comment(comment)
    return comment


def _after_commit_notify_comment(comment: Comment) -> None:
    from exchange import tasks

    comment_id = comment.pk
    transaction.on_commit(lambda: tasks.notify_comment.enqueue(comment_id=comment_id))


def add_attachment(*, item: Item, actor, uploaded, is_specimen: bool = False) -> Attachment:
    """Validate by content (allow-list, size, images re-encoded without metadata) and store outside the web root."""
    if not can_see(actor, item):
        raise Http404
    if not can_change(actor, item) or item.status == Status.WITHDRAWN:
        raise PermissionDenied(_("Only the originator can attach files to this item."))
    try:
        valid = uploads.validate_upload(uploaded, allowed=ATTACHMENT_KINDS, prefix="exchange")
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    if is_specimen and valid.kind not in uploads.IMAGE_KINDS:
        raise ValidationError({"is_specimen": _("A specimen must be a PNG or JPEG image.")})
    with transaction.atomic():
        attachment = Attachment(
            item=item,
            uploaded_by=actor,
            storage_path=valid.storage_path,
            file_name=valid.file_name,
            file_kind=valid.kind,
            content_type_name=valid.content_type,
            size_bytes=valid.size_bytes,
            sha256=valid.sha256,
            is_specimen=is_specimen,
            text=extract_text(valid.kind, valid.content),
        )
        attachment.file.save(valid.storage_path, valid.as_content_file(), save=False)
        attachment.save()
        audit.record(
            "exchange.attachment.added",
            actor=actor,
            target=attachment,
            target_participant_id=item.originator_participant_id,
            extra={"item": item.pk, "kind": valid.kind, "size": valid.size_bytes, "sha256": valid.sha256},
        )
        reindex(item)
    return attachment


def remove_attachment(*, attachment: Attachment, actor) -> None:
    item = attachment.item
    if not can_see(actor, item):
        raise Http404
    if not can_change(actor, item):
        raise PermissionDenied(_("Only the originator can remove files from this item."))
    with transaction.atomic():
        audit.record(
            "exchange.attachment.removed",
            actor=actor,
            target=attachment,
            target_participant_id=item.originator_participant_id,
            extra={"item": item.pk},
        )
        path = attachment.file.name
        storage = attachment.file.storage
        attachment.delete()
        reindex(item)
        transaction.on_commit(lambda: storage.delete(path))


def link_items(*, from_item: Item, to_item: Item, actor, note: str = "") -> ItemLink:
    """Link two items the actor sees; readers see the link only where they see both ends."""
    if not can_see(actor, from_item) or not can_see(actor, to_item):
        raise Http404
    if not can_change(actor, from_item):
        raise PermissionDenied(_("Only the originator of an item links it to others."))
    if from_item.pk == to_item.pk:
        raise ValidationError({"to_item": _("An item cannot be related to itself.")})
    with transaction.atomic():
        link, created = ItemLink.objects.get_or_create(
            from_item=from_item, to_item=to_item, defaults={"note": note[:300], "created_by": actor}
        )
        if created:
            audit.record("exchange.item.linked", actor=actor, target=from_item, extra={"to": to_item.pk})
    return link


# --- Requests for information -----------------------------------------------------------------


def create_rfi(
    *,
    actor,
    title: str,
    body: str = "",
    due_on: date,
    recipient_keys,
    tlp: str = TLP.AMBER,
    handling: str = "H0",
) -> RequestForInformation:
    """Ask participants and/or groups a question; they are the request's recipients."""
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date is in the past.")})
    keys = set(recipient_keys)
    if not keys:
        raise ValidationError({"recipients": _("Name at least one participant or group to ask.")})
    rfi = RequestForInformation(
        title=" ".join(title.split()),
        body=body,
        body_html=render_markdown(body),
        due_on=due_on,
        tlp=tlp,
        handling=handling,
        distribution=Distribution.RECIPIENTS,
    )
    with transaction.atomic():
        sharing.create_shared(rfi, actor=actor, recipient_keys=keys, publish=True)
        if rfi.status == Status.PUBLISHED:
            rfi_id = rfi.pk
            from exchange import tasks

            transaction.on_commit(lambda: tasks.notify_rfi.enqueue(rfi_id=rfi_id))
    return rfi


class AnswerAudience:
    REQUESTER = "requester"
    ALL_ADDRESSEES = "all"


def answer_rfi(
    *,
    rfi: RequestForInformation,
    actor,
    body: str,
    audience: str = AnswerAudience.REQUESTER,
    tlp: str = TLP.AMBER,
    handling: str = "H0",
    reply_to: RfiAnswer | None = None,
) -> RfiAnswer:
    """One answer with its own sharing: the requester (and its agency), or every addressee as well."""
    if not can_see(actor, rfi):
        raise Http404
    rfi = RequestForInformation.objects.select_related("author").get(pk=rfi.pk)
    if rfi.state != RequestForInformation.State.OPEN or rfi.status != Status.PUBLISHED:
        raise PermissionDenied(_("This request is closed."))
    if reply_to is not None and reply_to.rfi_id != rfi.pk:
        raise Http404
    if not body.strip():
        raise ValidationError({"body": _("Write an answer.")})
    requester = rfi.author
    if requester is None:
        raise PermissionDenied(_("The requester's account no longer exists."))
    if tlp == TLP.RED:
        keys = {f"user:{requester.pk}"}
    else:
        keys = {f"agency:{rfi.originator_agency_id}"}
        if audience == AnswerAudience.ALL_ADDRESSEES:
            keys |= recipient_keys_of(rfi)
    answer = RfiAnswer(
        rfi=rfi,
        reply_to=reply_to,
        body=body,
        body_html=render_markdown(body),
        tlp=tlp,
        handling=handling,
        distribution=Distribution.RECIPIENTS,
    )
    with transaction.atomic():
        sharing.create_shared(answer, actor=actor, recipient_keys=keys, publish=True)
    return answer


def close_rfi(*, rfi: RequestForInformation, actor, note: str = "") -> RequestForInformation:
    """The requester (or its agency's editors) closes the request."""
    if not can_see(actor, rfi):
        raise Http404
    if not can_change(actor, rfi):
        raise PermissionDenied(_("Only the requester closes a request."))
    with transaction.atomic():
        rfi = RequestForInformation.objects.select_for_update().get(pk=rfi.pk)
        if rfi.state == RequestForInformation.State.CLOSED:
            raise ValidationError({"state": _("This request is already closed.")})
        rfi.state = RequestForInformation.State.CLOSED
        rfi.closed_at = timezone.now()
        rfi.closing_note = note
        rfi.save(update_fields=["state", "closed_at", "closing_note", "updated_at"])
        audit.record("exchange.requestforinformation.closed", actor=actor, target=rfi)
    return rfi
