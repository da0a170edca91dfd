"""REST API for events, priorities and actions: same rules as the pages (404 unseen, 403 unchangeable)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from documents.queries import get_document
from meetings import queries, services
from meetings.models import Action, Event, EventDocument, Priority
from participants.models import Group
from portal.api_base import StrictSerializer
from sharing.models import TLP, Distribution
from sharing.rules import can_change


def _codes(participants) -> list[str]:
    return [p.code for p in participants]


def event_out(event: Event, user) -> dict:
    return {
        "uuid": str(event.uuid),
        "title": event.title,
        "kind": event.kind,
        "also_rilon_meeting": event.also_rilon_meeting,
        "ordinal": event.ordinal,
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat() if event.end_date else None,
        "date_precision": event.date_precision,
        "dates_label": event.dates_label,
        "city": event.city,
        "country": event.country,
        "hosts": _codes(event.hosts.all()),
        "in_kind_host": event.in_kind_host.code if event.in_kind_host else None,
        "organising_group": event.organising_group.slug if event.organising_group else None,
        "attendees": _codes(event.attendees.all()),
        "delegates": event.delegates,
        "agenda": event.agenda,
        "outcome": event.outcome,
        "state": event.state,
        "priorities": [p.code for p in event.priorities.all()],
        "status": event.status,
        "distribution": event.distribution,
        "tlp": event.tlp,
        "documents": [
            {"uuid": str(link.document.uuid), "title": link.document.title, "role": link.role, "tlp": link.document.tlp}
            for link in queries.documents_of(event, user)
        ],
    }


def action_out(action: Action) -> dict:
    return {
        "uuid": str(action.uuid),
        "text": action.text,
        "event": str(action.event.uuid) if action.event else None,
        "responsible": _codes(action.responsible.all()),
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "state": action.state,
        "overdue": action.overdue,
        "priorities": [p.code for p in action.priorities.all()],
        "status": action.status,
        "distribution": action.distribution,
        "tlp": action.tlp,
    }


def priority_out(priority: Priority) -> dict:
    return {
        "id": priority.pk,
        "code": priority.code,
        "letter": priority.letter,
        "title": priority.title,
        "mandate": str(priority.mandate.uuid) if priority.mandate else None,
        "period_from": priority.period_from.isoformat(),
        "period_to": priority.period_to.isoformat() if priority.period_to else None,
    }


class EventIn(StrictSerializer):
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    also_rilon_meeting = serializers.BooleanField(required=False, default=False)
    ordinal = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    date_precision = serializers.ChoiceField(choices=["day", "month", "year"], required=False, default="day")
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    country = serializers.RegexField(r"^[A-Za-z]{3}$", required=False, allow_blank=True, default="")
    hosts = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    in_kind_host = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    organising_group = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    attendees = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    delegates = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    agenda = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    state = serializers.ChoiceField(choices=Event.State.choices, required=False, default=Event.State.PLANNED)
    priorities = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    distribution = serializers.ChoiceField(choices=Distribution.choices, required=False, default=Distribution.MEMBERS)
    tlp = serializers.ChoiceField(choices=TLP.choices, required=False, default=TLP.GREEN)
    recipients = serializers.ListField(child=serializers.CharField(), required=False, default=list)

    def validate(self, attrs):
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": ["The end date is before the start date."]})
        return attrs


class EventPatch(EventIn):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("distribution", "tlp", "recipients"):
            del self.fields[name]
        for field in self.fields.values():
            field.required = False


def _priorities(codes: list[str]) -> list[Priority]:
    found = {p.code: p for p in Priority.objects.filter(code__in=codes)}
    unknown = sorted(set(codes) - set(found))
    if unknown:
        raise ValidationError({"priorities": f"Unknown priority: {', '.join(unknown)}."})
    return [found[code] for code in codes]


def _event_fields(data: dict) -> dict:
    fields = {
        name: data[name]
        for name in services.EVENT_FIELDS
        if name in data and name not in ("in_kind_host", "organising_group")
    }
    if "in_kind_host" in data:
        code = data["in_kind_host"]
        fields["in_kind_host"] = services.resolve_participants([code], field="in_kind_host")[0] if code else None
    if "organising_group" in data:
        slug = data["organising_group"]
        group = Group.objects.filter(slug=slug).first() if slug else None
        if slug and group is None:
            raise ValidationError({"organising_group": f"Unknown group: {slug}."})
        fields["organising_group"] = group
    if fields.get("country"):
        fields["country"] = fields["country"].upper()
    return fields


class EventListView(APIView):
    @extend_schema(operation_id="events_list", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(queries.events_for(request.user), request, view=self)
        queries.log_sensitive_list(request.user, page, verb="meetings.event.listed")
        return paginator.get_paginated_response([event_out(event, request.user) for event in page])

    @extend_schema(operation_id="events_create", request=EventIn, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        payload = EventIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        with transaction.atomic():
            event = services.event_create(
                actor=request.user,
                fields=_event_fields(data),
                hosts=services.resolve_participants(data["hosts"], field="hosts"),
                attendees=services.resolve_participants(data["attendees"], field="attendees"),
                priorities=_priorities(data["priorities"]),
                distribution=data["distribution"],
                tlp=data["tlp"],
                recipient_keys=data["recipients"],
            )
        return Response(event_out(event, request.user), status=status.HTTP_201_CREATED)


class EventDetailView(APIView):
    @extend_schema(operation_id="events_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, uuid):
        event = queries.event_for(request.user, uuid)
        queries.log_sensitive_reads(request.user, [event], verb="meetings.event.viewed")
        return Response(event_out(event, request.user))

    @extend_schema(operation_id="events_partial_update", request=EventPatch, responses=OpenApiTypes.OBJECT)
    def patch(self, request, uuid):
        event = queries.event_for(request.user, uuid)
        payload = EventPatch(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        raw = set(request.data)
        data = {key: value for key, value in data.items() if key in raw}
        start = data.get("start_date", event.start_date)
        end = data.get("end_date", event.end_date)
        if end and start and end < start:
            raise ValidationError({"end_date": "The end date is before the start date."})
        event = services.event_update(
            actor=request.user,
            event=event,
            fields=_event_fields(data),
            hosts=services.resolve_participants(data["hosts"], field="hosts") if "hosts" in data else None,
            attendees=services.resolve_participants(data["attendees"], field="attendees")
            if "attendees" in data
            else None,
            priorities=_priorities(data["priorities"]) if "priorities" in data else None,
        )
        return Response(event_out(event, request.user))


class PriorityListView(APIView):
    @extend_schema(operation_id="priorities_list", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response({"results": [priority_out(p) for p in queries.priorities()]})


class PriorityDetailView(APIView):
    @extend_schema(operation_id="priorities_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        return Response(priority_out(queries.priority_for(pk)))


class AgreedActionIn(StrictSerializer):
    text = serializers.CharField()
    event = serializers.UUIDField(required=False, allow_null=True)
    responsible = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    due_date = serializers.DateField(required=False, allow_null=True)
    state = serializers.ChoiceField(choices=Action.State.choices, required=False, default=Action.State.AGREED)
    priorities = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    distribution = serializers.ChoiceField(choices=Distribution.choices, required=False, default=Distribution.MEMBERS)
    tlp = serializers.ChoiceField(choices=TLP.choices, required=False, default=TLP.GREEN)
    recipients = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class AgreedActionPatch(StrictSerializer):
    text = serializers.CharField(required=False)
    responsible = serializers.ListField(child=serializers.CharField(), allow_empty=False, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)
    state = serializers.ChoiceField(choices=Action.State.choices, required=False)
    priorities = serializers.ListField(child=serializers.CharField(), required=False)


def _visible_event(user, uuid):
    if uuid is None:
        return None
    event = queries.events_for(user).filter(uuid=uuid).first()
    if event is None:
        raise ValidationError({"event": "Unknown event."})
    return event


class ActionListView(APIView):
    @extend_schema(operation_id="actions_list", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        state = request.query_params.get("state", "")
        if state and state not in Action.State.values:
            raise ValidationError({"state": "Unknown state."})
        participant = None
        if code := request.query_params.get("participant"):
            participant = services.resolve_participants([code], field="participant")[0]
        overdue = request.query_params.get("overdue") in ("1", "true", "yes")
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(
            queries.actions_for(request.user, participant=participant, state=state, overdue=overdue),
            request,
            view=self,
        )
        return paginator.get_paginated_response([action_out(action) for action in page])

    @extend_schema(operation_id="actions_create", request=AgreedActionIn, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        payload = AgreedActionIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        action = services.action_create(
            actor=request.user,
            text=data["text"],
            responsible=services.resolve_participants(data["responsible"], field="responsible"),
            event=_visible_event(request.user, data.get("event")),
            due_date=data.get("due_date"),
            state=data["state"],
            priorities=_priorities(data["priorities"]),
            distribution=data["distribution"],
            tlp=data["tlp"],
            recipient_keys=data["recipients"],
        )
        return Response(action_out(action), status=status.HTTP_201_CREATED)


class ActionDetailView(APIView):
    @extend_schema(operation_id="actions_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, uuid):
        action = queries.action_for(request.user, uuid)
        queries.log_sensitive_reads(request.user, [action], verb="meetings.action.viewed")
        return Response(action_out(action))

    @extend_schema(operation_id="actions_partial_update", request=AgreedActionPatch, responses=OpenApiTypes.OBJECT)
    def patch(self, request, uuid):
        action = queries.action_for(request.user, uuid)
        payload = AgreedActionPatch(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        fields = {name: data[name] for name in ("text", "due_date", "state") if name in data}
        action = services.action_update(
            actor=request.user,
            action=action,
            fields=fields,
            responsible=services.resolve_participants(data["responsible"], field="responsible")
            if "responsible" in data
            else None,
            priorities=_priorities(data["priorities"]) if "priorities" in data else None,
        )
        return Response(action_out(action))


class EventDocumentIn(StrictSerializer):
    document = serializers.UUIDField()
    role = serializers.ChoiceField(choices=EventDocument.Role.choices)


class EventDocumentOut(serializers.Serializer):
    uuid = serializers.UUIDField()
    title = serializers.CharField()
    role = serializers.CharField()
    tlp = serializers.CharField()


class EventDocumentsView(APIView):
    @extend_schema(
        operation_id="events_documents_attach",
        request=EventDocumentIn,
        responses={201: EventDocumentOut, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def post(self, request, uuid):
        event = queries.event_for(request.user, uuid)
        if not can_change(request.user, event):
            raise PermissionDenied
        payload = EventDocumentIn(data=request.data)
        payload.is_valid(raise_exception=True)
        document = get_document(request.user, payload.validated_data["document"])
        link = services.event_attach_document(
            actor=request.user, event=event, document=document, role=payload.validated_data["role"]
        )
        body = {"uuid": str(document.uuid), "title": document.title, "role": link.role, "tlp": document.tlp}
        return Response(body, status=status.HTTP_201_CREATED)


class EventDocumentDetailView(APIView):
    @extend_schema(
        operation_id="events_documents_detach",
        request=None,
        responses={204: None, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def delete(self, request, uuid, document):
        event = queries.event_for(request.user, uuid)
        if not can_change(request.user, event):
            raise PermissionDenied
        link = get_object_or_404(queries.documents_of(event, request.user), document__uuid=document)
        services.event_detach_document(actor=request.user, event=event, document=link.document)
        return Response(status=status.HTTP_204_NO_CONTENT)
