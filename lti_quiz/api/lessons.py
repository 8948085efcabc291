"""/api/v1/lessons/: the lessons quizzes belong to, sections written in Markdown.

Bodies are stored as written and sanitized when rendered, so the API returns the Markdown.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response

from lessons import services as lesson_services
from lessons.models import Lesson
from lti_quiz.api.base import InputSerializer, ResourceViewSet, StrictCharField
from lti_quiz.api.schema import error_response


class SectionSerializer(serializers.Serializer):
    heading = serializers.CharField()
    body = serializers.CharField(help_text="Markdown.")


class LessonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    meta = serializers.CharField(help_text='A line such as "11 min · Reviewed 2026".')
    sections = SectionSerializer(many=True, help_text="In reading order.")
    updated_at = serializers.DateTimeField()


class SectionInputSerializer(InputSerializer):
    heading = StrictCharField(max_length=lesson_services.MAX_HEADING)
    body = StrictCharField(
        max_length=lesson_services.MAX_BODY, allow_blank=True, help_text="Markdown."
    )


class LessonWriteSerializer(InputSerializer):
    slug = StrictCharField(max_length=lesson_services.MAX_SLUG)
    title = StrictCharField(max_length=lesson_services.MAX_TITLE)
    summary = StrictCharField(max_length=lesson_services.MAX_SUMMARY)
    meta = StrictCharField(max_length=lesson_services.MAX_META, allow_blank=True, default="")
    sections = SectionInputSerializer(
        many=True, allow_empty=False, max_length=lesson_services.MAX_SECTIONS
    )


@extend_schema_view(
    list=extend_schema(summary="List lessons", tags=["lessons"]),
    retrieve=extend_schema(summary="Get a lesson", tags=["lessons"]),
    create=extend_schema(summary="Create a lesson", tags=["lessons"]),
    update=extend_schema(summary="Replace a lesson", tags=["lessons"]),
    partial_update=extend_schema(summary="Change some fields of a lesson", tags=["lessons"]),
    destroy=extend_schema(
        summary="Delete a lesson no quiz uses",
        responses={
            204: OpenApiResponse(description="Deleted."),
            409: error_response("A quiz uses this lesson."),
        },
        tags=["lessons"],
    ),
)
class LessonViewSet(ResourceViewSet):
    """Lessons, each a list of sections written in Markdown (sanitized when displayed)."""

    input_serializer_class = LessonWriteSerializer
    output_serializer_class = LessonSerializer
    search_fields = ["title", "summary"]
    ordering_fields = ["id", "slug", "title", "updated_at"]
    ordering = ["title", "id"]

    def get_queryset(self) -> QuerySet[Lesson]:
        return Lesson.objects.order_by("title", "id")

    def perform_create(self, data: dict[str, Any]) -> Lesson:
        return lesson_services.lesson_create(data=data, user=self.request.user)

    def perform_update(self, lesson: Lesson, data: dict[str, Any], *, partial: bool) -> Lesson:
        return lesson_services.lesson_update(lesson=lesson, data=data, user=self.request.user)

    def perform_destroy(self, lesson: Lesson) -> Response:
        lesson_services.lesson_delete(lesson=lesson)
        return Response(status=status.HTTP_204_NO_CONTENT)
