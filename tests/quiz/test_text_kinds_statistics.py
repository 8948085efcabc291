"""Item statistics with partly right choices, essays and descriptions, counted by hand."""

from decimal import Decimal
from types import SimpleNamespace

from lti_quiz.quiz.statistics import question_statistics


def response(slot, answer, is_correct, score, review_state="auto"):
    return SimpleNamespace(
        slot=slot, answer=answer, is_correct=is_correct, score=Decimal(score),
        review_state=review_state,
    )  # fmt: skip


def attempt(chosen: str, essay_state: str, essay_correct) -> tuple[dict, list]:
    choices = [
        {"choice_id": 1, "key": "a", "text": "Best", "is_correct": True, "fraction": None},
        {"choice_id": 2, "key": "b", "text": "Half", "is_correct": False, "fraction": "0.5"},
        {"choice_id": 3, "key": "c", "text": "Wrong", "is_correct": False, "fraction": None},
    ]
    snapshot = {
        "questions": [
            {"slot": "1", "question_id": 10, "kind": "description", "text": "Read.", "choices": []},
            {"slot": "2", "question_id": 11, "kind": "single_choice", "text": "Pick.",
             "choices": choices},
            {"slot": "3", "question_id": 12, "kind": "essay", "text": "Write.", "choices": []},
        ]
    }  # fmt: skip
    score = {"a": "2", "b": "1", "c": "0"}[chosen]
    essay_score = "4" if essay_correct else "0"
    return snapshot, [
        response("2", [chosen], chosen == "a", score),
        response("3", "An essay.", essay_correct, essay_score, essay_state),
    ]


def test_partial_credit_is_partial_and_descriptions_have_no_row():
    attempts = [
        attempt("a", "accepted", True),
        attempt("b", "pending", None),
        attempt("b", "rejected", False),
        attempt("c", "pending", None),
    ]
    choice, essay = question_statistics(attempts)

    assert (choice.kind, choice.asked, choice.correct, choice.partial) == ("single_choice", 4, 1, 2)
    assert choice.percent_correct == 25
    # The half-right option is partly right, not the most chosen wrong one.
    assert choice.most_chosen_wrong is not None and choice.most_chosen_wrong.text == "Wrong"
    assert (essay.kind, essay.pending, essay.correct, essay.decided) == ("essay", 2, 1, 2)
    assert essay.percent_correct == 50
