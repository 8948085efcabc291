"""Questions answered with drop-downs (matching, ordering, select missing words): their
QuestionData, and a quiz of all three for page and browser tests."""

from typing import Any

from lti_quiz.quiz import bank
from lti_quiz.quiz.models import Quiz
from lti_quiz.quiz.quizzes import quiz_create
from tests.factories.quiz import question_payload

MATCHING_SPEC = {
    "pairs": [
        {"prompt": "Cat", "answer": "Meow"},
        {"prompt": "Dog", "answer": "Woof"},
        {"prompt": "Kitten", "answer": "Meow"},
    ],
    "distractors": ["Moo"],
    "shuffle": True,
}
ORDERING_SPEC = {"items": ["Plan", "Build", "Test", "Ship"], "scoring": "positions"}
GAPS_TEXT = "The [[1]] sat on the [[3]]."
GAPS_SPEC = {
    "choices": [
        {"text": "cat", "group": 1, "unlimited": False},
        {"text": "dog", "group": 1, "unlimited": False},
        {"text": "mat", "group": 2, "unlimited": False},
        {"text": "hat", "group": 2, "unlimited": False},
    ],
    "shuffle": True,
    "source": "gapselect",
}


def dropdown_payload(kind: str, **fields: Any) -> dict:
    """Valid QuestionData of one of the three kinds."""
    data = question_payload(kind, choices=[])
    if kind == "matching":
        data.update(text="Match each animal with its sound.", spec=MATCHING_SPEC)
    elif kind == "ordering":
        data.update(text="Put the steps in order.", spec=ORDERING_SPEC)
    else:
        data.update(text=GAPS_TEXT, spec=GAPS_SPEC)
    return {**data, **fields}


def make_dropdown_quiz(*, slug: str = "dropdowns") -> Quiz:
    """A quiz of one matching, one ordering and one select-missing-words question, in that
    order, with shuffled choices."""
    bank_ = bank.bank_create(slug=slug, title=f"Bank {slug}")
    questions = [
        bank.question_create(bank=bank_, data=dropdown_payload(kind, key=kind.replace("_", "-")))
        for kind in ("matching", "ordering", "select_missing_words")
    ]
    return quiz_create(
        data={
            "slug": slug,
            "title": f"Quiz {slug}",
            "questions": [question.pk for question in questions],
            "shuffle_choices": True,
        }
    )
