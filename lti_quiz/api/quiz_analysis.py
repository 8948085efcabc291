"""/api/v1/quizzes/{id}/analysis/ and /responses/: a quiz's item analysis and its learners'
responses, for the people the rest of the API serves (permissions.py). Learners appear by their
opaque learner key, never by name. Read in a constant number of queries whatever the class size
(quiz/analysis_rows.py)."""

from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from lti_quiz.api.base import InputSerializer, StrictCharField
from lti_quiz.lib.errors import NotFound
from lti_quiz.lib.spreadsheets import CONTENT_TYPES, FORMATS, table_csv, tables_xlsx
from lti_quiz.quiz.analysis_rows import attempt_rows, quiz_order
from lti_quiz.quiz.analysis_tables import responses_table
from lti_quiz.quiz.item_analysis import (
    ATTEMPT_CHOICES,
    FIRST,
    KR20,
    QuizAnalysis,
    attempts_chosen,
    quiz_analysis,
)
from lti_quiz.quiz.models import Placement, Quiz


class PlacementNotFound(NotFound):
    message = "This quiz has no placement with that key."  # API messages stay English


class AnalysisParams(InputSerializer):
    attempts = serializers.ChoiceField(choices=ATTEMPT_CHOICES, default=FIRST)
    placement = StrictCharField(required=False, max_length=255)


class ResponsesParams(InputSerializer):
    format = serializers.ChoiceField(choices=[*FORMATS, "json"], default="json")
    placement = StrictCharField(required=False, max_length=255)


ATTEMPTS_PARAM = OpenApiParameter(
    "attempts",
    OpenApiTypes.STR,
    enum=ATTEMPT_CHOICES,
    description="Which attempts of each learner (per placement): first (the default), highest "
    "scored, or all.",
)
PLACEMENT_PARAM = OpenApiParameter(
    "placement",
    OpenApiTypes.STR,
    description="Only this placement (its opaque key, e.g. lti:1:link-1); empty: every "
    "placement of the quiz.",
)
FORMAT_PARAM = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=[*FORMATS, "json"],
    description="json (the default), csv or xlsx (a file: Content-Disposition: attachment). "
    "In csv and xlsx, text starting with = + - @, a tab or a carriage return is prefixed "
    "with a quote so a spreadsheet never runs it.",
)


class OptionSerializer(serializers.Serializer):
    text = serializers.CharField()
    is_distractor = serializers.BooleanField(help_text="The option is worth no points.")
    chosen = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)
    top_share = serializers.FloatField(allow_null=True, help_text="Among the top third.")
    bottom_share = serializers.FloatField(allow_null=True, help_text="Among the bottom third.")
    flag = serializers.ChoiceField(
        choices=["", "unchosen", "strong"],
        help_text="unchosen: nobody chose this distractor; strong: the top third chose it more "
        "often than the bottom third.",
    )


class ItemSerializer(serializers.Serializer):
    question_id = serializers.IntegerField(allow_null=True)
    position = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    asked = serializers.IntegerField()
    pending = serializers.IntegerField(help_text="Answers still waiting for review.")
    facility = serializers.FloatField(allow_null=True, help_text="Mean score fraction, 0-1.")
    discrimination = serializers.FloatField(
        allow_null=True,
        help_text="Correlation of the item with the rest of the test, -1 to 1; null when "
        "either does not vary.",
    )
    options = OptionSerializer(many=True)


class AnalysisSerializer(serializers.Serializer):
    attempts = serializers.IntegerField(help_text="Attempts analysed.")
    mean = serializers.FloatField(allow_null=True, help_text="Percent of the maximum score.")
    median = serializers.FloatField(allow_null=True)
    sd = serializers.FloatField(allow_null=True, help_text="Sample standard deviation, percent.")
    reliability = serializers.FloatField(allow_null=True)
    reliability_kind = serializers.ChoiceField(
        choices=["kr20", "alpha"], help_text="kr20 when every item is scored all or nothing."
    )
    sem = serializers.FloatField(allow_null=True, help_text="Standard error of measurement, %.")
    distribution = serializers.ListField(
        child=serializers.IntegerField(), help_text="Attempts per band of 10 % of the score."
    )
    items = ItemSerializer(many=True)


class ResponseRowSerializer(serializers.Serializer):
    placement = serializers.CharField()
    learner = serializers.CharField(help_text="The learner's opaque key.")
    attempt = serializers.IntegerField()
    position = serializers.IntegerField()
    question_id = serializers.IntegerField(allow_null=True)
    question = serializers.CharField()
    answer = serializers.CharField(help_text="The answer given, in words.")
    score = serializers.FloatField()
    points = serializers.FloatField()
    review = serializers.CharField(help_text='"pending" while it waits for review.')
    answered_at = serializers.CharField(help_text="When the attempt was submitted (ISO 8601).")


ANALYSIS_EXAMPLE = OpenApiExample(
    "Two questions",
    response_only=True,
    value={
        "attempts": 6,
        "mean": 50.0,
        "median": 50.0,
        "sd": 34.96,
        "reliability": 0.36,
        "reliability_kind": KR20,
        "sem": 27.89,
        "distribution": [1, 0, 0, 2, 0, 0, 2, 0, 0, 1],
        "items": [
            {
                "question_id": 1,
                "position": 1,
                "kind": "single_choice",
                "text": "Which is a distillation tradeoff?",
                "asked": 6,
                "pending": 0,
                "facility": 0.67,
                "discrimination": 0.34,
                "options": [
                    {
                        "text": "Smaller and faster, sometimes less accurate",
                        "is_distractor": False,
                        "chosen": 4,
                        "share": 0.67,
                        "top_share": 1.0,
                        "bottom_share": 0.5,
                        "flag": "",
                    },
                    {
                        "text": "Always more accurate",
                        "is_distractor": True,
                        "chosen": 0,
                        "share": 0.0,
                        "top_share": 0.0,
                        "bottom_share": 0.0,
                        "flag": "unchosen",
                    },
                ],
            }
        ],
    },
)
RESPONSES_EXAMPLE = OpenApiExample(
    "One answer",
    response_only=True,
    value=[
        {
            "placement": "lti:1:link-1",
            "learner": "1:learner-7",
            "attempt": 1,
            "position": 1,
            "question_id": 1,
            "question": "Which is a distillation tradeoff?",
            "answer": "Smaller and faster, sometimes less accurate",
            "score": 1.0,
            "points": 1.0,
            "review": "",
            "answered_at": "2026-01-05T09:12:00+00:00",
        }
    ],
)
ANALYSIS_RESPONSES = {200: OpenApiResponse(AnalysisSerializer, examples=[ANALYSIS_EXAMPLE])}
RESPONSES_RESPONSES = {
    (200, "application/json"): OpenApiResponse(
        ResponseRowSerializer(many=True), examples=[RESPONSES_EXAMPLE]
    ),
    (200, "text/csv"): OpenApiTypes.BINARY,
    (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
}


def _placements(quiz: Quiz, key: str | None) -> list[Placement]:
    placements = list(Placement.objects.filter(quiz=quiz, **({"key": key} if key else {})))
    if key and not placements:
        raise PlacementNotFound()
    return placements


def quiz_analysis_data(*, quiz: Quiz, query: dict[str, Any]) -> dict[str, Any]:
    """The analysis as the API answers it; 400 for a bad parameter, 404 for a placement key
    the quiz does not have."""
    params = AnalysisParams(data=query)
    params.is_valid(raise_exception=True)
    rows = attempt_rows(placements=_placements(quiz, params.validated_data.get("placement")))
    chosen = attempts_chosen(rows, params.validated_data["attempts"])
    result: QuizAnalysis = quiz_analysis(chosen, order=quiz_order(quiz))
    return dict(AnalysisSerializer(result).data)


def quiz_responses(*, quiz: Quiz, query: dict[str, Any]) -> list[dict[str, Any]] | HttpResponse:
    """Every submitted answer as JSON rows, or a CSV or XLSX file."""
    params = ResponsesParams(data=query)
    params.is_valid(raise_exception=True)
    rows = attempt_rows(placements=_placements(quiz, params.validated_data.get("placement")))
    table = responses_table(rows)
    fmt = params.validated_data["format"]
    if fmt == "json":
        return [
            {
                name: float(value) if isinstance(value, Decimal) else value
                for name, value in zip(table.header, line, strict=True)
            }
            for line in table.rows
        ]
    content = table_csv(table) if fmt == "csv" else tables_xlsx([table])
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="responses-quiz-{quiz.pk}.{fmt}"'
    return response
