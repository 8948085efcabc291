"""Builders for quiz and lesson tests. Plain functions: call them from fixtures in a test module."""

from io import StringIO
from typing import Any

from django.core.management import call_command

from lti_quiz.quiz import bank
from lti_quiz.quiz.loading import quiz_definition_load
from lti_quiz.quiz.models import Attempt, Placement, Question, QuestionBank, Quiz
from lti_quiz.quiz.services import placement_get_or_create

SEED_SLUG = "distillation-tradeoffs"


def load_seed_content() -> Quiz:
    """The seed lesson and quiz, loaded the way `make run` does."""
    call_command("load_content", stdout=StringIO())
    return Quiz.objects.default()


def choice_question(key: str, *, correct: int = 0, count: int = 3, **extra: Any) -> dict:
    return {
        "key": key,
        "kind": "single_choice",
        "text": f"Question {key}?",
        "choices": [
            {"text": f"{key} option {i}", "correct": i == correct, "feedback": f"{key} fb {i}"}
            for i in range(count)
        ],
        **extra,
    }


def short_question(key: str, patterns: list[str], **extra: Any) -> dict:
    return {
        "key": key,
        "kind": "short_answer",
        "text": f"Name {key}.",
        "patterns": patterns,
        "explanation": f"{key} explained",
        **extra,
    }


def make_quiz(*, slug: str = "small", questions: list[dict] | None = None, **settings: Any) -> Quiz:
    """A quiz of two choice questions and one short answer unless told otherwise."""
    definition = {
        "slug": slug,
        "title": f"Quiz {slug}",
        "questions": questions
        or [choice_question("a"), choice_question("b", correct=2), short_question("c", ["test*"])],
        **settings,
    }
    quiz, _ = quiz_definition_load(definition=definition)
    return quiz


def make_placement(quiz: Quiz, *, key: str = "lti:1:link", **overrides: Any) -> Placement:
    placement = placement_get_or_create(key=key, title="Week 1 quiz", quiz=quiz)
    if overrides:
        Placement.objects.filter(pk=placement.pk).update(**overrides)
        placement.refresh_from_db()
    return placement


def snapshot_question(
    kind: str = "single_choice",
    *,
    correct: tuple[str, ...] = ("k1",),
    keys: tuple[str, ...] = ("k1", "k2", "k3"),
    patterns: tuple[str, ...] = (),
    points: str = "1",
    slot: str = "1",
) -> dict:
    """A question as an attempt's snapshot stores it, for the pure scoring functions."""
    return {
        "slot": slot,
        "kind": kind,
        "text": "Question?",
        "points": points,
        "explanation": "Because.",
        "choices": [
            {"key": k, "text": f"text {k}", "is_correct": k in correct, "feedback": f"fb {k}"}
            for k in (keys if kind != "short_answer" else ())
        ],
        "patterns": list(patterns),
    }


def answers_from_key(attempt: Attempt, *, right: bool = True, short: str = "a test") -> dict:
    """Answers built from the attempt's own key: all right, or all wrong."""
    answers: dict[str, list[str] | str] = {}
    for question in attempt.snapshot["questions"]:
        if question["kind"] == "short_answer":
            answers[question["slot"]] = short
        elif right:
            answers[question["slot"]] = [c["key"] for c in question["choices"] if c["is_correct"]]
        else:
            wrong = [c["key"] for c in question["choices"] if not c["is_correct"]]
            answers[question["slot"]] = wrong[:1]
    return answers


def make_bank(slug: str = "physics", title: str = "Physics") -> QuestionBank:
    return bank.bank_create(slug=slug, title=title)


def question_payload(kind: str = "single_choice", **fields: Any) -> dict:
    """Valid QuestionData of `kind` (neutral format), with `fields` replacing the defaults."""
    data: dict[str, Any] = {
        "kind": kind,
        "text": f"A {kind.replace('_', ' ')} question?",
        "points": "2",
        "explanation": "Because.",
        "correct_feedback": "",
        "partially_correct_feedback": "",
        "incorrect_feedback": "",
        "tags": ["mechanics"],
        "status": "active",
        "choices": [],
        "patterns": [],
        "model_answer": "",
        "rejected_patterns": [],
        "spec": {},
        "hints": [],
    }
    if kind == "short_answer":
        data["patterns"] = ["newton*"]
        data["model_answer"] = "Newton's second law: force is mass times acceleration."
    elif kind == "true_false":
        data["choices"] = [
            {"text": "True", "is_correct": True, "feedback": ""},
            {"text": "False", "is_correct": False, "feedback": "Think again."},
        ]
    else:
        data["choices"] = [
            {"text": "Force", "is_correct": True, "feedback": "Yes."},
            {"text": "Mass", "is_correct": kind == "multiple_response", "feedback": ""},
            {"text": "Colour", "is_correct": False, "feedback": "No."},
        ]
    return {**data, **fields}


def make_question(bank_: QuestionBank, kind: str = "single_choice", **fields: Any) -> Question:
    return bank.question_create(bank=bank_, data=question_payload(kind, **fields))
