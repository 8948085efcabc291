"""Create or update a question bank and quiz from a definition (a parsed quiz.toml).

Idempotent: questions are matched by their stable `key`, so loading again updates wording in
place (a new question version) and never duplicates. Nothing an attempt needs is deleted:
questions dropped from the file are archived, and attempts score from their own snapshot anyway.
"""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from lti_quiz.lib.slugs import is_slug
from lti_quiz.quiz.bank import (
    bank_create,
    bank_update,
    question_create,
    question_update,
    question_validate,
    quiz_create,
    quiz_data,
    quiz_update,
)
from lti_quiz.quiz.errors import InvalidData, InvalidQuizDefinition
from lti_quiz.quiz.models import Question, QuestionBank, Quiz, ScoringPolicy
from lti_quiz.quiz.question_format import OUTCOME_FEEDBACK, default_points

_QUIZ_FIELDS = {
    "slug", "title", "bank", "questions", "shuffle_questions", "shuffle_choices",
    "attempts_allowed", "scoring_policy",
}  # fmt: skip
_QUESTION_FIELDS = {
    "key", "kind", "text", "points", "explanation", *OUTCOME_FEEDBACK, "tags", "choices",
    "patterns", "model_answer", "rejected_patterns", "spec", "hints",
}  # fmt: skip
_CHOICE_FIELDS = {"text", "correct", "fraction", "feedback"}


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
    data = _question_data(qdef)
    existing = Question.objects.filter(bank=bank, key=qdef["key"]).first()
    try:
        if existing is None:
            return question_create(bank=bank, data=data), 1
        question = question_update(question=existing, data=data)
    except InvalidData as exc:
        raise InvalidQuizDefinition(f"question {qdef['key']!r}: {_first_error(exc)}") from None
    return question, int(question.version != existing.version)


def _question_data(qdef: Mapping[str, Any]) -> dict[str, Any]:
    """The definition as QuestionData, the form the API takes (the file says `correct`)."""
    choices = []
    for cdef in qdef.get("choices", []):
        choice = {
            "text": cdef.get("text"),
            "is_correct": bool(cdef.get("correct", False)),
            "feedback": cdef.get("feedback", ""),
        }
        if "fraction" in cdef:
            choice["fraction"] = str(cdef["fraction"])
        choices.append(choice)
    points = qdef.get("points", default_points(qdef.get("kind")))
    return {
        "key": qdef["key"],
        "kind": qdef.get("kind"),
        "text": qdef.get("text"),
        "points": str(points) if isinstance(points, int | float) else points,
        "explanation": qdef.get("explanation", ""),
        **{name: qdef.get(name, "") for name in OUTCOME_FEEDBACK},
        "tags": qdef.get("tags", []),
        "status": Question.Status.ACTIVE.value,
        "choices": choices,
        "patterns": qdef.get("patterns", []),
        "model_answer": qdef.get("model_answer", ""),
        "rejected_patterns": qdef.get("rejected_patterns", []),
        "spec": qdef.get("spec", {}),
        "hints": qdef.get("hints", []),
    }


def _first_error(errors: InvalidData | Mapping[str, Any]) -> str:
    """The first problem, field named: `spec: ...`, `choices: ...`."""
    if isinstance(errors, InvalidData):
        errors = errors.errors
    field, messages = next(iter(errors.items()))
    while isinstance(messages, Mapping):  # nested (a choice's field): name the path
        inner, messages = next(iter(messages.items()))
        field = f"{field}.{inner}"
    first = messages[0] if isinstance(messages, list) and messages else messages
    if isinstance(first, Mapping):
        return f"{field}: {_first_error(first)}"
    return f"field {field!r}: {first}"


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
    for qdef in questions:
        _validate_question(qdef)
    keys = [q["key"] for q in questions]
    if len(set(keys)) != len(keys):
        raise InvalidQuizDefinition("Two questions share a key.")


def _validate_question(qdef: Mapping[str, Any]) -> None:
    """The file's shape here; the question itself is judged by `question_validate`, the one
    set of rules the REST API and the import formats use too, so a file holds any kind."""
    where = f"question {qdef.get('key', '?')!r}" if isinstance(qdef, Mapping) else "a question"
    _fields(qdef, _QUESTION_FIELDS, where)
    _text(qdef, "key", where)
    if not is_slug(qdef["key"]):
        raise InvalidQuizDefinition(f"The key of {where} is not a slug.")
    for cdef in qdef.get("choices", []) if isinstance(qdef.get("choices"), list) else []:
        _fields(cdef, _CHOICE_FIELDS, f"a choice of {where}")
    errors = question_validate(_question_data(qdef))
    if errors:
        raise InvalidQuizDefinition(f"{where}: {_first_error(errors)}")


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
