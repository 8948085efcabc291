"""/api/v1/questions/: questions with their choices, per-choice feedback and accepted patterns.

This is an editors' API: a question's representation includes its answer key. Writes go
through `quiz.bank` (validation, versions, archive-instead-of-delete); concurrent edits are
caught with ETags (`"<id>-<version>"`) and `If-Match`.
"""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lti_quiz.api.base import (
    MAX_ID,
    Pagination,
    ResourceViewSet,
)
from lti_quiz.api.errors import PreconditionFailed
from lti_quiz.api.question_serializers import (
    QuestionSerializer,
    QuestionVersionSerializer,
    QuestionWriteSerializer,
)
from lti_quiz.api.schema import error_response
from lti_quiz.api.text_kind_examples import TEXT_KIND_EXAMPLES
from lti_quiz.quiz import bank as bank_services
from lti_quiz.quiz.models import Question, QuestionKind, QuestionVersion


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class QuestionFilter(django_filters.FilterSet):
    bank = IdFilter(field_name="bank_id", help_text="Only questions of this bank (id).")
    kind = django_filters.ChoiceFilter(choices=QuestionKind.choices)
    status = django_filters.ChoiceFilter(choices=Question.Status.choices)
    tag = django_filters.CharFilter(method="filter_tag", help_text="Only questions with this tag.")

    class Meta:
        model = Question
        fields = ["bank", "kind", "status", "tag"]

    def filter_tag(self, queryset: Any, name: str, value: str) -> QuerySet[Question]:
        return queryset.tagged(value)


# Views -------------------------------------------------------------------------------------

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag you read (`"<id>-<version>"`). If the question changed since, '
    "the write is refused with 412. Optional.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=True,
    description='`"<id>-<version>"`: send it back in `If-Match` when you write.',
)
PRECONDITION_FAILED = error_response(
    "`If-Match` does not name the current version: someone else changed the question."
)


def etag(question: Question) -> str:
    return f'"{question.pk}-{question.version}"'


def if_match_version(request: Request, question: Question) -> int | None:
    """The version an `If-Match` header expects (None: no condition). 412 when it names
    another version; weak ETags never match (RFC 9110 strong comparison)."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    if etag(question) in (tag.strip() for tag in header.split(",")):
        return question.version
    raise PreconditionFailed(
        f"This question is at version {question.version} (ETag {etag(question)}); "
        f"If-Match said {header.strip()[:100]}. Fetch it again and reapply your change."
    )


# Kinds answered with drop-downs: their `spec` (docs/question-kinds.md).
DROPDOWN_KIND_EXAMPLES = [
    OpenApiExample(
        "Matching",
        request_only=True,
        value={
            "bank": 1,
            "kind": "matching",
            "text": "Match each animal with its sound.",
            "spec": {
                "pairs": [
                    {"prompt": "Cat", "answer": "Meow"},
                    {"prompt": "Dog", "answer": "Woof"},
                ],
                "distractors": ["Moo"],
                "shuffle": True,
            },
        },
    ),
    OpenApiExample(
        "Ordering",
        request_only=True,
        value={
            "bank": 1,
            "kind": "ordering",
            "text": "Put the steps of the method in order.",
            "spec": {"items": ["Observe", "Hypothesise", "Test"], "scoring": "adjacent_pairs"},
        },
    ),
    OpenApiExample(
        "Select missing words",
        request_only=True,
        value={
            "bank": 1,
            "kind": "select_missing_words",
            "text": "The [[1]] sat on the [[3]].",
            "spec": {
                "choices": [
                    {"text": "cat", "group": 1},
                    {"text": "dog", "group": 1},
                    {"text": "mat", "group": 2},
                    {"text": "hat", "group": 2},
                ],
                "shuffle": True,
                "source": "gapselect",
            },
        },
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="List questions",
        parameters=[
            OpenApiParameter("bank", OpenApiTypes.INT, description="Only this bank's questions."),
            OpenApiParameter("tag", OpenApiTypes.STR, description="Only questions with this tag."),
        ],
        tags=["questions"],
    ),
    retrieve=extend_schema(
        summary="Get a question (with its ETag)", parameters=[ETAG], tags=["questions"]
    ),
    create=extend_schema(
        summary="Create a question (version 1)",
        parameters=[ETAG],
        examples=[
            OpenApiExample(
                "Single choice",
                request_only=True,
                value={
                    "bank": 1,
                    "key": "moon-orbit",
                    "kind": "single_choice",
                    "text": "What keeps the Moon in orbit around the Earth?",
                    "points": "2",
                    "explanation": "Gravity supplies the centripetal force.",
                    "incorrect_feedback": "An orbit is a fall that never lands: see chapter 3.",
                    "tags": ["gravity", "week-3"],
                    "choices": [
                        {"text": "Gravity", "is_correct": True, "feedback": "Yes."},
                        {"text": "Magnetism", "is_correct": False, "feedback": "Too weak."},
                        {"text": "Nothing", "is_correct": False, "feedback": ""},
                    ],
                },
            ),
            OpenApiExample(
                "Short answer",
                request_only=True,
                value={
                    "bank": 1,
                    "kind": "short_answer",
                    "text": "Name the force that opposes sliding.",
                    "patterns": ["friction", "kinetic friction"],
                },
            ),
            *DROPDOWN_KIND_EXAMPLES,
            *TEXT_KIND_EXAMPLES,
        ],
        tags=["questions"],
    ),
    update=extend_schema(
        summary="Replace a question (a new version when anything changed)",
        parameters=[IF_MATCH, ETAG],
        responses={200: QuestionSerializer, 412: PRECONDITION_FAILED},
        tags=["questions"],
    ),
    partial_update=extend_schema(
        summary="Change some fields of a question (a new version when anything changed)",
        parameters=[IF_MATCH, ETAG],
        responses={200: QuestionSerializer, 412: PRECONDITION_FAILED},
        tags=["questions"],
    ),
    destroy=extend_schema(
        summary="Delete a question, or archive it when attempts refer to it",
        description="204: deleted. 200 with the question (status `archived`): attempts, "
        "answers or a quiz with attempts refer to it, so it is kept and no longer asked.",
        parameters=[IF_MATCH],
        responses={
            204: OpenApiResponse(description="Deleted."),
            200: OpenApiResponse(QuestionSerializer, description="Archived instead."),
            412: PRECONDITION_FAILED,
        },
        tags=["questions"],
    ),
)
class QuestionViewSet(ResourceViewSet):
    """Questions of the question banks, answer keys included (this API is for editors).

    Every change that changes something writes a new version (`GET .../versions/`); attempts
    keep the version they were scored with. Reads carry an `ETag`; send it back in `If-Match`
    to have a write refused with 412 when someone else changed the question in between.
    """

    input_serializer_class = QuestionWriteSerializer
    output_serializer_class = QuestionSerializer
    filterset_class = QuestionFilter
    search_fields = ["text"]
    ordering_fields = ["id", "key", "kind", "points", "status", "version", "updated_at"]
    ordering = ["bank_id", "key"]

    def get_queryset(self) -> QuerySet[Question]:
        questions = Question.objects.prefetch_related("choices", "patterns")
        if self.request is not None and self.request.method in ("PUT", "PATCH", "DELETE"):
            # The If-Match check and the write see the same version: nobody writes in between.
            questions = questions.select_for_update(of=("self",))
        return questions.order_by("bank_id", "key")

    def retrieve(self, request: Request, pk: str) -> Response:
        question = self.get_object()
        return Response(self.output(question), headers={"ETag": etag(question)})

    def create(self, request: Request) -> Response:
        response = super().create(request)
        response["ETag"] = f'"{response.data["id"]}-{response.data["version"]}"'
        return response

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        response = super().update(request, pk, partial=partial)
        response["ETag"] = f'"{response.data["id"]}-{response.data["version"]}"'
        return response

    def perform_create(self, data: dict[str, Any]) -> Question:
        bank = data.pop("bank", None)
        if bank is None:
            raise serializers.ValidationError({"bank": ["This field is required."]})
        return bank_services.question_create(bank=bank, data=data, user=self.request.user)

    def perform_update(self, question: Question, data: dict[str, Any], *, partial: bool) -> Any:
        expected = if_match_version(self.request, question)
        bank = data.pop("bank", None)
        if bank is not None and bank.pk != question.bank_id:
            raise serializers.ValidationError(
                {"bank": ["A question cannot move to another bank: create a copy there instead."]}
            )
        if not partial and "key" not in data:
            data["key"] = question.key  # PUT without a key keeps the question's identity
        return bank_services.question_update(
            question=question, data=data, user=self.request.user, expected_version=expected
        )

    def perform_destroy(self, question: Question) -> Response:
        if_match_version(self.request, question)
        outcome = bank_services.question_delete(question=question, user=self.request.user)
        if outcome == "archived":
            return Response(self.output(self.fresh(question)))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="A question's history: every version, who changed which fields, and when",
        responses=QuestionVersionSerializer(many=True),
        tags=["questions"],
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=Pagination)
    def versions(self, request: Request, pk: str) -> Response:
        versions: QuerySet[QuestionVersion] = bank_services.question_versions(self.get_object())
        page = self.paginate_queryset(versions)
        data = QuestionVersionSerializer(page, many=True).data
        return self.get_paginated_response(data)
