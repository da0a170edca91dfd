"""Pages: my account (profile, factors, tokens, sessions), users of my participant, invitations."""

from allauth.account.decorators import reauthentication_required
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions, queries, services
from accounts.forms import AcceptInvitationForm, InvitationForm, ProfileForm, RoleForm, TokenForm
from accounts.models import ApiToken


def _manager_required(request: HttpRequest) -> None:
    if not permissions.manages_users(request.user):
        raise PermissionDenied


# --- My account -----------------------------------------------------------------------------


@require_GET
@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "factors": Authenticator.objects.filter(user=user).order_by("type", "created_at"),
            "tokens": ApiToken.objects.filter(user=user, revoked_at__isnull=True),
            "session_count": UserSession.objects.filter(user=user).count(),
            "token_form": TokenForm(),
            "may_manage_users": permissions.manages_users(user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@reauthentication_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    fields = ("first_name", "last_name", "email", "phone", "job_title")
    form = ProfileForm(request.POST or None, initial={name: getattr(user, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your details were saved."))
            return redirect("accounts:account")
    return render(request, "accounts/profile.html", {"form": form})


@require_POST
@login_required
@reauthentication_required
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/token_form.html", {"form": form}, status=400)
    _token, raw = services.token_create(
        actor=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
    )
    return render(request, "accounts/token_created.html", {"token": _token, "raw": raw})


@require_GET
@login_required
@reauthentication_required
def token_new(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/token_form.html", {"form": TokenForm()})


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:account")


@require_POST
@login_required
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    count = services.end_my_other_sessions(actor=request.user, current_session_key=request.session.session_key)
    messages.success(request, _("Signed out of %(n)d other session(s).") % {"n": count})
    return redirect("accounts:account")


# --- Users of my participant ----------------------------------------------------------------


@require_GET
@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _manager_required(request)
    return render(
        request,
        "accounts/user_list.html",
        {"users": queries.manageable_users(request.user), "invitations": queries.open_invitations(request.user)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def invite(request: HttpRequest) -> HttpResponse:
    _manager_required(request)
    form = InvitationForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        services.invitation_send(actor=request.user, **form.cleaned_data)
        # The same message whether or not the address already has an account.
        messages.success(request, _("The invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        return redirect("accounts:users")
    return render(request, "accounts/invite.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def user_detail(request: HttpRequest, uuid) -> HttpResponse:
    _manager_required(request)
    target = queries.get_manageable_user_or_404(request.user, uuid)
    form = RoleForm(request.POST or None, actor=request.user, initial={"role": target.role})
    if request.method == "POST":
        if not permissions.may_manage(request.user, target):
            raise PermissionDenied
        if form.is_valid():
            services.user_change_role(actor=request.user, user=target, role=form.cleaned_data["role"])
            messages.success(request, _("The role was changed."))
            return redirect("accounts:user", uuid=target.uuid)
    return render(
        request,
        "accounts/user_detail.html",
        {"target": target, "form": form, "may_manage": permissions.may_manage(request.user, target)},
    )


@require_POST
@login_required
def user_action(request: HttpRequest, uuid, action: str) -> HttpResponse:
    _manager_required(request)
    target = queries.get_manageable_user_or_404(request.user, uuid)
    actions = {
        "disable": (services.user_disable, _("The account was disabled; its sessions and tokens ended.")),
        "enable": (services.user_enable, _("The account was enabled.")),
        "end-sessions": (services.user_end_sessions, _("All sessions of this account were ended.")),
    }
    if action not in actions:
        raise Http404
    service, message = actions[action]
    service(actor=request.user, user=target)
    messages.success(request, message)
    return redirect("accounts:user", uuid=target.uuid)


@require_POST
@login_required
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_required(request)
    invitation = queries.open_invitations(request.user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("accounts:users")


# --- Accepting an invitation ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.open_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                raw_token=token, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("password1", error)
        else:
            # Signed in without a factor: the only thing the account can do now is enrol its authenticator.
            login(request, user, backend="accounts.backends.ThrottledModelBackend")
            return redirect(reverse("mfa_activate_totp"))
    return render(request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation})


# --- Django admin: its own sign-in form is never used --------------------------------------


def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """The admin signs in through the portal's sign-in (password + second factor)."""
    return redirect_to_login(request.GET.get("next", "/admin/"), login_url=reverse("account_login"))
