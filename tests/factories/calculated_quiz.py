"""A quiz of one calculated and one calculated multiple-choice question (quiz/kinds/
calculated.py, calculated_choice.py), written as a content definition: the loader takes any
kind's `spec`. Each dataset has two items, so an attempt draws its own numbers."""

from typing import Any

from lti_quiz.quiz.models import Quiz
from tests.factories.quiz import make_quiz

WORK_SPEC: dict[str, Any] = {
    "answers": [
        {
            "formula": "{f}*{d}",
            "tolerance": "0.01",
            "tolerance_type": "relative",
            "fraction": "1",
            "feedback": "W = {f} N x {d} m.",
        }
    ],
    "datasets": [{"name": "f", "values": ["20", "40"]}, {"name": "d", "values": ["3.5", "2"]}],
    "units": [{"unit": "J", "multiplier": "1"}],
    "unit_handling": "optional",
}
POWER_SPEC: dict[str, Any] = {
    "choices": [
        {"text": "{={w}/{t}} W", "fraction": "1", "feedback": "Work per time."},
        {"text": "{={w}*{t}} W", "fraction": "0", "feedback": "That multiplies them."},
    ],
    "datasets": [{"name": "w", "values": ["600", "900"]}, {"name": "t", "values": ["12", "10"]}],
    "single": True,
    "shuffle": True,
}


def make_calculated_quiz() -> Quiz:
    """Question 1: the work (2 points); question 2: the power, as a choice (1 point)."""
    return make_quiz(
        slug="calculated",
        questions=[
            {
                "key": "work",
                "kind": "calculated",
                "text": "A force of {f} N moves a box {d} m: the work, in joules?",
                "points": 2,
                "spec": WORK_SPEC,
            },
            {
                "key": "power",
                "kind": "calculated_choice",
                "text": "{w} J of work in {t} s: the power?",
                "spec": POWER_SPEC,
            },
        ],
    )
