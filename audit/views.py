from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.exports import csv_rows
from audit.forms import TrailFilterForm
from audit.models import AuditEntry
from audit.queries import filter_trail, is_auditor, present, trail_for
from audit.services import record, record_list_read
from portal.pagination import CappedPaginator

PAGE_SIZE = 50


def _filtered(request):
    entries = trail_for(request.user)  # 404 for anyone whose page this is not
    form = TrailFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        entries = filter_trail(entries, form.filters(), request.user)
    elif form.is_bound:
        entries = entries.none()
    return form, entries


@require_GET
@login_required
def trail(request):
    form, entries = _filtered(request)
    page = CappedPaginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = present(page.object_list, request.user)  # evaluated before this read is itself recorded
    record_list_read(request.user, AuditEntry, page.paginator.count, request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/trail.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "whole_portal": is_auditor(request.user),
        },
    )


@require_GET
@login_required
def export(request):
    form, entries = _filtered(request)
    filters = form.filters().as_dict() if form.is_bound and form.is_valid() else {}
    # The file holds the entries up to now: not this export's own entry, nor anything written while it streams.
    up_to = AuditEntry.objects.aggregate(last=Max("sequence"))["last"] or 0
    entries = entries.filter(sequence__lte=up_to)
    record(
        "audit.auditentry.exported",
        actor=request.user,
        extra={"count": entries.count(), "up_to": up_to, "filters": filters},
    )
    response = StreamingHttpResponse(
        csv_rows(entries.iterator(chunk_size=500), request.user), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    return response
