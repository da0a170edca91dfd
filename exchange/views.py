"""Item pages: list, create, read, edit, share, publish, approve, withdraw, release, comments,
attachments, links and exports. Thin: parse, call one service or query, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents.uploads import serve_file
from exchange import exports, forms, queries, services
from exchange.kinds import DETAIL_FIELDS, Kind, details_for_display
from exchange.views_helpers import add_errors, error_messages
from sharing.models import Status
from sharing.rules import can_change, recipient_keys_of


def _item_url(item) -> str:
    return reverse("exchange:item", kwargs={"uuid": item.uuid})


@require_GET
@login_required
def index(request):
    archived = request.GET.get("archived") == "1"
    kind = request.GET.get("kind", "")
    items = queries.items_for(request.user, include_archived=archived)
    if kind in Kind.values:
        items = items.filter(kind=kind)
    page = list(items[:100])
    queries.record_list(request.user, "exchange.item.listed", len(page))
    return render(
        request,
        "exchange/index.html",
        {"items": page, "kinds": Kind.choices, "kind": kind, "archived": archived},
    )


@require_http_methods(["GET", "POST"])
@login_required
def item_new(request):
    kind = request.GET.get("kind") or request.POST.get("kind")
    if kind not in Kind.values:
        return render(request, "exchange/choose_kind.html", {"kinds": Kind.choices})
    if not request.user.can_author:
        raise PermissionDenied(_("Your role cannot create content."))
    form = forms.ItemCreateForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(
                actor=request.user,
                kind=kind,
                distribution=form.cleaned_data["distribution"],
                tlp=form.cleaned_data["tlp"],
                recipient_keys=form.recipient_keys(),
                anonymous=form.cleaned_data["anonymous"],
                anonymous_group=form.cleaned_data["anonymous_group"],
                publish="publish" in request.POST,
                **form.content(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if item.pending_approval:
                messages.info(
                    request, _("Saved. A focal point of your participant must approve it before it is shared.")
                )
            else:
                messages.success(request, _("Saved."))
            return redirect(_item_url(item))
    return render(request, "exchange/item_form.html", {"form": form, "kind": kind, "kind_label": Kind(kind).label})


@require_GET
@login_required
def item_detail(request, uuid):
    item = queries.get_item_or_404(request.user, uuid)
    page = queries.item_page(request.user, item)
    if page.show_content:
        queries.record_read(request.user, item)
    context = {
        "page": page,
        "item": item,
        "details": details_for_display(item.kind, item.details or {}),
        "comment_form": forms.CommentForm(),
        "attachment_form": forms.AttachmentForm(),
        "link_form": forms.LinkForm(),
        "withdraw_form": forms.WithdrawForm(),
        "release_form": forms.ReleaseRequestForm(),
    }
    return render(request, "exchange/item_detail.html", context)


def _changeable_or_403(request, uuid):
    item = queries.get_item_or_404(request.user, uuid)
    if not can_change(request.user, item) or item.status == Status.WITHDRAWN:
        raise PermissionDenied(_("Only the originator can change this item."))
    return item


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(request, uuid):
    item = _changeable_or_403(request, uuid)
    initial = {
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "tags": ", ".join(item.tags or []),
        "countries": ", ".join(item.countries or []),
        "nationalities": ", ".join(item.nationalities or []),
        "routes": "\n".join(item.routes or []),
        "source_reliability": item.source_reliability,
        "information_accuracy": item.information_accuracy,
        "handling": item.handling,
        "handling_note": item.handling_note,
        "expires_at": item.expires_at,
    }
    for spec in DETAIL_FIELDS.get(item.kind, ()):
        value = (item.details or {}).get(spec.name, "")
        initial[forms.DETAIL_PREFIX + spec.name] = "\n".join(value) if isinstance(value, list) else value
    form = forms.ItemContentForm(request.POST or None, kind=item.kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(item=item, actor=request.user, **form.content())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(_item_url(item))
    return render(request, "exchange/item_edit.html", {"form": form, "item": item})


@require_http_methods(["GET", "POST"])
@login_required
def item_share(request, uuid):
    item = _changeable_or_403(request, uuid)
    keys = recipient_keys_of(item)
    initial = {
        "distribution": item.distribution,
        "tlp": item.tlp,
        "groups": [k.split(":")[1] for k in keys if k.startswith("group:")],
        "participants": [k.split(":")[1] for k in keys if k.startswith("participant:")],
        "agencies": [k.split(":")[1] for k in keys if k.startswith("agency:")],
    }
    form = forms.ShareForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.share_item(
                item=item,
                actor=request.user,
                distribution=form.cleaned_data["distribution"],
                tlp=form.cleaned_data["tlp"],
                recipient_keys=form.recipient_keys(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Sharing changed."))
            return redirect(_item_url(item))
    return render(request, "exchange/item_share.html", {"form": form, "item": item})


def _post_action(request, uuid, action, done: str):
    item = queries.get_item_or_404(request.user, uuid)
    try:
        action(item)
    except (ValidationError, PermissionDenied) as error:
        if isinstance(error, PermissionDenied):
            raise
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(_item_url(item))


@require_POST
@login_required
def item_publish(request, uuid):
    return _post_action(
        request, uuid, lambda item: services.publish_item(item=item, actor=request.user), _("Published.")
    )


@require_POST
@login_required
def item_approve(request, uuid):
    return _post_action(
        request, uuid, lambda item: services.approve_item(item=item, actor=request.user), _("Approved.")
    )


@require_POST
@login_required
def item_withdraw(request, uuid):
    form = forms.WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _post_action(
        request,
        uuid,
        lambda item: services.withdraw_item(item=item, actor=request.user, reason=reason),
        _("Withdrawn."),
    )


@require_POST
@login_required
def item_release(request, uuid):
    item = queries.get_item_or_404(request.user, uuid)
    form = forms.ReleaseRequestForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {error}")
        return redirect(_item_url(item))
    return _post_action(
        request,
        uuid,
        lambda it: services.request_release(
            item=it, actor=request.user, principal_keys=form.recipient_keys(), reason=form.cleaned_data["reason"]
        ),
        _("Release request sent to the originator's focal point."),
    )


@require_POST
@login_required
def release_decide(request, pk: int):
    release = queries.get_release_request_or_404(request.user, pk)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_release(
                release=release,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Decision recorded."))
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
    return redirect("exchange:approvals")


@require_GET
@login_required
def approvals(request):
    return render(
        request,
        "exchange/approvals.html",
        {
            "waiting": list(queries.awaiting_approval(request.user)),
            "releases": list(queries.open_release_requests(request.user).select_related("requested_by")),
            "decision_form": forms.DecisionForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def comments(request, uuid):
    item = queries.get_item_or_404(request.user, uuid)
    if not queries.can_see_content(request.user, item):
        raise Http404
    if request.method == "POST":
        form = forms.CommentForm(request.POST)
        if form.is_valid():
            try:
                services.add_comment(
                    item=item,
                    actor=request.user,
                    body=form.cleaned_data["body"],
                    is_follow_up=form.cleaned_data["is_follow_up"],
                )
                messages.success(request, _("Comment added."))
            except ValidationError as error:
                for message in error_messages(error):
                    messages.error(request, message)
        else:
            messages.error(request, _("Comment: write a comment."))
        return redirect(_item_url(item) + "#comments")
    return render(
        request, "exchange/comments.html", {"item": item, "comments": queries.comments_for(request.user, item)}
    )


@require_POST
@login_required
def attachments(request, uuid):
    item = queries.get_item_or_404(request.user, uuid)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        if not can_change(request.user, item):
            raise PermissionDenied(_("Only the originator can attach files to this item."))
        messages.error(request, _("File: choose a file to attach."))
        return redirect(_item_url(item))
    try:
        services.add_attachment(
            item=item,
            actor=request.user,
            uploaded=form.cleaned_data["file"],
            is_specimen=form.cleaned_data["is_specimen"],
        )
        messages.success(request, _("File attached."))
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    return redirect(_item_url(item) + "#attachments")


@require_GET
@login_required
def attachment_download(request, uuid, attachment):
    found = queries.get_attachment_or_404(request.user, uuid, attachment)
    from audit import services as audit

    audit.record(
        "exchange.attachment.downloaded",
        actor=request.user,
        target=found,
        target_participant_id=found.item.originator_participant_id,
        extra={"item": found.item_id},
    )
    return serve_file(found.file, file_name=found.file_name, content_type=found.content_type_name)


@require_POST
@login_required
def item_link(request, uuid):
    item = queries.get_item_or_404(request.user, uuid)
    form = forms.LinkForm(request.POST)
    if not form.is_valid():
        if not can_change(request.user, item):
            raise PermissionDenied
        messages.error(request, _("Related item: give the identifier of an item you can see."))
        return redirect(_item_url(item))
    other = queries.items_for(request.user, include_archived=True).filter(uuid=form.cleaned_data["to_item"]).first()
    if other is None:
        messages.error(request, _("Related item: no item you can see has that identifier."))
        return redirect(_item_url(item))
    try:
        services.link_items(from_item=item, to_item=other, actor=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("Linked."))
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    return redirect(_item_url(item) + "#related")


def _export_response(request, items, fmt: str, name: str) -> HttpResponse:
    if fmt == "csv":
        response, _count = exports.items_csv(request.user, items)
        return response
    if fmt == "stix":
        from documents.uploads import content_disposition

        text, _count = exports.items_stix(request.user, items)
        response = HttpResponse(text, content_type="application/stix+json;version=2.1")
        response["Content-Disposition"] = content_disposition(f"{name}.json")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        return response
    raise Http404


@require_POST
@login_required
def item_export(request, uuid, fmt: str):
    item = queries.get_item_or_404(request.user, uuid)
    if not queries.can_see_content(request.user, item):
        raise Http404
    items = queries.items_for(request.user, include_archived=True).filter(pk=item.pk)
    return _export_response(request, items, fmt, f"exchange-item-{item.uuid}")


@require_http_methods(["GET", "POST"])
@login_required
def export_all(request):
    fmt = request.POST.get("fmt") or request.GET.get("fmt", "")
    if request.method == "GET":
        return render(request, "exchange/export.html", {"fmt": fmt})
    return _export_response(request, None, fmt, "exchange-items")
