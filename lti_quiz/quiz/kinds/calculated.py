"""Calculated questions (Moodle's calculated and calculatedsimple): a numerical question whose
numbers come from datasets.

spec: {"answers": [{"formula": "{f}*{d}", "tolerance": "0.01", "tolerance_type": "relative",
"fraction": "1", "feedback": "", "answer_length": 2, "answer_format": "decimals"}],
"datasets": [{"name": "f", "values": ["20", "35"]}], plus the numerical kind's units settings
("units", "unit_handling", "unit_penalty"). A dataset may also keep how Moodle generates its
values ("minimum", "maximum", "decimals", "distribution", "status") so an export says the same.

An attempt picks one dataset item (the same item number in every dataset, as Moodle does) and
keeps a plain numerical question: the text with `{f}` and `{=formula}` replaced, each answer's
value computed, its tolerance made absolute. From then on the numerical kind asks and scores it,
so a result never depends on evaluating a formula again.

Tolerance types as Moodle's qtype_numerical_answer::get_tolerance_interval: relative
(tolerance * |answer|), nominal (± tolerance), geometric ([answer / (1 + t), answer * (1 + t)],
kept as its middle ± half its width: the same interval).
"""

import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lti_quiz.lib.fields import Errors
from lti_quiz.quiz.kinds.base import Kind, QuestionData
from lti_quiz.quiz.kinds.formula import EMBEDDED, WILDCARD, FormulaError, check, evaluate
from lti_quiz.quiz.kinds.numbers import decimal_or_none

if TYPE_CHECKING:
    from lti_quiz.quiz.models import Question

TOLERANCE_TYPES = ("relative", "nominal", "geometric")
ANSWER_FORMATS = ("decimals", "significant")
ANSWER_FIELDS = {
    "formula", "tolerance", "tolerance_type", "fraction", "feedback", "answer_length",
    "answer_format",
}  # fmt: skip
DATASET_FIELDS = {"name", "values", "minimum", "maximum", "decimals", "distribution", "status"}
# The numerical kind's unit settings, kept as they are.
UNIT_FIELDS = ("units", "unit_handling", "unit_penalty", "unit_grading", "units_left")
MAX_ITEMS = 100


class Calculated(Kind):
    name = "calculated"
    label = "calculated"
    answer_shape = "text"
    template = "numerical"
    fields = frozenset({"spec"})

    def validate(self, question: QuestionData, errors: Errors) -> None:
        super().validate(question, errors)
        for problem in spec_problems(question["spec"]):
            errors.setdefault("spec", []).append(problem)
        if "spec" not in errors:
            numerical = _numerical_spec(question["spec"], _first_item(question["spec"]))
            _numerical().validate({**question, "kind": "numerical", "spec": numerical}, errors)

    def snapshot(self, question: "Question", *, rng: random.Random, shuffle: bool) -> dict:
        spec = question.spec
        item = rng.randrange(item_count(spec))
        values = {d["name"]: d["values"][item] for d in spec["datasets"]}
        from lti_quiz.quiz.models import Question as QuestionModel

        plain = QuestionModel(kind="numerical", spec=_numerical_spec(spec, values))
        asked = _numerical().snapshot(plain, rng=rng, shuffle=shuffle)
        return {
            **asked,
            "kind": "numerical",
            "text": substitute(question.text, values),
            "explanation": substitute(question.explanation, values),
            "correct_feedback": substitute(question.correct_feedback, values),
            "partially_correct_feedback": substitute(question.partially_correct_feedback, values),
            "incorrect_feedback": substitute(question.incorrect_feedback, values),
            # Which numbers this attempt was given (Moodle's "variant").
            "calculated": {"item": item + 1, "values": values},
        }


CALCULATED = Calculated()


def item_count(spec: dict[str, Any]) -> int:
    """Dataset items every dataset has (the shortest dataset's length)."""
    return min(len(dataset["values"]) for dataset in spec["datasets"])


def substitute(text: str, values: dict[str, str]) -> str:
    """`{name}` replaced by its value and `{=formula}` by its result (up to 12 significant
    digits)."""

    def computed(found: Any) -> str:
        try:
            return _shown(evaluate(found.group(1), values))
        except FormulaError:
            return found.group(0)

    text = EMBEDDED.sub(computed, text)
    return WILDCARD.sub(lambda found: str(values.get(found.group(1), found.group(0))), text)


def answer_shown(value: float, *, length: int, answer_format: str) -> str:
    """The right answer as Moodle shows it: `length` decimals, or significant figures."""
    if answer_format == "significant":
        return f"{float(f'{value:.{max(length, 1)}g}'):g}"
    return f"{value:.{length}f}"


def spec_problems(spec: Any) -> list[str]:
    problems = [f"Unknown setting {name!r}." for name in spec if name not in _SPEC_FIELDS]
    datasets = spec.get("datasets")
    names: set[str] = set()
    if not isinstance(spec.get("simple", False), bool):
        problems.append("simple: must be true or false.")
    if not isinstance(datasets, list) or not datasets:
        problems.append("datasets: give at least one dataset.")
    else:
        for number, dataset in enumerate(datasets, start=1):
            problems += _dataset_problems(number, dataset, names)
    answers = spec.get("answers")
    if not isinstance(answers, list) or not answers:
        return [*problems, "answers: give at least one answer."]
    best = Decimal(0)
    for number, answer in enumerate(answers, start=1):
        found, fraction = _answer_problems(number, answer, names)
        problems += found
        best = max(best, fraction)
    if best != 1 and not problems:
        problems.append("answers: one answer must give full marks (fraction 1).")
    return problems


# "simple": Moodle's calculatedsimple (the same question, edited on one form): exports say so.
_SPEC_FIELDS = {"answers", "datasets", "simple", *UNIT_FIELDS}


def _dataset_problems(number: int, dataset: Any, names: set[str]) -> list[str]:
    where = f"datasets[{number}]"
    if not isinstance(dataset, dict) or set(dataset) - DATASET_FIELDS:
        return [f"{where}: an object with name and values."]
    name = dataset.get("name")
    problems = []
    if not isinstance(name, str) or not WILDCARD.fullmatch("{" + name + "}"):
        problems.append(f"{where}.name: letters, digits and _, starting with a letter.")
    elif name in names:
        problems.append(f"{where}.name: {name!r} is given twice.")
    else:
        names.add(name)
    values = dataset.get("values")
    if not isinstance(values, list) or not 1 <= len(values) <= MAX_ITEMS:
        problems.append(f"{where}.values: from 1 to {MAX_ITEMS} numbers.")
    elif not all(decimal_or_none(value) is not None for value in values):
        problems.append(f"{where}.values: numbers only.")
    return problems


def _answer_problems(number: int, answer: Any, names: set[str]) -> tuple[list[str], Decimal]:
    where = f"answers[{number}]"
    if not isinstance(answer, dict) or set(answer) - ANSWER_FIELDS:
        return [f"{where}: an object with formula, tolerance and fraction."], Decimal(0)
    problems = []
    formula = answer.get("formula")
    if not isinstance(formula, str) or not formula.strip():
        problems.append(f"{where}.formula: this field may not be blank.")
    elif problem := check(formula, names):
        problems.append(f"{where}.formula: {problem}")
    tolerance = decimal_or_none(answer.get("tolerance", "0"))
    if tolerance is None or tolerance < 0:
        problems.append(f"{where}.tolerance: a number, 0 or more.")
    if answer.get("tolerance_type", "relative") not in TOLERANCE_TYPES:
        problems.append(f"{where}.tolerance_type: one of {', '.join(TOLERANCE_TYPES)}.")
    if answer.get("answer_format", "decimals") not in ANSWER_FORMATS:
        problems.append(f"{where}.answer_format: one of {', '.join(ANSWER_FORMATS)}.")
    length = answer.get("answer_length", 2)
    if isinstance(length, bool) or not isinstance(length, int) or not 0 <= length <= 9:
        problems.append(f"{where}.answer_length: a whole number from 0 to 9.")
    if not isinstance(answer.get("feedback", ""), str):
        problems.append(f"{where}.feedback: must be a string.")
    fraction = decimal_or_none(answer.get("fraction", "1"))
    if fraction is None or not 0 <= fraction <= 1:
        problems.append(f"{where}.fraction: a number from 0 to 1.")
        fraction = Decimal(0)
    return problems, fraction


def _first_item(spec: dict[str, Any]) -> dict[str, str]:
    return {d["name"]: d["values"][0] for d in spec["datasets"]}


def _numerical_spec(spec: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """The numerical kind's spec for one dataset item: values computed, tolerances absolute."""
    answers = []
    for answer in spec["answers"]:
        try:
            value = evaluate(answer["formula"], values)
        except FormulaError:
            continue  # this item makes the formula undefined: the answer cannot match
        low, high = _interval(value, answer)
        answers.append(
            {
                "value": _shown((low + high) / 2),
                "tolerance": _shown((high - low) / 2),
                "fraction": str(answer.get("fraction", "1")),
                "feedback": substitute(str(answer.get("feedback", "")), values),
            }
        )
    numerical = {"answers": answers}
    numerical.update({name: spec[name] for name in UNIT_FIELDS if name in spec})
    return numerical


def _interval(value: float, answer: dict[str, Any]) -> tuple[float, float]:
    tolerance = float(answer.get("tolerance", 0))
    kind = answer.get("tolerance_type", "relative")
    if kind == "nominal":
        return value - tolerance, value + tolerance
    if kind == "geometric":
        quotient = 1 + abs(tolerance)
        ends = (value / quotient, value * quotient)
        return min(ends), max(ends)
    spread = abs(value) * tolerance
    return value - spread, value + spread


def _shown(value: float) -> str:
    # 12 significant digits: enough for any answer, and float noise (0.700000000000003) gone.
    return f"{value:.12g}"


def _numerical() -> Kind:
    from lti_quiz.quiz.kinds import kind_get

    return kind_get("numerical")
