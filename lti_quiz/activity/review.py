"""An instructor's accept or reject of a short answer waiting for review: the one decision
both review screens make (the results page, and a submission opened from the gradebook).

The response must belong to the launch's placement (and, from the gradebook, to the learner the
launch names), never a staff preview. The rescored attempt's grade goes out again through
quiz's attempt_rescored signal (apps.py), so the decision never waits on the LMS.
"""

from lti_quiz.activity.errors import DecisionMissing, NotInThisPlacement
from lti_quiz.activity.services import Activity
from lti_quiz.quiz.models import Attempt, Response
from lti_quiz.quiz.services import response_review

DECISIONS = {"accept": True, "reject": False}


def review_decide(
    *, activity: Activity, response_id: int, decision: str, learner_key: str | None = None
) -> Attempt:
    """Apply `decision` ("accept" or "reject") to the response; returns the rescored attempt.

    Raises DecisionMissing for any other decision, NotInThisPlacement for a response outside
    this placement (or of another learner than `learner_key`).
    """
    accepted = DECISIONS.get(decision)
    if accepted is None:
        raise DecisionMissing()
    responses = Response.objects.filter(
        pk=response_id, attempt__placement=activity.placement, attempt__is_preview=False
    )
    if learner_key is not None:
        responses = responses.filter(attempt__learner_key=learner_key)
    if not responses.exists():
        raise NotInThisPlacement()
    return response_review(response_id=response_id, accepted=accepted)
