"""Pages: the participants directory, participant and group pages, and the secretariat's forms."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit import services as audit
from participants import queries, services
from participants.forms import (
    AgencyForm,
    DirectoryFilterForm,
    GroupForm,
    JoinedFilterForm,
    MembershipAddForm,
    MembershipEndForm,
    ParticipantCreateForm,
    ParticipantForm,
    StatusChangeForm,
)
from participants.models import Agency, GroupMembership, format_partial_date
from portal.csv_export import csv_response

DIRECTORY_CSV_HEADER = ("code", "name", "short_name", "kind", "iso3", "status", "ahg_member", "agencies")


def reference_manager_required(view):
    """403 for anyone but the secretariat and system administrators."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not services.manages_reference_data(request.user):
            raise PermissionDenied(_("Only the secretariat and system administrators manage reference data."))
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _participant_or_404(code: str):
    participant = queries.get_participant(code)
    if participant is None:
        raise Http404
    return participant


def _group_or_404(slug: str):
    group = queries.get_group(slug)
    if group is None:
        raise Http404
    return group


def _form_errors_to(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


@require_GET
@login_required
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    participants = queries.directory_for(
        request.user, kind=filters.get("kind", ""), status=filters.get("status", ""), ahg=filters.get("ahg", "")
    )
    if request.GET.get("format") == "csv":
        rows = (
            (p.code, p.name, p.short_name, p.kind, p.iso3, p.status, "yes" if p.in_ahg else "no", p.agency_count)
            for p in participants
        )
        response, count = csv_response("participants.csv", DIRECTORY_CSV_HEADER, rows)
        audit.record("participants.directory.exported", actor=request.user, extra={"rows": count, **filters})
        return response
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request,
        "participants/directory.html",
        {
            "form": form,
            "participants": participants,
            "csv_query": query.urlencode(),
            "can_manage": services.manages_reference_data(request.user),
        },
    )


@require_GET
@login_required
def participant_detail(request: HttpRequest, code: str) -> HttpResponse:
    participant = _participant_or_404(code)
    view = queries.participant_view(request.user, participant)
    return render(
        request,
        "participants/participant_detail.html",
        {"view": view, "p": participant, "can_manage": services.manages_reference_data(request.user)},
    )


@require_GET
@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participants/group_list.html",
        {"groups": queries.groups_for(request.user), "can_manage": services.manages_reference_data(request.user)},
    )


@require_GET
@login_required
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group_or_404(slug)
    form = JoinedFilterForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    memberships = queries.group_memberships(
        request.user, group, joined_from=period.get("joined_from"), joined_to=period.get("joined_to")
    )
    return render(
        request,
        "participants/group_detail.html",
        {
            "group": group,
            "form": form,
            "memberships": memberships,
            "filtered": bool(period.get("joined_from") or period.get("joined_to")),
            "can_manage": services.manages_reference_data(request.user),
            "end_form": MembershipEndForm(),
        },
    )


# --- Secretariat: manage reference data ---------------------------------------------------------


def _render_form(request, title: str, form, back_url: str, submit: str) -> HttpResponse:
    return render(
        request, "participants/manage_form.html", {"title": title, "form": form, "back_url": back_url, "submit": submit}
    )


@require_http_methods(["GET", "POST"])
@reference_manager_required
def participant_create(request: HttpRequest) -> HttpResponse:
    form = ParticipantCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            participant = services.participant_create(
                actor=request.user,
                name=data.pop("name"),
                code=data.pop("code"),
                kind=data.pop("kind"),
                status=data.pop("status"),
                status_since=data.pop("status_since"),
                status_precision=data.pop("status_precision"),
                **data,
            )
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("Participant added."))
            return redirect("participants:detail", code=participant.code)
    return _render_form(request, _("Add a participant"), form, "participants:directory", _("Add participant"))


@require_http_methods(["GET", "POST"])
@reference_manager_required
def participant_edit(request: HttpRequest, code: str) -> HttpResponse:
    participant = _participant_or_404(code)
    form = ParticipantForm(request.POST or None, instance=participant)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_update(actor=request.user, participant=participant, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("Participant saved."))
            return redirect("participants:detail", code=participant.code)
    return _render_form(
        request, _("Edit %(name)s") % {"name": participant.name}, form, "participants:directory", _("Save")
    )


@require_http_methods(["GET", "POST"])
@reference_manager_required
def participant_status(request: HttpRequest, code: str) -> HttpResponse:
    participant = _participant_or_404(code)
    form = StatusChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_change_status(actor=request.user, participant=participant, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("Status change recorded."))
            return redirect("participants:detail", code=participant.code)
    return _render_form(
        request,
        _("Record a status change for %(name)s") % {"name": participant.name},
        form,
        "participants:directory",
        _("Record change"),
    )


@require_http_methods(["GET", "POST"])
@reference_manager_required
def agency_create(request: HttpRequest, code: str) -> HttpResponse:
    participant = _participant_or_404(code)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.agency_create(actor=request.user, participant=participant, name=data.pop("name"), **data)
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("Agency added."))
            return redirect("participants:detail", code=participant.code)
    return _render_form(
        request, _("Add an agency to %(name)s") % {"name": participant.name}, form, "participants:directory", _("Add")
    )


@require_http_methods(["GET", "POST"])
@reference_manager_required
def agency_edit(request: HttpRequest, uuid) -> HttpResponse:
    agency = Agency.objects.select_related("participant").filter(uuid=uuid).first()
    if agency is None:
        raise Http404
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("Agency saved."))
            return redirect("participants:detail", code=agency.participant.code)
    return _render_form(request, _("Edit %(name)s") % {"name": agency.name}, form, "participants:directory", _("Save"))


@require_http_methods(["GET", "POST"])
@reference_manager_required
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            group = services.group_create(
                actor=request.user, name=data.pop("name"), slug=data.pop("slug"), kind=data.pop("kind"), **data
            )
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("Group added."))
            return redirect("participants:group_detail", slug=group.slug)
    return _render_form(request, _("Add a group"), form, "participants:group_list", _("Add group"))


@require_http_methods(["GET", "POST"])
@reference_manager_required
def group_edit(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group_or_404(slug)
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_update(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("Group saved."))
            return redirect("participants:group_detail", slug=group.slug)
    return _render_form(request, _("Edit %(name)s") % {"name": group.name}, form, "participants:group_list", _("Save"))


@require_http_methods(["GET", "POST"])
@reference_manager_required
def membership_add(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group_or_404(slug)
    form = MembershipAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_add_member(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("Member added."))
            return redirect("participants:group_detail", slug=group.slug)
    return _render_form(
        request, _("Add a member to %(name)s") % {"name": group.name}, form, "participants:group_list", _("Add member")
    )


@require_POST
@reference_manager_required
def membership_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group_or_404(slug)
    membership = GroupMembership.objects.filter(group=group, pk=pk).first()
    if membership is None:
        raise Http404
    form = MembershipEndForm(request.POST)
    if form.is_valid():
        try:
            membership = services.group_end_membership(actor=request.user, membership=membership, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(
                request,
                _("Membership of %(member)s ended (%(until)s).")
                % {
                    "member": membership.member_label,
                    "until": format_partial_date(membership.until, membership.until_precision),
                },
            )
            return redirect("participants:group_detail", slug=group.slug)
    return _render_form(
        request, _("End a membership of %(name)s") % {"name": group.name}, form, "participants:group_list", _("End")
    )
