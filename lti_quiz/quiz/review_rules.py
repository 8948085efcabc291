"""What a learner sees of a submitted attempt, and when: the placement's review rules.

Four parts of a review, each with its own "when" (ReviewWhen): the score, the marks (which
answers were right), the correct answers, and the feedback (explanations and per-choice
feedback). The default gives the score, the marks and the feedback at once and the correct
answers only when no attempt is left, so a second attempt is never a copy of the first one's key.
"""

from dataclasses import dataclass

from lti_quiz.quiz.models import Placement, ReviewWhen

PARTS = ("score", "marks", "correct", "feedback")
DEFAULTS: dict[str, str] = {
    "score": ReviewWhen.IMMEDIATELY,
    "marks": ReviewWhen.IMMEDIATELY,
    "correct": ReviewWhen.AFTER_LAST_ATTEMPT,
    "feedback": ReviewWhen.IMMEDIATELY,
}


@dataclass(frozen=True)
class Visibility:
    """What the learner's pages show of their attempts right now."""

    score: bool
    marks: bool
    correct: bool
    feedback: bool

    @classmethod
    def everything(cls) -> "Visibility":
        return cls(score=True, marks=True, correct=True, feedback=True)


def rules_in_effect(placement: Placement) -> dict[str, str]:
    """Each part's "when" at this placement: its own setting, else the default."""
    return {part: getattr(placement, f"review_{part}") or DEFAULTS[part] for part in PARTS}


def is_shown(when: str, *, no_attempt_left: bool, closed: bool) -> bool:
    """Whether a part with this "when" is shown. After the close date no attempt is left
    either, so "after the last attempt" is met then too."""
    if when == ReviewWhen.IMMEDIATELY:
        return True
    if when == ReviewWhen.AFTER_LAST_ATTEMPT:
        return no_attempt_left or closed
    if when == ReviewWhen.AFTER_CLOSE:
        return closed
    return False


def review_visibility(*, placement: Placement, no_attempt_left: bool, closed: bool) -> Visibility:
    """What a learner sees: `no_attempt_left` when they may start none and none is in progress,
    `closed` once their close date (a personal one, else the placement's) has passed."""
    rules = rules_in_effect(placement)
    return Visibility(
        **{
            part: is_shown(rules[part], no_attempt_left=no_attempt_left, closed=closed)
            for part in PARTS
        }
    )
