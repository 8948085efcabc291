"""What the LMS gradebook gets for a learner, and what it then shows, in words.

Platforms differ on a score that waits for an instructor's review (AGS gradingProgress
PendingManual, https://www.imsglobal.org/spec/lti-ags/v2p0/#gradingprogress): Canvas keeps it
and marks the submission "needs grading"; Moodle keeps a scoreGiven only with FullyGraded, so it
shows no grade at all until the review (docs/platforms.md). Each placement chooses what to send
meanwhile (quiz.ReviewScores), by default what suits its platform, and the pages tell the
learner and the instructor what the gradebook shows: never only "sent".
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.lti.ags import GradingProgress
from lti_quiz.lti.platforms import PlatformFamily
from lti_quiz.quiz.models import Placement, ReviewScores


def default_review_scores(family: PlatformFamily) -> str:
    """Where the platform would drop a score marked pending, send the automatic part as a grade:
    a learner should see their points rather than a blank."""
    if family.keeps_pending_scores is False:
        return ReviewScores.AUTOMATIC_NOW
    return ReviewScores.MARKED_PENDING


def review_scores_in_effect(*, placement: Placement, family: PlatformFamily) -> str:
    return placement.review_scores or default_review_scores(family)


def grading_progress(*, pending_review: bool, review_scores: str) -> str:
    """The AGS gradingProgress of a counted score under the placement's choice."""
    if pending_review and review_scores == ReviewScores.MARKED_PENDING:
        return GradingProgress.PENDING_MANUAL
    return GradingProgress.FULLY_GRADED


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _questions(numbers: list[int]) -> str:
    # Translators: what the learner's instructor reviews, inside the sentences below.
    if not numbers:
        return gettext("the answers waiting for review")
    if len(numbers) == 1:
        return gettext("question %(number)d") % {"number": numbers[0]}
    listed = ", ".join(str(n) for n in numbers[:-1])
    return gettext("questions %(listed)s and %(last)d") % {"listed": listed, "last": numbers[-1]}


@dataclass(frozen=True)
class GradebookShows:
    """What the platform's gradebook holds for a learner once a delivery reached it."""

    family: PlatformFamily
    score: str | None  # "7/10"; None: no grade (a score marked pending, on Moodle)
    marked_pending: bool  # sent as PendingManual
    waiting: tuple[int, ...]  # numbers of the questions still waiting for review

    def for_learner(self) -> str:
        words = {
            "name": self.family.name or gettext("Your course gradebook"),
            "score": self.score,
            "questions": _questions(list(self.waiting)),
        }
        if self.score is None:
            text = gettext(
                "%(name)s shows no grade yet: your grade appears there once your "
                "instructor has reviewed %(questions)s."
            )
        elif not self.waiting and not self.marked_pending:
            text = gettext("%(name)s shows %(score)s.")
        elif not self.marked_pending:
            text = gettext(
                "%(name)s shows %(score)s until your instructor reviews %(questions)s; "
                "then it is updated."
            )
        elif self.family.keeps_pending_scores:
            text = gettext(
                "%(name)s shows %(score)s, marked as needing grading, until your "
                "instructor reviews %(questions)s."
            )
        else:
            text = gettext(
                "Your score of %(score)s was sent marked as waiting for your instructor's "
                "review of %(questions)s; until then your course gradebook may show it as pending."
            )
        return text % words

    def for_staff(self) -> str:
        words = {
            "name": self.family.name or gettext("The gradebook"),
            "score": self.score,
            "questions": _questions(list(self.waiting)),
        }
        if self.score is None:
            text = gettext("%(name)s shows no grade until you review %(questions)s")
        elif not self.waiting and not self.marked_pending:
            text = gettext("%(name)s shows %(score)s")
        elif not self.marked_pending:
            text = gettext("%(name)s shows %(score)s until you review %(questions)s")
        elif self.family.keeps_pending_scores:
            text = gettext(
                "%(name)s shows %(score)s, marked as needing grading, until you review "
                "%(questions)s"
            )
        else:
            text = gettext("Sent %(score)s, marked as waiting for your review of %(questions)s")
        return text % words


def gradebook_shows(
    *, delivery: GradeDelivery, family: PlatformFamily, waiting: list[int]
) -> GradebookShows:
    """What the gradebook holds once `delivery` is there (whether it got there or not yet)."""
    marked_pending = delivery.grading_progress == GradingProgress.PENDING_MANUAL
    dropped = marked_pending and family.keeps_pending_scores is False
    score = (
        None
        if delivery.score_given is None or dropped
        else f"{_number(delivery.score_given)}/{_number(delivery.score_maximum)}"
    )
    return GradebookShows(
        family=family, score=score, marked_pending=marked_pending, waiting=tuple(waiting)
    )
