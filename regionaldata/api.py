"""REST API: catalogue, data sets, submissions (JSON and SDMX-CSV upload), observation query, exports.

Same queries and services as the pages; strict input (unknown fields are an error).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from portal.api_base import JSONParser, MultiPartParser, StrictSerializer
from regionaldata import exports, periods, queries, services
from regionaldata.models import DIMENSIONS, DataSet, Indicator, Submission
from regionaldata.validation import parse_json, parse_sdmx_csv


class IndicatorOut(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["code", "version", "name", "definition", "unit", "dimensions", "is_current", "changed_at"]


class DataSetOut(serializers.ModelSerializer):
    participant = serializers.CharField(source="participant.code")
    indicator_set = serializers.CharField(source="indicator_set.code")
    indicators = serializers.ListField(source="indicator_set.indicator_codes")

    class Meta:
        model = DataSet
        fields = [
            "code",
            "name",
            "participant",
            "indicator_set",
            "indicators",
            "period_type",
            "audience",
            "is_external",
        ]


class SubmissionOut(serializers.ModelSerializer):
    dataset = serializers.CharField(source="dataset.code")
    period = serializers.CharField(
        source="period_key", help_text="2025-05 (monthly), 2025-Q2 (quarterly), 2025 (annual)"
    )
    period_type = serializers.CharField(source="dataset.period_type")

    class Meta:
        model = Submission
        fields = [
            "id",
            "uuid",
            "dataset",
            "period",
            "period_type",
            "state",
            "status",
            "distribution",
            "tlp",
            "revision",
            "row_count",
            "warnings",
        ]


class ObservationIn(StrictSerializer):
    indicator = serializers.CharField(max_length=40)
    period = serializers.CharField(max_length=10, help_text="As the data set reports: 2025-05, 2025-Q2 or 2025.")
    value = serializers.JSONField()


for _name in DIMENSIONS:
    ObservationIn._declared_fields[_name] = serializers.CharField(max_length=20, required=False, allow_blank=True)


class SubmissionIn(StrictSerializer):
    dataset = serializers.SlugField()
    observations = serializers.ListField(child=serializers.DictField(), allow_empty=False, max_length=200_000)


class ActionIn(StrictSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ObservationOut(serializers.Serializer):
    participant = serializers.CharField()
    period = serializers.CharField(help_text="2025-05 (monthly), 2025-Q2 (quarterly) or 2025 (annual).")
    indicator = serializers.CharField()
    dimensions = serializers.DictField()
    value = serializers.IntegerField()


def _problems(report) -> dict:
    return {
        "code": "invalid_figures",
        "error_count": report.error_count,
        "errors": [problem.as_dict() for problem in report.errors],
        "warnings": [problem.as_dict() for problem in report.warnings],
    }


def _result_response(result) -> Response:
    if result.unchanged:
        return Response({"unchanged": True, "file": result.file.pk}, status=status.HTTP_200_OK)
    if result.queued:
        return Response({"queued": True, "job": str(result.file.job_id)}, status=status.HTTP_202_ACCEPTED)
    if not result.report.ok:
        return Response(_problems(result.report), status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    return Response(
        {
            "stored_rows": result.file.row_count,
            "submissions": SubmissionOut(result.submissions, many=True).data,
            "warnings": [problem.as_dict() for problem in result.report.warnings],
        },
        status=status.HTTP_201_CREATED,
    )


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = IndicatorOut
    lookup_field = "code"

    def get_queryset(self):
        return queries.current_indicators()


class DataSetViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = DataSetOut
    lookup_field = "code"

    def get_queryset(self):
        return queries.datasets()


class SubmissionViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = SubmissionOut
    parser_classes = [JSONParser, MultiPartParser]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return queries.visible_submissions(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SubmissionOut(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(SubmissionOut(queries.submission_for(request.user, int(pk))).data)

    @extend_schema(request=SubmissionIn, responses={201: SubmissionOut(many=True)})
    def create(self, request):
        """JSON: {"dataset": code, "observations": [{indicator, period, <dimensions>, value}, ...]}."""
        body = SubmissionIn(data=request.data)
        body.is_valid(raise_exception=True)
        for index, item in enumerate(body.validated_data["observations"], start=1):
            row = ObservationIn(data=item)
            if not row.is_valid():
                return Response(
                    {"code": "invalid_request", "errors": {f"observations[{index}]": row.errors}},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        dataset = _dataset(body.validated_data["dataset"])
        frame = parse_json(body.validated_data["observations"])
        return self._store(request, dataset, frame, fmt="json")

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"dataset": {"type": "string"}, "file": {"type": "string", "format": "binary"}},
            }
        }
    )
    @action(detail=False, methods=["post"], url_path="sdmx-csv", parser_classes=[MultiPartParser])
    def sdmx_csv(self, request):
        """SDMX-CSV 2.0 upload (the layout the export produces)."""
        unknown = sorted(set(request.data) - {"dataset", "file"})
        if unknown:
            return Response({name: ["This field is not accepted here."] for name in unknown}, status=400)
        upload = request.FILES.get("file")
        if upload is None or not request.data.get("dataset"):
            return Response({"file": ["Send the SDMX-CSV file and the data set code."]}, status=400)
        dataset = _dataset(request.data["dataset"])
        try:
            frame = parse_sdmx_csv(upload.read())
        except Exception as error:
            return Response({"code": "unreadable_file", "file": [str(error)[:300]]}, status=400)
        return self._store(request, dataset, frame, fmt="sdmx-csv")

    def _store(self, request, dataset, frame, *, fmt: str):
        import hashlib

        if not services.may_submit_for(request.user, dataset):
            raise PermissionDenied
        checksum = hashlib.sha256(frame.drop("row").write_csv().encode()).hexdigest()
        from regionaldata.models import UploadedFile

        previous = UploadedFile.objects.filter(
            dataset=dataset, checksum=checksum, state=UploadedFile.State.STORED
        ).first()
        if previous is not None:
            return Response({"unchanged": True, "file": previous.pk})
        try:
            result = services.store_frame(
                actor=request.user, dataset=dataset, frame=frame, checksum=checksum, filename=f"api {fmt}", fmt=fmt
            )
        except ValidationError as error:
            return Response({"code": "locked", "errors": error.messages}, status=status.HTTP_409_CONFLICT)
        return _result_response(result)

    @extend_schema(request=ActionIn, responses=SubmissionOut)
    @action(detail=True, methods=["post"], url_path=r"(?P<step>submit|validate|return|approve|publish|reopen)")
    def transition(self, request, pk=None, step=None):
        submission = queries.submission_for(request.user, int(pk))
        body = ActionIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            if step == "submit":
                submission = services.submission_submit(actor=request.user, submission=submission)
            elif step == "validate":
                submission = services.submission_validate(actor=request.user, submission=submission, accept=True)
            elif step == "return":
                submission = services.submission_validate(
                    actor=request.user, submission=submission, accept=False, note=data.get("note", "")
                )
            elif step == "approve":
                submission = services.submission_approve(actor=request.user, submission=submission)
            elif step == "publish":
                submission = services.submission_publish(actor=request.user, submission=submission)
            else:
                submission = services.submission_reopen(
                    actor=request.user, submission=submission, reason=data.get("reason", "")
                )
        except ValidationError as error:
            return Response({"code": "invalid_state", "errors": error.messages}, status=status.HTTP_409_CONFLICT)
        return Response(SubmissionOut(submission).data)


def _dataset(code: str) -> DataSet:
    dataset = queries.datasets().filter(code=code).first()
    if dataset is None:
        raise Http404
    return dataset


class ObservationViewSet(viewsets.GenericViewSet):
    """Published observations visible to the caller; filters: indicator, dataset, start, end, period_type, <dimension>.

    `start` and `end` are periods of any type (2025, 2025-Q2, 2025-05); a period counts when it lies wholly
    between the start of `start` and the end of `end`.
    """

    permission_classes = [IsAuthenticated]
    serializer_class = ObservationOut

    def get_queryset(self):
        params = self.request.query_params
        allowed = {"indicator", "dataset", "start", "end", "period_type", "page", "format", *DIMENSIONS}
        unknown = sorted(set(params) - allowed)
        if unknown:
            raise serializers.ValidationError({name: ["Unknown filter."] for name in unknown})
        problems = {
            name: ["Write a period: 2025, 2025-Q2 or 2025-05."]
            for name in ("start", "end")
            if params.get(name) and periods.parse_any(params.get(name)) is None
        }
        if params.get("period_type") and params.get("period_type") not in periods.PERIOD_TYPES:
            problems["period_type"] = [f"One of: {', '.join(periods.PERIOD_TYPES)}."]
        if problems:
            raise serializers.ValidationError(problems)
        start, end = periods.window(params.get("start"), params.get("end"))
        return (
            queries.observations(
                self.request.user,
                indicator=params.get("indicator"),
                dataset=params.get("dataset"),
                start=start,
                end=end,
                period_type=params.get("period_type") or None,
                filters={name: params.get(name) for name in DIMENSIONS if params.get(name)},
            )
            .select_related("submission__dataset__participant")
            .order_by("submission__period", "pk")
        )

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        data = [
            {
                "participant": item.submission.dataset.participant.code,
                "period": item.submission.period_key,
                "indicator": item.indicator,
                "dimensions": {name: getattr(item, name) for name in DIMENSIONS if getattr(item, name) != "_T"},
                "value": item.value,
            }
            for item in page
        ]
        return self.get_paginated_response(data)

    @action(detail=False, methods=["get"], url_path=r"export/(?P<fmt>csv|sdmx-csv)")
    def export(self, request, fmt=None):
        observations = self.get_queryset()
        content, count = exports.to_csv(observations) if fmt == "csv" else exports.to_sdmx_csv(observations)
        queries.log_export(request.user, kind=f"api-{fmt}", count=count)
        response = HttpResponse(content, content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="statistics.{fmt}.csv"'
        return response
