"""Pages of the document library. Thin: parse, call one query or service, render."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit import services as audit
from documents import queries, services
from documents.csv import export_documents_csv
from documents.forms import (
    DecisionForm,
    DocumentForm,
    EditForm,
    FilterForm,
    ReleaseRequestForm,
    ShareForm,
    WithdrawForm,
)
from documents.uploads import serve_file
from portal.pagination import COUNT_CAP, CappedPaginator
from sharing.models import TLP_AMBER_OR_ABOVE, Status
from sharing.rules import (
    can_approve_for_participant,
    can_change,
    can_change_fetched_visible,
    can_see_content,
    originator_label,
    recipient_keys_of,
    tombstone_shows_title,
)
from sharing.templatetags.markings import marking

SEARCH_COUNT_CAP = 200


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _end_of_day(day: datetime.date | None):
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


@dataclass(frozen=True)
class DocumentRow:
    """One line of the library, decided here once: lists show 50, and each template lookup costs per row."""

    uuid: str
    url: str
    title: str
    marking: SafeString
    originator: str
    created_iso: str
    created_day: str


def _rows(documents, user) -> list[DocumentRow]:
    rows = []
    for document in documents:
        created = timezone.localtime(document.created_at)
        withdrawn_hides_title = document.status == Status.WITHDRAWN and not tombstone_shows_title(document)
        rows.append(
            DocumentRow(
                uuid=str(document.uuid),
                url=reverse("documents:detail", kwargs={"uuid": document.uuid}),
                title=_("Withdrawn document") if withdrawn_hides_title else document.title,
                marking=marking(document),
                originator=originator_label(document, user),
                created_iso=created.isoformat(),
                created_day=dateformat.format(created, "j F Y"),
            )
        )
    return rows


def _require_change(request, document):
    if not can_change(request.user, document):
        raise PermissionDenied(_("Only the originator can change this document."))


@require_GET
@login_required
def document_list(request):
    form = FilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    documents = queries.documents_for(request.user, **filters)
    # A title search counts fewer matches: each one counted means reading the visible documents around it.
    cap = SEARCH_COUNT_CAP if filters.get("q") else COUNT_CAP
    page = CappedPaginator(documents, 50, count_cap=cap).get_page(request.GET.get("page"))
    restricted = sum(1 for d in page.object_list if d.tlp in TLP_AMBER_OR_ABOVE)
    if restricted:
        audit.record("documents.document.listed", actor=request.user, extra={"count": restricted})
    rows = _rows(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "documents/list.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


@require_GET
@login_required
def document_export(request):
    form = FilterForm(request.GET or None, user=request.user)
    return export_documents_csv(request.user, form.filters())


@require_http_methods(["GET", "POST"])
@login_required
def document_create(request):
    if not request.user.can_author:
        raise PermissionDenied(_("Your role cannot upload documents."))
    form = DocumentForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.create_document(
                actor=request.user,
                title=data["title"],
                description=data["description"],
                language=data["language"],
                upload=form.upload,
                group=data["group"],
                distribution=data["distribution"],
                tlp=data["tlp"],
                handling=data["handling"],
                expires_at=_end_of_day(data["expires_at"]),
                anonymous=data["anonymous"],
                anonymous_group=data["anonymous_group"],
                recipient_keys=data["recipients"],
                publish=data["publish"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The document was saved."))
            return redirect("documents:detail", uuid=document.uuid)
    return render(request, "documents/form.html", {"form": form, "title": _("Upload a document")})


@require_GET
@login_required
def document_detail(request, uuid):
    document = queries.get_document(request.user, uuid)
    shows_content = can_see_content(request.user, document)
    if shows_content:
        services.record_view(actor=request.user, document=document)
    may_change = can_change_fetched_visible(request.user, document)  # fetched through visible_to above
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "shows_content": shows_content,
            "shows_title": shows_content or tombstone_shows_title(document),
            "originator": originator_label(document, request.user),
            "recipients": queries.recipient_lines(document) if shows_content else [],
            "may_change": may_change,
            "may_approve": document.pending_approval
            and document.author_id != request.user.pk
            and can_approve_for_participant(request.user, document.originator_participant_id),
            "may_request_release": not may_change and document.status == "published",
        },
    )


@require_GET
@login_required
def document_download(request, uuid):
    document = queries.get_document(request.user, uuid)
    services.record_download(actor=request.user, document=document)
    return serve_file(document.file, file_name=document.file_name, content_type=document.content_type_name)


@require_http_methods(["GET", "POST"])
@login_required
def document_edit(request, uuid):
    document = queries.get_document(request.user, uuid)
    _require_change(request, document)
    initial = {
        "title": document.title,
        "description": document.description,
        "language": document.language,
        "handling": document.handling,
        "expires_at": timezone.localtime(document.expires_at).date() if document.expires_at else None,
    }
    form = EditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_document(
                actor=request.user,
                document=document,
                upload=form.upload,
                title=data["title"],
                description=data["description"],
                language=data["language"],
                handling=data["handling"],
                expires_at=_end_of_day(data["expires_at"]),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The document was updated."))
            return redirect("documents:detail", uuid=document.uuid)
    return render(request, "documents/form.html", {"form": form, "title": _("Edit"), "document": document})


@require_http_methods(["GET", "POST"])
@login_required
def document_share(request, uuid):
    document = queries.get_document(request.user, uuid)
    _require_change(request, document)
    initial = {
        "distribution": document.distribution,
        "tlp": document.tlp,
        "recipients": sorted(recipient_keys_of(document)),
    }
    form = ShareForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.share_document(
                actor=request.user,
                document=document,
                distribution=data["distribution"],
                tlp=data["tlp"],
                recipient_keys=data["recipients"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Sharing was changed."))
            return redirect("documents:detail", uuid=document.uuid)
    return render(request, "documents/form.html", {"form": form, "title": _("Share"), "document": document})


@require_http_methods(["GET", "POST"])
@login_required
def document_withdraw(request, uuid):
    document = queries.get_document(request.user, uuid)
    _require_change(request, document)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.withdraw_document(actor=request.user, document=document, reason=form.cleaned_data["reason"])
        messages.success(request, _("The document was withdrawn."))
        return redirect("documents:detail", uuid=document.uuid)
    return render(request, "documents/form.html", {"form": form, "title": _("Withdraw"), "document": document})


@require_POST
@login_required
def document_publish(request, uuid):
    document = queries.get_document(request.user, uuid)
    _require_change(request, document)
    try:
        document = services.publish_document(actor=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if document.pending_approval:
            messages.success(request, _("The document waits for a focal point's approval."))
        else:
            messages.success(request, _("The document was published."))
    return redirect("documents:detail", uuid=document.uuid)


@require_POST
@login_required
def document_approve(request, uuid):
    document = queries.get_document(request.user, uuid)
    try:
        services.approve_document(actor=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The document was approved and published."))
    return redirect("documents:approvals")


@require_GET
@login_required
def approvals(request):
    documents = queries.awaiting_approval_for(request.user)
    return render(request, "documents/approvals.html", {"documents": documents})


@require_http_methods(["GET", "POST"])
@login_required
def release_request_new(request, uuid):
    document = queries.get_document(request.user, uuid)
    if can_change(request.user, document):
        raise PermissionDenied(_("You are the originator: change the sharing directly."))
    form = ReleaseRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_release_request(
                actor=request.user,
                document=document,
                principal_keys=form.cleaned_data["recipients"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent to the originator."))
            return redirect("documents:detail", uuid=document.uuid)
    return render(
        request, "documents/form.html", {"form": form, "title": _("Ask for wider release"), "document": document}
    )


@require_GET
@login_required
def release_requests(request):
    requests = list(queries.release_requests_for(request.user).order_by("-created_at"))
    documents = queries.visible_documents_by_pk(request.user, [r.object_id for r in requests])
    rows = [{"request": r, "document": documents[r.object_id]} for r in requests if r.object_id in documents]
    return render(request, "documents/release_requests.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@login_required
def release_request_decide(request, uuid, request_id):
    document = queries.get_document(request.user, uuid)
    release = queries.get_release_request(request.user, document, request_id)
    may_decide = can_approve_for_participant(request.user, document.originator_participant_id)
    if request.method == "POST" and not may_decide:
        raise PermissionDenied(_("Only a focal point of the originating participant decides."))
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_release_request(
                actor=request.user,
                release=release,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Your decision was recorded."))
            return redirect("documents:release_requests")
    return render(
        request,
        "documents/decide.html",
        {"form": form, "document": document, "release": release, "may_decide": may_decide},
    )
