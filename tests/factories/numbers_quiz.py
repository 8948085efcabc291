"""A quiz of one numerical and one cloze question (quiz/kinds/numerical.py, cloze.py)."""

from lti_quiz.quiz.bank import question_update
from lti_quiz.quiz.models import Question, Quiz
from tests.factories.quiz import choice_question, make_quiz

NUMERICAL_SPEC = {
    "answers": [{"value": "9.81", "tolerance": "0.05", "fraction": "1", "feedback": "Yes."}],
    "units": [{"unit": "m/s²", "multiplier": "1"}, {"unit": "cm/s²", "multiplier": "100"}],
    "unit_handling": "optional",
}
CLOZE_TEXT = "<b>Capital</b>: [[1]], pi: [[2]], sky: [[3]], tick: [[4]]."
CLOZE_SPEC = {
    "gaps": [
        {
            "type": "short_answer",
            "answers": [
                {"text": "Berlin", "fraction": "1", "feedback": ""},
                {"text": "*", "fraction": "0", "feedback": "Not that city."},
            ],
        },
        {
            "type": "numerical",
            "weight": "2",
            "answers": [{"value": "3.14", "tolerance": "0.01", "fraction": "1", "feedback": ""}],
        },
        {
            "type": "choice",
            "choices": [
                {"text": "blue", "fraction": "1", "feedback": ""},
                {"text": "red", "fraction": "0", "feedback": ""},
            ],
        },
        {
            "type": "choice",
            "display": "horizontal",
            "multiple": True,
            "choices": [
                {"text": "a", "fraction": "0.5", "feedback": ""},
                {"text": "b", "fraction": "0.5", "feedback": ""},
                {"text": "c", "fraction": "-1", "feedback": ""},
            ],
        },
    ]
}


def make_numbers_quiz() -> Quiz:
    """Question 1: g at sea level (2 points); question 2: four gaps (5 points)."""
    quiz = make_quiz(slug="kinds", questions=[choice_question("num"), choice_question("gaps")])
    question_update(
        question=Question.objects.get(key="num"),
        data={
            "kind": "numerical",
            "text": "g at sea level?",
            "choices": [],
            "spec": NUMERICAL_SPEC,
            "points": "2",
        },
    )
    question_update(
        question=Question.objects.get(key="gaps"),
        data={
            "kind": "cloze",
            "text": CLOZE_TEXT,
            "choices": [],
            "spec": CLOZE_SPEC,
            "points": "5",
        },
    )
    return quiz
