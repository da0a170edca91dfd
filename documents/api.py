"""REST API of the document library and release requests: the same queries and services as the pages."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from documents import queries, services, uploads
from documents.forms import LANGUAGES
from documents.models import Document
from participants.models import Group
from portal.api_base import FormParser, JSONParser, MultiPartParser, StrictSerializer
from sharing.models import TLP, Distribution, Handling, ReleaseRequest
from sharing.rules import (
    can_approve_for_participant,
    can_change,
    can_change_fetched_visible,
    can_see_content,
    originator_label,
    tombstone_shows_title,
)


class DocumentOut(serializers.Serializer):
    uuid = serializers.UUIDField()
    title = serializers.CharField()
    description = serializers.CharField()
    language = serializers.CharField()
    status = serializers.CharField()
    archived = serializers.BooleanField()
    pending_approval = serializers.BooleanField()
    distribution = serializers.CharField()
    tlp = serializers.CharField()
    handling = serializers.CharField()
    originator = serializers.CharField()
    workspace = serializers.CharField(allow_null=True)
    recipients = serializers.ListField(child=serializers.CharField())
    file_name = serializers.CharField()
    size_bytes = serializers.IntegerField()
    sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    may_change = serializers.BooleanField()

    def to_representation(self, doc: Document):
        user = self.context["request"].user
        content = can_see_content(user, doc)
        data = {
            "uuid": doc.uuid,
            "title": doc.title if content or tombstone_shows_title(doc) else "",
            "description": doc.description if content else "",
            "language": doc.language,
            "status": doc.status,
            "archived": doc.is_expired,
            "pending_approval": doc.pending_approval,
            "distribution": doc.distribution,
            "tlp": doc.tlp,
            "handling": doc.handling,
            "originator": originator_label(doc, user),
            "workspace": doc.group.slug if doc.group_id and content else None,
            "recipients": [line.label for line in queries.recipient_lines(doc)]
            if content and self.context.get("detail")
            else [],
            "file_name": doc.file_name if content else "",
            "size_bytes": doc.size_bytes if content else 0,
            "sha256": doc.sha256 if content else "",
            "created_at": doc.created_at,
            "published_at": doc.published_at,
            "withdrawn_at": doc.withdrawn_at,
            "expires_at": doc.expires_at,
            # Every document reaching this serializer was fetched through the sharing rules (list or detail).
            "may_change": can_change_fetched_visible(user, doc),
        }
        return super().to_representation(data)


def _to_datetime(day):
    if day is None:
        return None
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


class DocumentCreateIn(StrictSerializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=LANGUAGES, default="en")
    file = serializers.FileField()
    workspace = serializers.SlugRelatedField(
        slug_field="slug", queryset=Group.objects.all(), required=False, allow_null=True
    )
    distribution = serializers.ChoiceField(choices=Distribution.choices)
    tlp = serializers.ChoiceField(choices=TLP.choices)
    handling = serializers.ChoiceField(choices=Handling.choices, default=Handling.H0)
    valid_until = serializers.DateField(required=False, allow_null=True)
    anonymous = serializers.BooleanField(default=False)
    anonymous_group = serializers.SlugRelatedField(
        slug_field="slug", queryset=Group.objects.all(), required=False, allow_null=True
    )
    recipients = serializers.ListField(child=serializers.CharField(max_length=80), required=False, default=list)
    publish = serializers.BooleanField(default=False)

    def validate_file(self, file):
        try:
            self.context["upload"] = uploads.validate_upload(file, prefix="documents")
        except Exception as exc:  # ValidationError from the validator: one message, on the field
            from django.core.exceptions import ValidationError

            if isinstance(exc, ValidationError):
                raise serializers.ValidationError(exc.messages) from exc
            raise
        return file


class DocumentUpdateIn(StrictSerializer):
    title = serializers.CharField(max_length=300, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=LANGUAGES, required=False)
    handling = serializers.ChoiceField(choices=Handling.choices, required=False)
    valid_until = serializers.DateField(required=False, allow_null=True)
    distribution = serializers.ChoiceField(choices=Distribution.choices, required=False)
    tlp = serializers.ChoiceField(choices=TLP.choices, required=False)
    recipients = serializers.ListField(child=serializers.CharField(max_length=80), required=False)


class WithdrawIn(StrictSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class DocumentViewSet(viewsets.GenericViewSet):
    """Documents you may see; anything else answers 404. Writes follow the originator rules."""

    lookup_field = "uuid"
    lookup_value_regex = "[0-9a-f-]{36}"
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = DocumentOut
    queryset = Document.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        return queries.documents_for(
            self.request.user,
            group=params.get("workspace", ""),
            language=params.get("language", ""),
            tlp=params.get("tlp", ""),
            status=params.get("status", ""),
            q=params.get("q", ""),
        )

    def get_object(self):
        return queries.get_document(self.request.user, self.kwargs["uuid"])

    def _out(self, doc, code=status.HTTP_200_OK):
        return Response(DocumentOut(doc, context={"request": self.request, "detail": True}).data, status=code)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DocumentOut(page, many=True, context={"request": request}).data)

    def retrieve(self, request, uuid=None):
        doc = self.get_object()
        if can_see_content(request.user, doc):
            services.record_view(actor=request.user, document=doc)
        return self._out(doc)

    @extend_schema(request=DocumentCreateIn, responses=DocumentOut)
    def create(self, request):
        if not request.user.can_author:
            raise PermissionDenied(_("Your role cannot upload documents."))
        serializer = DocumentCreateIn(data=request.data, context={})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        doc = services.create_document(
            actor=request.user,
            title=data["title"],
            description=data["description"],
            language=data["language"],
            upload=serializer.context["upload"],
            group=data.get("workspace"),
            distribution=data["distribution"],
            tlp=data["tlp"],
            handling=data["handling"],
            expires_at=_to_datetime(data.get("valid_until")),
            anonymous=data["anonymous"],
            anonymous_group=data.get("anonymous_group"),
            recipient_keys=data["recipients"],
            publish=data["publish"],
        )
        return self._out(doc, status.HTTP_201_CREATED)

    @extend_schema(request=DocumentUpdateIn, responses=DocumentOut)
    def partial_update(self, request, uuid=None):
        doc = self.get_object()
        serializer = DocumentUpdateIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if not can_change(request.user, doc):
            raise PermissionDenied(_("Only the originator can change this document."))
        sharing_fields = {name: data.pop(name) for name in ("distribution", "tlp", "recipients") if name in data}
        if "valid_until" in data:
            data["expires_at"] = _to_datetime(data.pop("valid_until"))
        if data:
            doc = services.update_document(actor=request.user, document=doc, **data)
        if sharing_fields:
            from sharing.rules import recipient_keys_of

            doc = services.share_document(
                actor=request.user,
                document=doc,
                distribution=sharing_fields.get("distribution", doc.distribution),
                tlp=sharing_fields.get("tlp", doc.tlp),
                recipient_keys=sharing_fields.get("recipients", recipient_keys_of(doc)),
            )
        return self._out(queries.get_document(request.user, doc.uuid))

    @extend_schema(request=WithdrawIn, responses=DocumentOut)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, uuid=None):
        doc = self.get_object()
        serializer = WithdrawIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        doc = services.withdraw_document(actor=request.user, document=doc, reason=serializer.validated_data["reason"])
        return self._out(doc)

    @extend_schema(request=None, responses=DocumentOut)
    @action(detail=True, methods=["post"])
    def publish(self, request, uuid=None):
        doc = self.get_object()
        if not can_change(request.user, doc):
            raise PermissionDenied(_("Only the originator can publish this."))
        return self._out(services.publish_document(actor=request.user, document=doc))

    @extend_schema(request=None, responses=DocumentOut)
    @action(detail=True, methods=["post"])
    def approve(self, request, uuid=None):
        doc = self.get_object()
        return self._out(services.approve_document(actor=request.user, document=doc))

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, uuid=None):
        doc = self.get_object()
        services.record_download(actor=request.user, document=doc)
        return uploads.serve_file(doc.file, file_name=doc.file_name, content_type=doc.content_type_name)


class ReleaseRequestOut(serializers.ModelSerializer):
    document = serializers.SerializerMethodField()
    requested_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField()

    class Meta:
        model = ReleaseRequest
        fields = [
            "id",
            "document",
            "requested_by",
            "principal_keys",
            "reason",
            "state",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
        ]

    def get_document(self, release) -> str:
        return str(self.context["documents"][release.object_id].uuid)


class ReleaseRequestIn(StrictSerializer):
    document = serializers.UUIDField()
    recipients = serializers.ListField(child=serializers.CharField(max_length=80))
    reason = serializers.CharField()


class DecisionIn(StrictSerializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ReleaseRequestViewSet(viewsets.GenericViewSet):
    """Release requests you filed, or on your participant's documents when you are its focal point."""

    serializer_class = ReleaseRequestOut
    queryset = ReleaseRequest.objects.none()

    def get_queryset(self):
        return queries.release_requests_for(self.request.user).order_by("-created_at")

    def _context(self, releases):
        return {
            "request": self.request,
            "documents": queries.visible_documents_by_pk(self.request.user, [r.object_id for r in releases]),
        }

    def get_object(self):
        from django.http import Http404

        release = self.get_queryset().filter(pk=self.kwargs["pk"]).first() if str(self.kwargs["pk"]).isdigit() else None
        if release is None:
            raise Http404
        return release

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ReleaseRequestOut(page, many=True, context=self._context(page)).data)

    def retrieve(self, request, pk=None):
        release = self.get_object()
        return Response(ReleaseRequestOut(release, context=self._context([release])).data)

    @extend_schema(request=ReleaseRequestIn, responses=ReleaseRequestOut)
    def create(self, request):
        serializer = ReleaseRequestIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        doc = queries.get_document(request.user, data["document"])
        if can_change(request.user, doc):
            raise PermissionDenied(_("You are the originator: change the sharing directly."))
        release = services.file_release_request(
            actor=request.user, document=doc, principal_keys=data["recipients"], reason=data["reason"]
        )
        return Response(ReleaseRequestOut(release, context=self._context([release])).data, status=201)

    @extend_schema(request=DecisionIn, responses=ReleaseRequestOut)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        release = self.get_object()
        serializer = DecisionIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        doc = queries.get_document(
            request.user, queries.visible_documents_by_pk(request.user, [release.object_id])[release.object_id].uuid
        )
        if not can_approve_for_participant(request.user, doc.originator_participant_id):
            raise PermissionDenied(_("Only a focal point of the originating participant decides."))
        release = services.decide_release_request(
            actor=request.user,
            release=release,
            approve=serializer.validated_data["approve"],
            note=serializer.validated_data["note"],
        )
        return Response(ReleaseRequestOut(release, context=self._context([release])).data)
