"""/api/v1/quizzes/: a lesson's quiz — a fixed list of questions or N drawn from a bank by tag —
with its shuffling, attempts allowed and which attempt counts."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lti_quiz.api import quiz_analysis
from lti_quiz.api.banks import FileFormatNegotiation
from lti_quiz.api.base import (
    IdField,
    InputSerializer,
    ResourceViewSet,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
)
from lti_quiz.api.permissions import IsStaff
from lti_quiz.api.schema import error_response
from lti_quiz.quiz import bank as bank_services
from lti_quiz.quiz import quizzes as quiz_rules
from lti_quiz.quiz.models import Quiz, ScoringPolicy

DRAW_HELP = "Draw `count` random active questions tagged `tag` (empty: any tag) from `bank`, anew "
DRAW_HELP += "for every attempt. Null when the quiz lists its questions."
QUESTIONS_HELP = "Question ids in the order asked. Null when the quiz draws from a bank."


class DrawSerializer(serializers.Serializer):
    bank = serializers.IntegerField(help_text="The question bank's id.")
    tag = serializers.CharField(help_text="Only questions with this tag; empty: any.")
    count = serializers.IntegerField(help_text="How many questions each attempt gets.")


class QuizSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    lesson = serializers.IntegerField(allow_null=True, help_text="The lesson's id, or null.")
    questions = serializers.ListField(
        child=serializers.IntegerField(), allow_null=True, help_text=QUESTIONS_HELP
    )
    draw = DrawSerializer(allow_null=True, help_text=DRAW_HELP)
    shuffle_questions = serializers.BooleanField()
    shuffle_choices = serializers.BooleanField()
    attempts_allowed = serializers.IntegerField(help_text="0: unlimited.")
    scoring_policy = serializers.ChoiceField(
        choices=ScoringPolicy.choices, help_text="Which attempt's score counts."
    )

    def to_representation(self, quiz: Quiz) -> dict[str, Any]:
        # One description of a quiz: the quiz room's (uses the prefetched entries).
        return {"id": quiz.pk, **bank_services.quiz_data(quiz)}


class DrawInputSerializer(InputSerializer):
    bank = IdField(help_text="The question bank's id.")
    tag = StrictCharField(max_length=50, allow_blank=True, default="")
    count = StrictIntegerField(min_value=1, max_value=quiz_rules.MAX_QUESTIONS)


class QuizWriteSerializer(InputSerializer):
    """A quiz to create or replace (PUT), or the fields to change (PATCH). Give exactly one of
    `questions` and `draw` (the other null or left out)."""

    slug = StrictCharField(max_length=quiz_rules.MAX_SLUG)
    title = StrictCharField(max_length=quiz_rules.MAX_TITLE)
    lesson = IdField(allow_null=True, default=None, help_text="A lesson id, or null.")
    questions = serializers.ListField(
        child=IdField(),
        max_length=quiz_rules.MAX_QUESTIONS,
        allow_null=True,
        default=None,
        help_text=QUESTIONS_HELP,
    )
    draw = DrawInputSerializer(allow_null=True, default=None, help_text=DRAW_HELP)
    shuffle_questions = StrictBooleanField(default=False)
    shuffle_choices = StrictBooleanField(default=False)
    attempts_allowed = StrictIntegerField(
        min_value=0, max_value=quiz_rules.MAX_ATTEMPTS, default=0, help_text="0: unlimited."
    )
    scoring_policy = serializers.ChoiceField(
        choices=ScoringPolicy.choices, default=ScoringPolicy.HIGHEST.value
    )


@extend_schema_view(
    list=extend_schema(summary="List quizzes", tags=["quizzes"]),
    retrieve=extend_schema(summary="Get a quiz", tags=["quizzes"]),
    create=extend_schema(
        summary="Create a quiz",
        examples=[
            OpenApiExample(
                "Fixed questions",
                request_only=True,
                value={
                    "slug": "week-3",
                    "title": "Week 3",
                    "questions": [1],
                    "attempts_allowed": 2,
                },
            ),
            OpenApiExample(
                "Drawn by tag",
                request_only=True,
                value={
                    "slug": "gravity-practice",
                    "title": "Gravity practice",
                    "draw": {"bank": 1, "tag": "gravity", "count": 1},
                    "shuffle_choices": True,
                    "scoring_policy": "latest",
                },
            ),
        ],
        tags=["quizzes"],
    ),
    update=extend_schema(summary="Replace a quiz", tags=["quizzes"]),
    partial_update=extend_schema(summary="Change some fields of a quiz", tags=["quizzes"]),
    destroy=extend_schema(
        summary="Delete a quiz nobody has placed or attempted",
        responses={
            204: OpenApiResponse(description="Deleted."),
            409: error_response("The quiz is placed in a course or has attempts."),
        },
        tags=["quizzes"],
    ),
)
class QuizViewSet(ResourceViewSet):
    """Quizzes: a fixed list of questions, or N questions drawn from a bank by tag for each
    attempt; shuffling, attempts allowed (0: unlimited) and which attempt counts."""

    input_serializer_class = QuizWriteSerializer
    output_serializer_class = QuizSerializer
    filterset_fields = ["lesson"]
    search_fields = ["title", "slug"]
    ordering_fields = ["id", "slug", "title"]
    ordering = ["title", "id"]

    def get_queryset(self) -> QuerySet[Quiz]:
        return Quiz.objects.prefetch_related("entries").order_by("title", "id")

    def perform_create(self, data: dict[str, Any]) -> Quiz:
        return bank_services.quiz_create(data=data, user=self.request.user)

    def perform_update(self, quiz: Quiz, data: dict[str, Any], *, partial: bool) -> Quiz:
        return bank_services.quiz_update(quiz=quiz, data=data, user=self.request.user)

    def perform_destroy(self, quiz: Quiz) -> Response:
        bank_services.quiz_delete(quiz=quiz)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Item analysis of the quiz's attempts",
        description="Facility and discrimination per question, options by top and bottom "
        "third with flagged distractors, and the whole quiz's mean, median, SD, reliability "
        "(KR-20 or Cronbach's alpha) and standard error (docs/item-analysis.md).",
        parameters=[quiz_analysis.ATTEMPTS_PARAM, quiz_analysis.PLACEMENT_PARAM],
        responses=quiz_analysis.ANALYSIS_RESPONSES,
        tags=["quizzes"],
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def analysis(self, request: Request, pk: str) -> Response:
        quiz = self.get_object()
        return Response(
            quiz_analysis.quiz_analysis_data(quiz=quiz, query=request.query_params.dict())
        )

    @extend_schema(
        summary="Every learner's answer to every question, by opaque learner key",
        parameters=[quiz_analysis.FORMAT_PARAM, quiz_analysis.PLACEMENT_PARAM],
        responses=quiz_analysis.RESPONSES_RESPONSES,
        tags=["quizzes"],
    )
    @action(
        detail=True,
        methods=["get"],
        content_negotiation_class=FileFormatNegotiation,
        permission_classes=[IsStaff],
        pagination_class=None,
        filter_backends=[],
    )
    def responses(self, request: Request, pk: str) -> Any:
        quiz = self.get_object()
        found = quiz_analysis.quiz_responses(quiz=quiz, query=request.query_params.dict())
        return found if isinstance(found, HttpResponse) else Response(found)
