"""When a learner may take a quiz: open and close dates, attempts allowed, the time limit, and
what an instructor granted one learner (LearnerOverride).

An attempt's deadline is its start plus the time limit (and the learner's extra time), and never
later than their close date. A final submit that arrives within QUIZ_DEADLINE_GRACE_SECONDS of it
still counts (the page posts itself at zero; the network takes a moment); after that grace the
attempt is scored from the answers saved by the deadline (drafts.py), whoever touches it next.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from lti_quiz.quiz.models import Attempt, LearnerOverride, Placement


@dataclass(frozen=True)
class LearnerTerms:
    """What applies to one learner at one placement, overrides included."""

    opens_at: datetime | None
    closes_at: datetime | None
    time_limit: timedelta | None
    attempts_limit: int  # 0: unlimited
    extra_attempts: int
    extra_minutes: int


@dataclass(frozen=True)
class OverridesHere:
    """What a learner's page needs of the placement's overrides, in one read: the learner's own,
    and whether anyone here has a close date of their own (then an attempt can be overdue even
    where the placement has neither a time limit nor a close date)."""

    own: LearnerOverride | None
    any_close_date: bool


def overrides_here(*, placement: Placement, learner_key: str) -> OverridesHere:
    rows = list(
        LearnerOverride.objects.filter(placement=placement).filter(
            Q(learner_key=learner_key) | Q(closes_at__isnull=False)
        )
    )
    return OverridesHere(
        own=next((row for row in rows if row.learner_key == learner_key), None),
        any_close_date=any(row.closes_at is not None for row in rows),
    )


def learner_terms(
    *, placement: Placement, learner_key: str, overrides: OverridesHere | None = None
) -> LearnerTerms:
    """`overrides`: read already by the page (else the learner's own is read here)."""
    if overrides is not None:
        override = overrides.own
    else:
        override = LearnerOverride.objects.filter(
            placement=placement, learner_key=learner_key
        ).first()
    extra_attempts = override.extra_attempts if override else 0
    extra_minutes = override.extra_minutes if override else 0
    limit = placement.attempts_limit
    time_limit = None
    if placement.time_limit_minutes:
        time_limit = timedelta(minutes=placement.time_limit_minutes + extra_minutes)
    return LearnerTerms(
        opens_at=placement.opens_at,
        closes_at=(override.closes_at if override and override.closes_at else placement.closes_at),
        time_limit=time_limit,
        attempts_limit=limit + extra_attempts if limit else 0,
        extra_attempts=extra_attempts,
        extra_minutes=extra_minutes,
    )


def grace() -> timedelta:
    return timedelta(seconds=settings.QUIZ_DEADLINE_GRACE_SECONDS)


def attempt_deadline(*, attempt: Attempt, terms: LearnerTerms | None = None) -> datetime | None:
    """When the attempt is due; None when neither a time limit nor a close date applies."""
    if terms is None:
        terms = learner_terms(placement=attempt.placement, learner_key=attempt.learner_key)
    candidates = []
    if terms.time_limit is not None:
        candidates.append(attempt.started_at + terms.time_limit)
    if terms.closes_at is not None and not attempt.is_preview:
        candidates.append(terms.closes_at)
    return min(candidates, default=None)


def attempt_is_overdue(
    *, attempt: Attempt, now: datetime | None = None, terms: LearnerTerms | None = None
) -> bool:
    """In progress and past its deadline and the grace: only its saved answers count now."""
    if attempt.is_submitted:
        return False
    deadline = attempt_deadline(attempt=attempt, terms=terms)
    return deadline is not None and (now or timezone.now()) > deadline + grace()


def attempt_submitted_late(*, attempt: Attempt, terms: LearnerTerms | None = None) -> bool:
    """Submitted after its deadline and the grace: scored from the answers saved by then."""
    deadline = attempt_deadline(attempt=attempt, terms=terms)
    return (
        deadline is not None
        and attempt.submitted_at is not None
        and attempt.submitted_at > deadline + grace()
    )


@dataclass(frozen=True)
class LearnerStanding:
    """Where one learner stands at a placement at `now`: may they start, what is left."""

    terms: LearnerTerms
    now: datetime
    used: int  # attempts started (staff previews never count)
    in_progress: Attempt | None

    @property
    def remaining(self) -> int | None:
        """Attempts they may still start; None when unlimited."""
        if not self.terms.attempts_limit:
            return None
        return max(self.terms.attempts_limit - self.used, 0)

    @property
    def not_open_yet(self) -> bool:
        return self.terms.opens_at is not None and self.now < self.terms.opens_at

    @property
    def closed(self) -> bool:
        return self.terms.closes_at is not None and self.now >= self.terms.closes_at

    @property
    def can_start(self) -> bool:
        return not self.not_open_yet and not self.closed and self.remaining != 0

    @property
    def no_attempt_left(self) -> bool:
        """Nothing more to take: every attempt used (none open), or the quiz has closed."""
        return self.closed or (self.remaining == 0 and self.in_progress is None)


def learner_standing(
    *,
    placement: Placement,
    learner_key: str,
    now: datetime | None = None,
    attempts: list[Attempt] | None = None,
    overrides: OverridesHere | None = None,
) -> LearnerStanding:
    """`attempts` (the learner's here, previews left out) and `overrides`: read already by the
    page, else read here."""
    if attempts is None:
        # Counted, not shown: a practice quiz's learner may have dozens of attempts, and each
        # snapshot is kilobytes of JSON to parse.
        attempts = list(
            Attempt.objects.filter(
                placement=placement, learner_key=learner_key, is_preview=False
            ).defer("snapshot")
        )
    return LearnerStanding(
        terms=learner_terms(placement=placement, learner_key=learner_key, overrides=overrides),
        now=now or timezone.now(),
        used=len(attempts),
        in_progress=next((a for a in attempts if not a.is_submitted), None),
    )
