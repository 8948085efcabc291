"""Scoring: pure functions from a snapshot question and an answer to an outcome.

They read only the attempt's snapshot (never the live question), so a result is reproducible
from what was asked. Each kind scores its own answers (quiz/kinds/).
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from lti_quiz.quiz.errors import InvalidAnswer
from lti_quiz.quiz.kinds import Answer, Outcome, kind_get
from lti_quiz.quiz.kinds.base import points

__all__ = ["Answer", "Outcome", "credit_step", "points", "score_answers", "score_question", "total"]


def score_question(question: Mapping[str, Any], answer: Answer) -> Outcome:
    try:
        kind = kind_get(question["kind"])
    except KeyError:
        raise ValueError(f"Unknown question kind {question['kind']!r}") from None
    return kind.score(question, answer)


def points_text(value: Decimal) -> str:
    """A score as people write it: "1", "0.5", "1.25"."""
    return f"{value.normalize():f}"


def credit_step(question: Mapping[str, Any]) -> Decimal:
    """The steps a reviewer's partial credit moves in: half points, or cents when the question's
    points are not a multiple of a half."""
    half = Decimal("0.5")
    return half if points(question) % half == 0 else Decimal("0.01")


def score_answers(snapshot: Mapping[str, Any], answers: Mapping[str, Answer]) -> dict[str, Outcome]:
    """Every asked question's outcome, by slot. Unanswered questions score zero; a text
    between questions (a description) has no outcome."""
    questions = {
        question["slot"]: question
        for question in snapshot["questions"]
        if kind_get(question["kind"]).scored
    }
    unknown = set(answers) - set(questions)
    if unknown:
        raise InvalidAnswer(
            gettext("There is no question %(slot)s in this attempt.") % {"slot": sorted(unknown)[0]}
        )
    return {slot: score_question(q, answers.get(slot)) for slot, q in questions.items()}


def total(outcomes: Mapping[str, Outcome]) -> tuple[Decimal, bool]:
    """(score of what is decided, whether anything waits for review)."""
    score = sum((outcome.score for outcome in outcomes.values()), Decimal(0))
    return score, any(outcome.pending for outcome in outcomes.values())
