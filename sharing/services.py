"""Writes that change who sees an object. Every capability calls these; none re-implements them."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from sharing.models import Distribution, Recipient, ReleaseRequest, Shareable, Status
from sharing.principals import forget_principals, parse_key, principals_of
from sharing.rules import (
    can_approve_for_participant,
    can_change,
    can_see,
    is_originator_editor,
    is_widening,
    recipient_keys_of,
    validate_marking,
)

VALID_KEY_KINDS = {"user", "agency", "participant", "group"}


def normalise_keys(keys: Iterable[str]) -> set[str]:
    """Check the form and existence of principal keys; a bad key is a ValidationError naming it."""
    from accounts.models import User
    from participants.models import Agency, Group, Participant

    models = {"user": User, "agency": Agency, "participant": Participant, "group": Group}
    clean: set[str] = set()
    for key in keys:
        kind, ident = parse_key(str(key))
        if kind not in VALID_KEY_KINDS or not ident.isdigit():
            raise ValidationError({"recipients": _("'%(key)s' is not a recipient.") % {"key": key}})
        if not models[kind].objects.filter(pk=int(ident)).exists():
            raise ValidationError({"recipients": _("'%(key)s' does not exist.") % {"key": key}})
        clean.add(f"{kind}:{int(ident)}")
    return clean


def _write_recipients(obj: Shareable, keys: set[str]) -> None:
    content_type = ContentType.objects.get_for_model(type(obj))
    Recipient.objects.filter(content_type=content_type, object_id=obj.pk).exclude(principal_key__in=keys).delete()
    existing = set(
        Recipient.objects.filter(content_type=content_type, object_id=obj.pk).values_list("principal_key", flat=True)
    )
    Recipient.objects.bulk_create(
        [Recipient(content_type=content_type, object_id=obj.pk, principal_key=key) for key in sorted(keys - existing)]
    )


def prepare_new(obj: Shareable, *, actor, publish: bool) -> None:
    """Fill the originator fields of a new object from its author and set its initial state."""
    if not actor.can_author or actor.agency_id is None or not principals_of(actor).has_any:
        raise PermissionDenied(_("Your role cannot create content."))
    obj.author = actor
    obj.originator_agency = actor.agency
    obj.originator_participant = actor.agency.participant
    obj.status = Status.DRAFT
    if obj.anonymous and obj.anonymous_group_id is None:
        raise ValidationError({"anonymous_group": _("Choose the group recipients will see you as a member of.")})
    if obj.anonymous_group_id is not None and f"group:{obj.anonymous_group_id}" not in principals_of(actor).keys:
        # "a member of <group>" must be true: only a group the author's agency or participant belongs to today.
        raise ValidationError({"anonymous_group": _("Your agency is not a member of this group.")})
    if publish:
        _apply_publish(obj)


def _needs_four_eyes(obj: Shareable) -> bool:
    return obj.originator_participant.four_eyes and obj.distribution != Distribution.ORIGINATOR


def _apply_publish(obj: Shareable) -> None:
    if _needs_four_eyes(obj):
        obj.pending_approval = True
        obj.status = Status.DRAFT
    else:
        obj.pending_approval = False
        obj.status = Status.PUBLISHED
        obj.published_at = obj.published_at or timezone.now()


def create_shared(obj: Shareable, *, actor, recipient_keys: Iterable[str] = (), publish: bool = False) -> Shareable:
    """Save a new object with its recipients in one transaction: never visible more widely than intended."""
    keys = normalise_keys(recipient_keys)
    with transaction.atomic():
        prepare_new(obj, actor=actor, publish=publish)
        validate_marking(distribution=obj.distribution, tlp=obj.tlp, recipient_keys=keys)
        obj.full_clean()
        obj.save()
        _write_recipients(obj, keys)
        audit.record(
            f"{obj._meta.app_label}.{obj._meta.model_name}.created",
            actor=actor,
            target=obj,
            extra={
                "status": obj.status,
                "distribution": obj.distribution,
                "tlp": obj.tlp,
                "handling": obj.handling,
                "recipients": sorted(keys),
                "pending_approval": obj.pending_approval,
            },
        )
        if not can_see(actor, obj):
            raise PermissionDenied(_("You would not be able to see what you wrote."))
    return obj


def change_sharing(obj: Shareable, *, actor, distribution: str, tlp: str, recipient_keys: Iterable[str]) -> Shareable:
    """Narrow freely; widening is the originator's alone (recipients file a release request)."""
    if not can_see(actor, obj):
        from django.http import Http404

        raise Http404
    if not can_change(actor, obj):
        raise PermissionDenied(_("Only the originator can change who sees this."))
    keys = normalise_keys(recipient_keys)
    with transaction.atomic():
        obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        old_keys = recipient_keys_of(obj)
        validate_marking(distribution=distribution, tlp=tlp, recipient_keys=keys)
        widening = is_widening(
            old_distribution=obj.distribution, new_distribution=distribution, old_keys=old_keys, new_keys=keys
        )
        before = {"distribution": obj.distribution, "tlp": obj.tlp, "recipients": sorted(old_keys)}
        obj.distribution = distribution
        obj.tlp = tlp
        if widening and obj.status == Status.PUBLISHED and _needs_four_eyes(obj):
            obj.status = Status.DRAFT
            obj.pending_approval = True
        obj.full_clean()
        obj.save()
        _write_recipients(obj, keys)
        after = {"distribution": obj.distribution, "tlp": obj.tlp, "recipients": sorted(keys)}
        audit.record(
            f"{obj._meta.app_label}.{obj._meta.model_name}.{'widened' if widening else 'narrowed'}",
            actor=actor,
            target=obj,
            changes=audit.diff(before, after),
        )
    return obj


def publish(obj: Shareable, *, actor) -> Shareable:
    if not can_change(actor, obj):
        raise PermissionDenied(_("Only the originator can publish this."))
    with transaction.atomic():
        obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if obj.status != Status.DRAFT:
            raise ValidationError({"status": _("Only a draft can be published.")})
        _apply_publish(obj)
        obj.save()
        verb = "submitted_for_approval" if obj.pending_approval else "published"
        audit.record(f"{obj._meta.app_label}.{obj._meta.model_name}.{verb}", actor=actor, target=obj)
    return obj


def approve_publication(obj: Shareable, *, actor) -> Shareable:
    """Four-eyes: a focal point of the originator participant, not the author, releases the draft."""
    if not can_approve_for_participant(actor, obj.originator_participant_id) or not can_see(actor, obj):
        raise PermissionDenied(_("Only a focal point of the originating participant can approve this."))
    if obj.author_id == actor.pk:
        raise PermissionDenied(_("Someone other than the author must approve."))
    with transaction.atomic():
        obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if not obj.pending_approval:
            raise ValidationError({"status": _("Nothing is waiting for approval.")})
        obj.pending_approval = False
        obj.status = Status.PUBLISHED
        obj.published_at = obj.published_at or timezone.now()
        obj.save()
        audit.record(f"{obj._meta.app_label}.{obj._meta.model_name}.approved", actor=actor, target=obj)
    return obj


def withdraw(obj: Shareable, *, actor, reason: str = "") -> Shareable:
    if not can_change(actor, obj):
        raise PermissionDenied(_("Only the originator can withdraw this."))
    with transaction.atomic():
        obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        obj.status = Status.WITHDRAWN
        obj.withdrawn_at = timezone.now()
        obj.pending_approval = False
        obj.save()
        audit.record(
            f"{obj._meta.app_label}.{obj._meta.model_name}.withdrawn",
            actor=actor,
            target=obj,
            extra={"reason": reason},
        )
    return obj


def request_release(obj: Shareable, *, actor, principal_keys: Iterable[str], reason: str) -> ReleaseRequest:
    """A recipient who needs a wider audience asks; nothing widens until the originator's focal point agrees."""
    if not can_see(actor, obj):
        from django.http import Http404

        raise Http404
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the wider audience needs it.")})
    keys = normalise_keys(principal_keys)
    if not keys:
        raise ValidationError({"principal_keys": _("Name who should receive it.")})
    with transaction.atomic():
        release = ReleaseRequest.objects.create(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            requested_by=actor,
            principal_keys=sorted(keys),
            reason=reason,
        )
        audit.record(
            "sharing.release_request.filed",
            actor=actor,
            target=obj,
            extra={"request": release.pk, "to": sorted(keys)},
        )
    return release


def decide_release(release: ReleaseRequest, *, actor, approve: bool, note: str = "") -> ReleaseRequest:
    obj = release.target
    if not can_approve_for_participant(actor, obj.originator_participant_id):
        raise PermissionDenied(_("Only a focal point of the originating participant decides."))
    if release.requested_by_id == actor.pk:
        raise PermissionDenied(_("Someone other than the requester must decide."))
    with transaction.atomic():
        release = ReleaseRequest.objects.select_for_update().get(pk=release.pk)
        if release.state != ReleaseRequest.State.OPEN:
            raise ValidationError({"state": _("This request was already decided.")})
        release.state = ReleaseRequest.State.APPROVED if approve else ReleaseRequest.State.REFUSED
        release.decided_by = actor
        release.decided_at = timezone.now()
        release.decision_note = note
        release.save()
        if approve:
            keys = recipient_keys_of(obj) | set(release.principal_keys)
            distribution = obj.distribution
            if distribution == Distribution.ORIGINATOR:
                distribution = Distribution.RECIPIENTS
            if distribution == Distribution.RECIPIENTS:
                validate_marking(distribution=distribution, tlp=obj.tlp, recipient_keys=keys)
                obj.distribution = distribution
                obj.save(update_fields=["distribution", "updated_at"])
                _write_recipients(obj, keys)
        audit.record(
            f"sharing.release_request.{'approved' if approve else 'refused'}",
            actor=actor,
            target=obj,
            extra={"request": release.pk, "to": release.principal_keys},
        )
    forget_principals(actor)
    return release


__all__ = [
    "approve_publication",
    "change_sharing",
    "create_shared",
    "decide_release",
    "is_originator_editor",
    "publish",
    "request_release",
    "withdraw",
]
