"""An instructor's review of a short answer scoring left to a person: the one decision both
review screens make (the results page, and a submission opened from the gradebook). Accept
(full points), reject (none), or a score in between, each with an optional comment the learner
sees.

The response must belong to the launch's placement (and, from the gradebook, to the learner the
launch names), never a staff preview. The rescored attempt's grade goes out again through
quiz's attempt_rescored signal (apps.py), so the decision never waits on the LMS.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext

from lti_quiz.activity.errors import DecisionMissing, NotInThisPlacement
from lti_quiz.activity.services import Activity
from lti_quiz.quiz.errors import InvalidReview
from lti_quiz.quiz.models import Attempt, Response
from lti_quiz.quiz.reviews import response_review

DECISIONS = {"accept": True, "reject": False, "score": None}


def review_decide(
    *,
    activity: Activity,
    response_id: int,
    decision: str,
    learner_key: str | None = None,
    score: str = "",
    comment: str = "",
) -> Attempt:
    """Apply `decision` ("accept", "reject", or "score" with `score`, a number as typed) and
    `comment` to the response; returns the rescored attempt.

    Raises DecisionMissing for any other decision, InvalidReview for a score that is not a
    number (or off the question's scale) or an overlong comment, NotInThisPlacement for a
    response outside this placement (or of another learner than `learner_key`).
    """
    if decision not in DECISIONS:
        raise DecisionMissing()
    credit = _credit(score) if decision == "score" else None
    responses = Response.objects.filter(
        pk=response_id, attempt__placement=activity.placement, attempt__is_preview=False
    )
    if learner_key is not None:
        responses = responses.filter(attempt__learner_key=learner_key)
    if not responses.exists():
        raise NotInThisPlacement()
    return response_review(
        response_id=response_id, score=credit, accepted=DECISIONS[decision], comment=comment
    )


def _credit(score: str) -> Decimal:
    if not score.strip():
        raise InvalidReview(gettext("Type the score to give, like 0.5."))
    try:
        credit = Decimal(score.strip().replace(",", "."))  # "0,5" is how half of Europe types it
    except InvalidOperation:
        raise InvalidReview(
            gettext("The score %(score)r is not a number: give one like 0.5.") % {"score": score}
        ) from None
    if not credit.is_finite():
        raise InvalidReview(gettext("The score must be a number, like 0.5."))
    return credit
