"""The seam between a launch and the quiz: who is learning where, and the score going back.

The quiz room sees a learner as an opaque key and a placement; this module translates a
LaunchContext into those two, and a counted result back into a grade delivery (AGS score).
"""

import logging
import typing as t
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cached_property

from django.db import transaction
from django.db.models import Count

from lti_quiz.activity import picker
from lti_quiz.activity.gradebook import (
    GradebookShows,
    gradebook_shows,
    grading_progress,
    review_scores_in_effect,
)
from lti_quiz.grades.models import GradeDelivery
from lti_quiz.grades.services import grade_delivery_create
from lti_quiz.lti.ags import ActivityProgress
from lti_quiz.lti.context import LaunchContext, learner_sub
from lti_quiz.lti.models import ResourceLink, placement_key
from lti_quiz.lti.platforms import PlatformFamily, platform_family
from lti_quiz.quiz import timing
from lti_quiz.quiz.drafts import DraftValue
from lti_quiz.quiz.models import Attempt, Placement, Quiz
from lti_quiz.quiz.placement_rules import InvalidRules, placement_rules_set, rules_parse
from lti_quiz.quiz.services import (
    CountedResult,
    SubmitResult,
    attempt_counted_result,
    attempt_submit,
    placement_configure,
    placement_get_or_create,
    placement_link_settings_record,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Activity:
    """What a page needs to know about this launch's placement."""

    context: LaunchContext
    placement: Placement

    @cached_property
    def resource_link(self) -> ResourceLink | None:
        """The launch's resource link with its registration, read when a page first needs it
        (a learner's quiz page never does)."""
        if not self.context.resource_link_pk:
            return None
        return (
            ResourceLink.objects.select_related("registration")
            .filter(pk=self.context.resource_link_pk)
            .first()
        )

    @property
    def family(self) -> PlatformFamily:
        """The LMS this launch came from, as its registration knows it."""
        if self.resource_link is None:
            return platform_family("")
        return platform_family(self.resource_link.registration.platform_family)

    @property
    def review_scores(self) -> str:
        """What the gradebook gets here while an answer waits for review (quiz.ReviewScores)."""
        return review_scores_in_effect(placement=self.placement, family=self.family)

    @cached_property
    def overrides(self) -> timing.OverridesHere:
        """This learner's override and whether anyone here has an own close date: one read
        for the page (the overdue check and the learner's terms both need it)."""
        return timing.overrides_here(placement=self.placement, learner_key=self.context.learner_key)

    @cached_property
    def terms(self) -> timing.LearnerTerms:
        """What applies to this launch's learner here, from the overrides read once."""
        return timing.learner_terms(
            placement=self.placement,
            learner_key=self.context.learner_key,
            overrides=self.overrides,
        )

    @cached_property
    def attempts(self) -> list[Attempt]:
        """This launch's learner's attempts here, previews included, by number: one read for
        the page. Read after the guard closed overdue attempts, so their state is current."""
        return list(
            Attempt.objects.filter(
                placement=self.placement, learner_key=self.context.learner_key
            ).order_by("number")
        )

    @property
    def graded(self) -> bool:
        """Whether this learner's score goes to the gradebook (staff previews never do)."""
        return (
            self.context.is_learner
            and self.context.can_send_scores
            and self.context.resource_link_pk is not None
        )


def activity_for_launch(context: LaunchContext) -> Activity:
    key = placement_key(
        registration_id=context.registration_id, resource_link_id=context.resource_link_id
    )
    placement = placement_get_or_create(key=key, title=context.resource_link_title)
    if not context.custom:
        return Activity(context=context, placement=placement)
    quiz_before = placement.quiz_id
    placement = _placement_configure_from_custom(placement, context.custom)
    activity = Activity(context=context, placement=placement)
    if placement.quiz_id != quiz_before:
        # The link was deep-linked again to another quiz: its column gets the new title and
        # maximum. Imported here: grade_sync builds on this module.
        from lti_quiz.activity.grade_sync import placement_lineitem_sync

        placement_lineitem_sync(activity=activity, force=True)
    return activity


def _placement_configure_from_custom(placement: Placement, custom: dict[str, str]) -> Placement:
    """Apply the settings a deep-linked link carries (picker.LinkSettings.custom).

    Only values the LMS changed since it last sent them are applied: an instructor's later change
    on the results page stays until the LMS sends a different value. Custom parameters come from
    the LMS, where an admin may have edited them: a value we cannot use is logged and ignored,
    never an error for the student.
    """
    sent = {
        name: custom[name]
        for name in picker.LINK_SETTINGS
        if name in custom and placement.link_settings.get(name) != custom[name]
    }
    if not sent:
        return placement
    values: dict[str, t.Any] = {}
    if (slug := sent.get(picker.CUSTOM_QUIZ)) is not None:
        values["quiz"] = Quiz.objects.filter(slug=slug).first()
        if values["quiz"] is None:
            logger.warning("Placement %s: custom quiz %r does not exist", placement.key, slug)
    if (attempts := sent.get(picker.CUSTOM_ATTEMPTS)) is not None:
        if attempts.strip().isdigit():
            values["attempts_allowed"] = int(attempts)
        else:
            logger.warning("Placement %s: custom attempts_allowed %r", placement.key, attempts)
    if (policy := sent.get(picker.CUSTOM_SCORING)) is not None:
        values["scoring_policy"] = policy
    if (shuffle := sent.get(picker.CUSTOM_SHUFFLE)) is not None:
        if shuffle in ("true", "false"):
            values["shuffle_choices"] = shuffle == "true"
        else:
            logger.warning("Placement %s: custom shuffle_choices %r", placement.key, shuffle)
    if (one_per_page := sent.get(picker.CUSTOM_ONE_PER_PAGE)) is not None:
        if one_per_page in ("true", "false"):
            values["one_question_per_page"] = one_per_page == "true"
        else:
            logger.warning(
                "Placement %s: custom one_question_per_page %r", placement.key, one_per_page
            )
    if (review_scores := sent.get(picker.CUSTOM_REVIEW_SCORES)) is not None:
        values["review_scores"] = review_scores
    placement = _placement_rules_from_custom(placement, sent)
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
    return placement_link_settings_record(placement=placement, sent=sent)


def _placement_rules_from_custom(placement: Placement, sent: dict[str, str]) -> Placement:
    """The review rules and timing among the custom parameters sent; each checked alone, so
    one bad value is logged and ignored and the others apply."""
    rules: dict[str, t.Any] = {}
    for name in picker.CUSTOM_RULES:
        if name not in sent:
            continue
        try:
            rules.update(rules_parse({name: sent[name]}))
        except InvalidRules as error:
            logger.warning(
                "Placement %s: custom %s=%r ignored: %s", placement.key, name, sent[name], error
            )
    if not rules:
        return placement
    try:
        return placement_rules_set(placement=placement, rules=rules)
    except InvalidRules as error:
        logger.warning("Placement %s: custom dates ignored: %s", placement.key, error)
        return placement


def activity_submit(
    *,
    activity: Activity,
    attempt_id: int,
    answers: Mapping[str, DraftValue],
    shown: Collection[str] | None = None,
) -> SubmitResult:
    """Score and store the attempt, write its grade delivery and queue its task, in one
    transaction: one commit, and nothing on the student's request waits on the LMS.
    `shown`: the questions the posted page showed (quiz.services.attempt_submit)."""
    context = activity.context
    with transaction.atomic():
        result = attempt_submit(
            attempt_id=attempt_id,
            learner_key=context.learner_key,
            answers=answers,
            shown=shown,
            terms=activity.terms,  # from the overrides the guard read
        )
        if result.already_submitted or result.attempt.is_preview or not activity.graded:
            return result
        if activity.resource_link is None:
            # The link's registration was removed since the launch: no gradebook to send to.
            return result
        # The guard read this placement (and its quiz) already: no second read of either.
        if result.attempt.placement_id == activity.placement.pk:
            result.attempt.placement = activity.placement
        counted_score_deliver(
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
    return counted_score_deliver(
        resource_link=resource_link, attempt=attempt, reason=GradeDelivery.Reason.REVIEW
    )


def counted_score_deliver(
    *, resource_link: ResourceLink, attempt: Attempt, reason: str
) -> GradeDelivery:
    """The learner's score that counts (per the placement's policy), as an AGS score for them;
    call it inside the transaction that changed it."""
    counted = attempt_counted_result(attempt=attempt)
    assert counted is not None, "a submitted, graded attempt always counts"
    review_scores = review_scores_in_effect(
        placement=attempt.placement,
        family=platform_family(resource_link.registration.platform_family),
    )
    return grade_delivery_create(
        resource_link=resource_link,
        user_sub=learner_sub(attempt.learner_key),
        score_given=counted.score,
        score_maximum=counted.max_score,
        activity_progress=ActivityProgress.COMPLETED,
        grading_progress=grading_progress(
            pending_review=counted.pending_review, review_scores=review_scores
        ),
        attempt_id=attempt.pk,
        reason=reason,
    )


def quiz_overview(activity: Activity) -> tuple[Quiz, int]:
    """The placement's quiz with its lesson, and its number of questions, in one read: what
    the activity home shows (pages that do not show the lesson never load its text)."""
    quiz = (
        Quiz.objects.select_related("lesson")
        .annotate(question_count=Count("questions"))
        .get(pk=activity.placement.quiz_id)
    )
    return quiz, quiz.question_count  # type: ignore[attr-defined]  # the annotation above


def latest_delivery(activity: Activity) -> GradeDelivery | None:
    """The learner's most recent grade delivery, for the "sent to your gradebook" line."""
    if not activity.graded:
        return None
    return (
        GradeDelivery.objects.filter(
            resource_link_id=activity.context.resource_link_pk, user_sub=activity.context.sub
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def learner_gradebook(
    activity: Activity, *, delivery: GradeDelivery | None, counted: CountedResult | None
) -> GradebookShows | None:
    """What the LMS gradebook shows this learner once `delivery` is there, in words."""
    if delivery is None:
        return None
    waiting = (
        counted.attempt.questions_waiting_for_review()
        if counted is not None and counted.pending_review
        else []
    )
    return gradebook_shows(delivery=delivery, family=activity.family, waiting=waiting)
