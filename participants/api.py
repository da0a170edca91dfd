"""REST API for participants, agencies and groups: reads for every signed-in user, writes for managers.

Input serializers are strict (unknown fields are rejected); writes call the same services as the pages.
A group's members are `null` for users who may not see a hidden membership: no list, no count.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from participants import queries, services
from participants.models import (
    Agency,
    DatePrecision,
    Group,
    GroupMembership,
    Participant,
    ParticipantStatusChange,
    partial_date_iso,
)
from portal.api_base import StrictModelSerializer, StrictSerializer

# --- Output serializers ------------------------------------------------------------------------


class StatusChangeOut(serializers.ModelSerializer):
    effective_on = serializers.SerializerMethodField(help_text="ISO date at its precision: 2011, 2012-09, 2011-10-12.")
    label = serializers.CharField(source="effective_label", read_only=True)

    class Meta:
        model = ParticipantStatusChange
        fields = ["status", "effective_on", "precision", "label", "note"]

    def get_effective_on(self, obj) -> str:
        return partial_date_iso(obj.effective_on, obj.precision)


class AgencyOut(serializers.ModelSerializer):
    participant = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Agency
        fields = ["uuid", "participant", "name", "kind", "located_in", "city", "is_active"]


class ParticipantOut(serializers.ModelSerializer):
    class Meta:
        model = Participant
        fields = ["uuid", "code", "name", "short_name", "kind", "iso3", "status", "four_eyes", "notes", "source_url"]


class ParticipantDetailOut(ParticipantOut):
    status_history = StatusChangeOut(many=True, read_only=True)
    agencies = AgencyOut(many=True, read_only=True)

    class Meta(ParticipantOut.Meta):
        fields = [*ParticipantOut.Meta.fields, "status_history", "agencies"]


class MembershipOut(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    participant = serializers.SerializerMethodField()
    since = serializers.SerializerMethodField()
    until = serializers.SerializerMethodField()

    class Meta:
        model = GroupMembership
        fields = ["id", "agency", "participant", "role", "since", "since_precision", "until", "until_precision", "note"]

    def get_participant(self, obj) -> str:
        return (obj.agency.participant if obj.agency_id else obj.participant).code

    def get_since(self, obj) -> str:
        return partial_date_iso(obj.since, obj.since_precision)

    def get_until(self, obj) -> str | None:
        return partial_date_iso(obj.until, obj.until_precision) if obj.until else None


class GroupOut(serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = [
            "uuid",
            "slug",
            "name",
            "kind",
            "purpose",
            "city",
            "hidden_membership",
            "established_on",
            "established_precision",
        ]


@extend_schema_field(MembershipOut(many=True, allow_null=True))
class MembersField(serializers.Field):
    """The dated memberships, or null where the membership is hidden from the requesting user."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, group):
        period = self.context.get("period", {})
        rows = queries.group_memberships(self.context["request"].user, group, **period)
        return None if rows is None else MembershipOut(rows, many=True).data


class GroupDetailOut(GroupOut):
    members = MembersField()

    class Meta(GroupOut.Meta):
        fields = [*GroupOut.Meta.fields, "members"]


# --- Input serializers (strict) ------------------------------------------------------------------


class ParticipantIn(StrictModelSerializer):
    class Meta:
        model = Participant
        fields = ["code", "name", "short_name", "kind", "iso3", "four_eyes", "notes", "source_url"]


class ParticipantCreateIn(ParticipantIn):
    status = serializers.ChoiceField(choices=Participant.Status.choices, default=Participant.Status.INVITED)
    status_since = serializers.DateField(required=False)
    status_precision = serializers.ChoiceField(choices=DatePrecision.choices, default=DatePrecision.DAY)

    class Meta(ParticipantIn.Meta):
        fields = [*ParticipantIn.Meta.fields, "status", "status_since", "status_precision"]


class StatusChangeIn(StrictSerializer):
    status = serializers.ChoiceField(choices=Participant.Status.choices)
    effective_on = serializers.DateField()
    precision = serializers.ChoiceField(choices=DatePrecision.choices, default=DatePrecision.DAY)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AgencyIn(StrictModelSerializer):
    class Meta:
        model = Agency
        fields = ["name", "kind", "located_in", "city", "is_active"]


class AgencyCreateIn(AgencyIn):
    participant = serializers.SlugRelatedField(slug_field="code", queryset=Participant.objects.all())

    class Meta(AgencyIn.Meta):
        fields = ["participant", *AgencyIn.Meta.fields]


class GroupIn(StrictModelSerializer):
    class Meta:
        model = Group
        fields = [
            "name",
            "slug",
            "kind",
            "purpose",
            "city",
            "hidden_membership",
            "established_on",
            "established_precision",
        ]


class MembershipIn(StrictSerializer):
    agency = serializers.SlugRelatedField(slug_field="uuid", queryset=Agency.objects.all(), required=False)
    participant = serializers.SlugRelatedField(slug_field="code", queryset=Participant.objects.all(), required=False)
    role = serializers.ChoiceField(choices=GroupMembership.Role.choices, default=GroupMembership.Role.MEMBER)
    since = serializers.DateField()
    since_precision = serializers.ChoiceField(choices=DatePrecision.choices, default=DatePrecision.DAY)
    until = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if bool(attrs.get("agency")) == bool(attrs.get("participant")):
            raise serializers.ValidationError({"agency": ["Give exactly one of agency or participant."]})
        return attrs


class JoinedPeriodIn(serializers.Serializer):
    """Query parameters of "who joined in this period" (other parameters, e.g. a cache buster, are ignored)."""

    joined_from = serializers.DateField(required=False)
    joined_to = serializers.DateField(required=False)

    def validate(self, attrs):
        start, end = attrs.get("joined_from"), attrs.get("joined_to")
        if start and end and end < start:
            raise serializers.ValidationError({"joined_to": ["The end of the period is before its start."]})
        return attrs


class MembershipEndIn(StrictSerializer):
    until = serializers.DateField()
    until_precision = serializers.ChoiceField(choices=DatePrecision.choices, default=DatePrecision.DAY)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --- Views ---------------------------------------------------------------------------------------


def _require_manager(request: Request) -> None:
    if not services.manages_reference_data(request.user):
        raise PermissionDenied("Only the secretariat and system administrators manage reference data.")


class ParticipantListApi(GenericAPIView):
    serializer_class = ParticipantOut

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=Participant.Kind.values),
            OpenApiParameter("status", str, enum=Participant.Status.values),
            OpenApiParameter("ahg", str, enum=["yes", "no"], description="Today's Ad Hoc Group membership."),
        ],
        responses=ParticipantOut(many=True),
    )
    def get(self, request: Request) -> Response:
        participants = queries.directory_for(
            request.user,
            kind=request.query_params.get("kind", ""),
            status=request.query_params.get("status", ""),
            ahg=request.query_params.get("ahg", ""),
        )
        page = self.paginate_queryset(participants)
        return self.get_paginated_response(ParticipantOut(page, many=True).data)

    @extend_schema(request=ParticipantCreateIn, responses={201: ParticipantDetailOut})
    def post(self, request: Request) -> Response:
        _require_manager(request)
        data = ParticipantCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        participant = services.participant_create(
            actor=request.user,
            name=values.pop("name"),
            code=values.pop("code"),
            kind=values.pop("kind"),
            status=values.pop("status"),
            status_since=values.pop("status_since", None),
            status_precision=values.pop("status_precision"),
            **values,
        )
        return Response(ParticipantDetailOut(participant).data, status=status.HTTP_201_CREATED)


class ParticipantDetailApi(GenericAPIView):
    serializer_class = ParticipantDetailOut

    def _get(self, uuid) -> Participant:
        participant = get_object_or_404(Participant, uuid=uuid)
        return participant

    @extend_schema(responses=ParticipantDetailOut)
    def get(self, request: Request, uuid) -> Response:
        return Response(ParticipantDetailOut(self._get(uuid)).data)

    @extend_schema(request=ParticipantIn, responses=ParticipantDetailOut)
    def patch(self, request: Request, uuid) -> Response:
        participant = self._get(uuid)
        _require_manager(request)
        data = ParticipantIn(participant, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        participant = services.participant_update(actor=request.user, participant=participant, **data.validated_data)
        return Response(ParticipantDetailOut(participant).data)


class ParticipantStatusApi(GenericAPIView):
    serializer_class = StatusChangeIn

    @extend_schema(request=StatusChangeIn, responses={201: ParticipantDetailOut})
    def post(self, request: Request, uuid) -> Response:
        participant = get_object_or_404(Participant, uuid=uuid)
        _require_manager(request)
        data = StatusChangeIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.participant_change_status(actor=request.user, participant=participant, **data.validated_data)
        participant.refresh_from_db()
        return Response(ParticipantDetailOut(participant).data, status=status.HTTP_201_CREATED)


class AgencyListApi(GenericAPIView):
    serializer_class = AgencyOut

    @extend_schema(
        parameters=[
            OpenApiParameter("participant", str, description="Participant code, e.g. aus."),
            OpenApiParameter("located_in", str, description="ISO 3166-1 alpha-3 of where the agency sits."),
        ],
        responses=AgencyOut(many=True),
    )
    def get(self, request: Request) -> Response:
        agencies = queries.agencies_for(
            participant_code=request.query_params.get("participant", ""),
            located_in=request.query_params.get("located_in", ""),
        )
        page = self.paginate_queryset(agencies)
        return self.get_paginated_response(AgencyOut(page, many=True).data)

    @extend_schema(request=AgencyCreateIn, responses={201: AgencyOut})
    def post(self, request: Request) -> Response:
        _require_manager(request)
        data = AgencyCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        agency = services.agency_create(
            actor=request.user, participant=values.pop("participant"), name=values.pop("name"), **values
        )
        return Response(AgencyOut(agency).data, status=status.HTTP_201_CREATED)


class AgencyDetailApi(GenericAPIView):
    serializer_class = AgencyOut

    def _get(self, uuid) -> Agency:
        agency = get_object_or_404(Agency.objects.select_related("participant"), uuid=uuid)
        return agency

    @extend_schema(responses=AgencyOut)
    def get(self, request: Request, uuid) -> Response:
        return Response(AgencyOut(self._get(uuid)).data)

    @extend_schema(request=AgencyIn, responses=AgencyOut)
    def patch(self, request: Request, uuid) -> Response:
        agency = self._get(uuid)
        _require_manager(request)
        data = AgencyIn(agency, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        agency = services.agency_update(actor=request.user, agency=agency, **data.validated_data)
        return Response(AgencyOut(agency).data)


class GroupListApi(GenericAPIView):
    serializer_class = GroupOut

    @extend_schema(responses=GroupOut(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(Group.objects.order_by("kind", "name"))
        return self.get_paginated_response(GroupOut(page, many=True).data)

    @extend_schema(request=GroupIn, responses={201: GroupDetailOut})
    def post(self, request: Request) -> Response:
        _require_manager(request)
        data = GroupIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        group = services.group_create(
            actor=request.user, name=values.pop("name"), slug=values.pop("slug"), kind=values.pop("kind"), **values
        )
        return Response(GroupDetailOut(group, context={"request": request}).data, status=status.HTTP_201_CREATED)


class GroupDetailApi(GenericAPIView):
    serializer_class = GroupDetailOut

    def _get(self, uuid) -> Group:
        group = get_object_or_404(Group, uuid=uuid)
        return group

    @extend_schema(
        parameters=[
            OpenApiParameter("joined_from", OpenApiTypes.DATE, description="Members who joined on or after."),
            OpenApiParameter("joined_to", OpenApiTypes.DATE, description="Members who joined on or before."),
        ],
        responses=GroupDetailOut,
    )
    def get(self, request: Request, uuid) -> Response:
        group = self._get(uuid)
        period = JoinedPeriodIn(data=request.query_params)
        period.is_valid(raise_exception=True)
        context = {"request": request, "period": dict(period.validated_data)}
        return Response(GroupDetailOut(group, context=context).data)

    @extend_schema(request=GroupIn, responses=GroupDetailOut)
    def patch(self, request: Request, uuid) -> Response:
        group = self._get(uuid)
        _require_manager(request)
        data = GroupIn(group, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        group = services.group_update(actor=request.user, group=group, **data.validated_data)
        return Response(GroupDetailOut(group, context={"request": request}).data)


class GroupMembershipApi(GenericAPIView):
    serializer_class = MembershipIn

    @extend_schema(request=MembershipIn, responses={201: GroupDetailOut})
    def post(self, request: Request, uuid) -> Response:
        group = get_object_or_404(Group, uuid=uuid)
        _require_manager(request)
        data = MembershipIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.group_add_member(actor=request.user, group=group, **data.validated_data)
        return Response(GroupDetailOut(group, context={"request": request}).data, status=status.HTTP_201_CREATED)


class GroupMembershipEndApi(GenericAPIView):
    serializer_class = MembershipEndIn

    @extend_schema(request=MembershipEndIn, responses=GroupDetailOut)
    def post(self, request: Request, uuid, membership_id: int) -> Response:
        group = Group.objects.filter(uuid=uuid).first()
        _require_manager(request)  # membership ids of hidden groups are never shown to others
        membership = group.memberships.filter(pk=membership_id).first() if group else None
        if membership is None:
            raise Http404
        data = MembershipEndIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.group_end_membership(actor=request.user, membership=membership, **data.validated_data)
        return Response(GroupDetailOut(group, context={"request": request}).data)
