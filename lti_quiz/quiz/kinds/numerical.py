"""Numerical questions: a number within a tolerance, optionally with a unit (Moodle's
qtype_numerical).

The first answer, in the author's order, whose range holds the number gives its fraction of
the points. Units convert to the first unit as Moodle does: value in the first unit = the
number typed / the unit's multiplier. Unit handling:

- "none": the answer is a number alone; anything after it makes it unreadable (0 points).
- "optional": a number alone is in the first unit; with a known unit it is converted; an
  unknown unit makes it unreadable.
- "required": a number without a known unit is compared as typed and loses `unit_penalty`
  (a fraction of the points; with `unit_grading` "response", a fraction of what the answer
  earned, as Moodle's "fraction of response grade").
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from lti_quiz.lib.fields import Errors
from lti_quiz.quiz.kinds.base import (
    Answer,
    Kind,
    Outcome,
    QuestionData,
    SnapshotQuestion,
    as_text,
    points,
    text_problem,
)
from lti_quiz.quiz.kinds.numbers import (
    answer_match,
    answers_check,
    best_value,
    credit,
    decimal_or_none,
    fraction_check,
    number_split,
    number_text,
)

MAX_NUMERICAL_ANSWER_LENGTH = 100
UNIT_HANDLING = ("none", "optional", "required")
SPEC_FIELDS = {"answers", "units", "unit_handling", "unit_penalty", "unit_grading", "units_left"}


class Numerical(Kind):
    name = "numerical"
    answer_shape = "text"
    template = "numerical"
    fields = frozenset({"spec"})
    label = "numerical"

    def validate(self, question: QuestionData, errors: Errors) -> None:
        super().validate(question, errors)
        spec = question["spec"]
        if unknown := set(spec) - SPEC_FIELDS:
            errors.setdefault("spec", []).append(f"Unknown setting {sorted(unknown)[0]}.")
        answers_check(spec.get("answers"), errors, field="spec.answers")
        handling = spec.get("unit_handling", "none")
        if handling not in UNIT_HANDLING:
            errors.setdefault("spec.unit_handling", []).append(
                f"Must be one of: {', '.join(UNIT_HANDLING)}."
            )
        units = spec.get("units", [])
        if not isinstance(units, list):
            errors.setdefault("spec.units", []).append("Expected a list of units.")
            units = []
        seen: set[str] = set()
        for number, unit in enumerate(units, start=1):
            where = f"spec.units[{number}]"
            if not isinstance(unit, Mapping):
                errors.setdefault(where, []).append("Expected an object.")
                continue
            name = unit.get("unit")
            if not isinstance(name, str) or not name.strip():
                errors.setdefault(f"{where}.unit", []).append("This field may not be blank.")
            elif name.strip() in seen:
                errors.setdefault(f"{where}.unit", []).append("This unit is given twice.")
            else:
                seen.add(name.strip())
            multiplier = decimal_or_none(unit.get("multiplier", "1"))
            if multiplier is None or multiplier <= 0:
                errors.setdefault(f"{where}.multiplier", []).append("A number above 0.")
            elif number == 1 and multiplier != 1:
                errors.setdefault(f"{where}.multiplier", []).append(
                    "The first unit is the answers' unit: its multiplier is 1."
                )
        if handling != "none" and not units:
            errors.setdefault("spec.units", []).append(
                f"Unit handling {handling} needs at least one unit."
            )
        fraction_check(spec.get("unit_penalty", "0"), errors, field="spec.unit_penalty")
        if spec.get("unit_grading", "question") not in ("question", "response"):
            errors.setdefault("spec.unit_grading", []).append("Must be question or response.")
        if not isinstance(spec.get("units_left", False), bool):
            errors.setdefault("spec.units_left", []).append("Must be true or false.")

    def answer_problem(self, question: SnapshotQuestion, value: Any) -> str | None:
        return text_problem(value, limit=MAX_NUMERICAL_ANSWER_LENGTH)

    def score(self, question: SnapshotQuestion, answer: Answer) -> Outcome:
        text = as_text(question, answer, limit=MAX_NUMERICAL_ANSWER_LENGTH)
        reading = read(question["spec"], text)
        if reading.problem:
            return Outcome(answer=text, is_correct=False, score=Decimal(0))
        assert reading.value is not None
        match = answer_match(question["spec"]["answers"], reading.value)
        if match is None:
            return Outcome(answer=text, is_correct=False, score=Decimal(0))
        fraction = match.fraction
        if not reading.unit_right:
            fraction = unit_penalised(question["spec"], fraction)
        return Outcome(
            answer=text,
            is_correct=fraction == 1,
            score=credit(points(question), fraction),
            feedback=match.feedback,
        )

    def ask(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        spec = question["spec"]
        return {
            "max_length": MAX_NUMERICAL_ANSWER_LENGTH,
            "unit_handling": spec.get("unit_handling", "none"),
            "units": [unit["unit"] for unit in spec.get("units", [])],
        }

    def review(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        spec = question["spec"]
        text = answer if isinstance(answer, str) else ""
        reading = read(spec, text)
        units = spec.get("units", [])
        right = best_value(spec["answers"])
        if right and units:
            unit = units[0]["unit"]
            right = f"{unit} {right}" if spec.get("units_left") else f"{right} {unit}"
        return {
            "answer_problem": reading.problem if text else "",
            "read_as": ""
            if reading.value is None or reading.problem or not units or not reading.unit_right
            else f"{number_text(reading.value)} {units[0]['unit']}",
            "unit_missed": bool(text) and not reading.problem and not reading.unit_right,
            "right_answer": right,
        }


class Reading:
    """A response read: the number in the first unit, whether its unit is right, or the
    problem in words."""

    def __init__(self, value: Decimal | None, *, unit_right: bool = True, problem: str = ""):
        self.value = value
        self.unit_right = unit_right
        self.problem = problem


def read(spec: Mapping[str, Any], text: str) -> Reading:
    if not text:
        return Reading(None, problem=gettext("No answer."))
    handling = spec.get("unit_handling", "none")
    value, unit = number_split(text, units_left=bool(spec.get("units_left")))
    if value is None:
        return Reading(None, problem=gettext("This answer is not a number."))
    if handling == "none":
        if unit:
            return Reading(None, problem=gettext("This answer is not a number alone."))
        return Reading(value)
    multipliers = {
        str(u["unit"]).strip(): Decimal(str(u.get("multiplier", "1"))) for u in spec["units"]
    }
    if not unit:
        return Reading(value, unit_right=handling == "optional")
    if unit in multipliers:
        return Reading(value / multipliers[unit])
    if handling == "optional":
        return Reading(None, problem=gettext("This unit is not one of the question's units."))
    return Reading(value, unit_right=False)


def unit_penalised(spec: Mapping[str, Any], fraction: Decimal) -> Decimal:
    penalty = Decimal(str(spec.get("unit_penalty", "0")))
    if spec.get("unit_grading", "question") == "response":
        penalty *= fraction
    return max(fraction - penalty, Decimal(0))


NUMERICAL = Numerical()
