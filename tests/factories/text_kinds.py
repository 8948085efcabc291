"""Essays, descriptions and partly right choices: their QuestionData, and a quiz of them for
page and browser tests."""

from typing import Any

from lti_quiz.quiz import bank
from lti_quiz.quiz.models import Quiz
from lti_quiz.quiz.quizzes import quiz_create
from tests.factories.quiz import question_payload

ESSAY_SPEC = {
    "min_words": 3,
    "max_words": 12,
    "response_template": "",
    "response_format": "plain",
}
GRADER_INFO = "Full marks: names accuracy and size."


def essay_payload(**fields: Any) -> dict:
    data = question_payload("essay", choices=[])
    data.update(
        text="Why distil a model? Answer in a few words.",
        points="4",
        model_answer=GRADER_INFO,
        spec=ESSAY_SPEC,
    )
    return {**data, **fields}


def description_payload(**fields: Any) -> dict:
    data = question_payload("description", choices=[], points="0", explanation="")
    data.update(text="Read this before the next questions: distillation trades size for accuracy.")
    return {**data, **fields}


def partial_choice_payload(**fields: Any) -> dict:
    """A single choice whose second option is worth half."""
    data = question_payload("single_choice")
    data.update(
        text="Which one is best?",
        hints=["Think of size.", "And of accuracy."],
        choices=[
            {"text": "Best", "is_correct": True, "feedback": "Yes."},
            {"text": "Half right", "is_correct": False, "fraction": "0.5", "feedback": "Half."},
            {"text": "Wrong", "is_correct": False, "feedback": "No."},
        ],
    )
    return {**data, **fields}


def make_text_kinds_quiz(*, slug: str = "text-kinds", one_per_page: bool = False) -> Quiz:
    """A description, a partly-right single choice, another description and an essay, in that
    order (no shuffling)."""
    bank_ = bank.bank_create(slug=slug, title=f"Bank {slug}")
    payloads = [
        description_payload(key="intro"),
        partial_choice_payload(key="choice"),
        description_payload(key="between", text="Now write."),
        essay_payload(key="essay"),
    ]
    questions = [bank.question_create(bank=bank_, data=payload) for payload in payloads]
    return quiz_create(
        data={
            "slug": slug,
            "title": f"Quiz {slug}",
            "questions": [question.pk for question in questions],
        }
    )


def text_kinds_bank(slug: str = "text-kinds-bank"):
    """Every feature of these kinds once: a full essay, a description, a half-right single
    choice with hints, a multiple response per option (one given fraction, others default) and
    one all or nothing."""
    bank_ = bank.bank_create(slug=slug, title="Text kinds")
    payloads = [
        essay_payload(
            key="essay",
            explanation="",
            spec={**ESSAY_SPEC, "response_template": "Claim:\nEvidence:"},
        ),
        description_payload(key="intro", tags=[]),
        partial_choice_payload(key="partial"),
        question_payload(
            "multiple_response",
            key="per-option",
            spec={"scoring": "per_option"},
            choices=[
                {"text": "Mars", "is_correct": True, "feedback": ""},
                {"text": "Venus", "is_correct": True, "feedback": ""},
                {"text": "Moon", "is_correct": False, "fraction": "-1", "feedback": ""},
            ],
        ),
        question_payload("multiple_response", key="all-or-nothing"),
    ]
    for payload in payloads:
        bank.question_create(bank=bank_, data={**payload, "points": payload["points"]})
    return bank_
