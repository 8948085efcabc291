"""Single choice, multiple response and true/false: options with random keys per attempt.

Multiple response is all-or-nothing: no partial credit, because a learner who ticks every box
would otherwise earn points for not knowing.
"""

import random
import secrets
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.translation import gettext

from lti_quiz.lib.fields import Errors
from lti_quiz.quiz.errors import InvalidAnswer
from lti_quiz.quiz.kinds.base import (
    Answer,
    Kind,
    Outcome,
    QuestionData,
    SnapshotQuestion,
    points,
)

if TYPE_CHECKING:
    from lti_quiz.quiz.models import Question


class ChoiceKind(Kind):
    answer_shape = "choices"
    template = "choice"
    fields = frozenset({"choices"})
    # How many options a learner picks: one (radio buttons) or any number (checkboxes).
    picks_one: ClassVar[bool] = True
    keeps_order: ClassVar[bool] = (
        False  # True/false keeps its order: "False, True" reads like a trick.
    )

    def validate(self, question: QuestionData, errors: Errors) -> None:
        super().validate(question, errors)
        choices = question["choices"]
        correct = sum(bool(choice.get("is_correct", False)) for choice in choices)
        if len(choices) < 2:
            errors.setdefault("choices", []).append("Give at least two choices.")
        if self.picks_one and correct != 1:
            errors.setdefault("choices", []).append(
                f"Mark exactly one choice correct ({correct} are marked)."
            )
        elif not self.picks_one and correct < 1:
            errors.setdefault("choices", []).append("Mark at least one choice correct.")

    def snapshot(self, question: "Question", *, rng: random.Random, shuffle: bool) -> dict:
        choices = list(question.choices.all())
        if shuffle and not self.keeps_order:
            rng.shuffle(choices)
        keys = unique_keys(len(choices))
        return {
            "spec": dict(question.spec),
            "choices": [
                {
                    "key": key,
                    "choice_id": choice.pk,
                    "text": choice.text,
                    "is_correct": choice.is_correct,
                    "fraction": None if choice.fraction is None else str(choice.fraction),
                    "feedback": choice.feedback,
                }
                for key, choice in zip(keys, choices, strict=True)
            ],
        }

    def answer_problem(self, question: SnapshotQuestion, value: Any) -> str | None:
        if not isinstance(value, list) or not all(isinstance(key, str) for key in value):
            return "Expected a list of choice keys."
        keys = {choice["key"] for choice in question["choices"]}
        if unknown := [key for key in value if key not in keys]:
            return f"Not a choice of this question: {unknown[0]}."
        if self.picks_one and len(value) > 1:
            return "This question takes one answer."
        if len(set(value)) != len(value):
            return "A choice is given twice."
        return None

    def score(self, question: SnapshotQuestion, answer: Answer) -> Outcome:
        chosen = _as_keys(question, answer)
        _check_keys(question, chosen)
        if self.picks_one and len(chosen) > 1:
            raise InvalidAnswer(
                gettext("Question %(slot)s takes one answer.") % {"slot": question["slot"]}
            )
        correct = {choice["key"] for choice in question["choices"] if choice["is_correct"]}
        is_correct = bool(chosen) and set(chosen) == correct
        feedback = "\n".join(
            choice["feedback"]
            for choice in question["choices"]
            if choice["key"] in chosen and choice["feedback"]
        )
        score = points(question) if is_correct else Decimal(0)
        return Outcome(answer=chosen, is_correct=is_correct, score=score, feedback=feedback)

    def ask(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        chosen = set(answer) if isinstance(answer, list) else set()
        return {
            "input_type": "radio" if self.picks_one else "checkbox",
            "choices": [
                {"key": c["key"], "text": c["text"], "chosen": c["key"] in chosen}
                for c in question["choices"]
            ],
        }

    def review(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        chosen = set(answer) if isinstance(answer, list) else set()
        choices = [
            {
                "key": c["key"],
                "text": c["text"],
                "is_correct": c["is_correct"],
                "chosen": c["key"] in chosen,
                "feedback": c["feedback"],
            }
            for c in question["choices"]
        ]
        return {
            "choices": choices,
            # Why each chosen option is right or wrong; for a right option the learner left
            # out, why it is right (this one says which options are right).
            "choice_feedback": [c for c in choices if c["chosen"] and c["feedback"]],
            "missed_feedback": [
                c for c in choices if c["is_correct"] and not c["chosen"] and c["feedback"]
            ],
            "partly": not self.picks_one and any(c["chosen"] and c["is_correct"] for c in choices),
        }

    def answer_text(self, question: SnapshotQuestion, answer: Any) -> str:
        chosen = answer if isinstance(answer, list) else []
        return "; ".join(c["text"] for c in question["choices"] if c["key"] in chosen)


class SingleChoice(ChoiceKind):
    name = "single_choice"
    label = "single-choice"


class MultipleResponse(ChoiceKind):
    name = "multiple_response"
    label = "multiple-response"
    picks_one = False


class TrueFalse(ChoiceKind):
    name = "true_false"
    keeps_order = True

    label = "true/false"

    def validate(self, question: QuestionData, errors: Errors) -> None:
        if len(question["choices"]) != 2:
            errors.setdefault("choices", []).append(
                "A true/false question has exactly two choices."
            )
            question = {**question, "choices": question["choices"][:2] or [{}, {}]}
        super().validate(question, errors)


SINGLE_CHOICE = SingleChoice()
MULTIPLE_RESPONSE = MultipleResponse()
TRUE_FALSE = TrueFalse()


def unique_keys(count: int) -> list[str]:
    """Random keys, one per option: they say nothing about correctness or authoring order, and
    a key learned from one attempt's results means nothing in the next attempt."""
    keys: list[str] = []
    while len(keys) < count:
        key = secrets.token_hex(4)
        if key not in keys:
            keys.append(key)
    return keys


def _check_keys(question: SnapshotQuestion, chosen: list[str]) -> None:
    known = {choice["key"] for choice in question["choices"]}
    if len(set(chosen)) != len(chosen) or not set(chosen) <= known:
        raise InvalidAnswer(
            gettext("An answer to question %(slot)s is not one of its options.")
            % {"slot": question["slot"]}
        )


def _as_keys(question: SnapshotQuestion, answer: Answer) -> list[str]:
    if answer is None or answer == "":
        return []
    if isinstance(answer, str):
        return [answer]
    if not isinstance(answer, list | tuple) or not all(isinstance(key, str) for key in answer):
        raise InvalidAnswer(
            gettext("An answer to question %(slot)s is not one of its options.")
            % {"slot": question["slot"]}
        )
    return [key for key in answer if key]
