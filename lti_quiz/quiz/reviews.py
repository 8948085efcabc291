"""A person's decision on a short answer that scoring left to them (quiz/scoring.py): full,
partial or no credit, and a comment for the learner.

The attempt is rescored from its responses, and the quiz room announces it (attempt_rescored);
the activity room turns that into a grade delivery, so the decision never waits on the LMS.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from lti_quiz.quiz import scoring
from lti_quiz.quiz.errors import InvalidReview, NotReviewable, ResponseNotFound
from lti_quiz.quiz.models import Attempt, Response
from lti_quiz.quiz.signals import attempt_rescored

# A reviewer's comment is a sentence or two for the learner, not an essay.
MAX_REVIEW_COMMENT = 1000


def response_review(
    *,
    response_id: int,
    score: Decimal | None = None,
    accepted: bool | None = None,
    comment: str = "",
) -> Attempt:
    """An instructor's decision on a short answer scoring left to a person: `score` from 0 to
    the question's points in its credit step (or `accepted`: all or nothing), and an optional
    `comment` for the learner. Rescores the attempt; its grade goes out again through the
    attempt_rescored signal. The same decision twice changes nothing and sends nothing.

    Raises InvalidReview for a score off the question's scale or an overlong comment.
    """
    comment = comment.strip()
    if len(comment) > MAX_REVIEW_COMMENT:
        raise InvalidReview(
            gettext("The comment is %(length)d characters long; at most %(max)d fit.")
            % {"length": len(comment), "max": MAX_REVIEW_COMMENT}
        )
    with transaction.atomic():
        attempt_id = (
            Response.objects.filter(pk=response_id).values_list("attempt_id", flat=True).first()
        )
        if attempt_id is None:
            raise ResponseNotFound()
        attempt = Attempt.objects.select_for_update().get(pk=attempt_id)
        response = Response.objects.get(pk=response_id)
        if response.review_state == Response.ReviewState.AUTO:
            raise NotReviewable()
        question = next(q for q in attempt.snapshot["questions"] if q["slot"] == response.slot)
        most = scoring.points(question)
        if score is None:
            score = most if accepted else Decimal(0)
        _check_credit(score, question)
        decided = (
            Response.ReviewState.ACCEPTED
            if score == most
            else Response.ReviewState.REJECTED
            if score == 0
            else Response.ReviewState.PARTIAL
        )
        if (response.review_state, response.score, response.review_comment) == (
            decided,
            score,
            comment,
        ):
            # The same decision twice (a double click): nothing changes, nothing is sent again.
            return attempt
        response.is_correct = score == most  # partial credit is not a correct answer
        response.score = score
        response.review_comment = comment
        response.review_state = decided
        response.reviewed_at = timezone.now()
        response.save(
            update_fields=["is_correct", "score", "review_comment", "review_state", "reviewed_at"]
        )

        responses = list(attempt.responses.all())
        attempt.score = sum((r.score for r in responses), Decimal(0))
        attempt.needs_review = any(
            r.review_state == Response.ReviewState.PENDING for r in responses
        )
        attempt.save(update_fields=["score", "needs_review"])
        attempt_rescored.send(sender=Attempt, attempt=attempt)
    return attempt


def _check_credit(score: Decimal, question: dict) -> None:
    most, step = scoring.points(question), scoring.credit_step(question)
    if not score.is_finite() or not 0 <= score <= most or score % step != 0:
        raise InvalidReview(
            gettext("Give a score from 0 to %(most)s in steps of %(step)s.")
            % {"most": scoring.points_text(most), "step": scoring.points_text(step)}
        )
