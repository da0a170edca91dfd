"""Forms: allauth's sign-in, second-factor and reset forms with throttling and audit, and the portal's own."""

from allauth.account.forms import LoginForm, ReauthenticateForm
from allauth.account.utils import user_pk_to_url_str
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as MfaReauthenticateFormBase
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.webauthn.forms import AddWebAuthnForm, AuthenticateWebAuthnForm, ReauthenticateWebAuthnForm
from django import forms
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import permissions, services, throttle
from accounts.mfa import mark_second_factor_passed, webauthn_required
from accounts.models import Role, User, normalize_username
from audit.services import record
from operations.outbox import enqueue_email
from participants.models import Agency


def _request():
    return context.request


def _user_named(username: str) -> User | None:
    return User.objects.filter(username__iexact=normalize_username(username)).first()


def _throttled(method: str, keys: list[str]) -> None:
    wait = throttle.seconds_locked(keys)
    if wait:
        raise ValidationError(throttle.wait_message(wait), code="throttled")


def _failed(method: str, keys: list[str], *, ip: str, user: User | None) -> None:
    locked = throttle.record_failure(method.split(":")[0], keys)
    services.sign_in_failed(method=method, ip=ip, user=user, locked_seconds=locked)


class PortalLoginForm(LoginForm):
    """Username (NFKC, trimmed, any case) and password, throttled per IP+username and per IP."""

    def clean_login(self) -> str:
        return normalize_username(super().clean_login())

    def clean(self):
        username = normalize_username(self.data.get("login", ""))
        ip = throttle.client_ip(self.request)
        keys = throttle.keys_for("password", ip=ip, username=username)
        _throttled("password", keys)
        try:
            cleaned = super().clean()
        except ValidationError:
            _failed("password", keys, ip=ip, user=_user_named(username))
            raise
        throttle.record_success(keys[:1])
        return cleaned


class PortalReauthenticateForm(ReauthenticateForm):
    """Password re-authentication, throttled per user."""

    def clean_password(self) -> str:
        ip = throttle.client_ip(_request())
        keys = throttle.keys_for("reauthenticate", ip=ip, user_id=self.user.pk)
        _throttled("reauthenticate", keys)
        try:
            password = super().clean_password()
        except ValidationError:
            _failed("reauthenticate", keys, ip=ip, user=self.user)
            raise
        throttle.record_success(keys[:1])
        return password


class _ThrottledCodeMixin:
    """TOTP and recovery codes: throttled per IP+user and per user; refused when a security key is required."""

    method = "mfa:code"

    def clean_code(self) -> str:
        ip = throttle.client_ip(_request())
        keys = throttle.keys_for("mfa", ip=ip, user_id=self.user.pk)
        _throttled("mfa", keys)
        if webauthn_required(self.user) and self.user_has_security_key():
            # Until the key is added, the code signs in to the one page that adds it (middleware).
            raise ValidationError(gettext("Your account must use its security key."), code="webauthn_required")
        try:
            code = super().clean_code()
        except ValidationError:
            _failed(self.method, keys, ip=ip, user=self.user)
            raise
        throttle.record_success(keys[:1])
        if self.authenticator.type == Authenticator.Type.RECOVERY_CODES:
            record("accounts.recovery_code.used", actor=self.user, target=self.user)
        return code

    def user_has_security_key(self) -> bool:
        return Authenticator.objects.filter(user=self.user, type=Authenticator.Type.WEBAUTHN).exists()


class MfaAuthenticateForm(_ThrottledCodeMixin, AuthenticateForm):
    pass


class MfaReauthenticateForm(_ThrottledCodeMixin, MfaReauthenticateFormBase):
    method = "mfa:reauthenticate"


class _ThrottledWebAuthnMixin:
    method = "mfa:webauthn"

    def clean_credential(self):
        ip = throttle.client_ip(_request())
        keys = throttle.keys_for("mfa", ip=ip, user_id=self.user.pk)
        _throttled("mfa", keys)
        try:
            authenticator = super().clean_credential()
        except ValidationError:
            _failed(self.method, keys, ip=ip, user=self.user)
            raise
        except (KeyError, ValueError, TypeError) as error:
            # A malformed assertion is a failed attempt too (allauth would answer 500).
            _failed(self.method, keys, ip=ip, user=self.user)
            raise ValidationError(gettext("The security key's answer was not valid."), code="invalid") from error
        throttle.record_success(keys[:1])
        return authenticator


class MfaAuthenticateWebAuthnForm(_ThrottledWebAuthnMixin, AuthenticateWebAuthnForm):
    pass


class MfaReauthenticateWebAuthnForm(_ThrottledWebAuthnMixin, ReauthenticateWebAuthnForm):
    method = "mfa:webauthn-reauthenticate"


class EnrolTOTPForm(ActivateTOTPForm):
    """Activating TOTP proves it: the session counts as having passed the second factor (first sign-in)."""

    def clean_code(self) -> str:
        code = super().clean_code()
        mark_second_factor_passed(_request(), Authenticator.Type.TOTP)
        return code


class EnrolWebAuthnForm(AddWebAuthnForm):
    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            mark_second_factor_passed(_request(), Authenticator.Type.WEBAUTHN)
        return cleaned


class UsernameResetPasswordForm(forms.Form):
    """Password reset by username: the link goes to the address on file; the answer is always the same."""

    username = forms.CharField(
        label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )

    def clean_username(self) -> str:
        username = normalize_username(self.cleaned_data["username"])
        ip = throttle.client_ip(_request())
        keys = throttle.keys_for("reset", ip=ip, username=username)
        _throttled("reset", keys)
        # Every request counts: resets are rare, and a flood must not fill someone's mailbox.
        throttle.record_failure("reset", keys)
        user = User.objects.filter(username__iexact=username, is_active=True).first()
        self.users = [user] if user is not None and user.email and user.has_usable_password() else []
        return username

    def clean(self):
        cleaned = super().clean()
        # allauth's reset view keys its own rate limit on cleaned_data["email"]: give it the username.
        cleaned["email"] = cleaned.get("username", "")
        return cleaned

    def save(self, request, **kwargs) -> str:
        with transaction.atomic():
            for user in self.users:
                key = default_token_generator.make_token(user)
                path = reverse(
                    "account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key}
                )
                enqueue_email(
                    recipient=user,
                    subject=gettext("Reset your password for the Bali Process Portal"),
                    body=gettext(
                        "Someone asked to reset the password of your account %(username)s. If it was you, open "
                        "this link to choose a new password (you will then sign in with it and your second "
                        "factor):\n%(link)s\n\nIf it was not you, ignore this message."
                    )
                    % {"username": user.username, "link": settings.PORTAL_BASE_URL + path},
                    dedup_key=f"accounts.reset:{user.pk}:{key}",
                )
                record("accounts.password_reset.requested", actor=None, target=user)
        return self.cleaned_data["username"]


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("You will sign in with it. Letters, digits and . - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        max_length=256,
        strip=False,
        help_text=_("At least 12 characters; a long passphrase is best. Common and breached passwords are refused."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        username = normalize_username(self.cleaned_data["username"])
        from django.contrib.auth.validators import UnicodeUsernameValidator

        UnicodeUsernameValidator()(username)
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", gettext("The two passwords differ."))
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args, actor, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.select_related("participant").order_by("participant__name", "name")
        if actor.role == Role.FOCAL_POINT:
            agencies = agencies.filter(participant_id=actor.participant_id)
        self.fields["agency"].queryset = agencies
        self.fields["role"].choices = [(r, Role(r).label) for r in permissions.invitable_roles(actor)]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args, actor, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in permissions.invitable_roles(actor)]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. 'statistics import'.")
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=services.MAX_TOKEN_DAYS,
        initial=settings.API_TOKEN_DEFAULT_DAYS,
    )


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=60, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
