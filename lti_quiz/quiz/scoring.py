"""Scoring: pure functions from a snapshot question and an answer to an outcome.

They read only the attempt's snapshot (never the live question), so a result is reproducible
from what was asked. Multiple response is all-or-nothing: no partial credit, because a learner
who ticks every box would otherwise earn points for not knowing.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from lti_quiz.quiz import patterns
from lti_quiz.quiz.errors import InvalidAnswer

SINGLE_CHOICE = "single_choice"
MULTIPLE_RESPONSE = "multiple_response"
TRUE_FALSE = "true_false"
SHORT_ANSWER = "short_answer"
MAX_SHORT_ANSWER_LENGTH = 2000

Question = Mapping[str, Any]
Answer = Sequence[str] | str | None


@dataclass(frozen=True)
class Outcome:
    answer: list[str] | str  # what is stored: choice keys, or the text as typed (stripped)
    is_correct: bool | None  # None: waiting for a person to decide
    score: Decimal
    feedback: str = ""
    review_reason: str = ""  # why a person decides, in words (patterns.judge)

    @property
    def pending(self) -> bool:
        return self.is_correct is None


def points(question: Question) -> Decimal:
    return Decimal(str(question["points"]))


def score_question(question: Question, answer: Answer) -> Outcome:
    kind = question["kind"]
    if kind == SHORT_ANSWER:
        return score_short_answer(question, _as_text(question, answer))
    chosen = _as_keys(question, answer)
    if kind == MULTIPLE_RESPONSE:
        return score_multiple_response(question, chosen)
    if kind in (SINGLE_CHOICE, TRUE_FALSE):
        return score_single_choice(question, chosen)
    raise ValueError(f"Unknown question kind {kind!r}")


def score_single_choice(question: Question, chosen: list[str]) -> Outcome:
    """Single choice and true/false: exactly the one correct key."""
    _check_keys(question, chosen)
    if len(chosen) > 1:
        raise InvalidAnswer(
            gettext("Question %(slot)s takes one answer.") % {"slot": question["slot"]}
        )
    return _choice_outcome(question, chosen)


def score_multiple_response(question: Question, chosen: list[str]) -> Outcome:
    _check_keys(question, chosen)
    return _choice_outcome(question, chosen)


def score_short_answer(question: Question, text: str) -> Outcome:
    """A plain match is correct; a blank is wrong; anything else (no match, a negated match, a
    match of a rejected pattern) waits for the instructor's review, with the reason."""
    if not text:
        return Outcome(answer="", is_correct=False, score=Decimal(0))
    judgement = patterns.judge(
        question["patterns"], text, rejected=question.get("rejected_patterns", ())
    )
    if judgement.accepted:
        return Outcome(answer=text, is_correct=True, score=points(question))
    return Outcome(answer=text, is_correct=None, score=Decimal(0), review_reason=judgement.reason)


def points_text(value: Decimal) -> str:
    """A score as people write it: "1", "0.5", "1.25"."""
    return f"{value.normalize():f}"


def credit_step(question: Question) -> Decimal:
    """The steps a reviewer's partial credit moves in: half points, or cents when the question's
    points are not a multiple of a half."""
    half = Decimal("0.5")
    return half if points(question) % half == 0 else Decimal("0.01")


def score_answers(snapshot: Mapping[str, Any], answers: Mapping[str, Answer]) -> dict[str, Outcome]:
    """Every asked question's outcome, by slot. Unanswered questions score zero."""
    questions = {question["slot"]: question for question in snapshot["questions"]}
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


def _choice_outcome(question: Question, chosen: list[str]) -> Outcome:
    correct = {choice["key"] for choice in question["choices"] if choice["is_correct"]}
    is_correct = bool(chosen) and set(chosen) == correct
    feedback = "\n".join(
        choice["feedback"]
        for choice in question["choices"]
        if choice["key"] in chosen and choice["feedback"]
    )
    score = points(question) if is_correct else Decimal(0)
    return Outcome(answer=chosen, is_correct=is_correct, score=score, feedback=feedback)


def _check_keys(question: Question, chosen: list[str]) -> None:
    known = {choice["key"] for choice in question["choices"]}
    if len(set(chosen)) != len(chosen) or not set(chosen) <= known:
        raise InvalidAnswer(
            gettext("An answer to question %(slot)s is not one of its options.")
            % {"slot": question["slot"]}
        )


def _as_keys(question: Question, answer: Answer) -> list[str]:
    if answer is None or answer == "":
        return []
    if isinstance(answer, str):
        return [answer]
    if not all(isinstance(key, str) for key in answer):
        raise InvalidAnswer(
            gettext("An answer to question %(slot)s is not one of its options.")
            % {"slot": question["slot"]}
        )
    return [key for key in answer if key]


def _as_text(question: Question, answer: Answer) -> str:
    if answer is None:
        return ""
    if not isinstance(answer, str):
        # A form field read with getlist(): one value at most.
        values = list(answer)
        if len(values) > 1 or not all(isinstance(value, str) for value in values):
            raise InvalidAnswer(
                gettext("Question %(slot)s takes one written answer.") % {"slot": question["slot"]}
            )
        answer = values[0] if values else ""
    text = answer.strip()
    if len(text) > MAX_SHORT_ANSWER_LENGTH:
        raise InvalidAnswer(
            gettext("The answer to question %(slot)s is longer than %(max)d characters.")
            % {"slot": question["slot"], "max": MAX_SHORT_ANSWER_LENGTH}
        )
    return text
