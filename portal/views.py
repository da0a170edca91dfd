"""Site-wide pages: home (what is new for me) and the CSP report endpoint."""

import json
import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from portal.home import home_sections

logger = logging.getLogger("portal.csp")


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"sections": home_sections(request.user)})


@csrf_exempt  # Browsers send CSP reports without a CSRF token; the endpoint only logs.
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    try:
        report = json.loads(request.body[:10_000] or b"{}")
    except ValueError:
        report = {"invalid": True}
    logger.warning("csp-violation", extra={"report": report})
    return HttpResponse(status=204)
