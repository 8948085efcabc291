"""A learner's standing at this launch's placement, as their pages show it: what they may still
do (start, try again, until when), what the review rules let them see of their attempts, and
their attempt history. Also closes attempts whose time ran out, whichever page touches them.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

from lti_quiz.activity.services import Activity, counted_score_deliver
from lti_quiz.grades.models import GradeDelivery
from lti_quiz.lti.models import ResourceLink
from lti_quiz.quiz import timing
from lti_quiz.quiz.models import Attempt, Placement
from lti_quiz.quiz.review_rules import Visibility, review_visibility, rules_in_effect
from lti_quiz.quiz.services import CountedResult, attempt_submit, counted_result_of


def overdue_attempts_close(
    *,
    placement: Placement,
    resource_link_of: Callable[[], ResourceLink | None],
    learner_key: str | None = None,
    any_close_date: bool | None = None,
) -> list[Attempt]:
    """Submit every attempt here (or only `learner_key`'s) left open past its deadline and the
    grace, from the answers saved by the deadline; its grade goes out as for any submit.
    `resource_link_of` gives the placement's link, read only when an attempt is closed (most
    pages close none).

    Pages call this for what they touch; for a learner who never comes back, every worker runs
    `overdue_attempts_sweep` (docs/architecture.md). `any_close_date`: whether a learner here
    has a close date of their own, when the page read that already (timing.overrides_here).
    """
    if any_close_date is None:
        any_close_date = placement.learner_overrides.filter(closes_at__isnull=False).exists()
    untimed = (
        placement.time_limit_minutes is None and placement.closes_at is None and not any_close_date
    )
    if untimed:
        return []  # nothing here has a deadline: every page skips the look
    open_attempts = Attempt.objects.filter(
        placement=placement, status=Attempt.Status.IN_PROGRESS
    ).select_related("placement__quiz")
    if learner_key is not None:
        open_attempts = open_attempts.filter(learner_key=learner_key)
    closed = []
    for attempt in open_attempts:
        if not timing.attempt_is_overdue(attempt=attempt):
            continue
        with transaction.atomic():
            result = attempt_submit(
                attempt_id=attempt.pk, learner_key=attempt.learner_key, answers={}
            )
            resource_link = resource_link_of()
            graded = resource_link is not None and resource_link.can_send_scores
            if not result.already_submitted and not attempt.is_preview and graded:
                assert resource_link is not None
                counted_score_deliver(
                    resource_link=resource_link,
                    attempt=result.attempt,
                    reason=GradeDelivery.Reason.SUBMISSION,
                )
        closed.append(result.attempt)
    return closed


OVERDUE_SWEEP_LOCK_KEY = "quiz:overdue-sweep"


def overdue_attempts_close_all() -> list[Attempt]:
    """`overdue_attempts_close` for every placement with a deadline and an open attempt."""
    open_here = Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS).values("placement")
    timed = Placement.objects.filter(pk__in=open_here).filter(
        Q(time_limit_minutes__isnull=False)
        | Q(closes_at__isnull=False)
        | Q(learner_overrides__closes_at__isnull=False)
    )
    closed: list[Attempt] = []
    for placement in timed.distinct():
        closed += overdue_attempts_close(
            placement=placement,
            # Read once per placement, and only if one of its attempts is closed.
            resource_link_of=functools.cache(
                functools.partial(ResourceLink.objects.for_placement_key, placement.key)
            ),
        )
    return closed


def overdue_attempts_sweep() -> list[Attempt] | None:
    """One of the worker's sweeps (settings.WORKER_SWEEPS): a timed attempt whose learner closed
    the laptop is submitted from its saved answers, and its grade sent, within a sweep interval
    of its deadline, by one worker at a time (a lock in the shared cache). None when another
    worker holds the lock."""
    interval = settings.GRADES_SWEEP_SECONDS
    if not cache.add(OVERDUE_SWEEP_LOCK_KEY, "1", timeout=max(1, int(interval))):
        return None
    return overdue_attempts_close_all()


def activity_overdue_close(activity: Activity) -> list[Attempt]:
    """What a page touches: staff pages the whole placement, a learner's page their own."""
    return overdue_attempts_close(
        placement=activity.placement,
        resource_link_of=lambda: activity.resource_link,
        learner_key=None if activity.context.is_staff else activity.context.learner_key,
        any_close_date=activity.overrides.any_close_date,
    )


@dataclass(frozen=True)
class HistoryRow:
    attempt: Attempt
    counted: bool
    deadline: datetime | None = None

    @property
    def duration(self) -> timedelta | None:
        """Start to submit; an attempt submitted late by whoever touched it ended at its
        deadline, not days later."""
        if self.attempt.submitted_at is None:
            return None
        ended = self.attempt.submitted_at
        if self.deadline is not None:
            ended = min(ended, self.deadline)
        return ended - self.attempt.started_at

    @property
    def minutes(self) -> int:
        """The duration in whole minutes (0: under a minute)."""
        duration = self.duration
        return int(duration.total_seconds() // 60) if duration else 0

    @property
    def percent(self) -> int | None:
        return percent(self.attempt.score, self.attempt.max_score)


def percent(score: Decimal | None, max_score: Decimal) -> int | None:
    if score is None or not max_score:
        return None
    return round(score * 100 / max_score)


@dataclass(frozen=True)
class LearnerStanding:
    standing: timing.LearnerStanding
    visibility: Visibility
    counted: CountedResult | None
    history: list[HistoryRow]  # submitted attempts, by number
    scoring_policy: str  # the placement's effective ScoringPolicy value
    deadline: datetime | None  # the open attempt's, if any
    rules: dict[str, str]  # each review part's "when" (review_rules.rules_in_effect)

    @property
    def can_try_again(self) -> bool:
        return self.standing.in_progress is None and self.standing.can_start


def learner_standing_load(activity: Activity) -> LearnerStanding:
    """Where this launch's learner stands. Staff see everything of their own previews."""
    placement = activity.placement
    # The learner's attempts and overrides as the page read them once (Activity).
    own = [a for a in activity.attempts if not a.is_preview]
    standing = timing.learner_standing(
        placement=placement,
        learner_key=activity.context.learner_key,
        attempts=own,
        overrides=activity.overrides,
    )
    counted = counted_result_of(placement=placement, submitted=[a for a in own if a.is_submitted])
    submitted = [
        a for a in activity.attempts if a.is_preview == activity.context.is_staff and a.is_submitted
    ]
    counted_pk = counted.attempt.pk if counted else None
    visibility = (
        Visibility.everything()
        if activity.context.is_staff
        else review_visibility(
            placement=placement,
            no_attempt_left=standing.no_attempt_left,
            closed=standing.closed,
        )
    )
    in_progress = standing.in_progress
    return LearnerStanding(
        standing=standing,
        visibility=visibility,
        counted=counted,
        history=[
            HistoryRow(
                attempt=a,
                counted=a.pk == counted_pk,
                deadline=timing.attempt_deadline(attempt=a, terms=standing.terms),
            )
            for a in submitted
        ],
        scoring_policy=placement.effective_scoring_policy,
        rules=rules_in_effect(placement),
        deadline=(
            timing.attempt_deadline(attempt=in_progress, terms=standing.terms)
            if in_progress
            else None
        ),
    )
