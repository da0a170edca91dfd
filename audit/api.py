"""Read-only API of the audit trail: `/api/v1/audit/`, scoped and masked exactly as the page."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError

from audit.forms import TrailFilterForm
from audit.models import AuditEntry
from audit.queries import filter_trail, present, trail_for
from audit.services import record_list_read


class AuditEntrySerializer(serializers.Serializer):
    sequence = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    actor_kind = serializers.SerializerMethodField()
    actor = serializers.CharField()
    participant = serializers.CharField()
    verb = serializers.CharField()
    target_type = serializers.CharField()
    target_id = serializers.CharField()
    request_id = serializers.SerializerMethodField()
    content_hidden = serializers.BooleanField(help_text="True when you cannot see the object: values are hidden.")
    changes = serializers.SerializerMethodField()
    extra = serializers.SerializerMethodField()

    def get_actor_kind(self, view) -> str:
        return "" if view.anonymised else view.entry.actor_kind

    def get_request_id(self, view) -> str:
        return view.entry.request_id

    def get_changes(self, view) -> dict:
        return view.changes_as_data()

    def get_extra(self, view) -> dict:
        return view.extra_as_data()


FILTER_PARAMETERS = [
    OpenApiParameter("actor", OpenApiTypes.STR, description="Username of the actor (exact, case-insensitive)."),
    OpenApiParameter("verb", OpenApiTypes.STR, description="Start of the action, e.g. documents.document."),
    OpenApiParameter("target_type", OpenApiTypes.STR, description="Object type, e.g. documents.document."),
    OpenApiParameter("target_id", OpenApiTypes.STR, description="Object id."),
    OpenApiParameter("participant", OpenApiTypes.INT, description="Participant id."),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="First day (UTC), inclusive."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Last day (UTC), inclusive."),
]


class AuditEntryList(generics.ListAPIView):
    """Audit entries, newest first: auditors read all, focal points their participant's; others get 404."""

    serializer_class = AuditEntrySerializer

    def get_queryset(self):
        try:
            entries = trail_for(self.request.user)
        except Http404 as error:
            raise NotFound() from error
        params = {key: value for key, value in self.request.query_params.items() if key not in ("limit", "offset")}
        form = TrailFilterForm(params)
        if not form.is_valid():
            raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        return filter_trail(entries, form.filters(), self.request.user)

    @extend_schema(parameters=FILTER_PARAMETERS, responses=AuditEntrySerializer(many=True))
    def get(self, request, *args, **kwargs):
        entries = self.get_queryset()
        page = self.paginate_queryset(entries)
        record_list_read(request.user, AuditEntry, self.paginator.count, request.query_params)
        return self.get_paginated_response(self.get_serializer(present(page, request.user), many=True).data)
