"""What a learner sees of an attempt, and when: each part of the review (score, marks, correct
answers, feedback) under each "when" (immediately, after the last attempt, after the close date,
never), and the default that keeps a second attempt from being a copy of the first one's key."""

import pytest

from lti_quiz.quiz.models import Placement, ReviewWhen
from lti_quiz.quiz.review_rules import PARTS, is_shown, review_visibility, rules_in_effect

# (no attempt left, closed) -> shown, for each "when".
MOMENTS = {
    "attempts left, open": (False, False),
    "no attempt left, open": (True, False),
    "closed": (True, True),
}
EXPECTED = {
    ReviewWhen.IMMEDIATELY: {
        "attempts left, open": True,
        "no attempt left, open": True,
        "closed": True,
    },
    ReviewWhen.AFTER_LAST_ATTEMPT: {
        "attempts left, open": False,
        "no attempt left, open": True,
        "closed": True,
    },
    ReviewWhen.AFTER_CLOSE: {
        "attempts left, open": False,
        "no attempt left, open": False,
        "closed": True,
    },
    ReviewWhen.NEVER: {
        "attempts left, open": False,
        "no attempt left, open": False,
        "closed": False,
    },
}


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("when", list(ReviewWhen))
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_each_part_shows_exactly_when_its_rule_says(part, when, moment):
    placement = Placement(**{f"review_{part}": when})
    no_attempt_left, closed = MOMENTS[moment]

    visibility = review_visibility(
        placement=placement, no_attempt_left=no_attempt_left, closed=closed
    )

    assert getattr(visibility, part) is EXPECTED[when][moment]
    assert is_shown(when, no_attempt_left=no_attempt_left, closed=closed) is EXPECTED[when][moment]


def test_by_default_the_correct_answers_wait_until_no_attempt_is_left():
    placement = Placement()
    assert rules_in_effect(placement) == {
        "score": "immediately",
        "marks": "immediately",
        "correct": "after_last_attempt",
        "feedback": "immediately",
    }

    first = review_visibility(placement=placement, no_attempt_left=False, closed=False)
    assert (first.score, first.marks, first.correct, first.feedback) == (True, True, False, True)

    last = review_visibility(placement=placement, no_attempt_left=True, closed=False)
    assert last.correct


def test_one_rule_changed_leaves_the_others_at_their_default():
    placement = Placement(review_feedback=ReviewWhen.NEVER)

    visibility = review_visibility(placement=placement, no_attempt_left=True, closed=True)

    assert (visibility.score, visibility.marks, visibility.correct) == (True, True, True)
    assert visibility.feedback is False
