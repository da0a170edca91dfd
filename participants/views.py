from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from participants.models import Group, Participant


@require_GET
@login_required
def directory(request):
    participants = Participant.objects.all()
    return render(request, "participants/directory.html", {"participants": participants})


@require_GET
@login_required
def group_list(request):
    return render(request, "participants/group_list.html", {"groups": Group.objects.all()})
