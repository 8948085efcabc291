"""Keeping the LMS's gradebook in step with a placement (docs/grades.md).

- The column: when the placement's quiz title or maximum score differs from what the LMS was
  last told, a line item update is queued (grades/lineitems.py); the worker PUTs it.
- "Send every grade again": a new delivery per learner with a counted score, the current score
  with a fresh timestamp, after an LMS gradebook was reset.
- A learner's grade history: every delivery for them on this link, with the LMS's answers, and
  the link's line item updates.
Nothing here talks to the LMS on the instructor's request: rows are written, the worker sends.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy

from lti_quiz.activity.errors import NotInThisPlacement
from lti_quiz.activity.gradebook import grading_progress, review_scores_in_effect
from lti_quiz.activity.services import Activity
from lti_quiz.grades.bulk import LearnerScore, grade_deliveries_create_bulk
from lti_quiz.grades.lineitems import (
    lineitem_update_create,
    lineitem_update_latest,
    lineitem_update_resend,
)
from lti_quiz.grades.models import GradeDelivery, LineItemUpdate
from lti_quiz.lti.ags import ActivityProgress
from lti_quiz.lti.context import learner_key, learner_sub
from lti_quiz.quiz.services import placement_counted_results, quiz_max_score

# The results page's line after each action (results_views.DONE_MESSAGES).
GRADE_SYNC_DONE = {
    "resent-all": gettext_lazy(
        "Every learner's current score was queued to be sent again; the gradebook gets them "
        "in a moment."
    ),
    "nothing-to-resend": gettext_lazy(
        "Nothing was sent: no learner has a score, or every score was already sent again."
    ),
    "lineitem-retry": gettext_lazy("The gradebook column's title and maximum were queued again."),
}


@dataclass(frozen=True)
class GradeHistory:
    user_sub: str
    deliveries: list[GradeDelivery]
    lineitem_updates: list[LineItemUpdate]


def _manages_lineitem(activity: Activity) -> bool:
    link = activity.resource_link
    return link is not None and bool(link.lineitem_url or link.lineitems_url)


def placement_lineitem_sync(*, activity: Activity, force: bool = False) -> LineItemUpdate | None:
    """Queue a line item update when the quiz's title or maximum score is not what the LMS was
    last told: the last update's, or, before any, the maximum the last score carried (the
    deep link's line item had the quiz's title then). `force`: the placement's quiz changed.
    Returns the update queued, or None when the column is in step."""
    if not _manages_lineitem(activity):
        return None
    assert activity.resource_link is not None
    quiz = activity.placement.quiz
    label, maximum = quiz.title, quiz_max_score(quiz)
    if maximum <= 0:
        return None  # a quiz without questions yet: no column can have a maximum of 0
    last = lineitem_update_latest(resource_link=activity.resource_link)
    if last is not None:
        in_step = last.label == label and last.score_maximum == maximum
    else:
        last_score = (
            GradeDelivery.objects.filter(resource_link=activity.resource_link)
            .order_by("-pk")
            .values_list("score_maximum", flat=True)
            .first()
        )
        in_step = last_score is None or last_score == maximum
    if in_step and not force:
        return None
    return lineitem_update_create(
        resource_link=activity.resource_link, label=label, score_maximum=maximum
    )


def placement_lineitem_retry(*, activity: Activity, update_id: int) -> LineItemUpdate:
    """Staff's "Try again" for a line item update of this link. Raises NotInThisPlacement."""
    link = activity.resource_link
    if link is None or not LineItemUpdate.objects.filter(pk=update_id, resource_link=link).exists():
        raise NotInThisPlacement()
    return lineitem_update_resend(update_id=update_id, resource_link=link)


def placement_grades_resend_all(*, activity: Activity, since_pk: int | None) -> list[GradeDelivery]:
    """A new delivery for every learner with a counted score, the score counted now.

    `since_pk` is the newest delivery the page showed: a learner with a newer one (a second
    click, a reload of the form) is skipped, so a double click sends each grade once."""
    link = activity.resource_link
    if link is None or not link.can_send_scores:
        return []
    registration_id = link.registration_id
    review_scores = review_scores_in_effect(placement=activity.placement, family=activity.family)
    prefix = learner_key(registration_id=registration_id, sub="")
    scores = [
        LearnerScore(
            user_sub=learner_sub(key),
            score_given=counted.score,
            score_maximum=counted.max_score,
            activity_progress=ActivityProgress.COMPLETED,
            grading_progress=grading_progress(
                pending_review=counted.pending_review, review_scores=review_scores
            ),
            attempt_id=counted.attempt.pk,
        )
        for key, counted in placement_counted_results(placement=activity.placement).items()
        if key.startswith(prefix)
    ]
    with transaction.atomic():
        return grade_deliveries_create_bulk(resource_link=link, scores=scores, since_pk=since_pk)


def newest_delivery_pk(activity: Activity) -> int:
    """The newest delivery of this link (0 for none): the resend-all form carries it."""
    if activity.resource_link is None:
        return 0
    newest = (
        GradeDelivery.objects.filter(resource_link=activity.resource_link)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return newest or 0


def learner_grade_history(*, activity: Activity, user_sub: str) -> GradeHistory:
    """Every delivery for one learner on this link, newest first, and the link's line item
    updates. A learner with no delivery here is NotInThisPlacement."""
    link = activity.resource_link
    if link is None or not user_sub:
        raise NotInThisPlacement()
    deliveries = list(GradeDelivery.objects.for_learner(resource_link=link, user_sub=user_sub))
    if not deliveries:
        raise NotInThisPlacement()
    updates = list(LineItemUpdate.objects.filter(resource_link=link))
    return GradeHistory(user_sub=user_sub, deliveries=deliveries, lineitem_updates=updates)


def grade_sync_context(activity: Activity) -> dict[str, object]:
    """What the results page's gradebook box needs: the column's last update, and the newest
    delivery (the "send every grade again" form carries it)."""
    link = activity.resource_link
    return {
        "lineitem_update": lineitem_update_latest(resource_link=link) if link else None,
        "newest_delivery": newest_delivery_pk(activity),
        "can_send_scores": link is not None and link.can_send_scores,
    }
