"""Item analysis on a fixture small enough to compute by hand.

Six learners (L1..L6) answer three single-choice questions worth 1 point each (A is right):

        Q1  Q2  Q3  total
    L1   A   A   A    3
    L2   A   A   B    2
    L3   A   B   A    2
    L4   B   A   C    1
    L5   A   C   C    1
    L6   C   C   C    0

Totals 3, 2, 2, 1, 1, 0: mean 1.5 of 3 = 50 %; median (2 + 1) / 2 = 1.5 = 50 %; deviations
±1.5, ±0.5 (four times), squares 2.25·2 + 0.25·4 = 5.5, so the sample variance is 5.5 / 5 = 1.1,
SD = √1.1 = 1.0488 points = 34.96 %, and the population variance 5.5 / 6 = 11/12.

Facility: Q1 4/6, Q2 3/6, Q3 2/6. Item variances p(1 - p): 2/9, 1/4, 2/9, sum 25/36.
KR-20 = 3/2 · (1 - (25/36) / (33/36)) = 3/2 · 8/33 = 4/11 = 0.3636.
SEM = SD · √(1 - 4/11) = (100/3)·√1.1·√(7/11) = (100/3)·√0.7 = 27.89 %.

Discrimination of Q1: item x = 1,1,1,0,1,0 (mean 2/3); rest = total - x = 2,1,1,1,0,0 (mean 5/6).
Σdx·dr = (7 + 1 + 1 - 2 - 5 + 10) / 18 = 2/3; Σdx² = 4/3; Σdr² = 102/36 = 17/6;
r = (2/3) / √(4/3 · 17/6) = 0.3430. Q3 is the mirror image: 0.3430 too.
Q2: x = 1,1,0,1,0,0, rest = 2,1,2,0,1,0 (means 1/2 and 1): Σdx·dr = .5 + 0 - .5 - .5 + 0 + .5 = 0.

Thirds (n // 3 = 2): top L1, L2; bottom L5, L6. Q1's D is chosen by nobody: flagged.
Q3's B is chosen by L2 only: top 1/2 against bottom 0: a distractor strong learners choose.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from lti_quiz.quiz.item_analysis import (
    ALL,
    ALPHA,
    FIRST,
    HIGHEST,
    KR20,
    STRONG,
    UNCHOSEN,
    AttemptRow,
    ResponseRow,
    attempts_chosen,
    counted_numbers,
    quiz_analysis,
)

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ANSWERS = {  # learner → letters chosen for Q1, Q2, Q3
    "L1": "AAA",
    "L2": "AAB",
    "L3": "ABA",
    "L4": "BAC",
    "L5": "ACC",
    "L6": "CCC",
}


def question(number: int, letters: str = "ABCD", points: str = "1") -> dict:
    return {
        "slot": str(number),
        "question_id": number,
        "kind": "single_choice",
        "text": f"Question {number}?",
        "points": points,
        "choices": [
            {
                "choice_id": number * 10 + i,
                "key": f"k{number}{letter}",
                "text": letter,
                "is_correct": letter == "A",
            }
            for i, letter in enumerate(letters)
        ],
    }


def row(learner: str, letters: str, number: int = 1, score: Decimal | None = None) -> AttemptRow:
    questions = [question(1), question(2, "ABC"), question(3, "ABC")]
    responses = {
        str(q): ResponseRow(answer=[f"k{q}{letter}"], score=Decimal(letter == "A"), pending=False)
        for q, letter in enumerate(letters, start=1)
    }
    total = sum(r.score for r in responses.values()) if score is None else score
    return AttemptRow(
        placement="p",
        learner=learner,
        number=number,
        submitted=True,
        score=total,
        max_score=Decimal(3),
        started_at=START,
        submitted_at=START + timedelta(minutes=number),
        questions=questions,
        responses=responses,
    )


@pytest.fixture
def analysis():
    return quiz_analysis([row(learner, letters) for learner, letters in ANSWERS.items()])


def test_it_computes_the_whole_quiz_figures_by_hand(analysis):
    assert analysis.attempts == 6
    assert analysis.mean == pytest.approx(50)
    assert analysis.median == pytest.approx(50)
    assert analysis.sd == pytest.approx(100 / 3 * 1.1**0.5)
    assert analysis.reliability == pytest.approx(4 / 11)
    assert analysis.reliability_kind == KR20
    assert analysis.sem == pytest.approx(100 / 3 * 0.7**0.5)


def test_it_computes_facility_and_the_corrected_discrimination_by_hand(analysis):
    facilities = [item.facility for item in analysis.items]
    discriminations = [item.discrimination for item in analysis.items]

    assert facilities == pytest.approx([4 / 6, 3 / 6, 2 / 6])
    r = (2 / 3) / (4 / 3 * 17 / 6) ** 0.5
    assert discriminations == pytest.approx([r, 0, r])
    assert r == pytest.approx(0.3430, abs=1e-4)


def test_it_splits_each_option_by_the_top_and_bottom_third(analysis):
    q1, _, q3 = analysis.items
    shares = {o.text: (o.chosen, o.share, o.top_share, o.bottom_share) for o in q1.options}
    assert shares["A"] == (4, pytest.approx(4 / 6), 1.0, 0.5)
    assert shares["C"] == (1, pytest.approx(1 / 6), 0.0, 0.5)
    b = next(o for o in q3.options if o.text == "B")
    assert (b.top_share, b.bottom_share) == (0.5, 0.0)


def test_it_flags_the_distractor_nobody_chose_and_the_one_strong_learners_chose(analysis):
    q1, q2, q3 = analysis.items

    assert [(o.text, o.flag) for o in q1.flagged] == [("D", UNCHOSEN)]
    assert q2.flagged == ()
    assert [(o.text, o.flag) for o in q3.flagged] == [("B", STRONG)]


def test_it_counts_the_score_distribution_in_bands_of_ten_percent(analysis):
    # 0 %, 33.3 % twice, 66.7 % twice, 100 % (in the top band).
    assert analysis.distribution == (1, 0, 0, 2, 0, 0, 2, 0, 0, 1)


def test_partial_credit_counts_as_a_fraction_and_the_figure_is_named_alpha():
    rows = [row(learner, letters) for learner, letters in ANSWERS.items()]
    half = rows[5].responses | {
        "1": ResponseRow(answer=["k1B"], score=Decimal("0.5"), pending=False)
    }
    rows[5] = AttemptRow(**{**rows[5].__dict__, "responses": half, "score": Decimal("0.5")})

    analysis = quiz_analysis(rows)

    assert analysis.items[0].facility == pytest.approx(4.5 / 6)
    assert analysis.reliability_kind == ALPHA


def test_items_follow_the_quiz_order_not_the_order_asked(analysis):
    rows = [row(learner, letters) for learner, letters in ANSWERS.items()]

    ordered = quiz_analysis(rows, order=[3, 1, 2])

    assert [item.question_id for item in ordered.items] == [3, 1, 2]


def test_it_chooses_the_first_the_highest_or_all_attempts_per_learner():
    rows = [row("L1", "CCC", 1), row("L1", "AAA", 2), row("L1", "ACC", 3), row("L2", "AAB", 1)]

    assert [(r.learner, r.number) for r in attempts_chosen(rows, FIRST)] == [("L1", 1), ("L2", 1)]
    assert [(r.learner, r.number) for r in attempts_chosen(rows, HIGHEST)] == [
        ("L1", 2),
        ("L2", 1),
    ]
    assert len(attempts_chosen(rows, ALL)) == 4


def test_the_counted_attempt_follows_the_scoring_policy():
    rows = [row("L1", "ACC", 1), row("L1", "AAA", 2), row("L1", "CCC", 3)]

    assert counted_numbers(rows, "first") == {("p", "L1", 1)}
    assert counted_numbers(rows, "latest") == {("p", "L1", 3)}
    assert counted_numbers(rows, "highest") == {("p", "L1", 2)}


def test_it_has_no_figure_where_there_is_nothing_to_compute():
    empty = quiz_analysis([])
    one = quiz_analysis([row("L1", "AAA")])

    assert (empty.mean, empty.sd, empty.reliability, empty.items) == (None, None, None, ())
    assert one.sd is None and one.reliability is None
    assert one.items[0].discrimination is None
    assert one.items[0].options[0].top_share is None
