"""Pages of the meetings capability: thin; reads through queries.py, writes through services.py."""

import calendar as pycalendar
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User, hash_secret
from documents import queries as documents_queries
from meetings import queries, services
from meetings.feed import calendar_for
from meetings.forms import (
    ActionForm,
    ContributionForm,
    EventForm,
    EventLinkForm,
    EventUploadForm,
    NarrativeForm,
    PriorityForm,
    ProgressForm,
    PublishForm,
    ReportForm,
    TrackerFilterForm,
)
from meetings.models import ReportNarrativeVersion
from meetings.report import generate
from participants.models import Participant
from sharing.rules import ALL_MEMBERS, Audience, can_change

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _apply_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
        form.add_error(field if field in form.fields else None, messages_)


def _month_grid(events, year: int, month: int) -> list[list[dict]]:
    by_day: dict[int, list] = {}
    for event in events:
        if event.date_precision != "day":
            continue
        last = event.last_day
        for day in range(1, pycalendar.monthrange(year, month)[1] + 1):
            if event.start_date <= date(year, month, day) <= last:
                by_day.setdefault(day, []).append(event)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdayscalendar(year, month):
        weeks.append([{"day": day, "events": by_day.get(day, [])} for day in week])
    return weeks


@require_GET
@login_required
def calendar_page(request):
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("month", f"{today.year}-{today.month}").split("-"))
        first = date(year, month, 1)
    except (TypeError, ValueError):
        raise Http404 from None
    last = date(year, month, pycalendar.monthrange(year, month)[1])
    in_month = list(
        queries.events_for(request.user)
        .filter(start_date__lte=last)
        .exclude(start_date__lt=first, end_date__isnull=True)
        .exclude(end_date__lt=first)
    )
    previous = (first.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    following = last + timezone.timedelta(days=1)
    upcoming = list(queries.upcoming_events(request.user)[:50])
    past = list(queries.past_events(request.user)[:50])
    queries.log_sensitive_list(request.user, [*upcoming, *past], verb="meetings.event.listed")
    return render(
        request,
        "meetings/calendar.html",
        {
            "upcoming": upcoming,
            "past": past,
            "weeks": _month_grid(in_month, year, month),
            "month_start": first,
            "previous": previous,
            "following": following,
            "feed_active": bool(request.user.calendar_secret),
            "feed_url": request.session.pop("meetings_feed_url", ""),
            "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        },
    )


@require_GET
@login_required
def event_detail(request, uuid):
    event = queries.event_for(request.user, uuid)
    queries.log_sensitive_reads(request.user, [event], verb="meetings.event.viewed")
    documents = list(queries.documents_of(event, request.user))
    actions = list(queries.actions_for(request.user).filter(event=event))
    return render(
        request,
        "meetings/event_detail.html",
        {"event": event, "documents": documents, "actions": actions, "can_change": can_change(request.user, event)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def event_create(request):
    if not request.user.can_author:
        raise PermissionDenied
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        distribution, keys = form.sharing()
        try:
            event = services.event_create(
                actor=request.user,
                fields=form.event_fields(),
                hosts=form.cleaned_data["hosts"],
                attendees=form.cleaned_data["attendees"],
                priorities=form.cleaned_data["priorities"],
                distribution=distribution,
                tlp=form.cleaned_data["tlp"],
                recipient_keys=keys,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The event was recorded."))
            return redirect("meetings:event", uuid=event.uuid)
    return render(request, "meetings/event_form.html", {"form": form, "editing": False})


@require_http_methods(["GET", "POST"])
@login_required
def event_edit(request, uuid):
    event = queries.event_for(request.user, uuid)
    if not can_change(request.user, event):
        raise PermissionDenied
    initial = {"hosts": event.hosts.all(), "attendees": event.attendees.all(), "priorities": event.priorities.all()}
    form = EventForm(request.POST or None, instance=event, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                actor=request.user,
                event=event,
                fields=form.event_fields(),
                hosts=form.cleaned_data["hosts"],
                attendees=form.cleaned_data["attendees"],
                priorities=form.cleaned_data["priorities"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The event was updated."))
            return redirect("meetings:event", uuid=event.uuid)
    return render(request, "meetings/event_form.html", {"form": form, "editing": True, "event": event})


@require_GET
@login_required
def action_tracker(request):
    form = TrackerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    actions = list(
        queries.actions_for(
            request.user,
            participant=filters.get("participant"),
            group=filters.get("group"),
            state=filters.get("state") or "",
            overdue=bool(filters.get("overdue")),
        )
    )
    queries.log_sensitive_list(request.user, actions, verb="meetings.action.listed")
    return render(request, "meetings/action_list.html", {"form": form, "actions": actions})


@require_GET
@login_required
def commitments(request, code):
    participant = get_object_or_404(Participant, code=code)
    actions = list(queries.open_commitments(request.user, participant))
    return render(request, "meetings/commitments.html", {"participant": participant, "actions": actions})


@require_http_methods(["GET", "POST"])
@login_required
def action_create(request):
    if not request.user.can_author:
        raise PermissionDenied
    events = queries.events_for(request.user)
    form = ActionForm(request.POST or None, events=events, initial={"event": request.GET.get("event")})
    if request.method == "POST" and form.is_valid():
        distribution, keys = form.sharing()
        data = form.cleaned_data
        try:
            action = services.action_create(
                actor=request.user,
                text=data["text"],
                responsible=data["responsible"],
                event=data["event"],
                due_date=data["due_date"],
                state=data["state"],
                priorities=data["priorities"],
                distribution=distribution,
                tlp=data["tlp"],
                recipient_keys=keys,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The action was recorded."))
            return redirect("meetings:action", uuid=action.uuid)
    return render(request, "meetings/action_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def action_detail(request, uuid):
    action = queries.action_for(request.user, uuid)
    events = queries.events_for(request.user)
    form = ProgressForm(request.POST or None, events=events, initial={"on": timezone.localdate()})
    may_report = queries.may_report_progress(request.user, action)
    if request.method == "POST":
        if not may_report:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.action_report_progress(
                    actor=request.user,
                    action=action,
                    on=data["on"],
                    text=data["text"],
                    state_after=data["state_after"],
                    reported_at=data["reported_at"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The progress was recorded."))
                return redirect("meetings:action", uuid=action.uuid)
    else:
        queries.log_sensitive_reads(request.user, [action], verb="meetings.action.viewed")
    visible_events = set(events.values_list("pk", flat=True))
    updates = [u for u in action.updates.select_related("reported_at") if u.reported_at_id in (None, *visible_events)]
    return render(
        request,
        "meetings/action_detail.html",
        {"action": action, "form": form, "may_report": may_report, "updates": updates},
    )


@require_GET
@login_required
def priority_list(request):
    return render(request, "meetings/priority_list.html", {"priorities": queries.priorities()})


@require_GET
@login_required
def priority_detail(request, pk):
    priority = queries.priority_for(pk)
    events = queries.events_for(request.user).filter(priorities=priority)
    actions = queries.actions_for(request.user).filter(priorities=priority)
    return render(
        request, "meetings/priority_detail.html", {"priority": priority, "events": events, "actions": actions}
    )


@require_POST
@login_required
def feed_regenerate(request):
    raw = services.calendar_secret_regenerate(actor=request.user)
    request.session["meetings_feed_url"] = request.build_absolute_uri(reverse("meetings:feed", args=[raw]))
    messages.success(request, _("Your calendar address was created. Any earlier address no longer works."))
    return redirect("meetings:calendar")


@require_POST
@login_required
def feed_revoke(request):
    services.calendar_secret_revoke(actor=request.user)
    messages.success(request, _("Your calendar address was turned off."))
    return redirect("meetings:calendar")


@require_GET
def feed(request, secret):
    """The personal iCalendar feed: the secret identifies the user; the sharing rules apply as that user now."""
    if len(secret) < 20:
        raise Http404
    user = User.objects.select_related("agency__participant").filter(calendar_secret=hash_secret(secret)).first()
    if user is None or not user.is_active:
        raise Http404
    body = calendar_for(user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def report_page(request):
    if not queries.may_generate_report(request.user):
        raise PermissionDenied
    form = ReportForm(request.POST or None, initial={"period_from": date(2011, 3, 1), "period_to": date(2013, 3, 5)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        audience = ALL_MEMBERS if data["audience"] == "members" else Audience.of(request.user)
        content = generate(
            period_from=data["period_from"],
            period_to=data["period_to"],
            fmt=data["fmt"],
            audience=audience,
            actor=request.user,
        )
        response = HttpResponse(content, content_type=CONTENT_TYPES[data["fmt"]])
        name = f"ahg-progress-report-{data['period_from']}-{data['period_to']}.{data['fmt']}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    versions = ReportNarrativeVersion.objects.select_related("narrative", "written_by", "approved_by")[:30]
    return render(
        request,
        "meetings/report_page.html",
        {
            "form": form,
            "narrative_form": NarrativeForm(initial={"period_from": date(2011, 3, 1), "period_to": date(2013, 3, 5)}),
            "publish_form": PublishForm(),
            "versions": versions,
            "is_co_chair": queries.is_co_chair(request.user),
            "is_secretariat": request.user.is_secretariat,
        },
    )


@require_POST
@login_required
def narrative_draft(request):
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The draft was not saved: check the dates of the period."))
        return redirect("meetings:report")
    data = form.cleaned_data
    try:
        version = services.narrative_save_draft(actor=request.user, **data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:report")
    messages.success(request, _("Draft version %(n)s saved.") % {"n": version.number})
    return redirect("meetings:report")


@require_POST
@login_required
def narrative_decide(request, pk, decision):
    if decision not in ("approve", "publish"):
        raise Http404
    version = get_object_or_404(ReportNarrativeVersion, pk=pk)
    try:
        if decision == "approve":
            services.narrative_approve(actor=request.user, version=version)
        else:
            form = PublishForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose who the report is published to."))
                return redirect("meetings:report")
            services.narrative_publish(actor=request.user, version=version, audience=form.cleaned_data["audience"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:report")
    messages.success(request, _("Version %(n)s updated.") % {"n": version.number})
    return redirect("meetings:report")


def _documents_to_link(user, event):
    return documents_queries.documents_for(user).exclude(event_links__event=event).order_by("title")


@require_http_methods(["GET", "POST"])
@login_required
def event_documents_add(request, uuid):
    """'Add a document': upload a new one or link an existing one the user can see (event editors only)."""
    event = queries.event_for(request.user, uuid)
    if not can_change(request.user, event):
        raise PermissionDenied
    documents = _documents_to_link(request.user, event)
    mode = request.POST.get("mode", "")
    upload_form = EventUploadForm(
        request.POST if mode == "upload" else None,
        request.FILES if mode == "upload" else None,
        user=request.user,
        prefix="upload",
    )
    link_form = EventLinkForm(request.POST if mode == "link" else None, documents=documents, prefix="link")
    if request.method == "POST":
        form = upload_form if mode == "upload" else link_form
        if mode not in ("upload", "link"):
            messages.error(request, _("Choose whether to upload or to link a document."))
        elif form.is_valid():
            try:
                if mode == "upload":
                    services.event_upload_document(
                        actor=request.user,
                        event=event,
                        role=form.cleaned_data["role"],
                        document_fields=form.document_fields(),
                    )
                else:
                    services.event_attach_document(
                        actor=request.user,
                        event=event,
                        document=form.cleaned_data["document"],
                        role=form.cleaned_data["role"],
                    )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The document was attached."))
                return redirect("meetings:event", uuid=event.uuid)
    else:
        queries.log_sensitive_reads(request.user, [event], verb="meetings.event.viewed")
    return render(
        request,
        "meetings/event_documents_add.html",
        {"event": event, "upload_form": upload_form, "link_form": link_form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def event_document_remove(request, uuid, document):
    event = queries.event_for(request.user, uuid)
    if not can_change(request.user, event):
        raise PermissionDenied
    link = get_object_or_404(queries.documents_of(event, request.user), document__uuid=document)
    services.event_detach_document(actor=request.user, event=event, document=link.document)
    messages.success(request, _("The document is no longer attached to this event."))
    return redirect("meetings:event", uuid=event.uuid)


def _require_secretariat(request) -> None:
    if not request.user.is_secretariat:
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@login_required
def priority_form(request, pk=None):
    _require_secretariat(request)
    priority = queries.priority_for(pk) if pk is not None else None
    form = PriorityForm(request.POST or None, instance=priority)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PriorityForm.Meta.fields}
        try:
            priority = services.priority_save(actor=request.user, fields=fields, priority=priority)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The priority was saved."))
            return redirect("meetings:priority", pk=priority.pk)
    return render(
        request, "meetings/reference_form.html", {"form": form, "title": _("Priority"), "back": "meetings:priorities"}
    )


@require_GET
@login_required
def contribution_list(request):
    _require_secretariat(request)
    return render(request, "meetings/contribution_list.html", {"contributions": queries.contributions()})


@require_http_methods(["GET", "POST"])
@login_required
def contribution_form(request, pk=None):
    _require_secretariat(request)
    contribution = queries.contribution_for(pk) if pk is not None else None
    form = ContributionForm(request.POST or None, instance=contribution, events=queries.events_for(request.user))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ContributionForm.Meta.fields}
        try:
            services.contribution_save(actor=request.user, fields=fields, contribution=contribution)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The contribution was saved."))
            return redirect("meetings:contributions")
    return render(
        request,
        "meetings/reference_form.html",
        {"form": form, "title": _("Contribution"), "back": "meetings:contributions"},
    )
