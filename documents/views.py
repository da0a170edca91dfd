from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from documents.models import Document
from sharing.rules import visible_to


@require_GET
@login_required
def document_list(request):
    documents = visible_to(Document, request.user).select_related("originator_agency__participant")
    return render(request, "documents/list.html", {"documents": documents})
