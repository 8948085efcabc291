"""Calculated multiple choice (Moodle's calculatedmulti): options whose texts hold formulas,
`{={w}/{t}} W`, computed from datasets.

spec: {"choices": [{"text": "{={w}/{t}} W", "fraction": "1", "feedback": "",
"answer_length": 2, "answer_format": "decimals"}], "datasets": [...] (as calculated questions),
"single": true, "shuffle": true}. An attempt picks one dataset item and keeps a plain single
choice (or, when `single` is false, a multiple response scored per option with the fractions):
from then on the choice kinds ask and score it.
"""

import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lti_quiz.lib.fields import Errors
from lti_quiz.quiz.kinds.base import Kind, QuestionData
from lti_quiz.quiz.kinds.calculated import (
    _dataset_problems,
    answer_shown,
    item_count,
    substitute,
)
from lti_quiz.quiz.kinds.choice import unique_keys
from lti_quiz.quiz.kinds.formula import EMBEDDED, FormulaError, check, evaluate
from lti_quiz.quiz.kinds.numbers import decimal_or_none

if TYPE_CHECKING:
    from lti_quiz.quiz.models import Question

CHOICE_FIELDS = {"text", "fraction", "feedback", "answer_length", "answer_format"}
SPEC_FIELDS = {"choices", "datasets", "single", "shuffle"}


class CalculatedChoice(Kind):
    name = "calculated_choice"
    label = "calculated multiple-choice"
    answer_shape = "choices"
    template = "choice"
    fields = frozenset({"spec"})

    def validate(self, question: QuestionData, errors: Errors) -> None:
        super().validate(question, errors)
        for problem in spec_problems(question["spec"]):
            errors.setdefault("spec", []).append(problem)

    def snapshot(self, question: "Question", *, rng: random.Random, shuffle: bool) -> dict:
        spec = question.spec
        item = rng.randrange(item_count(spec))
        values = {d["name"]: d["values"][item] for d in spec["datasets"]}
        single = bool(spec.get("single", True))
        choices = list(spec["choices"])
        if shuffle and spec.get("shuffle", True):
            rng.shuffle(choices)
        asked = []
        for key, choice in zip(unique_keys(len(choices)), choices, strict=True):
            fraction = Decimal(str(choice.get("fraction", "0")))
            asked.append(
                {
                    "key": key,
                    "choice_id": None,
                    "text": choice_text(choice, values),
                    "is_correct": fraction == 1 if single else fraction > 0,
                    "fraction": str(fraction),
                    "feedback": substitute(str(choice.get("feedback", "")), values),
                }
            )
        return {
            "kind": "single_choice" if single else "multiple_response",
            "spec": {} if single else {"scoring": "per_option"},
            "choices": asked,
            "text": substitute(question.text, values),
            "explanation": substitute(question.explanation, values),
            "calculated": {"item": item + 1, "values": values},
        }


CALCULATED_CHOICE = CalculatedChoice()


def choice_text(choice: dict[str, Any], values: dict[str, str]) -> str:
    """An option's text with each `{=formula}` computed and shown as the option says."""
    length = int(choice.get("answer_length", 2))
    answer_format = str(choice.get("answer_format", "decimals"))

    def computed(found: Any) -> str:
        try:
            value = evaluate(found.group(1), values)
        except FormulaError:
            return found.group(0)
        return answer_shown(value, length=length, answer_format=answer_format)

    return substitute(EMBEDDED.sub(computed, str(choice["text"])), values)


def spec_problems(spec: Any) -> list[str]:
    problems = [f"Unknown setting {name!r}." for name in spec if name not in SPEC_FIELDS]
    names: set[str] = set()
    datasets = spec.get("datasets")
    if not isinstance(datasets, list) or not datasets:
        problems.append("datasets: give at least one dataset.")
    else:
        for number, dataset in enumerate(datasets, start=1):
            problems += _dataset_problems(number, dataset, names)
    for name in ("single", "shuffle"):
        if not isinstance(spec.get(name, True), bool):
            problems.append(f"{name}: must be true or false.")
    choices = spec.get("choices")
    if not isinstance(choices, list) or len(choices) < 2:
        return [*problems, "choices: give at least two."]
    best = Decimal(-1)
    for number, choice in enumerate(choices, start=1):
        where = f"choices[{number}]"
        if not isinstance(choice, dict) or set(choice) - CHOICE_FIELDS:
            problems.append(f"{where}: an object with text, fraction and feedback.")
            continue
        text = choice.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}.text: this field may not be blank.")
        else:
            for found in EMBEDDED.finditer(text):
                if problem := check(found.group(1), names):
                    problems.append(f"{where}.text: {problem}")
        fraction = decimal_or_none(choice.get("fraction", "0"))
        if fraction is None or not -1 <= fraction <= 1:
            problems.append(f"{where}.fraction: a number from -1 to 1.")
        else:
            best = max(best, fraction)
    if spec.get("single", True) and best != 1 and not problems:
        problems.append("choices: one choice must give full marks (fraction 1).")
    return problems
