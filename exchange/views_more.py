"""Search, workspaces, requests for information, notifications and subscriptions pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exchange import forms, queries, search, services
from exchange.models import RfiAnswer, Subscription
from exchange.views_helpers import add_errors, error_messages, notification_text
from participants.models import Group
from sharing.rules import can_change, get_visible_or_404, originator_label


def _filters_from(request) -> dict[str, list[str]]:
    return {facet: request.GET.getlist(facet) for facet in search.FACETS}


@require_GET
@login_required
def search_page(request):
    text = request.GET.get("q", "")
    archived = request.GET.get("archived") == "1"
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    result = None
    filters = search.clean_filters(_filters_from(request))
    if text.strip() or filters:
        result = search.search(request.user, text=text, filters=filters, include_archived=archived, page=page)
        queries.record_list(request.user, "exchange.item.searched", result.total)
        rows = [
            {
                "item": item,
                "snippet": result.snippets.get(item.pk, ""),
                "originator": originator_label(item, request.user),
            }
            for item in result.items
        ]
    else:
        rows = []
    facet_labels = dict(search.ItemFacet.Facet.choices)
    return render(
        request,
        "exchange/search.html",
        {
            "q": text,
            "archived": archived,
            "result": result,
            "rows": rows,
            "facets": [
                (name, facet_labels[name], values) for name, values in (result.facets.items() if result else [])
            ],
            "filters": filters,
        },
    )


@require_GET
@login_required
def suggest(request):
    return JsonResponse({"suggestions": search.suggest(request.user, request.GET.get("q", ""))})


# --- Workspaces ------------------------------------------------------------------------------


@require_GET
@login_required
def workspaces(request):
    groups = Group.objects.order_by("kind", "name")
    mine = {int(key.split(":")[1]) for key in queries.principals_of(request.user).keys if key.startswith("group:")}
    return render(request, "exchange/workspaces.html", {"groups": groups, "mine": mine})


@require_GET
@login_required
def workspace(request, slug: str):
    group = get_object_or_404(Group, slug=slug)
    return render(
        request,
        "exchange/workspace.html",
        {
            "group": group,
            "is_member": queries.is_group_member(request.user, group),
            "members": queries.group_members(request.user, group),
            "items": list(queries.group_items(request.user, group)[:50]),
            "feed": list(queries.group_feed(request.user, group)),
            "meetings": queries.group_meetings(request.user, group),
            "documents": list(queries.group_documents(request.user, group)[:50]),
        },
    )


# --- Requests for information -------------------------------------------------------------------


@require_GET
@login_required
def rfis(request):
    return render(request, "exchange/rfis.html", {"rfis": list(queries.rfis_for(request.user)[:200])})


@require_http_methods(["GET", "POST"])
@login_required
def rfi_new(request):
    if not request.user.can_author:
        raise PermissionDenied(_("Your role cannot ask questions on behalf of your agency."))
    form = forms.RfiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rfi = services.create_rfi(
                actor=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                due_on=form.cleaned_data["due_on"],
                recipient_keys=form.recipient_keys(),
                tlp=form.cleaned_data["tlp"],
                handling=form.cleaned_data["handling"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Request sent."))
            return redirect("exchange:rfi", uuid=rfi.uuid)
    return render(request, "exchange/rfi_form.html", {"form": form})


@require_GET
@login_required
def rfi_detail(request, uuid):
    rfi = queries.get_rfi_or_404(request.user, uuid)
    answers = [
        {"answer": a, "by": f"{a.author or ''} ({a.originator_agency})"} for a in queries.answers_for(request.user, rfi)
    ]
    return render(
        request,
        "exchange/rfi_detail.html",
        {
            "rfi": rfi,
            "answers": answers,
            "requester": originator_label(rfi, request.user),
            "can_close": can_change(request.user, rfi) and rfi.state == rfi.State.OPEN,
            "answer_form": forms.AnswerForm(),
            "close_form": forms.CloseForm(),
        },
    )


@require_GET
@login_required
def answer_detail(request, uuid):
    answer = get_visible_or_404(RfiAnswer.objects.select_related("rfi"), request.user, uuid=uuid)
    return redirect(reverse("exchange:rfi", kwargs={"uuid": answer.rfi.uuid}) + f"#answer-{answer.uuid}")


@require_POST
@login_required
def rfi_answer(request, uuid):
    rfi = queries.get_rfi_or_404(request.user, uuid)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_rfi(
                rfi=rfi,
                actor=request.user,
                body=form.cleaned_data["body"],
                audience=form.cleaned_data["audience"],
                tlp=form.cleaned_data["tlp"],
            )
            messages.success(request, _("Answer sent."))
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}")
    return redirect("exchange:rfi", uuid=rfi.uuid)


@require_POST
@login_required
def rfi_close(request, uuid):
    rfi = queries.get_rfi_or_404(request.user, uuid)
    form = forms.CloseForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.close_rfi(rfi=rfi, actor=request.user, note=note)
        messages.success(request, _("Request closed."))
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    return redirect("exchange:rfi", uuid=rfi.uuid)


@require_GET
@login_required
def rfi_rates(request):
    return render(request, "exchange/rfi_rates.html", {"rows": queries.response_rates(request.user)})


# --- Notifications and subscriptions ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def notifications(request):
    visible = queries.notifications_for(request.user)
    if request.method == "POST":
        visible.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("exchange:notifications")
    rows = []
    for notification in visible[:100]:
        if notification.item_id:
            url = reverse("exchange:item", kwargs={"uuid": notification.item.uuid})
        else:
            url = reverse("exchange:rfi", kwargs={"uuid": notification.rfi.uuid})
        rows.append({"n": notification, "text": notification_text(request.user, notification), "url": url})
    return render(request, "exchange/notifications.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@login_required
def subscriptions(request):
    form = forms.SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subscription = form.save(commit=False)
        subscription.user = request.user
        try:
            subscription.full_clean()
        except ValidationError as error:
            add_errors(form, error)
        else:
            subscription.save()
            messages.success(request, _("Subscribed."))
            return redirect("exchange:subscriptions")
    return render(
        request,
        "exchange/subscriptions.html",
        {"form": form, "subscriptions": Subscription.objects.filter(user=request.user).select_related("group")},
    )


@require_POST
@login_required
def subscription_delete(request, pk: int):
    deleted, _rows = Subscription.objects.filter(user=request.user, pk=pk).delete()
    if not deleted:
        raise Http404
    messages.success(request, _("Subscription removed."))
    return redirect("exchange:subscriptions")
