"""Thin pages: parse, call one service or query, render."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regionaldata import charts, exports, periods, queries, services
from regionaldata.forms import (
    AudienceForm,
    DashboardForm,
    DataSetForm,
    IndicatorForm,
    PivotForm,
    QualityNoteForm,
    ReasonForm,
    ReturnForm,
    UploadForm,
)
from regionaldata.models import DIMENSIONS, Indicator, Revision, UploadedFile, ValidationRule, WorkflowState


def parse_month(text: str | None) -> date | None:
    """A month written YYYY-MM (or a longer date whose month is meant); None if it is not one."""
    if not text:
        return None
    try:
        year, month = text[:7].split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def _download(content, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def index(request):
    return render(
        request,
        "regionaldata/index.html",
        {
            "datasets": queries.datasets(),
            "awaiting": queries.awaiting(request.user)[:20],
            "may_create": services.is_secretariat(request.user),
            "recent": queries.visible_submissions(request.user)[:20],
        },
    )


# --- catalogue ---------------------------------------------------------------------------------


@require_GET
@login_required
def catalogue(request):
    return render(
        request,
        "regionaldata/catalogue.html",
        {
            "indicators": Indicator.objects.all(),
            "may_edit": services.is_secretariat(request.user),
            "rules": ValidationRule.objects.all(),
            "code_lists": queries.code_lists(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def indicator_edit(request, code: str):
    current = get_object_or_404(Indicator, code=code, is_current=True)
    if not services.is_secretariat(request.user):
        raise PermissionDenied
    initial = {
        "name": current.name,
        "definition": current.definition,
        "unit": current.unit,
        "dimensions": current.dimensions,
    }
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.indicator_change(actor=request.user, code=code, **form.cleaned_data)
        messages.success(request, _("A new version of the indicator was saved."))
        return redirect("regionaldata:catalogue")
    return render(request, "regionaldata/indicator_edit.html", {"form": form, "indicator": current})


# --- data sets, upload, grid -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def dataset_new(request):
    if not services.is_secretariat(request.user):
        raise PermissionDenied
    form = DataSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.dataset_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("Data set created."))
            return redirect("regionaldata:dataset", code=dataset.code)
    return render(request, "regionaldata/dataset_new.html", {"form": form})


def _dataset(code: str):
    return get_object_or_404(queries.datasets(), code=code)


@require_GET
@login_required
def dataset_detail(request, code: str):
    return _render_dataset(request, code)


def _render_dataset(request, code: str, *, report=None, status: int = 200):
    dataset = _dataset(code)
    submissions = queries.visible_submissions(request.user).filter(dataset=dataset)
    may_submit = services.may_submit_for(request.user, dataset)
    context = {
        "dataset": dataset,
        "submissions": submissions[:60],
        "may_submit": may_submit,
        "is_focal": services.is_focal_point_of(request.user, dataset.participant_id),
        "upload_form": UploadForm(),
        "audience_form": AudienceForm(initial={"audience": dataset.audience}),
        "note_form": QualityNoteForm(),
        "notes": queries.dataset_notes(dataset),
        "files": dataset.files.all()[:10] if may_submit else [],
        "report": report,
        "current_period": periods.key(periods.start_of(timezone.localdate(), dataset.period_type), dataset.period_type),
    }
    return render(request, "regionaldata/dataset.html", context, status=status)


@require_GET
@login_required
def template_download(request, code: str, fmt: str):
    dataset = _dataset(code)
    if fmt == "xlsx":
        return _download(
            exports.template_xlsx(dataset),
            filename=f"{dataset.code}-template.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return _download(exports.template_csv(dataset), filename=f"{dataset.code}-template.csv", content_type="text/csv")


@require_POST
@login_required
def upload(request, code: str):
    dataset = _dataset(code)
    if not services.may_submit_for(request.user, dataset):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "; ".join(form.errors.get("file", [])))
        return redirect("regionaldata:dataset", code=code)
    upload_file = form.cleaned_data["file"]
    try:
        result = services.import_file(
            actor=request.user, dataset=dataset, content=upload_file.read(), filename=upload_file.name
        )
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
        return redirect("regionaldata:dataset", code=code)
    if result.unchanged:
        messages.info(request, _("This exact file was stored before; nothing changed."))
    elif result.queued:
        messages.info(request, _("The file is large: it is being processed in the background."))
        return redirect("job-detail", job_id=result.file.job_id)
    elif not result.report.ok:
        return _render_dataset(request, code, report=result.report, status=422)
    else:
        messages.success(
            request,
            _("%(rows)s rows stored for %(count)s period(s).")
            % {"rows": result.file.row_count, "count": len(result.submissions)},
        )
    return redirect("regionaldata:dataset", code=code)


GRID_DIMENSIONS = ("citizenship", "border_type", "route", "sex", "age_group")
GRID_ROWS = 12


@require_http_methods(["GET", "POST"])
@login_required
def grid(request, code: str, period: str):
    dataset = _dataset(code)
    month = periods.parse(period, dataset.period_type)
    if month is None:
        raise Http404
    if not services.may_submit_for(request.user, dataset):
        raise PermissionDenied
    report = None
    existing = queries.visible_submissions(request.user).filter(dataset=dataset, period=month).first()
    if request.method == "POST":
        rows = []
        for index in range(int(request.POST.get("row_count", GRID_ROWS))):
            row = {
                name: request.POST.get(f"r{index}-{name}", "").strip()
                for name in ("indicator", *GRID_DIMENSIONS, "value")
            }
            if row["indicator"] or row["value"]:
                rows.append(row)
        if not rows:
            messages.error(request, _("Enter at least one figure."))
            return redirect("regionaldata:grid", code=code, period=period)
        try:
            result = services.grid_save(actor=request.user, dataset=dataset, period=month, rows=rows)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
            return redirect("regionaldata:grid", code=code, period=period)
        if result.report.ok:
            messages.success(request, _("Figures saved as a draft."))
            return redirect("regionaldata:submission", pk=result.submissions[0].pk)
        report = result.report
        lines = rows
    else:
        lines = []
        if existing is not None:
            lines = list(existing.observations.values("indicator", *GRID_DIMENSIONS, "value")[:200])
            for line in lines:
                for name in GRID_DIMENSIONS:
                    if line[name] == "_T":
                        line[name] = ""
    lines = lines + [{} for _ in range(max(GRID_ROWS - len(lines), 3))]
    indicators = Indicator.objects.filter(is_current=True, code__in=dataset.indicator_set.indicator_codes)
    return render(
        request,
        "regionaldata/grid.html",
        {
            "dataset": dataset,
            "period": month,
            "period_label": periods.label(month, dataset.period_type),
            "period_datetime": periods.datetime_attr(month, dataset.period_type),
            "lines": lines,
            "indicators": indicators,
            "dimensions": GRID_DIMENSIONS,
            "report": report,
            "submission": existing,
        },
        status=422 if report else 200,
    )


@require_POST
@login_required
def dataset_audience(request, code: str):
    dataset = _dataset(code)
    form = AudienceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the offered audiences."))
    else:
        services.dataset_set_audience(actor=request.user, dataset=dataset, audience=form.cleaned_data["audience"])
        messages.success(request, _("Audience saved."))
    return redirect("regionaldata:dataset", code=code)


@require_POST
@login_required
def quality_note(request, code: str):
    dataset = _dataset(code)
    form = QualityNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the note first."))
        return redirect("regionaldata:dataset", code=code)
    period = periods.parse(form.cleaned_data["period"], dataset.period_type)
    if form.cleaned_data["period"] and period is None:
        messages.error(
            request,
            _("'%(text)s' is not a period of this data set; write it as %(example)s.")
            % {
                "text": form.cleaned_data["period"],
                "example": periods.key(
                    periods.start_of(timezone.localdate(), dataset.period_type), dataset.period_type
                ),
            },
        )
        return redirect("regionaldata:dataset", code=code)
    services.quality_note_add(actor=request.user, dataset=dataset, text=form.cleaned_data["text"], period=period)
    messages.success(request, _("Note added."))
    return redirect("regionaldata:dataset", code=code)


# --- submissions and workflow ------------------------------------------------------------------


@require_GET
@login_required
def submission_detail(request, pk: int):
    submission = queries.submission_for(request.user, pk)
    user = request.user
    return render(
        request,
        "regionaldata/submission.html",
        {
            "submission": submission,
            "observations": submission.observations.order_by("indicator", "pk")[:500],
            "revisions": Revision.objects.filter(submission=submission).select_related("reopened_by"),
            "may_submit": submission.state == WorkflowState.DRAFT and services.may_submit_for(user, submission.dataset),
            "may_validate": submission.state == WorkflowState.SUBMITTED and services.is_secretariat(user),
            "may_approve": submission.state == WorkflowState.VALIDATED
            and services.is_focal_point_of(user, submission.originator_participant_id),
            "may_publish": submission.state == WorkflowState.APPROVED
            and services.is_focal_point_of(user, submission.originator_participant_id),
            "may_reopen": submission.is_locked
            and (
                services.is_focal_point_of(user, submission.originator_participant_id)
                or services.may_submit_for(user, submission.dataset)
            ),
            "reason_form": ReasonForm(),
            "return_form": ReturnForm(),
            "notes": queries.quality_notes_for([submission.pk]),
            "dimensions": DIMENSIONS,
        },
    )


@require_POST
@login_required
def submission_action(request, pk: int, action: str):
    submission = queries.submission_for(request.user, pk)
    actor = request.user
    try:
        if action == "submit":
            services.submission_submit(actor=actor, submission=submission)
        elif action == "validate":
            services.submission_validate(actor=actor, submission=submission, accept=True)
        elif action == "return":
            services.submission_validate(
                actor=actor, submission=submission, accept=False, note=request.POST.get("note", "")
            )
        elif action == "approve":
            services.submission_approve(actor=actor, submission=submission)
        elif action == "publish":
            services.submission_publish(actor=actor, submission=submission)
        elif action == "reopen":
            services.submission_reopen(actor=actor, submission=submission, reason=request.POST.get("reason", ""))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, _("Done."))
    if queries.visible_submissions(actor).filter(pk=pk).exists():
        return redirect("regionaldata:submission", pk=pk)
    return redirect("regionaldata:index")


# --- dashboards --------------------------------------------------------------------------------


def _dashboard_context(request, who):
    indicators = list(queries.current_indicators())
    form = DashboardForm(request.GET or None, indicators=indicators)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    indicator = data.get("indicator") or "ibc"
    start, end = periods.window(data.get("start"), data.get("end"))
    names = queries.code_labels("citizenship")
    # Each series has one period type: months, quarters and years are never drawn on one axis.
    monthly = queries.monthly_totals(who, indicator=indicator, start=start, end=end)
    quarterly = queries.period_totals(who, indicator=indicator, period_type=periods.QUARTERLY, start=start, end=end)
    annual = [
        row
        for row in queries.annual_totals(who, indicator=indicator)
        if (not start or row[0] >= start.year) and (not end or date(row[0], 12, 31) <= periods.month_end(end))
    ]
    # Breakdowns default to the last two years: what analysts compare, and fast at any table size. They count
    # every period wholly inside the window, so an annual figure counts for a whole year only.
    today = timezone.localdate()
    since = start or date(today.year - 2, today.month, 1)
    citizenships = queries.breakdown(who, indicator=indicator, dimension="citizenship", start=since, end=end)
    routes = queries.breakdown(who, indicator=indicator, dimension="route", start=since, end=end)
    border_types = queries.breakdown(who, indicator=indicator, dimension="border_type", start=since, end=end)
    participants = queries.by_participant(who, indicator=indicator, start=since, end=end)
    yoy = queries.year_on_year(who, indicator=indicator)
    route_labels = queries.code_labels("route")
    notes = queries.quality_notes_for(queries.submissions_with(who, indicator=indicator).values("pk"))
    return {
        "form": form,
        "indicator": next((item for item in indicators if item.code == indicator), None),
        "monthly": monthly,
        "monthly_chart": charts.line_chart(
            [(periods.label(p, periods.MONTHLY), v) for p, v in monthly], title=_("Regional total by month")
        ),
        "quarterly": [(periods.key(p, periods.QUARTERLY), v) for p, v in quarterly],
        "quarterly_chart": charts.line_chart(
            [(periods.label(p, periods.QUARTERLY), v) for p, v in quarterly], title=_("Regional total by quarter")
        ),
        "annual": annual,
        "annual_chart": charts.line_chart(
            [(str(year), v) for year, v, _change in annual], title=_("Regional total by year (annual data sets)")
        ),
        "top_citizenships": [(code, names.get(code, code), value) for code, value in citizenships[:15]],
        "citizenship_chart": charts.bar_chart(
            [(names.get(c, c), v) for c, v in citizenships[:15]], title=_("Top citizenships")
        ),
        "map": charts.choropleth(dict(citizenships), title=_("Citizenships on a map"), names=names),
        "routes": [(route_labels.get(code, code), value) for code, value in routes],
        "route_chart": charts.bar_chart([(route_labels.get(c, c), v) for c, v in routes], title=_("Routes")),
        "border_types": border_types,
        "border_chart": charts.bar_chart(border_types, title=_("Border types")),
        "participants": participants,
        "participant_chart": charts.bar_chart(participants, title=_("By reporting participant")),
        "yoy": yoy,
        "notes": notes,
        "query": request.GET.urlencode(),
        "since": since,
        "first_whole_year": since.year if since.month == 1 else since.year + 1,
    }


@require_GET
@login_required
def dashboard(request):
    context = _dashboard_context(request, request.user)
    chart = request.GET.get("download")
    if chart:
        return _chart_csv(context, chart)
    return render(request, "regionaldata/dashboard.html", context)


def _chart_csv(context, chart: str) -> HttpResponse:
    import csv
    import io

    tables = {
        "monthly": (["month", "value"], [(periods.key(p, periods.MONTHLY), v) for p, v in context["monthly"]]),
        "quarterly": (["quarter", "value"], context["quarterly"]),
        "annual": (["year", "value", "change_percent"], context["annual"]),
        "citizenships": (["citizenship", "name", "value"], context["top_citizenships"]),
        "routes": (["route", "value"], context["routes"]),
        "border_types": (["border_type", "value"], context["border_types"]),
        "participants": (["participant", "value"], context["participants"]),
        "yoy": (["month", "this_year", "year_before", "change_percent"], context["yoy"]),
    }
    if chart not in tables:
        raise Http404
    header, rows = tables[chart]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([exports.neutralise(cell) for cell in row])
    for note in context["notes"]:
        where = f"{note.dataset.name}, {note.period_label}" if note.period else note.dataset.name
        writer.writerow([exports.neutralise(f"Note ({where}): {note.text}")])
    return _download(buffer.getvalue(), filename=f"{chart}.csv", content_type="text/csv")


@require_GET
def public_dashboard(request):
    """Public figures: only data sets published to the public, after primary and secondary suppression."""
    indicator = request.GET.get("indicator") or "ibc"
    end = parse_month(request.GET.get("end")) or timezone.localdate().replace(day=1)
    start = date(end.year - 1, end.month, 1)
    table = queries.protected_citizenship_table(indicator=indicator, start=start, end=end)
    rows = list(zip(table.row_labels, table.cells, table.row_totals, strict=True))
    return render(
        request,
        "regionaldata/public.html",
        {"table": table, "rows": rows, "indicators": queries.current_indicators(), "indicator": indicator},
    )


@require_GET
@login_required
def completeness(request):
    return render(
        request,
        "regionaldata/completeness.html",
        {"sections": queries.completeness(request.user), "may_remind": services.is_secretariat(request.user)},
    )


@require_POST
@login_required
def send_reminders(request):
    if not services.is_secretariat(request.user):
        raise PermissionDenied
    count = services.send_overdue_reminders()
    messages.success(request, _("%(count)s reminder(s) queued.") % {"count": count})
    return redirect("regionaldata:completeness")


@require_GET
@login_required
def explorer(request):
    indicators = list(queries.current_indicators())
    form = PivotForm(request.GET or None, indicators=indicators)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    rows_axis, columns_axis = data.get("rows") or "citizenship", data.get("columns") or "period"
    if rows_axis == columns_axis:
        columns_axis = "period" if rows_axis != "period" else "participant"
    start, end = periods.window(data.get("start"), data.get("end"))
    row_keys, column_keys, matrix = queries.pivot(
        request.user,
        indicator=data.get("indicator") or "ibc",
        rows=rows_axis,
        columns=columns_axis,
        filters={"citizenship": data.get("citizenship", ""), "border_type": data.get("border_type", "")},
        start=start,
        end=end,
        period_type=data.get("period_type") or None,
    )
    return render(
        request,
        "regionaldata/explorer.html",
        {
            "form": form,
            "row_keys": row_keys,
            "column_keys": column_keys,
            "matrix": list(zip(row_keys, matrix, strict=True)),
        },
    )


# --- exports -----------------------------------------------------------------------------------


@require_GET
@login_required
def export(request, fmt: str):
    start, end = periods.window(request.GET.get("start"), request.GET.get("end"))
    period_type = request.GET.get("period_type")
    observations = queries.observations(
        request.user,
        indicator=request.GET.get("indicator") or None,
        dataset=request.GET.get("dataset") or None,
        start=start,
        end=end,
        period_type=period_type if period_type in periods.PERIOD_TYPES else None,
    )
    if fmt == "csv":
        content, count = exports.to_csv(observations)
        response = _download(content, filename="statistics.csv", content_type="text/csv")
    elif fmt == "xlsx":
        content, count = exports.to_xlsx(observations)
        response = _download(
            content,
            filename="statistics.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "sdmx-csv":
        content, count = exports.to_sdmx_csv(observations)
        response = _download(
            content, filename="statistics-sdmx.csv", content_type="application/vnd.sdmx.data+csv; version=2.0.0"
        )
    else:
        raise Http404
    queries.log_export(request.user, kind=fmt, count=count, extra={"query": request.GET.urlencode()[:300]})
    return response


@require_GET
def sdmx_structure(request):
    """The SDMX-ML data structure definition and code lists (metadata, public)."""
    return HttpResponse(exports.structure_xml(), content_type="application/vnd.sdmx.structure+xml; version=2.1")


@require_GET
@login_required
def feedback_pdf(request, participant: str, year: int, quarter: int):
    """Quarterly 'feedback to contributors' report, produced as the requesting user (PDF)."""
    from regionaldata.reports import feedback_report

    if quarter not in (1, 2, 3, 4):
        raise Http404
    pdf = feedback_report(request.user, participant_code=participant, year=year, quarter=quarter)
    queries.log_export(
        request.user, kind="feedback_pdf", count=1, extra={"participant": participant, "year": year, "quarter": quarter}
    )
    return _download(pdf, filename=f"feedback-{participant}-{year}-Q{quarter}.pdf", content_type="application/pdf")


@require_GET
@login_required
def upload_status(request, pk: int):
    upload_row = get_object_or_404(UploadedFile, pk=pk)
    if not services.may_submit_for(request.user, upload_row.dataset):
        raise Http404
    return render(request, "regionaldata/upload_status.html", {"upload": upload_row})
