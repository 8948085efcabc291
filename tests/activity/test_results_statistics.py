"""Item statistics on a known set of attempts: share correct and the most chosen wrong option.

The counting is pure (lti_quiz.quiz.statistics); these attempts are built by hand so every
number below can be checked on paper.
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from lti_quiz.quiz.statistics import question_statistics


def choice(choice_id: int, key: str, text: str, correct: bool = False) -> dict:
    return {"choice_id": choice_id, "key": key, "text": text, "is_correct": correct}


def question(question_id: int, slot: str, kind: str, choices: list[dict] | None = None) -> dict:
    return {
        "slot": slot,
        "question_id": question_id,
        "question_key": f"q{question_id}",
        "kind": kind,
        "text": f"Question {question_id}?",
        "points": "1",
        "choices": choices or [],
    }


def response(slot: str, answer, is_correct: bool | None, review_state: str = "auto"):
    return SimpleNamespace(
        slot=slot, answer=answer, is_correct=is_correct, review_state=review_state
    )


def single_choice_attempt(keys: tuple[str, str, str], chosen: int) -> tuple[dict, list]:
    """Question 1 (A right, B and C wrong) with this attempt's random keys; `chosen` indexes
    A, B, C in authoring order."""
    a, b, c = keys
    q = question(
        1,
        "1",
        "single_choice",
        [choice(12, b, "B"), choice(11, a, "A", True), choice(13, c, "C")],  # shuffled
    )
    return {"questions": [q]}, [response("1", [keys[chosen]], chosen == 0)]


@pytest.fixture
def four_attempts() -> list[tuple[dict, list]]:
    """Four learners: A (right), B, B, C."""
    return [
        single_choice_attempt(("k1", "k2", "k3"), 0),
        single_choice_attempt(("x1", "x2", "x3"), 1),
        single_choice_attempt(("y1", "y2", "y3"), 1),
        single_choice_attempt(("z1", "z2", "z3"), 2),
    ]


def test_it_counts_the_share_correct_and_the_most_chosen_wrong_option(four_attempts):
    [stats] = question_statistics(four_attempts)

    assert (stats.asked, stats.correct, stats.pending) == (4, 1, 0)
    assert stats.share_correct == Decimal("0.25")
    assert stats.percent_correct == 25
    assert (stats.most_chosen_wrong.text, stats.most_chosen_wrong.count) == ("B", 2)


def test_choices_are_matched_across_attempts_by_choice_not_by_random_key(four_attempts):
    # Every attempt has other keys; B still adds up to 2.
    [stats] = question_statistics(four_attempts)

    assert stats.most_chosen_wrong.count == 2


def test_a_tie_goes_to_the_wrong_option_listed_first():
    attempts = [
        single_choice_attempt(("k1", "k2", "k3"), 2),
        single_choice_attempt(("x1", "x2", "x3"), 1),
    ]

    [stats] = question_statistics(attempts)

    assert (stats.most_chosen_wrong.text, stats.most_chosen_wrong.count) == ("B", 1)


def test_short_answers_pending_review_are_left_out_of_the_share():
    q = question(2, "1", "short_answer")
    answers = [
        ("a trusted source", True, "auto"),
        ("no idea", None, "pending"),
        ("Foo", False, "rejected"),
        ("  foo ", False, "rejected"),
        ("bar", False, "rejected"),
    ]
    attempts = [({"questions": [q]}, [response("1", a, ok, state)]) for a, ok, state in answers]

    [stats] = question_statistics(attempts)

    assert (stats.asked, stats.correct, stats.pending, stats.decided) == (5, 1, 1, 4)
    assert stats.percent_correct == 25
    assert (stats.most_chosen_wrong.text, stats.most_chosen_wrong.count) == ("Foo", 2)


def test_multiple_response_counts_every_wrong_box_ticked():
    def attempt(chosen: list[str], ok: bool):
        q = question(
            3,
            "1",
            "multiple_response",
            [choice(31, "x", "X", True), choice(32, "y", "Y", True), choice(33, "z", "Z")],
        )
        return {"questions": [q]}, [response("1", chosen, ok)]

    attempts = [
        attempt(["x", "y"], True),
        attempt(["x", "z"], False),
        attempt(["z"], False),
        attempt([], False),
    ]

    [stats] = question_statistics(attempts)

    assert (stats.correct, stats.percent_correct) == (1, 25)
    assert (stats.most_chosen_wrong.text, stats.most_chosen_wrong.count) == ("Z", 2)


def test_a_question_nobody_got_wrong_has_no_wrong_option_and_a_full_share():
    [stats] = question_statistics([single_choice_attempt(("k1", "k2", "k3"), 0)])

    assert stats.percent_correct == 100
    assert stats.most_chosen_wrong is None


def test_a_question_only_pending_has_no_share_yet():
    q = question(2, "1", "short_answer")

    [stats] = question_statistics([({"questions": [q]}, [response("1", "hm", None, "pending")])])

    assert stats.share_correct is None and stats.percent_correct is None


def test_questions_follow_the_given_order_whatever_order_attempts_asked_them():
    first = question(1, "1", "short_answer")
    second = question(2, "2", "short_answer")
    asked_reversed = {"questions": [{**second, "slot": "1"}, {**first, "slot": "2"}]}

    stats = question_statistics([(asked_reversed, [])], order=[1, 2])

    assert [(s.position, s.question_id) for s in stats] == [(1, 1), (2, 2)]
    assert all(s.asked == 1 and s.correct == 0 for s in stats)  # unanswered counts as wrong
