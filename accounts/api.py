"""API: the signed-in user, and their personal tokens (created only from a session that passed the second factor)."""

from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import ApiToken, User
from portal.api_base import StrictModelSerializer, StrictSerializer


class MeSerializer(StrictModelSerializer):
    agency = serializers.CharField(source="agency.name", read_only=True, default=None)
    participant = serializers.CharField(source="agency.participant.code", read_only=True, default=None)

    class Meta:
        model = User
        fields = ["uuid", "username", "first_name", "last_name", "email", "role", "agency", "participant"]
        read_only_fields = fields


class TokenSerializer(StrictModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "key_prefix", "created_at", "expires_at", "last_used_at"]
        read_only_fields = fields


class TokenCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    days = serializers.IntegerField(min_value=1, max_value=services.MAX_TOKEN_DAYS, required=False)


class TokenCreatedSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown once; only its hash is stored.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class MeView(APIView):
    http_method_names = ["get", "head", "options"]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class TokenListView(APIView):
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(responses=TokenSerializer(many=True))
    def get(self, request):
        tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
        return Response(TokenSerializer(tokens, many=True).data)

    @extend_schema(request=TokenCreateSerializer, responses={201: TokenCreatedSerializer})
    def post(self, request):
        # A token must not mint tokens: creating one needs a session that passed the second factor.
        if request.auth is not None:
            raise PermissionDenied("Create tokens from a signed-in session, not with a token.")
        if not did_recently_reauthenticate(request._request):
            raise PermissionDenied("Sign in again (re-authenticate) in the last five minutes before creating a token.")
        serializer = TokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, raw = services.token_create(
            actor=request.user, name=serializer.validated_data["name"], days=serializer.validated_data.get("days")
        )
        data = TokenSerializer(token).data
        data["token"] = raw
        return Response(data, status=status.HTTP_201_CREATED)


class TokenDetailView(APIView):
    http_method_names = ["delete", "options"]

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
        services.token_revoke(actor=request.user, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)
