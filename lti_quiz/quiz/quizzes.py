"""Writes of quizzes: a fixed ordered list of questions, or N drawn from a bank by tag.

Import these through `lti_quiz.quiz.bank` (the bank's public interface). Quiz data:
    {"slug", "title", "lesson": id | None, "questions": [question ids] | None,
     "draw": {"bank": id, "tag": str, "count": int} | None, "shuffle_questions",
     "shuffle_choices", "attempts_allowed", "scoring_policy"}
Exactly one of "questions" and "draw" is not None.
"""

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from lti_quiz.lib.fields import Errors, fields_merge
from lti_quiz.lib.slugs import slug_errors, slug_taken
from lti_quiz.lib.storable import UNSTORABLE, storable
from lti_quiz.quiz.errors import InvalidQuiz, QuizInUse
from lti_quiz.quiz.models import Question, QuestionBank, Quiz, QuizQuestion, ScoringPolicy
from lti_quiz.quiz.question_format import (
    NON_FIELD,
    TAG_RE,
)

QUIZ_FIELDS = (
    "slug", "title", "lesson", "questions", "draw", "shuffle_questions", "shuffle_choices",
    "attempts_allowed", "scoring_policy",
)  # fmt: skip
DRAW_FIELDS = ("bank", "tag", "count")
QUIZ_DEFAULTS: dict[str, Any] = {
    "lesson": None,
    "questions": None,
    "draw": None,
    "shuffle_questions": False,
    "shuffle_choices": False,
    "attempts_allowed": 0,
    "scoring_policy": ScoringPolicy.HIGHEST.value,
}
MAX_TITLE = 200
MAX_SLUG = 100
MAX_QUESTIONS = 500
MAX_ATTEMPTS = 1000


def quiz_data(quiz: Quiz) -> dict[str, Any]:
    draw = None
    if quiz.draw_bank_id is not None:
        draw = {"bank": quiz.draw_bank_id, "tag": quiz.draw_tag, "count": quiz.draw_count}
    return {
        "slug": quiz.slug,
        "title": quiz.title,
        "lesson": quiz.lesson_id,
        "questions": None if draw else [entry.question_id for entry in quiz.entries.all()],
        "draw": draw,
        "shuffle_questions": quiz.shuffle_questions,
        "shuffle_choices": quiz.shuffle_choices,
        "attempts_allowed": quiz.attempts_allowed,
        "scoring_policy": quiz.scoring_policy,
    }


def quiz_validate(data: Any, *, instance: Quiz | None = None) -> Errors:
    """What is wrong with `data` as a quiz (empty: nothing); partial when `instance` is given."""
    if not isinstance(data, Mapping):
        return {NON_FIELD: ["Expected an object of quiz fields."]}
    merged, errors = fields_merge(
        data,
        fields=QUIZ_FIELDS,
        current=quiz_data(instance) if instance is not None else None,
        defaults=QUIZ_DEFAULTS,
        required=("slug", "title"),
    )
    if "slug" not in errors:
        problems = slug_errors(
            merged["slug"], model=Quiz, instance=instance, max_length=MAX_SLUG, noun="quiz"
        )
        if problems:
            errors["slug"] = problems
    if "title" not in errors:
        title = merged["title"]
        if not isinstance(title, str) or not title.strip():
            errors["title"] = ["This field may not be blank."]
        elif len(title) > MAX_TITLE:
            errors["title"] = [f"At most {MAX_TITLE} characters."]
        elif not storable(title):
            errors["title"] = [UNSTORABLE]
    _check_lesson(errors, merged["lesson"])
    for name in ("shuffle_questions", "shuffle_choices"):
        if not isinstance(merged[name], bool):
            errors[name] = ["Must be true or false."]
    attempts = merged["attempts_allowed"]
    if not _is_int(attempts) or not 0 <= attempts <= MAX_ATTEMPTS:
        errors["attempts_allowed"] = [f"A whole number from 0 (unlimited) to {MAX_ATTEMPTS}."]
    if merged["scoring_policy"] not in ScoringPolicy.values:
        errors["scoring_policy"] = [f"Must be one of: {', '.join(ScoringPolicy.values)}."]

    questions, draw = merged["questions"], merged["draw"]
    if questions is None and draw is None:
        errors[NON_FIELD] = ["Give the quiz either its questions or a draw from a bank."]
    elif questions is not None and draw is not None:
        errors[NON_FIELD] = [
            "A quiz either lists its questions or draws them from a bank, not both: "
            "set the other one to null."
        ]
    if questions is not None:
        _check_questions(errors, questions)
    if draw is not None:
        _check_draw(errors, draw)
    return errors


def quiz_create(*, data: Mapping[str, Any], user: Any = None) -> Quiz:
    errors = quiz_validate(data)
    if errors:
        raise InvalidQuiz(errors)
    values = {**QUIZ_DEFAULTS, **data}
    with transaction.atomic():
        quiz = Quiz()
        _apply(quiz, values)
        return quiz


def quiz_update(*, quiz: Quiz, data: Mapping[str, Any], user: Any = None) -> Quiz:
    """Apply `data` (all fields or some). Attempts already started keep their snapshot."""
    with transaction.atomic():
        current = Quiz.objects.select_for_update().get(pk=quiz.pk)
        errors = quiz_validate(data, instance=current)
        if errors:
            raise InvalidQuiz(errors)
        values = {**quiz_data(current), **data}
        _apply(current, values)
    return current


def quiz_delete(*, quiz: Quiz) -> None:
    """Delete a quiz no course placed and nobody attempted; raises QuizInUse otherwise."""
    with transaction.atomic():
        if quiz.placements.exists() or quiz.attempts.exists():
            raise QuizInUse()
        quiz.delete()


def _apply(quiz: Quiz, values: Mapping[str, Any]) -> None:
    quiz.slug = values["slug"]
    quiz.title = values["title"]
    quiz.lesson_id = values["lesson"]
    quiz.shuffle_questions = values["shuffle_questions"]
    quiz.shuffle_choices = values["shuffle_choices"]
    quiz.attempts_allowed = values["attempts_allowed"]
    quiz.scoring_policy = values["scoring_policy"]
    draw = values["draw"]
    quiz.draw_bank_id = draw["bank"] if draw else None
    quiz.draw_tag = draw.get("tag", "") if draw else ""
    quiz.draw_count = draw["count"] if draw else None
    try:
        with transaction.atomic():
            quiz.save()
    except IntegrityError:
        raise InvalidQuiz({"slug": [slug_taken("quiz", quiz.slug)]}) from None
    _entries_sync(quiz, values["questions"] or [])


def _entries_sync(quiz: Quiz, question_ids: list[int]) -> None:
    entries = {entry.question_id: entry for entry in quiz.entries.all()}
    quiz.entries.exclude(question_id__in=question_ids).delete()
    for position, question_id in enumerate(question_ids):
        entry = entries.get(question_id)
        if entry is None:
            QuizQuestion.objects.create(quiz=quiz, question_id=question_id, position=position)
        elif entry.position != position:
            QuizQuestion.objects.filter(pk=entry.pk).update(position=position)


def _check_lesson(errors: Errors, lesson: Any) -> None:
    if lesson is None:
        return
    lesson_model = Quiz._meta.get_field("lesson").related_model
    if not _is_id(lesson):
        errors["lesson"] = ["A lesson id (a whole number) or null."]
    elif not lesson_model._default_manager.filter(pk=lesson).exists():  # type: ignore[union-attr]
        errors["lesson"] = [f"There is no lesson {lesson}."]


def _check_questions(errors: Errors, questions: Any) -> None:
    if not isinstance(questions, list) or not all(_is_id(q) for q in questions):
        errors["questions"] = ["A list of question ids (whole numbers)."]
        return
    if len(questions) > MAX_QUESTIONS:
        errors["questions"] = [f"At most {MAX_QUESTIONS} questions."]
        return
    if len(set(questions)) != len(questions):
        errors["questions"] = ["A question appears twice."]
        return
    known = set(Question.objects.filter(pk__in=questions).values_list("pk", flat=True))
    unknown = [q for q in questions if q not in known]
    if unknown:
        errors["questions"] = [
            f"There is no question {', '.join(str(q) for q in unknown[:10])}."
            if len(unknown) == 1
            else f"There are no questions {', '.join(str(q) for q in unknown[:10])}."
        ]


def _check_draw(errors: Errors, draw: Any) -> None:
    if not isinstance(draw, Mapping):
        errors["draw"] = ["An object {bank, tag, count} or null."]
        return
    problems = [f"Unknown field {str(name)!r}." for name in draw if name not in DRAW_FIELDS]
    bank_id: Any = draw.get("bank")
    tag: Any = draw.get("tag", "")
    count: Any = draw.get("count")
    if not _is_id(bank_id):
        problems.append("bank: a question bank id is required.")
    elif not QuestionBank.objects.filter(pk=bank_id).exists():
        problems.append(f"bank: there is no question bank {bank_id}.")
    if not isinstance(tag, str) or (tag and not TAG_RE.match(tag)) or len(tag) > 50:
        problems.append("tag: a tag (letters, digits, - _ .) or an empty string for any tag.")
    if not _is_int(count) or not 1 <= count <= MAX_QUESTIONS:
        problems.append(f"count: a whole number from 1 to {MAX_QUESTIONS}.")
    if not problems:
        available = Question.objects.filter(bank_id=bank_id).active().exclude(kind="description")
        if tag:
            available = available.tagged(tag)
        have = available.count()
        if have < count:
            tagged = f" tagged {tag!r}" if tag else ""
            problems.append(
                f"The bank has only {have} active questions{tagged}; this quiz asks for {count}."
            )
    if problems:
        errors["draw"] = problems


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_id(value: Any) -> bool:
    """A whole number a database key can be (bigger ones overflow the driver)."""
    return _is_int(value) and 1 <= value < 2**63
