"""Writes on accounts: invitations, roles, disabling, sessions and API tokens. Each one audits itself."""

import secrets
import uuid as uuidlib
from datetime import timedelta

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import ApiToken, Invitation, Role, User, hash_secret, normalize_username
from audit.services import record
from operations.outbox import enqueue_email

INVITATION_DAYS = 14
MAX_TOKEN_DAYS = 366


def _end_all_sessions(user: User, *, keep_session_key: str | None = None) -> int:
    """Delete the user's tracked sessions from the session store; returns how many ended."""
    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        if keep_session_key and user_session.session_key == keep_session_key:
            continue
        user_session.end()
        ended += 1
    return ended


def _bump_stamp(user: User) -> None:
    """A new stamp invalidates every session (SessionPolicyMiddleware) and every API token at once."""
    user.security_stamp = uuidlib.uuid4()
    user.save(update_fields=["security_stamp"])


# --- Invitations ----------------------------------------------------------------------------


def invitation_send(*, actor: User, email: str, agency, role: str) -> Invitation:
    """Invite someone into an agency with a role; the answer never tells whether the address has an account."""
    if not permissions.manages_users(actor) or not permissions.may_invite_into(actor, agency):
        raise PermissionDenied(_("You may not invite users into this agency."))
    if role not in permissions.invitable_roles(actor):
        raise PermissionDenied(_("You may not give this role."))
    email = User.objects.normalize_email(email.strip())
    with transaction.atomic():
        existing = User.objects.with_email(email).first()
        invitation = Invitation(
            token_hash=hash_secret(secrets.token_urlsafe(32)),
            email=email,
            agency=agency,
            role=role,
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        if existing is None:
            raw = secrets.token_urlsafe(32)
            invitation.token_hash = hash_secret(raw)
            invitee = User(username=f"invited-{uuidlib.uuid4().hex[:16]}", email=email, agency=agency, role=role)
            invitee.set_unusable_password()
            invitee.full_clean(exclude=["password"])
            invitee.save()
            invitation.accepted_user = invitee
        invitation.full_clean(exclude=["accepted_user"])
        invitation.save()
        # The same entry either way: the inviter's participant must not learn that the address has an account.
        record(
            "accounts.invitation.sent",
            actor=actor,
            target=invitation,
            target_participant_id=agency.participant_id,
            extra={"role": role, "agency": agency.pk},
        )
        if existing is None:
            _mail_invitation(actor=actor, invitation=invitation, raw=raw)
        elif existing.is_active:
            # The holder of the address hears about it instead; the invitation itself can never be accepted.
            enqueue_email(
                recipient=existing,
                subject=_("Someone tried to invite you to the Bali Process Portal"),
                body=_(
                    "%(who)s tried to invite this address to the portal, but you already have an account. "
                    "Sign in at %(url)s. If you forgot your password, use 'Forgot your password?'."
                )
                % {"who": actor.username, "url": settings.PORTAL_BASE_URL + reverse("account_login")},
                dedup_key=f"accounts.invitation.existing:{invitation.pk}",
            )
    return invitation


def _mail_invitation(*, actor: User, invitation: Invitation, raw: str) -> None:
    agency = invitation.agency
    link = settings.PORTAL_BASE_URL + reverse("accounts:accept_invitation", kwargs={"token": raw})
    enqueue_email(
        recipient=invitation.accepted_user,
        subject=_("Your invitation to the Bali Process Cooperation Portal"),
        body=_(
            "%(who)s invited you to the Bali Process Cooperation Portal as %(role)s of %(agency)s.\n\n"
            "Open this link within %(days)d days to choose your username and password; you will then "
            "set up an authenticator app:\n%(link)s\n"
        )
        % {
            "who": actor.username,
            "role": Role(invitation.role).label,
            "agency": agency.name,
            "days": INVITATION_DAYS,
            "link": link,
        },
        dedup_key=f"accounts.invitation:{invitation.pk}",
        target_type="accounts.invitation",
        target_id=str(invitation.pk),
    )


def open_invitation(raw_token: str) -> Invitation | None:
    """The still-open invitation for a raw token, or None."""
    invitation = (
        Invitation.objects.select_related("accepted_user", "agency").filter(token_hash=hash_secret(raw_token)).first()
    )
    if invitation is None or not invitation.is_open or invitation.accepted_user is None:
        return None
    return invitation


def invitation_accept(*, raw_token: str, username: str, password: str) -> User:
    """Open the invited account with the chosen username and password (TOTP enrolment follows at sign-in)."""
    with transaction.atomic():
        invitation = open_invitation(raw_token)
        if invitation is None:
            raise ValidationError(_("This invitation link is invalid or has expired."), code="invalid_invitation")
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        user = User.objects.select_for_update().get(pk=invitation.accepted_user_id)
        name = normalize_username(username)
        if not name:
            raise ValidationError({"username": _("Choose a username.")})
        if User.objects.filter(username__iexact=name).exclude(pk=user.pk).exists():
            raise ValidationError({"username": _("This username is taken; choose another.")})
        user.username = name
        validate_password(password, user)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        record(
            "accounts.invitation.accepted",
            actor=user,
            target=user,
            target_participant_id=user.participant_id,
            extra={"invitation": invitation.pk},
        )
    return user


# --- Managing users -------------------------------------------------------------------------


def _check_manage(actor: User, target: User) -> None:
    if not permissions.may_manage(actor, target):
        raise PermissionDenied(_("You may not manage this user."))


def user_change_role(*, actor: User, user: User, role: str) -> User:
    """Give a managed user another role, within the roles the actor may hand out."""
    _check_manage(actor, user)
    if role not in permissions.invitable_roles(actor):
        raise PermissionDenied(_("You may not give this role."))
    with transaction.atomic():
        before = user.role
        user.role = role
        user.save(update_fields=["role"])
        record(
            "accounts.user.role_changed",
            actor=actor,
            target=user,
            target_participant_id=user.participant_id,
            changes={"role": [before, role]},
        )
    return user


def user_disable(*, actor: User, user: User) -> User:
    """Disable an account: every session and API token of it stops working on the next request."""
    _check_manage(actor, user)
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        _bump_stamp(user)
        ended = _end_all_sessions(user)
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        record(
            "accounts.user.disabled",
            actor=actor,
            target=user,
            target_participant_id=user.participant_id,
            extra={"sessions_ended": ended},
        )
    return user


def user_enable(*, actor: User, user: User) -> User:
    """Re-enable an account (its old sessions and tokens stay dead)."""
    _check_manage(actor, user)
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        record("accounts.user.enabled", actor=actor, target=user, target_participant_id=user.participant_id)
    return user


def user_end_sessions(*, actor: User, user: User) -> int:
    """End every session of a managed user (API tokens are left alone)."""
    _check_manage(actor, user)
    with transaction.atomic():
        ended = _end_all_sessions(user)
        record(
            "accounts.sessions.ended",
            actor=actor,
            target=user,
            target_participant_id=user.participant_id,
            extra={"count": ended, "scope": "all"},
        )
    return ended


def end_my_other_sessions(*, actor: User, current_session_key: str) -> int:
    """'Sign out my other sessions': every session of the actor but the current one ends."""
    with transaction.atomic():
        ended = _end_all_sessions(actor, keep_session_key=current_session_key)
        record("accounts.sessions.ended", actor=actor, target=actor, extra={"count": ended, "scope": "others"})
    return ended


def profile_update(*, actor: User, first_name: str, last_name: str, email: str, phone: str, job_title: str) -> User:
    """Change one's own contact details (the view asks for re-authentication before an e-mail change)."""
    with transaction.atomic():
        fields = {"first_name": first_name, "last_name": last_name, "email": email, "phone": phone}
        changed = sorted(
            name for name, value in {**fields, "job_title": job_title}.items() if getattr(actor, name) != value
        )
        for name, value in fields.items():
            setattr(actor, name, value)
        actor.job_title = job_title
        actor.full_clean(exclude=["password"])
        actor.save()
        # Personal values are never written to the audit trail: only which fields changed.
        record("accounts.profile.changed", actor=actor, target=actor, extra={"fields": changed})
    return actor


# --- API tokens -----------------------------------------------------------------------------


def token_create(*, actor: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Issue a personal API token; the raw value is returned once and only its hash is kept."""
    days = days or settings.API_TOKEN_DEFAULT_DAYS
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError({"days": _("Choose between 1 and %(max)d days.") % {"max": MAX_TOKEN_DAYS}})
    if not actor.is_active:
        raise PermissionDenied(_("This account is disabled."))
    raw = ApiToken.generate_raw()
    with transaction.atomic():
        token = ApiToken(
            user=actor,
            name=name.strip()[:100],
            key_prefix=raw[:12],
            key_hash=hash_secret(raw),
            expires_at=ApiToken.default_expiry(days),
            security_stamp=actor.security_stamp,
        )
        token.full_clean()
        token.save()
        record("accounts.token.created", actor=actor, target=token, extra={"name": token.name, "days": days})
    return token, raw


def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of one's own tokens."""
    if token.user_id != actor.pk:
        raise PermissionDenied(_("You may revoke only your own tokens."))
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record("accounts.token.revoked", actor=actor, target=token, extra={"name": token.name})
    return token


# --- Sign-in events (called by forms and signal receivers) -----------------------------------


def sign_in_failed(*, method: str, ip: str, user: User | None, locked_seconds: int) -> None:
    """Audit a failed attempt (never the password or code) and a lockout it started."""
    with transaction.atomic():
        # The actor is whoever is at the keyboard (anonymous), never the account being tried.
        record(
            "accounts.sign_in.failed",
            actor=None,
            target=user,
            extra={"method": method, "ip": ip, "account_known": user is not None},
        )
        if locked_seconds:
            record(
                "accounts.sign_in.locked_out",
                actor=None,
                target=user,
                extra={"method": method, "ip": ip, "seconds": locked_seconds},
            )


def password_was_reset(*, user: User) -> None:
    """After a reset by e-mail link, every session and token of the account ends (it may have been taken over)."""
    with transaction.atomic():
        _bump_stamp(user)
        ended = _end_all_sessions(user)
        record("accounts.password.reset", actor=user, target=user, extra={"sessions_ended": ended})


def password_was_changed(*, user: User, current_session_key: str | None) -> None:
    """After a password change, the other sessions end; this one continues."""
    with transaction.atomic():
        ended = _end_all_sessions(user, keep_session_key=current_session_key)
        record("accounts.password.changed", actor=user, target=user, extra={"sessions_ended": ended})


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    """Withdraw an open invitation; the account it would have opened is disabled."""
    if not permissions.manages_users(actor) or not permissions.may_invite_into(actor, invitation.agency):
        raise PermissionDenied(_("You may not withdraw this invitation."))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is None and invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            if invitation.accepted_user_id:
                User.objects.filter(pk=invitation.accepted_user_id).update(is_active=False)
            record(
                "accounts.invitation.revoked",
                actor=actor,
                target=invitation,
                target_participant_id=invitation.agency.participant_id,
            )
    return invitation
