"""Job progress pages, /health/ and /metrics/."""

import hmac
import ipaddress
import os

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from operations import health as health_checks
from operations import jobs, metrics
from operations.queries import job_for_owner_or_404


@require_GET
@login_required
def job_detail(request: HttpRequest, job_id) -> HttpResponse:
    job = job_for_owner_or_404(request.user, job_id)
    return render(request, "operations/job_detail.html", {"job": job})


@require_GET
@login_required
@never_cache
def job_progress(request: HttpRequest, job_id) -> HttpResponse:
    """The progress fragment, polled by htmx while the job runs."""
    job = job_for_owner_or_404(request.user, job_id)
    return render(request, "operations/_job_progress.html", {"job": job})


@require_POST
@login_required
def job_cancel(request: HttpRequest, job_id) -> HttpResponse:
    job = job_for_owner_or_404(request.user, job_id)
    if not job.cancellable:
        return HttpResponseForbidden(_("This job cannot be cancelled."))
    if jobs.cancel(job, user=request.user):
        messages.info(request, _("Cancellation requested. The job stops at its next checkpoint."))
    else:
        messages.warning(request, _("The job has already finished."))
    return redirect("operations:job-detail", job_id=job.pk)


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when everything is fine, 503 otherwise; no personal data, no secrets."""
    healthy, checks = health_checks.run_checks()
    return JsonResponse({"status": "ok" if healthy else "unhealthy", "checks": checks}, status=200 if healthy else 503)


def _metrics_allowed(request: HttpRequest) -> bool | None:
    """True: allowed; False: forbidden (403); None: the endpoint is not configured (404)."""
    token = getattr(settings, "METRICS_TOKEN", "") or os.environ.get("METRICS_TOKEN", "")
    allowed_networks = getattr(settings, "METRICS_ALLOWED_IPS", None) or [
        part.strip() for part in os.environ.get("METRICS_ALLOWED_IPS", "").split(",") if part.strip()
    ]
    if not token and not allowed_networks:
        return None
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip().encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in allowed_networks)


@require_GET
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    allowed = _metrics_allowed(request)
    if allowed is None:
        raise Http404
    if not allowed:
        return HttpResponseForbidden("Forbidden", content_type="text/plain")
    return HttpResponse(metrics.render(), content_type="text/plain; version=0.0.4; charset=utf-8")
