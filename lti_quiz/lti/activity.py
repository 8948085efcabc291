"""The seam between a launch and the quiz: who is learning where, and the score going back.

The quiz room sees a learner as an opaque key and a placement; this module translates a
LaunchContext into those two, and a counted result back into a grade delivery (AGS score).
"""

import logging
import typing as t
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.grades.services import grade_delivery_create
from lti_quiz.lti import deep_linking
from lti_quiz.lti.ags import ActivityProgress, GradingProgress
from lti_quiz.lti.context import LaunchContext, learner_sub
from lti_quiz.lti.models import ResourceLink, placement_key
from lti_quiz.quiz.models import Attempt, Placement, Quiz
from lti_quiz.quiz.services import (
    SubmitResult,
    attempt_submit,
    learner_counted_result,
    placement_configure,
    placement_get_or_create,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Activity:
    """What a page needs to know about this launch's placement."""

    context: LaunchContext
    placement: Placement
    resource_link: ResourceLink | None

    @property
    def graded(self) -> bool:
        """Whether this learner's score goes to the gradebook (staff previews never do)."""
        return (
            self.context.is_learner
            and self.context.can_send_scores
            and self.resource_link is not None
        )


def activity_for_launch(context: LaunchContext) -> Activity:
    resource_link = (
        ResourceLink.objects.filter(pk=context.resource_link_pk).first()
        if context.resource_link_pk
        else None
    )
    key = placement_key(
        registration_id=context.registration_id, resource_link_id=context.resource_link_id
    )
    placement = placement_get_or_create(key=key, title=context.resource_link_title)
    if context.custom:
        placement = _placement_configure_from_custom(placement, context.custom)
    return Activity(context=context, placement=placement, resource_link=resource_link)


def _placement_configure_from_custom(placement: Placement, custom: dict[str, str]) -> Placement:
    """Apply the settings a deep-linked link carries (deep_linking.LinkSettings.custom).

    Custom parameters come from the LMS, where an admin may have edited them: a value we cannot
    use is logged and ignored, never an error for the student.
    """
    values: dict[str, t.Any] = {}
    if slug := custom.get(deep_linking.CUSTOM_QUIZ):
        values["quiz"] = Quiz.objects.filter(slug=slug).first()
        if values["quiz"] is None:
            logger.warning("Placement %s: custom quiz %r does not exist", placement.key, slug)
    if (attempts := custom.get(deep_linking.CUSTOM_ATTEMPTS)) is not None:
        if attempts.strip().isdigit():
            values["attempts_allowed"] = int(attempts)
        else:
            logger.warning("Placement %s: custom attempts_allowed %r", placement.key, attempts)
    if (policy := custom.get(deep_linking.CUSTOM_SCORING)) is not None:
        values["scoring_policy"] = policy
    if (shuffle := custom.get(deep_linking.CUSTOM_SHUFFLE)) is not None:
        if shuffle in ("true", "false"):
            values["shuffle_choices"] = shuffle == "true"
        else:
            logger.warning("Placement %s: custom shuffle_choices %r", placement.key, shuffle)
    # One field at a time: a bad value (or a quiz change refused) leaves the others applied.
    for field, value in values.items():
        if value is None:
            continue
        try:
            placement = placement_configure(placement=placement, **{field: value})
        except ValueError as error:
            logger.warning(
                "Placement %s: custom %s=%r ignored: %s", placement.key, field, value, error
            )
    return placement


def activity_submit(
    *, activity: Activity, attempt_id: int, answers: Mapping[str, list[str] | str]
) -> SubmitResult:
    """Score and store the attempt and write its grade delivery in one transaction.

    The delivery task is queued after commit by grade_delivery_create, so nothing on the
    student's request waits on the LMS.
    """
    context = activity.context
    with transaction.atomic():
        result = attempt_submit(
            attempt_id=attempt_id, learner_key=context.learner_key, answers=answers
        )
        if result.already_submitted or result.attempt.is_preview or not activity.graded:
            return result
        assert activity.resource_link is not None
        _counted_score_deliver(
            resource_link=activity.resource_link,
            attempt=result.attempt,
            reason=GradeDelivery.Reason.SUBMISSION,
        )
    return result


def grade_after_review(*, attempt: Attempt) -> GradeDelivery | None:
    """An instructor decided a short answer: the learner's counted score goes out again.

    Connected to `quiz.signals.attempt_rescored`, so it runs inside the review's transaction
    and only writes a delivery row; the worker sends it.
    """
    if attempt.is_preview:
        return None
    resource_link = ResourceLink.objects.for_placement_key(attempt.placement.key)
    if resource_link is None or not resource_link.can_send_scores:
        return None
    return _counted_score_deliver(
        resource_link=resource_link, attempt=attempt, reason=GradeDelivery.Reason.REVIEW
    )


def _counted_score_deliver(
    *, resource_link: ResourceLink, attempt: Attempt, reason: str
) -> GradeDelivery:
    """The score that counts (per the quiz's policy), as an AGS score for this learner."""
    counted = learner_counted_result(placement=attempt.placement, learner_key=attempt.learner_key)
    assert counted is not None, "a submitted, graded attempt always counts"
    pending = counted.pending_review
    return grade_delivery_create(
        resource_link=resource_link,
        user_sub=learner_sub(attempt.learner_key),
        score_given=counted.score,
        score_maximum=counted.max_score,
        activity_progress=ActivityProgress.COMPLETED,
        grading_progress=GradingProgress.PENDING_MANUAL
        if pending
        else GradingProgress.FULLY_GRADED,
        attempt_id=attempt.pk,
        reason=reason,
    )


def latest_delivery(activity: Activity) -> GradeDelivery | None:
    """The learner's most recent grade delivery, for the "sent to your gradebook" line."""
    if not activity.graded:
        return None
    return (
        GradeDelivery.objects.filter(
            resource_link=activity.resource_link, user_sub=activity.context.sub
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def learner_attempts(activity: Activity) -> list[Attempt]:
    return list(
        Attempt.objects.filter(
            placement=activity.placement, learner_key=activity.context.learner_key
        ).order_by("number")
    )
