"""REST API of the exchange (`/api/v1/exchange/...`): the same services and queries as the pages.

Input serializers are strict (unknown fields are an error); originator fields are never writable;
recipients are named by group slug, participant code, agency UUID and user name and must exist.
"""

from django.http import Http404, HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from documents.uploads import serve_file
from exchange import exports, queries, search, services
from exchange.kinds import Kind
from exchange.models import InformationAccuracy, SourceReliability
from participants.models import Agency, Group, Participant
from portal.api_base import StrictSerializer
from sharing.models import TLP, Distribution, Handling
from sharing.rules import can_see_content, get_visible_or_404, originator_label, tombstone_shows_title

# --- Input -------------------------------------------------------------------------------------


class RecipientsIn(StrictSerializer):
    groups = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    participants = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    agencies = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
    users = serializers.ListField(child=serializers.CharField(max_length=150), required=False, default=list)

    def keys(self) -> list[str]:
        data = self.validated_data
        return resolve_recipients(data)


def resolve_recipients(data: dict) -> list[str]:
    keys: list[str] = []
    errors: dict[str, list[str]] = {}
    lookups = [
        ("groups", Group, "slug", "group"),
        ("participants", Participant, "code", "participant"),
        ("agencies", Agency, "uuid", "agency"),
    ]
    for field, model, attr, kind in lookups:
        for value in data.get(field) or []:
            found = model.objects.filter(**{attr: value}).values_list("pk", flat=True).first()
            if found is None:
                errors.setdefault(field, []).append(f"'{value}' does not exist.")
            else:
                keys.append(f"{kind}:{found}")
    for name in data.get("users") or []:
        found = User.objects.filter(username__iexact=name, is_active=True).values_list("pk", flat=True).first()
        if found is None:
            errors.setdefault("users", []).append(f"'{name}' is not an active user.")
        else:
            keys.append(f"user:{found}")
    if errors:
        raise serializers.ValidationError({"recipients": errors})
    return keys


class ItemContentIn(StrictSerializer):
    title = serializers.CharField(max_length=300)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    body = serializers.CharField(required=False, allow_blank=True, default="")
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, default=list)
    details = serializers.DictField(required=False, default=dict)
    countries = serializers.ListField(child=serializers.CharField(max_length=3), required=False, default=list)
    nationalities = serializers.ListField(child=serializers.CharField(max_length=3), required=False, default=list)
    routes = serializers.ListField(child=serializers.CharField(max_length=80), required=False, default=list)
    source_reliability = serializers.ChoiceField(choices=SourceReliability.choices, required=False, default="X")
    information_accuracy = serializers.ChoiceField(choices=InformationAccuracy.choices, required=False, default="4")
    handling = serializers.ChoiceField(choices=Handling.choices, required=False, default="H0")
    handling_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ItemCreateIn(ItemContentIn):
    kind = serializers.ChoiceField(choices=Kind.choices)
    tlp = serializers.ChoiceField(choices=TLP.choices)
    distribution = serializers.ChoiceField(choices=Distribution.choices)
    recipients = RecipientsIn(required=False)
    anonymous = serializers.BooleanField(required=False, default=False)
    anonymous_group = serializers.SlugField(required=False, allow_blank=True, default="")
    publish = serializers.BooleanField(required=False, default=False)


class ItemUpdateIn(ItemContentIn):
    pass


class ShareIn(StrictSerializer):
    tlp = serializers.ChoiceField(choices=TLP.choices)
    distribution = serializers.ChoiceField(choices=Distribution.choices)
    recipients = RecipientsIn(required=False)


class ReasonIn(StrictSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CommentIn(StrictSerializer):
    body = serializers.CharField(max_length=20_000)
    is_follow_up = serializers.BooleanField(required=False, default=False)


class RfiIn(StrictSerializer):
    title = serializers.CharField(max_length=300)
    body = serializers.CharField(required=False, allow_blank=True, default="")
    due_on = serializers.DateField()
    tlp = serializers.ChoiceField(choices=TLP.choices, required=False, default=TLP.AMBER)
    handling = serializers.ChoiceField(choices=Handling.choices, required=False, default="H0")
    recipients = RecipientsIn()


class AnswerIn(StrictSerializer):
    body = serializers.CharField()
    audience = serializers.ChoiceField(choices=["requester", "all"], required=False, default="requester")
    tlp = serializers.ChoiceField(choices=TLP.choices, required=False, default=TLP.AMBER)


class CloseIn(StrictSerializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


# --- Output ------------------------------------------------------------------------------------


def item_json(user, item, snippet: str | None = None) -> dict:
    """What a reader may know of an item: a tombstone for withdrawn content, the originator masked."""
    content = can_see_content(user, item)
    data = {
        "uuid": str(item.uuid),
        "kind": item.kind,
        "status": item.status,
        "archived": item.is_archived,
        "title": item.title if content or tombstone_shows_title(item) else None,
        "originator": originator_label(item, user),
        "tlp": item.tlp,
        "handling": item.handling,
        "distribution": item.distribution,
        "published_at": item.published_at,
        "valid_until": item.expires_at,
        "withdrawn_at": item.withdrawn_at,
    }
    if content:
        data.update(
            {
                "summary": item.summary,
                "body_html": item.body_html,
                "tags": item.tags,
                "details": item.details,
                "countries": item.countries,
                "nationalities": item.nationalities,
                "routes": item.routes,
                "handling_note": item.handling_note,
                "source_reliability": item.source_reliability,
                "information_accuracy": item.information_accuracy,
            }
        )
    if snippet is not None:
        data["snippet_html"] = snippet
    return data


class ItemOut(serializers.Serializer):
    uuid = serializers.UUIDField()
    kind = serializers.CharField()
    status = serializers.CharField()
    title = serializers.CharField(allow_null=True)
    originator = serializers.CharField()
    tlp = serializers.CharField()
    handling = serializers.CharField()


# --- Views -------------------------------------------------------------------------------------


class ItemListView(APIView):
    @extend_schema(responses=ItemOut(many=True), parameters=[OpenApiParameter("archived", bool)])
    def get(self, request):
        items = queries.items_for(request.user, include_archived=request.query_params.get("archived") in ("1", "true"))
        rows = list(items[:200])
        queries.record_list(request.user, "exchange.item.listed", len(rows))
        return Response({"count": len(rows), "results": [item_json(request.user, i) for i in rows]})

    @extend_schema(request=ItemCreateIn, responses={201: ItemOut})
    def post(self, request):
        payload = ItemCreateIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        keys = resolve_recipients(data.pop("recipients", {}) or {})
        group_slug = data.pop("anonymous_group", "")
        group = Group.objects.filter(slug=group_slug).first() if group_slug else None
        if group_slug and group is None:
            raise serializers.ValidationError({"anonymous_group": ["This group does not exist."]})
        item = services.create_item(actor=request.user, recipient_keys=keys, anonymous_group=group, **data)
        return Response(item_json(request.user, item), status=status.HTTP_201_CREATED)


class ItemDetailView(APIView):
    @extend_schema(responses=ItemOut)
    def get(self, request, uuid):
        item = queries.get_item_or_404(request.user, uuid)
        if can_see_content(request.user, item):
            queries.record_read(request.user, item)
        return Response(item_json(request.user, item))

    @extend_schema(request=ItemUpdateIn, responses=ItemOut)
    def patch(self, request, uuid):
        item = queries.get_item_or_404(request.user, uuid)
        payload = ItemUpdateIn(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        changes = {k: v for k, v in payload.validated_data.items() if k in request.data}
        item = services.update_item(item=item, actor=request.user, **changes)
        return Response(item_json(request.user, item))


class ItemShareView(APIView):
    @extend_schema(request=ShareIn, responses=ItemOut)
    def post(self, request, uuid):
        item = queries.get_item_or_404(request.user, uuid)
        payload = ShareIn(data=request.data)
        payload.is_valid(raise_exception=True)
        keys = resolve_recipients(payload.validated_data.get("recipients") or {})
        item = services.share_item(
            item=item,
            actor=request.user,
            distribution=payload.validated_data["distribution"],
            tlp=payload.validated_data["tlp"],
            recipient_keys=keys,
        )
        return Response(item_json(request.user, item))


class ItemWithdrawView(APIView):
    @extend_schema(request=ReasonIn, responses=ItemOut)
    def post(self, request, uuid):
        item = queries.get_item_or_404(request.user, uuid)
        payload = ReasonIn(data=request.data)
        payload.is_valid(raise_exception=True)
        item = services.withdraw_item(item=item, actor=request.user, reason=payload.validated_data["reason"])
        return Response(item_json(request.user, item))


class CommentOut(serializers.Serializer):
    uuid = serializers.UUIDField()
    author = serializers.CharField()
    body_html = serializers.CharField()


class ItemCommentsView(APIView):
    def _item(self, request, uuid):
        item = queries.get_item_or_404(request.user, uuid)
        if not can_see_content(request.user, item):
            raise Http404
        return item

    @extend_schema(responses=CommentOut(many=True))
    def get(self, request, uuid):
        item = self._item(request, uuid)
        rows = [
            {
                "uuid": str(row["comment"].uuid),
                "author": row["author"],
                "body_html": row["comment"].body_html,
                "is_follow_up": row["comment"].is_follow_up,
                "created_at": row["comment"].created_at,
            }
            for row in queries.comments_for(request.user, item)
        ]
        return Response({"count": len(rows), "results": rows})

    @extend_schema(request=CommentIn, responses={201: CommentOut})
    def post(self, request, uuid):
        item = self._item(request, uuid)
        payload = CommentIn(data=request.data)
        payload.is_valid(raise_exception=True)
        comment = services.add_comment(item=item, actor=request.user, **payload.validated_data)
        return Response(
            {
                "uuid": str(comment.uuid),
                "author": queries.comment_author_label(request.user, item, comment),
                "body_html": comment.body_html,
            },
            status=status.HTTP_201_CREATED,
        )


class ItemAttachmentView(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, uuid, attachment):
        found = queries.get_attachment_or_404(request.user, uuid, attachment)
        from audit import services as audit

        audit.record(
            "exchange.attachment.downloaded",
            actor=request.user,
            target=found,
            target_participant_id=found.item.originator_participant_id,
            extra={"item": found.item_id},
        )
        return serve_file(found.file, file_name=found.file_name, content_type=found.content_type_name)


class SearchView(APIView):
    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("page", int)], responses=ItemOut(many=True))
    def get(self, request):
        filters = {facet: request.query_params.getlist(facet) for facet in search.FACETS}
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            raise serializers.ValidationError({"page": ["Give a whole number."]}) from None
        result = search.search(
            request.user,
            text=request.query_params.get("q", ""),
            filters=filters,
            include_archived=request.query_params.get("archived") in ("1", "true"),
            page=page,
        )
        queries.record_list(request.user, "exchange.item.searched", result.total)
        return Response(
            {
                "count": result.total,
                "count_is_lower_bound": result.capped,
                "page": result.page,
                "results": [item_json(request.user, i, result.snippets.get(i.pk, "")) for i in result.items],
                "facets": {
                    facet: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                    for facet, values in result.facets.items()
                },
            }
        )


class ExportView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("fmt", str, enum=["csv", "stix"])], responses={(200, "text/csv"): bytes}
    )
    def get(self, request):
        fmt = request.query_params.get("fmt", "")
        if fmt == "csv":
            response, _count = exports.items_csv(request.user)
            return response
        if fmt == "stix":
            text, _count = exports.items_stix(request.user)
            response = HttpResponse(text, content_type="application/stix+json;version=2.1")
            response["X-Content-Type-Options"] = "nosniff"
            response["Cache-Control"] = "no-store"
            return response
        raise serializers.ValidationError({"fmt": ["Choose csv or stix."]})


def rfi_json(user, rfi, answers=None) -> dict:
    data = {
        "uuid": str(rfi.uuid),
        "title": rfi.title,
        "body_html": rfi.body_html,
        "requester": originator_label(rfi, user),
        "due_on": rfi.due_on,
        "state": rfi.state,
        "tlp": rfi.tlp,
        "handling": rfi.handling,
    }
    if answers is not None:
        data["answers"] = [
            {
                "uuid": str(a.uuid),
                "by": originator_label(a, user),
                "body_html": a.body_html,
                "tlp": a.tlp,
                "created_at": a.created_at,
            }
            for a in answers
        ]
    return data


class RfiOut(serializers.Serializer):
    uuid = serializers.UUIDField()
    title = serializers.CharField()
    state = serializers.CharField()
    due_on = serializers.DateField()


class RfiListView(APIView):
    @extend_schema(responses=RfiOut(many=True))
    def get(self, request):
        rows = list(queries.rfis_for(request.user)[:200])
        return Response({"count": len(rows), "results": [rfi_json(request.user, r) for r in rows]})

    @extend_schema(request=RfiIn, responses={201: RfiOut})
    def post(self, request):
        payload = RfiIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        keys = resolve_recipients(data.pop("recipients"))
        rfi = services.create_rfi(actor=request.user, recipient_keys=keys, **data)
        return Response(rfi_json(request.user, rfi), status=status.HTTP_201_CREATED)


class RfiDetailView(APIView):
    @extend_schema(responses=RfiOut)
    def get(self, request, uuid):
        rfi = queries.get_rfi_or_404(request.user, uuid)
        return Response(rfi_json(request.user, rfi, list(queries.answers_for(request.user, rfi))))


class RfiAnswersView(APIView):
    @extend_schema(request=AnswerIn, responses={201: RfiOut})
    def post(self, request, uuid):
        rfi = queries.get_rfi_or_404(request.user, uuid)
        payload = AnswerIn(data=request.data)
        payload.is_valid(raise_exception=True)
        answer = services.answer_rfi(rfi=rfi, actor=request.user, **payload.validated_data)
        return Response({"uuid": str(answer.uuid)}, status=status.HTTP_201_CREATED)


class RfiCloseView(APIView):
    @extend_schema(request=CloseIn, responses=RfiOut)
    def post(self, request, uuid):
        rfi = queries.get_rfi_or_404(request.user, uuid)
        payload = CloseIn(data=request.data)
        payload.is_valid(raise_exception=True)
        rfi = services.close_rfi(rfi=rfi, actor=request.user, note=payload.validated_data["note"])
        return Response(rfi_json(request.user, rfi))


class AnswerDetailView(APIView):
    @extend_schema(responses=RfiOut)
    def get(self, request, uuid):
        from exchange.models import RfiAnswer

        answer = get_visible_or_404(RfiAnswer.objects.select_related("rfi"), request.user, uuid=uuid)
        return Response(
            {
                "uuid": str(answer.uuid),
                "request": str(answer.rfi.uuid),
                "by": originator_label(answer, request.user),
                "body_html": answer.body_html,
                "tlp": answer.tlp,
            }
        )


class NotificationsView(APIView):
    @extend_schema(responses=ItemOut(many=True))
    def get(self, request):
        from exchange.views_helpers import notification_text

        rows = list(queries.notifications_for(request.user)[:100])
        return Response(
            {
                "count": len(rows),
                "unread": sum(1 for n in rows if n.read_at is None),
                "results": [
                    {
                        "text": notification_text(request.user, n),
                        "item": str(n.item.uuid) if n.item_id else None,
                        "request": str(n.rfi.uuid) if n.rfi_id else None,
                        "created_at": n.created_at,
                        "read": n.read_at is not None,
                    }
                    for n in rows
                ],
            }
        )
