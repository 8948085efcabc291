"""Feedback through each import/export format: per-choice feedback, the explanation (general
feedback) and the feedback for a right, partly right and wrong answer come back wherever the
format has a place for them, and the export report names each one it had to leave out."""

import pytest

from lti_quiz.api.formats import bank_export
from lti_quiz.quiz.bank import bank_create, question_create
from lti_quiz.quiz.models import QuestionBank
from tests.factories.formats import round_trip

pytestmark = pytest.mark.django_db

OVERALL = {
    "correct_feedback": "All the primes, and only them.",
    "partially_correct_feedback": "Some primes, not exactly them.",
    "incorrect_feedback": "A prime has exactly two divisors.",
}
CHOICES = [
    {"text": "2", "is_correct": True, "feedback": "Even, and still prime."},
    {"text": "3", "is_correct": True, "feedback": "Divisible by 1 and 3 only."},
    {"text": "4", "is_correct": False, "feedback": "4 is 2 times 2."},
]


@pytest.fixture
def bank() -> QuestionBank:
    primes = bank_create(slug="primes", title="Primes")
    question_create(
        bank=primes,
        data={
            "key": "mr",
            "kind": "multiple_response",
            "text": "Tick the primes.",
            "explanation": "A prime has exactly two divisors: 1 and itself.",
            **OVERALL,
            "choices": CHOICES,
        },
    )
    question_create(
        bank=primes,
        data={
            "key": "sc",
            "kind": "single_choice",
            "text": "Which is prime?",
            "correct_feedback": "Yes.",
            "incorrect_feedback": "No: try dividing it.",
            "choices": [
                {"text": "7", "is_correct": True, "feedback": "Only 1 and 7 divide it."},
                {"text": "9", "is_correct": False, "feedback": "3 times 3."},
            ],
        },
    )
    question_create(
        bank=primes,
        data={
            "key": "sa",
            "kind": "short_answer",
            "text": "Name the smallest prime.",
            "correct_feedback": "Yes, two.",
            "incorrect_feedback": "It is even.",
            "patterns": ["two", "2"],
        },
    )
    return primes


@pytest.mark.parametrize("fmt", ["json", "moodle_xml", "gift", "qti12", "qti30"])
def test_per_choice_feedback_and_the_explanation_come_back_in_every_format(bank, fmt):
    before, after, _, _ = round_trip(bank, fmt)

    assert after["mr"]["choices"] == CHOICES
    assert after["sc"]["choices"] == before["sc"]["choices"]
    assert after["mr"]["explanation"] == before["mr"]["explanation"]


@pytest.mark.parametrize("fmt", ["json", "moodle_xml", "qti30"])
def test_right_partly_right_and_wrong_feedback_come_back(bank, fmt):
    before, after, exported, _ = round_trip(bank, fmt)

    for key in ("mr", "sc"):
        for name in OVERALL:
            assert after[key][name] == before[key][name], (key, name)
    mr = next(q for q in exported.report.questions if q.key == "mr")
    assert not mr.fields("lost")


def test_canvas_keeps_right_and_wrong_feedback_but_not_partly_right(bank):
    before, after, exported, _ = round_trip(bank, "qti12")

    assert after["mr"]["correct_feedback"] == OVERALL["correct_feedback"]
    assert after["mr"]["incorrect_feedback"] == OVERALL["incorrect_feedback"]
    assert after["mr"]["partially_correct_feedback"] == ""
    # The wrong-answer feedback is shown "otherwise" too: it must not take the explanation's place.
    assert after["mr"]["explanation"] == before["mr"]["explanation"]
    assert after["sa"]["incorrect_feedback"] == "It is even."
    mr = next(q for q in exported.report.questions if q.key == "mr")
    assert mr.fields("lost") == {"partially_correct_feedback"}
    assert 'linkrefid="correct_fb"' in exported.text
    assert 'ident="general_incorrect_fb"' in exported.text


def test_gift_keeps_choice_and_general_feedback_and_reports_the_rest_lost(bank):
    _, after, exported, _ = round_trip(bank, "gift")

    assert "#4 is 2 times 2." in exported.text
    assert "####A prime has exactly two divisors" in exported.text
    assert all(after[key][name] == "" for key in after for name in OVERALL)
    reports = {q.key: q for q in exported.report.questions}
    assert set(OVERALL) <= reports["mr"].fields("lost")
    assert {"correct_feedback", "incorrect_feedback"} <= reports["sc"].fields("lost")
    lost = [n.message for n in reports["mr"].warnings if n.field == "incorrect_feedback"]
    assert lost == ["GIFT questions have no feedback for a wrong answer."]


def test_moodle_short_answers_have_no_right_or_wrong_feedback_and_say_so(bank):
    _, after, exported, _ = round_trip(bank, "moodle_xml")

    assert after["sa"]["correct_feedback"] == after["sa"]["incorrect_feedback"] == ""
    sa = next(q for q in exported.report.questions if q.key == "sa")
    assert {"correct_feedback", "incorrect_feedback"} <= sa.fields("lost")
    assert '<correctfeedback format="html"><text>All the primes' in exported.text


def test_qti30_shows_the_partly_right_feedback_when_a_right_choice_is_among_the_chosen(bank):
    exported = bank_export(bank=bank, fmt="qti30")

    assert exported.text.count("<qti-modal-feedback") == 3 + 2 + 2
    assert 'identifier="PARTIALLY_CORRECT"' in exported.text
    assert "<qti-member>" in exported.text
    assert "<qti-response-else>" in exported.text
