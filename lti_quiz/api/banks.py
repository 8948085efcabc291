"""/api/v1/banks/: question banks, and moving their questions in and out of other systems
(native JSON, Moodle XML, GIFT, QTI) with a per-question report."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from lti_quiz.api import files
from lti_quiz.api.base import (
    InputSerializer,
    ResourceViewSet,
    StrictCharField,
    StrictRelatedField,
)
from lti_quiz.api.errors import error_body
from lti_quiz.api.formats import CATEGORY_MODES, FORMATS, bank_export, bank_import
from lti_quiz.api.formats.package_export import bank_export_package
from lti_quiz.api.schema import error_response
from lti_quiz.quiz import bank as bank_services
from lti_quiz.quiz import banks
from lti_quiz.quiz.models import QuestionBank


class BankSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    parent = serializers.IntegerField(
        source="parent_id",
        allow_null=True,
        help_text="The id of the bank this one is a sub-bank of (null: a top-level bank).",
    )
    question_count = serializers.IntegerField(help_text="Questions in the bank, archived ones too.")
    active_question_count = serializers.IntegerField(help_text="Questions still asked.")


class BankWriteSerializer(InputSerializer):
    slug = StrictCharField(max_length=banks.MAX_BANK_SLUG)
    title = StrictCharField(max_length=banks.MAX_BANK_TITLE)
    parent = StrictRelatedField(
        queryset=QuestionBank.objects.all(),
        allow_null=True,
        required=False,
        help_text="The bank's id to make this a sub-bank of it; null: a top-level bank; "
        "omitted: unchanged (top-level on create). Titles are unique among sub-banks of one "
        "bank; a bank inside itself (a cycle) is a 400.",
    )


# Import and export -------------------------------------------------------------------------


class NoteSerializer(serializers.Serializer):
    field = serializers.CharField(help_text='The question field concerned ("question": all).')
    effect = serializers.ChoiceField(
        choices=["lost", "changed", "note"],
        help_text="lost: the format could not carry it; changed: carried differently; "
        "note: worth knowing, nothing lost.",
    )
    message = serializers.CharField()


class QuestionReportSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="1-based position in the file or export.")
    key = serializers.CharField()
    action = serializers.CharField(
        help_text="Import: created, updated, unchanged, invalid or skipped. "
        "Export: exported or skipped."
    )
    line = serializers.IntegerField(allow_null=True, help_text="Where it starts in the file.")
    warnings = NoteSerializer(many=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class FileErrorSerializer(serializers.Serializer):
    message = serializers.CharField()
    line = serializers.IntegerField(allow_null=True)


class ImportTotalsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    invalid = serializers.IntegerField()
    skipped = serializers.IntegerField()


class ImportReportSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=FORMATS)
    dry_run = serializers.BooleanField(help_text="True: nothing was saved.")
    ok = serializers.BooleanField(help_text="Every question was imported (or already there).")
    error = FileErrorSerializer(allow_null=True, help_text="Set when the file was refused.")
    totals = ImportTotalsSerializer()
    warnings = NoteSerializer(many=True, help_text="About the file as a whole.")
    questions = QuestionReportSerializer(many=True)


class ExportTotalsSerializer(serializers.Serializer):
    exported = serializers.IntegerField()
    skipped = serializers.IntegerField()


class ExportReportSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=FORMATS)
    totals = ExportTotalsSerializer()
    warnings = NoteSerializer(many=True)
    questions = QuestionReportSerializer(many=True)


class ExportEnvelopeSerializer(serializers.Serializer):
    filename = serializers.CharField()
    content_type = serializers.CharField()
    text = serializers.CharField(help_text="The exported file.")
    report = ExportReportSerializer()


class ImportParamsSerializer(InputSerializer):
    format = serializers.ChoiceField(choices=FORMATS)
    dry_run = serializers.BooleanField(default=False)
    categories = serializers.ChoiceField(choices=CATEGORY_MODES, default="tags")


PACKAGE_FORMATS = ("qti12", "qti30")


class ExportParamsSerializer(InputSerializer):
    format = serializers.ChoiceField(choices=FORMATS)
    report = serializers.BooleanField(default=False)
    package = serializers.BooleanField(default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["package"] and attrs["format"] not in PACKAGE_FORMATS:
            raise serializers.ValidationError(
                {"package": "Only qti12 and qti30 are written as a package (.zip) with files."}
            )
        if attrs["package"] and attrs["report"]:
            raise serializers.ValidationError(
                {"report": "A package is a .zip file: ask for it or for the report, not both."}
            )
        return attrs


class FileFormatNegotiation(DefaultContentNegotiation):
    """On import and export, `?format=` names a question-file format, not a DRF renderer, and
    the response type follows from it whatever `Accept` says."""

    def select_renderer(self, request: Request, renderers: list, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


FORMAT_PARAM = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=FORMATS,
    required=True,
    description="json (lossless, this tool's own), moodle_xml, gift, qti12 (Canvas), qti30.",
)
IMPORT_BODY: dict[str, dict[str, Any]] = {
    media_type: {"type": "string", "description": "The file, as text."}
    for media_type in files.TEXT_MEDIA_TYPES
}
IMPORT_BODY["application/zip"] = {
    "type": "string",
    "format": "binary",
    "description": "A QTI package (imsmanifest.xml and the files it names).",
}
IMPORT_BODY["multipart/form-data"] = {
    "type": "object",
    "properties": {"file": {"type": "string", "format": "binary"}},
    "required": ["file"],
}


@extend_schema_view(
    list=extend_schema(summary="List question banks", tags=["banks"]),
    retrieve=extend_schema(summary="Get a question bank", tags=["banks"]),
    create=extend_schema(summary="Create a question bank", tags=["banks"]),
    update=extend_schema(
        summary="Rename or move a question bank (slug, title, parent)", tags=["banks"]
    ),
    partial_update=extend_schema(
        summary="Change a question bank's slug, title or parent", tags=["banks"]
    ),
    destroy=extend_schema(
        summary="Delete an empty question bank (no questions, sub-banks or drawing quizzes)",
        responses={
            204: OpenApiResponse(description="Deleted."),
            409: error_response(
                "The bank still has questions or sub-banks, or a quiz draws from it."
            ),
        },
        tags=["banks"],
    ),
)
class BankViewSet(ResourceViewSet):
    """Question banks, and importing and exporting their questions in other systems' formats."""

    input_serializer_class = BankWriteSerializer
    output_serializer_class = BankSerializer
    json_file_actions = ("export",)  # see ApiSchema
    search_fields = ["slug", "title"]
    ordering_fields = ["id", "slug", "title"]
    ordering = ["title", "id"]

    def get_queryset(self) -> QuerySet[QuestionBank]:
        return QuestionBank.objects.annotate(
            question_count=Count("questions"),
            active_question_count=Count("questions", filter=Q(questions__status="active")),
        ).order_by("title", "id")

    def perform_create(self, data: dict[str, Any]) -> QuestionBank:
        return bank_services.bank_create(**data, user=self.request.user)

    def perform_update(self, bank: QuestionBank, data: dict[str, Any], *, partial: bool) -> Any:
        return bank_services.bank_update(bank=bank, **data, user=self.request.user)

    def perform_destroy(self, bank: QuestionBank) -> Response:
        bank_services.bank_delete(bank=bank)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Import questions into the bank from a file, with a per-question report",
        description="Send the file as the body (text/plain, application/xml, text/xml, "
        "application/json) or as multipart field `file`. Questions are matched by `key`: new "
        "keys are created, existing ones updated (a new version when anything changed). "
        "Every question is read and checked before anything is written; with `dry_run=1` "
        "nothing is written and the report is the same. Then the questions are written in "
        "short transactions of a few hundred, each question whole: if an import stops half "
        "way, sending the file again finishes it. What the format cannot hold is reported on "
        "each question, never dropped silently. A file that cannot be read (or nests more "
        "than 100 levels deep) is a 400 naming the line. Files in another encoding than "
        "UTF-8 are read (the report says which encoding was assumed); QTI may come as a zip "
        "package (application/zip) with its imsmanifest.xml.",
        parameters=[
            FORMAT_PARAM,
            OpenApiParameter(
                "dry_run", OpenApiTypes.BOOL, description="Report only; change nothing."
            ),
            OpenApiParameter(
                "categories",
                OpenApiTypes.STR,
                enum=CATEGORY_MODES,
                description="Moodle categories (Moodle XML, GIFT) become tags `cat.<levels>` "
                "(`tags`, the default), or with `banks` sub-banks of this bank, created or "
                "reused by title under their parent (a dry run creates none and reports the "
                "banks it would create).",
            ),
        ],
        request=IMPORT_BODY,
        responses={
            200: ImportReportSerializer,
            413: error_response(
                f"The file is larger than {files.MAX_IMPORT_MB} MB, or holds more questions "
                "than one import takes (API_IMPORT_MAX_QUESTIONS, 5000 by default)."
            ),
        },
        tags=["banks"],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[*files.TEXT_PARSERS, MultiPartParser],
        content_negotiation_class=FileFormatNegotiation,
    )
    def import_file(self, request: Request, pk: str) -> Response:
        params = ImportParamsSerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        bank = self.get_object()
        text = files.uploaded_file(request)
        report = bank_import(
            bank=bank,
            text=text,
            fmt=params.validated_data["format"],
            dry_run=params.validated_data["dry_run"],
            user=request.user,
            categories=params.validated_data["categories"],
        )
        error = report.error
        if error is not None:
            message = error.summary()
            return Response(
                error_body(error.status_code, error.code, message, {"file": [message]}),
                status=error.status_code,
            )
        return Response(report.as_dict())

    @extend_schema(
        summary="Export the bank's questions as a file",
        description="The file itself (`Content-Disposition: attachment`), or with `report=1` "
        "a JSON object holding the file's text and a per-question report of what the format "
        "could not hold.",
        parameters=[
            FORMAT_PARAM,
            OpenApiParameter(
                "report",
                OpenApiTypes.BOOL,
                description="Answer {filename, content_type, text, report} as JSON.",
            ),
            OpenApiParameter(
                "package",
                OpenApiTypes.BOOL,
                description="qti12 or qti30 only: a .zip package holding the questions' images "
                "and media (Canvas's layout for qti12), instead of the bare XML whose media "
                "links point back at this tool.",
            ),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                ExportEnvelopeSerializer,
                description="The file (Content-Disposition: attachment); with report=1 the "
                "envelope {filename, content_type, text, report}.",
            ),
            (200, "application/xml"): OpenApiTypes.STR,
            (200, "text/plain"): OpenApiTypes.STR,
            (200, "application/zip"): OpenApiTypes.BINARY,
        },
        tags=["banks"],
    )
    @action(detail=True, methods=["get"], content_negotiation_class=FileFormatNegotiation)
    def export(self, request: Request, pk: str) -> Any:
        params = ExportParamsSerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        if params.validated_data["package"]:
            package = bank_export_package(
                bank=self.get_object(), fmt=params.validated_data["format"]
            )
            response = HttpResponse(package.data, content_type=package.content_type)
            response["Content-Disposition"] = f'attachment; filename="{package.filename}"'
            return response
        result = bank_export(bank=self.get_object(), fmt=params.validated_data["format"])
        if params.validated_data["report"]:
            return Response(
                {
                    "filename": result.filename,
                    "content_type": result.content_type,
                    "text": result.text,
                    "report": result.report.as_dict(),
                }
            )
        response = HttpResponse(result.text, content_type=result.content_type)
        response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
        return response
