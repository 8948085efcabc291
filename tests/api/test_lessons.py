"""/api/v1/lessons/: lessons with Markdown sections."""

import pytest
from django.urls import reverse

from lessons.models import Lesson
from lti_quiz.quiz import bank as bank_services
from tests.factories.api import error_of
from tests.factories.quiz import make_bank, make_question

LIST = reverse("api:lesson-list")
LESSON = {
    "slug": "optics",
    "title": "Optics",
    "summary": "How lenses bend light.",
    "meta": "8 min · Reviewed 2026",
    "sections": [
        {"heading": "Lenses", "body": "A lens *bends* light."},
        {"heading": "Focus", "body": "<script>alert(1)</script>Rays meet."},
    ],
}


def detail(pk: int) -> str:
    return reverse("api:lesson-detail", args=[pk])


@pytest.fixture
def lesson(editor_client):
    return editor_client.post(LIST, LESSON, format="json").json()


def test_it_creates_a_lesson_and_returns_its_markdown(editor_client):
    response = editor_client.post(LIST, LESSON, format="json")

    body = response.json()
    assert response.status_code == 201, body
    assert body["sections"] == LESSON["sections"]  # stored as written
    assert body["meta"] == "8 min · Reviewed 2026"
    stored = Lesson.objects.get(pk=body["id"])
    assert "<script>" not in stored.body_html  # sanitized when displayed


def test_it_lists_and_gets_lessons(editor_client, lesson):
    assert editor_client.get(LIST).json()["results"][0]["slug"] == "optics"
    assert editor_client.get(detail(lesson["id"])).json()["title"] == "Optics"


def test_patch_changes_one_field(editor_client, lesson):
    response = editor_client.patch(detail(lesson["id"]), {"title": "Optics, again"}, format="json")

    assert response.json()["title"] == "Optics, again"
    assert response.json()["sections"] == LESSON["sections"]


def test_put_replaces_the_lesson(editor_client, lesson):
    body = {**LESSON, "sections": [{"heading": "Only", "body": ""}]}
    del body["meta"]

    response = editor_client.put(detail(lesson["id"]), body, format="json")

    assert response.json()["sections"] == [{"heading": "Only", "body": ""}]
    assert response.json()["meta"] == ""


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"sections": []}, "sections"),
        ({"sections": [{"heading": "H"}]}, "sections.0.body"),
        ({"sections": [{"heading": "H", "body": "b", "html": "<p>"}]}, "sections.0.html"),
        ({"sections": [{"heading": "", "body": "b"}]}, "sections.0.heading"),
        ({"title": None}, "title"),
        ({"summary": "s" * 2001}, "summary"),
        ({"slug": "has space"}, "slug"),
        ({"author": "me"}, "author"),
    ],
)
def test_it_refuses_invalid_lessons(editor_client, fields, field):
    response = editor_client.post(LIST, {**LESSON, **fields}, format="json")

    assert response.status_code == 400
    assert field in error_of(response)["fields"], response.json()


def test_a_slug_in_use_is_refused(editor_client, lesson):
    response = editor_client.post(LIST, LESSON, format="json")

    assert error_of(response)["fields"] == {"slug": ["A lesson with slug 'optics' already exists."]}


def test_it_deletes_a_lesson_no_quiz_uses(editor_client, lesson):
    assert editor_client.delete(detail(lesson["id"])).status_code == 204
    assert not Lesson.objects.exists()


def test_a_lesson_a_quiz_uses_cannot_be_deleted(editor_client, lesson):
    question = make_question(make_bank(), key="a")
    bank_services.quiz_create(
        data={"slug": "q", "title": "Q", "lesson": lesson["id"], "questions": [question.pk]}
    )

    response = editor_client.delete(detail(lesson["id"]))

    assert response.status_code == 409
    assert "A quiz uses this lesson" in error_of(response)["message"]
