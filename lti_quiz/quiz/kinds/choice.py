"""Single choice, multiple response and true/false: options with random keys per attempt.

Partial credit, as Moodle's multichoice gives it (docs/question-kinds.md states the rules):

- single choice and true/false: the chosen option's `fraction` of the points (never below 0);
  an option without a fraction is worth 1 when correct, else 0. Only a fraction of 1 is correct.
- multiple response, `spec.scoring` "all_or_nothing" (the default): exactly the right options
  ticked earns the points, anything else nothing (ticking every box earns nothing).
- multiple response, "per_option": each ticked option adds its fraction (without one: a right
  option 1/R, a wrong one -1/R, R the number of right options), the sum kept within 0 and 1.
"""

import random
import secrets
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
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

ALL_OR_NOTHING, PER_OPTION = "all_or_nothing", "per_option"
CENT = Decimal("0.01")
# Right options' fractions in a per-option multiple response add up to 1; Moodle's 7 places
# make three thirds 0.9999999.
SUM_TOLERANCE = Decimal("0.00001")


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
        elif self.picks_one:
            _check_single_fractions(choices, errors)

    def scoring(self, question: SnapshotQuestion) -> str:
        """How ticked options score: "single", "all_or_nothing" or "per_option"."""
        return "single"

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
        feedback = "\n".join(
            choice["feedback"]
            for choice in question["choices"]
            if choice["key"] in chosen and choice["feedback"]
        )
        share = credit(question, chosen, self.scoring(question))
        # One pick: only an option worth everything is right; several: exactly the right ones.
        is_correct = share == 1 if self.picks_one else bool(chosen) and set(chosen) == correct
        score = (points(question) * share).quantize(CENT, rounding=ROUND_HALF_UP)
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
                # A wrong option worth part of the points (its mark: partly correct).
                "partly": not c["is_correct"] and (fraction_of(c) or 0) > 0,
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
    fields = frozenset({"choices", "spec"})

    def validate(self, question: QuestionData, errors: Errors) -> None:
        super().validate(question, errors)
        spec = question["spec"]
        for name in spec:
            if name != "scoring":
                errors.setdefault("spec", []).append(f"spec.{name}: unknown setting.")
        scoring = spec.get("scoring", ALL_OR_NOTHING)
        if scoring not in (ALL_OR_NOTHING, PER_OPTION):
            errors.setdefault("spec", []).append(
                f"spec.scoring: must be {ALL_OR_NOTHING!r} or {PER_OPTION!r}."
            )
        elif "choices" not in errors:
            _check_multiple_fractions(question["choices"], errors, per_option=scoring == PER_OPTION)

    def scoring(self, question: SnapshotQuestion) -> str:
        spec = question.get("spec") or {}
        return PER_OPTION if spec.get("scoring") == PER_OPTION else ALL_OR_NOTHING


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


def fraction_of(choice: Mapping[str, Any]) -> Decimal | None:
    """A choice's own fraction as a Decimal; None when it has none (or it is not a number)."""
    value = choice.get("fraction")
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        fraction = Decimal(str(value))
    except InvalidOperation:
        return None
    return fraction if fraction.is_finite() else None


def effective_fractions(choices: list[Mapping[str, Any]], scoring: str) -> list[Decimal]:
    """What each option is worth, its own fraction or the default of `scoring`: 1 or 0 for one
    pick; per option, 1/R for a right option and -1/R for a wrong one (R right options)."""
    right = sum(bool(c.get("is_correct")) for c in choices) or 1
    values = []
    for choice in choices:
        own = fraction_of(choice)
        if own is not None and scoring != ALL_OR_NOTHING:
            values.append(own)
        elif scoring == PER_OPTION:
            values.append(Decimal(1 if choice.get("is_correct") else -1) / right)
        else:
            values.append(Decimal(1 if choice.get("is_correct") else 0))
    return values


def credit(question: SnapshotQuestion, chosen: list[str], scoring: str) -> Decimal:
    """The share of the points (0 to 1) the ticked options `chosen` earn."""
    choices = question["choices"]
    if not chosen:
        return Decimal(0)
    if scoring == ALL_OR_NOTHING:
        right = {c["key"] for c in choices if c["is_correct"]}
        return Decimal(1) if set(chosen) == right else Decimal(0)
    keys = [c["key"] for c in choices]
    worth = dict(zip(keys, effective_fractions(choices, scoring), strict=True))
    total = sum((worth[key] for key in chosen), Decimal(0))
    if scoring == PER_OPTION and abs(total - 1) <= SUM_TOLERANCE:
        total = Decimal(1)  # three right thirds of 0.3333333 are the whole
    return min(Decimal(1), max(Decimal(0), total))


def _check_single_fractions(choices: list[Mapping[str, Any]], errors: Errors) -> None:
    """One pick: the correct option is worth 1, the others less."""
    for number, choice in enumerate(choices, start=1):
        fraction = fraction_of(choice)
        if fraction is None:
            continue
        if choice.get("is_correct") and fraction != 1:
            errors.setdefault("choices", []).append(
                f"Choice {number} fraction: the correct choice is worth 1 (the whole points)."
            )
        elif not choice.get("is_correct") and fraction >= 1:
            errors.setdefault("choices", []).append(
                f"Choice {number} fraction: only the correct choice is worth 1; "
                "a partly right one is worth less."
            )


def _check_multiple_fractions(
    choices: list[Mapping[str, Any]], errors: Errors, *, per_option: bool
) -> None:
    """All or nothing: no fractions. Per option: right options worth more than 0 and adding up
    to 1, wrong options worth 0 or less."""
    given = [n for n, c in enumerate(choices, start=1) if fraction_of(c) is not None]
    if not per_option:
        if given:
            errors.setdefault("choices", []).append(
                f"Choice {given[0]} fraction: an all-or-nothing multiple response has no "
                'fractions (set spec.scoring to "per_option").'
            )
        return
    for number, choice in enumerate(choices, start=1):
        fraction = fraction_of(choice)
        if fraction is None:
            continue
        if choice.get("is_correct") and fraction <= 0:
            errors.setdefault("choices", []).append(
                f"Choice {number} fraction: a right choice is worth more than 0."
            )
        elif not choice.get("is_correct") and fraction > 0:
            errors.setdefault("choices", []).append(
                f"Choice {number} fraction: a wrong choice is worth 0 or less (a penalty)."
            )
    values = effective_fractions(list(choices), PER_OPTION)
    right = sum(
        (v for v, c in zip(values, choices, strict=True) if c.get("is_correct")), Decimal(0)
    )
    if given and abs(right - 1) > SUM_TOLERANCE:
        errors.setdefault("choices", []).append(
            f"The right choices' fractions add up to {right.normalize():f}, not 1."
        )
