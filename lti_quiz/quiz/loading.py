"""Create or update a question bank and quiz from a definition (a parsed quiz.toml).

Idempotent: questions are matched by their stable `key`, so loading again updates wording in
place (a new question version) and never duplicates. Nothing an attempt needs is deleted:
questions dropped from the file are archived, and attempts score from their own snapshot anyway.
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from lti_quiz.lib.slugs import is_slug
from lti_quiz.quiz import patterns
from lti_quiz.quiz.bank import (
    bank_create,
    bank_update,
    question_create,
    question_update,
    quiz_create,
    quiz_data,
    quiz_update,
)
from lti_quiz.quiz.errors import InvalidData, InvalidQuizDefinition
from lti_quiz.quiz.models import (
    CHOICE_KINDS,
    Question,
    QuestionBank,
    QuestionKind,
    Quiz,
    ScoringPolicy,
)
from lti_quiz.quiz.question_format import OUTCOME_FEEDBACK

_QUIZ_FIELDS = {
    "slug", "title", "bank", "questions", "shuffle_questions", "shuffle_choices",
    "attempts_allowed", "scoring_policy",
}  # fmt: skip
_QUESTION_FIELDS = {
    "key", "kind", "text", "points", "explanation", *OUTCOME_FEEDBACK, "tags", "choices",
    "patterns", "model_answer", "rejected_patterns",
}  # fmt: skip
_CHOICE_FIELDS = {"text", "correct", "feedback"}


def quiz_definition_load(*, definition: Mapping[str, Any], lesson: Any = None) -> tuple[Quiz, int]:
    """Returns the quiz and how many banks, questions and quizzes changed (0: up to date).

    Writes go through the bank's services, so every changed question gets a new version.
    """
    _validate(definition)
    with transaction.atomic():
        bank_def = definition.get("bank") or {}
        slug = bank_def.get("slug", definition["slug"])
        title = bank_def.get("title", definition["title"])
        changes = 0
        bank = QuestionBank.objects.filter(slug=slug).first()
        try:
            if bank is None:
                bank, changes = bank_create(slug=slug, title=title), 1
            elif bank.title != title:
                bank, changes = bank_update(bank=bank, title=title), 1
        except InvalidData as exc:
            raise InvalidQuizDefinition(f"The bank: {exc.message}") from None

        questions = []
        for qdef in definition["questions"]:
            question, changed = _question_load(bank, qdef)
            changes += changed
            questions.append(question)
        keys = [q.key for q in questions]
        for dropped in bank.questions.active().exclude(key__in=keys):
            question_update(question=dropped, data={"status": Question.Status.ARCHIVED})
            changes += 1

        quiz = Quiz.objects.filter(slug=definition["slug"]).first()
        data = {
            "slug": definition["slug"],
            "title": definition["title"],
            "lesson": lesson.pk if lesson is not None else None,
            "questions": [question.pk for question in questions],
            "draw": None,
            "shuffle_questions": definition.get("shuffle_questions", False),
            "shuffle_choices": definition.get("shuffle_choices", False),
            "attempts_allowed": definition.get("attempts_allowed", 0),
            "scoring_policy": definition.get("scoring_policy", ScoringPolicy.HIGHEST.value),
        }
        try:
            if quiz is None:
                quiz, changes = quiz_create(data=data), changes + 1
            elif quiz_data(quiz) != data:
                quiz, changes = quiz_update(quiz=quiz, data=data), changes + 1
        except InvalidData as exc:
            raise InvalidQuizDefinition(f"The quiz: {exc.message}") from None
    return quiz, changes


def _question_load(bank: QuestionBank, qdef: Mapping[str, Any]) -> tuple[Question, int]:
    """Create or update one question from its definition; (question, 1 if it changed)."""
    data = {
        "key": qdef["key"],
        "kind": qdef["kind"],
        "text": qdef["text"],
        "points": str(qdef.get("points", 1)),
        "explanation": qdef.get("explanation", ""),
        **{name: qdef.get(name, "") for name in OUTCOME_FEEDBACK},
        "tags": list(qdef.get("tags", [])),
        "status": Question.Status.ACTIVE.value,
        "choices": [
            {
                "text": cdef["text"],
                "is_correct": bool(cdef.get("correct", False)),
                "feedback": cdef.get("feedback", ""),
            }
            for cdef in qdef.get("choices", [])
        ],
        "patterns": list(qdef.get("patterns", [])),
        "model_answer": qdef.get("model_answer", ""),
        "rejected_patterns": list(qdef.get("rejected_patterns", [])),
    }
    existing = Question.objects.filter(bank=bank, key=qdef["key"]).first()
    try:
        if existing is None:
            return question_create(bank=bank, data=data), 1
        question = question_update(question=existing, data=data)
    except InvalidData as exc:
        raise InvalidQuizDefinition(f"question {qdef['key']!r}: {_first_error(exc)}") from None
    return question, int(question.version != existing.version)


def _first_error(exc: InvalidData) -> str:
    field, messages = next(iter(exc.errors.items()))
    return f"{field}: {messages[0]}"


def _validate(definition: Mapping[str, Any]) -> None:
    _fields(definition, _QUIZ_FIELDS, "the quiz")
    for name in ("slug", "title"):
        _text(definition, name, "the quiz")
    if not is_slug(definition["slug"]):
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
    if not is_slug(qdef["key"]):
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
