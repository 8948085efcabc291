"""Lesson services: create, update, delete, with field messages; rendering stays sanitized."""

import pytest

from lessons.errors import InvalidLesson, LessonInUse
from lessons.models import Lesson
from lessons.services import lesson_create, lesson_data, lesson_delete, lesson_update
from lti_quiz.quiz import bank
from tests.factories.quiz import load_seed_content

pytestmark = pytest.mark.django_db


def lesson_payload(**fields):
    return {
        "slug": "optics",
        "title": "Optics",
        "summary": "Light, bent.",
        "meta": "5 min",
        "sections": [{"heading": "Refraction", "body": "Light *bends*."}],
        **fields,
    }


@pytest.fixture
def optics():
    return lesson_create(data=lesson_payload())


class TestLessonCreate:
    def test_it_stores_the_markdown_and_renders_it_on_display(self, optics):
        assert lesson_data(optics) == lesson_payload()
        assert optics.sections_for_display()[0]["html"] == "<p>Light <em>bends</em>.</p>"

    def test_script_in_a_section_is_shown_as_text_never_run(self):
        lesson = lesson_create(
            data=lesson_payload(sections=[{"heading": "<b>x</b>", "body": "<script>x</script>"}])
        )
        assert "<script>" not in lesson.body_html
        assert "&lt;script&gt;" in lesson.body_html
        assert "&lt;b&gt;x&lt;/b&gt;" in lesson.body_html

    def test_meta_is_optional(self):
        data = lesson_payload()
        del data["meta"]
        assert lesson_create(data=data).meta == ""

    @pytest.mark.parametrize(
        ("fields", "errors"),
        [
            ({"slug": "a b"}, {"slug": ["Use letters, digits, hyphens and underscores only."]}),
            ({"title": ""}, {"title": ["This field may not be blank."]}),
            ({"title": "x" * 201}, {"title": ["At most 200 characters (got 201)."]}),
            ({"summary": 5}, {"summary": ["Must be a string."]}),
            (
                {"meta": "x\x00"},
                {"meta": ["Text may not contain NUL characters or unpaired surrogates."]},
            ),
            ({"sections": []}, {"sections": ["A list of at least one {heading, body} section."]}),
            (
                {"sections": [{"heading": "", "body": "b"}, {"heading": "h"}]},
                {
                    "sections": [
                        "Section 1 heading: This field may not be blank.",
                        "Section 2 body: this field is required.",
                    ]
                },
            ),
            (
                {"sections": [{"heading": "h", "body": "b", "x": 1}]},
                {"sections": ["Section 1: unknown field 'x'."]},
            ),
            ({"colour": "red"}, {"colour": ["Unknown field."]}),
        ],
    )
    def test_an_invalid_lesson_is_refused_with_field_messages(self, fields, errors):
        with pytest.raises(InvalidLesson) as raised:
            lesson_create(data=lesson_payload(**fields))
        assert raised.value.errors == errors
        assert not Lesson.objects.exists()

    def test_a_taken_slug_is_refused(self, optics):
        with pytest.raises(InvalidLesson) as raised:
            lesson_create(data=lesson_payload())
        assert raised.value.errors == {"slug": ["A lesson with slug 'optics' already exists."]}


class TestLessonUpdate:
    def test_a_partial_update_changes_only_the_given_fields(self, optics):
        lesson_update(lesson=optics, data={"title": "Optics I"})
        optics.refresh_from_db()
        assert lesson_data(optics) == lesson_payload(title="Optics I")

    def test_an_invalid_update_changes_nothing(self, optics):
        with pytest.raises(InvalidLesson):
            lesson_update(lesson=optics, data={"title": " ", "summary": "New"})
        optics.refresh_from_db()
        assert (optics.title, optics.summary) == ("Optics", "Light, bent.")


class TestLessonDelete:
    def test_an_unused_lesson_is_deleted(self, optics):
        lesson_delete(lesson=optics)
        assert not Lesson.objects.exists()

    def test_a_lesson_a_quiz_uses_is_not_deleted(self, optics):
        bank.quiz_create(data={"slug": "q", "title": "Q", "lesson": optics.pk, "questions": []})
        with pytest.raises(LessonInUse, match="A quiz uses this lesson"):
            lesson_delete(lesson=optics)
        assert Lesson.objects.filter(pk=optics.pk).exists()

    def test_the_seed_lesson_is_not_deleted(self):
        seed = load_seed_content()
        with pytest.raises(LessonInUse):
            lesson_delete(lesson=seed.lesson)
