"""The submission review page's data: one learner's attempts on the link's placement, the counted
one first, and the review state of their short answers with the results page's review
(review.review_decide). The launch that opens it is checked by lti.submission_review.
"""

import typing as t
from dataclasses import dataclass

from lti_quiz.activity.errors import NoLearnerNamed
from lti_quiz.activity.services import Activity
from lti_quiz.lti.context import learner_key
from lti_quiz.quiz.models import Attempt
from lti_quiz.quiz.scoring import credit_step
from lti_quiz.quiz.services import CountedResult, learner_counted_result


@dataclass(frozen=True)
class ReviewedAttempt:
    attempt: Attempt
    counts: bool  # the attempt the scoring policy counts for the gradebook
    results: list[dict[str, t.Any]]  # results_for_display() + response_id and review_state


@dataclass(frozen=True)
class SubmissionReview:
    user_id: str
    name: str
    attempts: list[ReviewedAttempt]  # submitted, the counted one first, then newest first
    counted: CountedResult | None
    unfinished: int  # attempts started and not submitted


def submission_learner_key(activity: Activity) -> str:
    """The learner the gradebook opened this submission for; NoLearnerNamed if none."""
    if not activity.context.for_user_id:
        raise NoLearnerNamed()
    registration_id = (
        activity.resource_link.registration_id
        if activity.resource_link
        else activity.context.registration_id
    )
    return learner_key(registration_id=registration_id, sub=activity.context.for_user_id)


def submission_review_load(*, activity: Activity) -> SubmissionReview:
    """The `for_user` learner's attempts on this launch's placement (never staff previews)."""
    key = submission_learner_key(activity)
    attempts = list(
        Attempt.objects.filter(placement=activity.placement, learner_key=key, is_preview=False)
        .prefetch_related("responses")
        .order_by("-number")
    )
    counted = learner_counted_result(placement=activity.placement, learner_key=key)
    counted_pk = counted.attempt.pk if counted else None
    submitted = [a for a in attempts if a.status == Attempt.Status.SUBMITTED]
    submitted.sort(key=lambda a: a.pk != counted_pk)  # stable: the rest stay newest first
    return SubmissionReview(
        user_id=activity.context.for_user_id,
        name=activity.context.for_user_name,
        attempts=[
            ReviewedAttempt(attempt=a, counts=a.pk == counted_pk, results=_results(a))
            for a in submitted
        ],
        counted=counted,
        unfinished=len(attempts) - len(submitted),
    )


def _results(attempt: Attempt) -> list[dict[str, t.Any]]:
    responses = {response.slot: response for response in attempt.responses.all()}
    asked = {question["slot"]: question for question in attempt.snapshot["questions"]}
    items = []
    for item in attempt.results_for_display():
        response = responses.get(str(item["slot"]))
        question = asked[item["slot"]]
        items.append(
            {
                **item,
                "response_id": response.pk if response else None,
                "review_state": response.review_state if response else "",
                # What the reviewer weighs the answer against, and why it is theirs to decide.
                "model_answer": question.get("model_answer", ""),
                "patterns": question.get("patterns", []),
                "rejected_patterns": question.get("rejected_patterns", []),
                "step": credit_step(question),
                "review_reason": response.review_reason if response else "",
                "reviewed_score": response.score if response and response.reviewed_at else None,
            }
        )
    return items
