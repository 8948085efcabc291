"""Writes of lessons: create, update, delete (the API and `load_content` both come here).

Lesson data: {"slug", "title", "summary", "meta", "sections": [{"heading", "body"}]} where each
body is Markdown. Nothing is rendered or sanitized on the way in: `Lesson.sections_for_display`
renders and sanitizes on the way out, so a stored lesson can never carry script to a page.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from lessons.errors import InvalidLesson, LessonInUse
from lessons.models import SOURCE_LANGUAGE, Lesson
from lti_quiz.lib.fields import Errors, fields_merge
from lti_quiz.lib.slugs import slug_errors, slug_taken
from lti_quiz.lib.storable import UNSTORABLE, storable

LESSON_FIELDS = ("slug", "title", "summary", "meta", "sections")
SECTION_FIELDS = ("heading", "body")
MAX_SLUG = 100
MAX_TITLE = 200
MAX_SUMMARY = 2000
MAX_META = 200
MAX_HEADING = 200
MAX_BODY = 50_000
MAX_SECTIONS = 50


def lesson_data(lesson: Lesson) -> dict[str, Any]:
    return {
        "slug": lesson.slug,
        "title": lesson.title,
        "summary": lesson.summary,
        "meta": lesson.meta,
        "sections": [{"heading": s["heading"], "body": s["body"]} for s in lesson.sections],
    }


def lesson_validate(data: Any, *, instance: Lesson | None = None) -> Errors:
    """What is wrong with `data` as a lesson (empty: nothing); partial when `instance` is given."""
    if not isinstance(data, Mapping):
        return {"non_field_errors": ["Expected an object of lesson fields."]}
    merged, errors = fields_merge(
        data,
        fields=LESSON_FIELDS,
        current=lesson_data(instance) if instance is not None else None,
        defaults={"meta": ""},
        required=("slug", "title", "summary", "sections"),
    )
    if "slug" not in errors:
        problems = slug_errors(
            merged["slug"], model=Lesson, instance=instance, max_length=MAX_SLUG, noun="lesson"
        )
        if problems:
            errors["slug"] = problems
    for name, limit, required in (
        ("title", MAX_TITLE, True),
        ("summary", MAX_SUMMARY, True),
        ("meta", MAX_META, False),
    ):
        if name not in errors:
            problem = _text_problem(merged[name], limit, required=required)
            if problem:
                errors[name] = [problem]
    if "sections" not in errors:
        _check_sections(errors, merged["sections"])
    return errors


def lesson_create(*, data: Mapping[str, Any], user: Any = None) -> Lesson:
    errors = lesson_validate(data)
    if errors:
        raise InvalidLesson(errors)
    lesson = Lesson(meta="")
    _apply(lesson, data)
    return lesson


def lesson_update(*, lesson: Lesson, data: Mapping[str, Any], user: Any = None) -> Lesson:
    """Apply `data` (all fields or some); saves only when something changed."""
    errors = lesson_validate(data, instance=lesson)
    if errors:
        raise InvalidLesson(errors)
    if any(lesson_data(lesson)[name] != value for name, value in data.items()):
        _apply(lesson, data)
    return lesson


def lesson_translation_languages() -> list[str]:
    """The languages a lesson may have a version in: every shipped one but English."""
    return [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def lesson_translations_validate(translations: Any) -> Errors:
    """What is wrong with {language: {title, summary, meta, sections}} (empty: nothing)."""
    if not isinstance(translations, Mapping):
        return {"translations": ["Expected an object of languages."]}
    errors: Errors = {}
    for language, text in translations.items():
        field = f"translations.{language}"
        if language not in lesson_translation_languages():
            errors[field] = [f"Not one of the tool's languages: {lesson_translation_languages()}."]
            continue
        if not isinstance(text, Mapping) or set(text) - {"title", "summary", "meta", "sections"}:
            errors[field] = ["Expected title, summary, meta and sections."]
            continue
        problems: Errors = {}
        for name, limit, required in (
            ("title", MAX_TITLE, True),
            ("summary", MAX_SUMMARY, True),
            ("meta", MAX_META, False),
        ):
            problem = _text_problem(text.get(name, ""), limit, required=required)
            if problem:
                problems[name] = [problem]
        _check_sections(problems, text.get("sections"))
        errors.update({f"{field}.{name}": found for name, found in problems.items()})
    return errors


def lesson_translations_set(*, lesson: Lesson, translations: Mapping[str, Any]) -> Lesson:
    """Replace the lesson's versions in other languages; saves only when something changed."""
    errors = lesson_translations_validate(translations)
    if errors:
        raise InvalidLesson(errors)
    values = {
        language: {
            "title": text["title"],
            "summary": text["summary"],
            "meta": text.get("meta", ""),
            "sections": [{"heading": s["heading"], "body": s["body"]} for s in text["sections"]],
        }
        for language, text in translations.items()
    }
    if values != lesson.translations:
        lesson.translations = values
        lesson.save(update_fields=["translations", "updated_at"])
    return lesson


def lesson_delete(*, lesson: Lesson) -> None:
    """Delete a lesson no quiz uses; raises LessonInUse otherwise."""
    with transaction.atomic():
        if lesson.quizzes.exists():
            raise LessonInUse()
        lesson.delete()


def _apply(lesson: Lesson, data: Mapping[str, Any]) -> None:
    for name in LESSON_FIELDS:
        if name in data:
            value = data[name]
            if name == "sections":
                value = [{"heading": s["heading"], "body": s["body"]} for s in value]
            setattr(lesson, name, value)
    try:
        with transaction.atomic():
            lesson.save()
    except IntegrityError:
        raise InvalidLesson({"slug": [slug_taken("lesson", lesson.slug)]}) from None


def _check_sections(errors: Errors, sections: Any) -> None:
    if not isinstance(sections, list) or not sections:
        errors["sections"] = ["A list of at least one {heading, body} section."]
        return
    if len(sections) > MAX_SECTIONS:
        errors["sections"] = [f"At most {MAX_SECTIONS} sections."]
        return
    problems = []
    for number, section in enumerate(sections, start=1):
        if not isinstance(section, Mapping):
            problems.append(f"Section {number}: must be an object with heading and body.")
            continue
        for name in section:
            if name not in SECTION_FIELDS:
                problems.append(f"Section {number}: unknown field {str(name)!r}.")
        for name, limit in (("heading", MAX_HEADING), ("body", MAX_BODY)):
            if name not in section:
                problems.append(f"Section {number} {name}: this field is required.")
                continue
            problem = _text_problem(section[name], limit, required=name == "heading")
            if problem:
                problems.append(f"Section {number} {name}: {problem}")
    if problems:
        errors["sections"] = problems


def _text_problem(value: Any, limit: int, *, required: bool) -> str | None:
    if not isinstance(value, str):
        return "Must be a string."
    if required and not value.strip():
        return "This field may not be blank."
    if len(value) > limit:
        return f"At most {limit} characters (got {len(value)})."
    if not storable(value):
        return UNSTORABLE
    return None
