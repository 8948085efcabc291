"""Create or update a question bank and quiz from a definition (a parsed quiz.toml).

Idempotent: questions are matched by their stable `key`, so loading again updates wording in
place and never duplicates. Nothing an attempt needs is deleted: questions dropped from the
file are archived, and attempts score from their own snapshot anyway.
"""

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction

from lti_quiz.quiz import patterns
from lti_quiz.quiz.errors import InvalidQuizDefinition
from lti_quiz.quiz.models import (
    CHOICE_KINDS,
    AcceptedPattern,
    Choice,
    Question,
    QuestionBank,
    QuestionKind,
    Quiz,
    QuizQuestion,
    ScoringPolicy,
)

_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
_QUIZ_FIELDS = {
    "slug", "title", "bank", "questions", "shuffle_questions", "shuffle_choices",
    "attempts_allowed", "scoring_policy",
}  # fmt: skip
_QUESTION_FIELDS = {"key", "kind", "text", "points", "explanation", "tags", "choices", "patterns"}
_CHOICE_FIELDS = {"text", "correct", "feedback"}


def quiz_definition_load(*, definition: Mapping[str, Any], lesson: Any = None) -> tuple[Quiz, int]:
    """Returns the quiz and how many rows were created or changed (0: already up to date)."""
    _validate(definition)
    with transaction.atomic():
        bank_def = definition.get("bank") or {}
        bank, changes = _upsert(
            QuestionBank,
            {"slug": bank_def.get("slug", definition["slug"])},
            {"title": bank_def.get("title", definition["title"])},
        )
        questions = []
        for qdef in definition["questions"]:
            question, changed = _upsert(
                Question,
                {"bank": bank, "key": qdef["key"]},
                {
                    "kind": qdef["kind"],
                    "text": qdef["text"],
                    "points": Decimal(str(qdef.get("points", 1))),
                    "explanation": qdef.get("explanation", ""),
                    "tags": list(qdef.get("tags", [])),
                    "status": Question.Status.ACTIVE,
                },
            )
            changes += changed + _sync_choices(question, qdef.get("choices", []))
            changes += _sync_patterns(question, qdef.get("patterns", []))
            questions.append(question)
        keys = [q.key for q in questions]
        changes += (
            Question.objects.filter(bank=bank, status=Question.Status.ACTIVE)
            .exclude(key__in=keys)
            .update(status=Question.Status.ARCHIVED)
        )
        quiz, changed = _upsert(
            Quiz,
            {"slug": definition["slug"]},
            {
                "title": definition["title"],
                "lesson": lesson,
                "shuffle_questions": definition.get("shuffle_questions", False),
                "shuffle_choices": definition.get("shuffle_choices", False),
                "attempts_allowed": definition.get("attempts_allowed", 0),
                "scoring_policy": definition.get("scoring_policy", ScoringPolicy.HIGHEST),
            },
        )
        changes += changed + _sync_entries(quiz, questions)
    return quiz, changes


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[Any, int]:
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), 1
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
    return obj, int(bool(changed))


def _sync_choices(question: Question, definitions: list[dict]) -> int:
    """Choices are matched by position: an edit rewrites the choice in place."""
    existing = list(question.choices.order_by("position", "id"))
    changes = 0
    for position, cdef in enumerate(definitions):
        values = {
            "position": position,
            "text": cdef["text"],
            "is_correct": bool(cdef.get("correct", False)),
            "feedback": cdef.get("feedback", ""),
        }
        if position < len(existing):
            choice = existing[position]
            if any(getattr(choice, name) != value for name, value in values.items()):
                Choice.objects.filter(pk=choice.pk).update(**values)
                changes += 1
        else:
            Choice.objects.create(question=question, **values)
            changes += 1
    extra = [choice.pk for choice in existing[len(definitions) :]]
    if extra:
        Choice.objects.filter(pk__in=extra).delete()
        changes += 1
    return changes


def _sync_patterns(question: Question, definitions: list[str]) -> int:
    if list(question.patterns.order_by("id").values_list("pattern", flat=True)) == definitions:
        return 0
    question.patterns.all().delete()
    AcceptedPattern.objects.bulk_create(
        AcceptedPattern(question=question, pattern=pattern) for pattern in definitions
    )
    return 1


def _sync_entries(quiz: Quiz, questions: list[Question]) -> int:
    entries = {entry.question_id: entry for entry in quiz.entries.all()}
    wanted = {question.pk for question in questions}
    changes, _ = quiz.entries.exclude(question_id__in=wanted).delete()
    for position, question in enumerate(questions):
        entry = entries.get(question.pk)
        if entry is None:
            QuizQuestion.objects.create(quiz=quiz, question=question, position=position)
            changes += 1
        elif entry.position != position:
            QuizQuestion.objects.filter(pk=entry.pk).update(position=position)
            changes += 1
    return changes


def _validate(definition: Mapping[str, Any]) -> None:
    _fields(definition, _QUIZ_FIELDS, "the quiz")
    for name in ("slug", "title"):
        _text(definition, name, "the quiz")
    if not _SLUG.match(definition["slug"]):
        raise InvalidQuizDefinition(f"Quiz slug {definition['slug']!r} is not a slug.")
    if definition.get("scoring_policy", ScoringPolicy.HIGHEST) not in ScoringPolicy.values:
        raise InvalidQuizDefinition(f"scoring_policy must be one of {ScoringPolicy.values}.")
    attempts = definition.get("attempts_allowed", 0)
    if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 0:
        raise InvalidQuizDefinition("attempts_allowed must be a whole number, 0 for unlimited.")
    questions = definition.get("questions")
    if not isinstance(questions, list) or not questions:
        raise InvalidQuizDefinition("The quiz needs at least one [[questions]] entry.")
    keys = [q.get("key") for q in questions]
    if len(set(keys)) != len(keys):
        raise InvalidQuizDefinition("Two questions share a key.")
    for qdef in questions:
        _validate_question(qdef)


def _validate_question(qdef: Mapping[str, Any]) -> None:
    where = f"question {qdef.get('key', '?')!r}"
    _fields(qdef, _QUESTION_FIELDS, where)
    for name in ("key", "kind", "text"):
        _text(qdef, name, where)
    if not _SLUG.match(qdef["key"]):
        raise InvalidQuizDefinition(f"The key of {where} is not a slug.")
    kind = qdef["kind"]
    if kind not in QuestionKind.values:
        raise InvalidQuizDefinition(f"{where}: kind must be one of {QuestionKind.values}.")
    try:
        if Decimal(str(qdef.get("points", 1))) <= 0:
            raise InvalidOperation
    except InvalidOperation:
        raise InvalidQuizDefinition(f"{where}: points must be a positive number.") from None
    choices, accepted = qdef.get("choices", []), qdef.get("patterns", [])
    if kind in CHOICE_KINDS:
        if accepted or len(choices) < 2:
            raise InvalidQuizDefinition(f"{where}: give at least two choices and no patterns.")
        for cdef in choices:
            _fields(cdef, _CHOICE_FIELDS, f"a choice of {where}")
            _text(cdef, "text", f"a choice of {where}")
        correct = sum(bool(c.get("correct")) for c in choices)
        if kind == QuestionKind.MULTIPLE_RESPONSE and not correct:
            raise InvalidQuizDefinition(f"{where}: mark at least one choice correct.")
        if kind != QuestionKind.MULTIPLE_RESPONSE and correct != 1:
            raise InvalidQuizDefinition(f"{where}: mark exactly one choice correct.")
        if kind == QuestionKind.TRUE_FALSE and len(choices) != 2:
            raise InvalidQuizDefinition(f"{where}: a true/false question has two choices.")
    else:
        if choices or not accepted:
            raise InvalidQuizDefinition(f"{where}: give accepted patterns and no choices.")
        for pattern in accepted:
            try:
                patterns.validate(pattern)
            except (ValueError, AttributeError) as exc:
                raise InvalidQuizDefinition(f"{where}: pattern {pattern!r}: {exc}") from None


def _fields(mapping: Any, allowed: set[str], where: str) -> None:
    if not isinstance(mapping, Mapping):
        raise InvalidQuizDefinition(f"{where} must be a table.")
    unknown = set(mapping) - allowed
    if unknown:
        raise InvalidQuizDefinition(f"Unknown field {sorted(unknown)[0]!r} in {where}.")


def _text(mapping: Mapping[str, Any], name: str, where: str) -> None:
    value = mapping.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidQuizDefinition(f"{where} needs a non-empty {name!r}.")
