"""Writes of the quiz room: placements, starting and submitting attempts (reviews: reviews.py).

Every function takes keyword-only arguments and is safe to call inside the caller's
transaction. Scores are computed here on the server from the attempt's snapshot only.
"""

import random
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from lti_quiz.quiz import scoring, timing
from lti_quiz.quiz.drafts import DraftValue, answers_with_drafts, attempt_draft_answers
from lti_quiz.quiz.errors import (
    AttemptNotFound,
    NoAttemptsLeft,
    QuizClosed,
    QuizError,
    QuizNotOpenYet,
)
from lti_quiz.quiz.models import (
    Attempt,
    AttemptQuestion,
    Placement,
    Question,
    Quiz,
    Response,
    ReviewScores,
    ScoringPolicy,
)
from lti_quiz.quiz.snapshots import snapshot_take

# Shuffles need no reproducibility, and a learner must not be able to predict them.
_rng: random.Random = random.SystemRandom()
# A sanity bound for placement settings that arrive from outside (deep link custom parameters).
MAX_ATTEMPTS_ALLOWED = 100


@dataclass(frozen=True)
class SubmitResult:
    attempt: Attempt
    already_submitted: bool
    # Past its deadline and the grace: scored from the answers saved by the deadline.
    after_deadline: bool = False


@dataclass(frozen=True)
class CountedResult:
    score: Decimal
    max_score: Decimal
    pending_review: bool
    attempt: Attempt


def placement_get_or_create(*, key: str, title: str = "", quiz: Quiz | None = None) -> Placement:
    """The placement for `key`, created with `quiz` (default: the seed quiz) when new.

    An existing placement keeps its quiz; its title follows the latest one given (LMS titles
    get renamed).
    """
    placement = Placement.objects.select_related("quiz").filter(key=key).first()
    if placement is None:
        placement, _ = Placement.objects.select_related("quiz").get_or_create(
            key=key, defaults={"title": title, "quiz": quiz or Quiz.objects.default()}
        )
    if title and placement.title != title:
        placement.title = title
        placement.save(update_fields=["title"])
    return placement


def placement_configure(
    *,
    placement: Placement,
    quiz: Quiz | None = None,
    attempts_allowed: int | None = None,
    scoring_policy: str | None = None,
    shuffle_choices: bool | None = None,
    review_scores: str | None = None,
    one_question_per_page: bool | None = None,
) -> Placement:
    """Set what a placement offers (from a deep link's settings, or its instructor); None:
    leave as is.

    The quiz changes only while nobody has started an attempt here: attempts already taken
    were asked from the old quiz and are counted with it. Raises ValueError for a value out of
    range. Writes only what changed.
    """
    if attempts_allowed is not None and not 0 <= attempts_allowed <= MAX_ATTEMPTS_ALLOWED:
        raise ValueError(f"attempts_allowed must be 0 to {MAX_ATTEMPTS_ALLOWED}")
    if scoring_policy is not None and scoring_policy not in ScoringPolicy.values:
        raise ValueError(f"scoring_policy must be one of {', '.join(ScoringPolicy.values)}")
    if review_scores is not None and review_scores not in ReviewScores.values:
        raise ValueError(f"review_scores must be one of {', '.join(ReviewScores.values)}")
    changed: dict[str, object] = {}
    if quiz is not None and placement.quiz_id != quiz.pk:
        if placement.attempts.exists():
            raise ValueError("the placement already has attempts; its quiz stays")
        changed["quiz"] = quiz
    overrides: dict[str, object] = {
        "attempts_allowed": attempts_allowed,
        "scoring_policy": scoring_policy,
        "shuffle_choices": shuffle_choices,
        "review_scores": review_scores,
        "one_question_per_page": one_question_per_page,
    }
    for field, value in overrides.items():
        if value is not None and getattr(placement, field) != value:
            changed[field] = value
    if changed:
        for field, value in changed.items():
            setattr(placement, field, value)
        placement.save(update_fields=list(changed))
    return placement


def placement_link_settings_record(*, placement: Placement, sent: Mapping[str, str]) -> Placement:
    """Remember the settings the link sent, as applied (see Placement.link_settings)."""
    settings = {**placement.link_settings, **sent}
    if settings != placement.link_settings:
        placement.link_settings = settings
        placement.save(update_fields=["link_settings"])
    return placement


def quiz_max_score(quiz: Quiz) -> Decimal:
    """The most an attempt at `quiz` can score (what the gradebook column is out of)."""
    if quiz.is_drawn:
        # Drawn quizzes ask draw_count questions; the bank's points are assumed uniform.
        question = Question.objects.filter(bank_id=quiz.draw_bank_id).active().first()
        return (question.points if question else Decimal(1)) * (quiz.draw_count or 0)
    return sum(
        (q.points for q in quiz.ordered_questions() if q.status == Question.Status.ACTIVE),
        Decimal(0),
    )


def attempts_remaining(*, placement: Placement, learner_key: str) -> int | None:
    """Attempts the learner may still start (extra ones granted included); None: unlimited."""
    return timing.learner_standing(placement=placement, learner_key=learner_key).remaining


def attempt_start_check(
    *, placement: Placement, learner_key: str, overrides: timing.OverridesHere | None = None
) -> None:
    """Whether the learner may start an attempt now: QuizNotOpenYet, QuizClosed or
    NoAttemptsLeft (their extra attempts and personal close date included) if not.
    `overrides`: read already by the page (timing.overrides_here)."""
    standing = timing.learner_standing(
        placement=placement, learner_key=learner_key, overrides=overrides
    )
    if standing.not_open_yet:
        raise QuizNotOpenYet()
    if standing.closed:
        raise QuizClosed()
    if standing.remaining == 0:
        raise NoAttemptsLeft()


def attempt_get_or_start(
    *,
    placement: Placement,
    learner_key: str,
    preview: bool = False,
    overrides: timing.OverridesHere | None = None,
) -> Attempt:
    """The learner's open attempt, or a new one if the placement is open and attempts are left.
    Staff previews never count and are unlimited, before the open date and after the close."""
    for _ in range(3):
        attempt = Attempt.objects.filter(
            placement=placement,
            learner_key=learner_key,
            is_preview=preview,
            status=Attempt.Status.IN_PROGRESS,
        ).first()
        if attempt is not None:
            attempt.placement = placement  # the same row, already read: no second query
            return attempt
        if not preview:
            attempt_start_check(placement=placement, learner_key=learner_key, overrides=overrides)
        last = Attempt.objects.filter(placement=placement, learner_key=learner_key).aggregate(
            last=Max("number")
        )["last"]
        snapshot = snapshot_take(
            quiz=placement.quiz, rng=_rng, shuffle_choices=placement.shuffle_choices
        )
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    placement=placement,
                    quiz=placement.quiz,
                    learner_key=learner_key,
                    number=(last or 0) + 1,
                    is_preview=preview,
                    snapshot=snapshot,
                    max_score=Decimal(snapshot["max_score"]),
                )
                # What was asked, searchable: a question an attempt asked is never deleted.
                AttemptQuestion.objects.bulk_create(
                    AttemptQuestion(
                        attempt=attempt,
                        question_id=q["question_id"],
                        version=q["question_version"],
                        slot=q["slot"],
                    )
                    for q in snapshot["questions"]
                )
                return attempt
        except IntegrityError:
            # Another request (a second tab, a double launch) started one at the same moment:
            # look again, and resume theirs or count it against the limit.
            continue
    raise QuizError(gettext("The attempt could not be started. Please try again."))


def attempt_submit(
    *,
    attempt_id: int,
    learner_key: str,
    answers: Mapping[str, DraftValue],
    shown: Collection[str] | None = None,
    terms: timing.LearnerTerms | None = None,
) -> SubmitResult:
    """Score and store the answers once. A repeated submit changes nothing and says so.

    `shown`: the questions the posted page showed, when it is a page of the quiz; the drafts of
    the others fill them in (drafts.answers_with_drafts). Past the attempt's deadline and the
    grace, the answers posted are ignored: what the learner saved by the deadline is scored
    (timing.py); `terms`: the learner's, when the page read them already. The same number of
    queries for 10 questions or 100 (bulk writes).
    """
    with transaction.atomic():
        # The row lock makes a concurrent submit wait here and then see "submitted"; only the
        # attempt's row is locked (`of`), not the placement and quiz read with it.
        attempt = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("placement__quiz")
            .filter(pk=attempt_id, learner_key=learner_key)
            .first()
        )
        if attempt is None:
            raise AttemptNotFound()
        if attempt.is_submitted:
            return SubmitResult(attempt=attempt, already_submitted=True)
        now = timezone.now()
        after_deadline = timing.attempt_is_overdue(attempt=attempt, now=now, terms=terms)
        if after_deadline:
            deadline = timing.attempt_deadline(attempt=attempt, terms=terms)
            assert deadline is not None
            answers = attempt_draft_answers(attempt=attempt, saved_by=deadline)
        elif shown is not None:
            answers = answers_with_drafts(attempt=attempt, answers=answers, shown=shown)

        outcomes = scoring.score_answers(attempt.snapshot, answers)
        score, needs_review = scoring.total(outcomes)
        # Conditional as well as locked: databases without row locks still get one winner.
        updated = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
            status=Attempt.Status.SUBMITTED,
            score=score,
            needs_review=needs_review,
            submitted_at=now,
        )
        if not updated:
            attempt.refresh_from_db()
            return SubmitResult(attempt=attempt, already_submitted=True)
        attempt.status, attempt.score = Attempt.Status.SUBMITTED, score
        attempt.needs_review, attempt.submitted_at = needs_review, now

        # Every question of the snapshot exists: the attempt's AttemptQuestion rows PROTECT
        # them from deletion (a question an attempt asked is archived instead).
        question_ids = {q["slot"]: q["question_id"] for q in attempt.snapshot["questions"]}
        Response.objects.bulk_create(
            Response(
                attempt=attempt,
                slot=slot,
                question_id=question_ids[slot],
                answer=outcome.answer,
                is_correct=outcome.is_correct,
                score=outcome.score,
                feedback=outcome.feedback,
                review_reason=outcome.review_reason,
                review_state=(
                    Response.ReviewState.PENDING if outcome.pending else Response.ReviewState.AUTO
                ),
            )
            for slot, outcome in outcomes.items()
        )
        # The form just posted is the answer; what was saved on the way is done with.
        attempt.drafts.all().delete()
    return SubmitResult(attempt=attempt, already_submitted=False, after_deadline=after_deadline)


def learner_counted_result(*, placement: Placement, learner_key: str) -> CountedResult | None:
    """The result that counts under the placement's scoring policy; None before any submission."""
    attempts = list(
        Attempt.objects.filter(
            placement=placement,
            learner_key=learner_key,
            is_preview=False,
            status=Attempt.Status.SUBMITTED,
        ).order_by("number")
    )
    return _counted_of(attempts, policy=placement.effective_scoring_policy)


def attempt_counted_result(*, attempt: Attempt) -> CountedResult | None:
    """The learner's counted result once `attempt` (submitted) is in. A first attempt is the
    only one, so it needs no read: learners start the next attempt only once this one is done."""
    if attempt.number == 1 and attempt.is_submitted and not attempt.is_preview:
        return _counted_of([attempt], policy=attempt.placement.effective_scoring_policy)
    return learner_counted_result(placement=attempt.placement, learner_key=attempt.learner_key)


def placement_counted_results(*, placement: Placement) -> dict[str, CountedResult]:
    """Every learner's counted result in a placement, by learner key, in two queries."""
    by_learner: dict[str, list[Attempt]] = {}
    for attempt in (
        Attempt.objects.filter(
            placement=placement, is_preview=False, status=Attempt.Status.SUBMITTED
        )
        .prefetch_related("responses")
        .order_by("learner_key", "number")
    ):
        by_learner.setdefault(attempt.learner_key, []).append(attempt)
    policy = placement.effective_scoring_policy
    counted = {key: _counted_of(attempts, policy=policy) for key, attempts in by_learner.items()}
    return {key: result for key, result in counted.items() if result is not None}


def counted_result_of(*, placement: Placement, submitted: list[Attempt]) -> CountedResult | None:
    """The counted result among one learner's submitted attempts (ordered by number).

    Reads no rows when the attempts come with their responses prefetched, so a page listing
    a whole class works it out for everyone from one grouped read.
    """
    return _counted_of(submitted, policy=placement.effective_scoring_policy)


def _counted_of(attempts: list[Attempt], *, policy: str) -> CountedResult | None:
    if not attempts:
        return None
    if policy == ScoringPolicy.FIRST:
        counted, pending = attempts[0], attempts[0].needs_review
    elif policy == ScoringPolicy.LATEST:
        counted, pending = attempts[-1], attempts[-1].needs_review
    else:
        # max() keeps the earliest of equal scores, so a tie never moves the counted attempt.
        counted = max(attempts, key=lambda attempt: attempt.score or Decimal(0))
        pending = any(_could_reach(attempt, counted.score) for attempt in attempts)
    assert counted.score is not None
    return CountedResult(
        score=counted.score, max_score=counted.max_score, pending_review=pending, attempt=counted
    )


def _could_reach(attempt: Attempt, score: Decimal | None) -> bool:
    """Whether a review still waiting on `attempt` could make it beat `score`."""
    if not attempt.needs_review:
        return False
    # all(), not filter(): it reads the prefetched responses when there are some.
    pending_slots = [
        r for r in attempt.responses.all() if r.review_state == Response.ReviewState.PENDING
    ]
    reachable = (attempt.score or Decimal(0)) + sum(
        (scoring.points(_snapshot_question(attempt, r.slot)) for r in pending_slots), Decimal(0)
    )
    return reachable > (score or Decimal(0))


def _snapshot_question(attempt: Attempt, slot: str) -> dict:
    return next(q for q in attempt.snapshot["questions"] if q["slot"] == slot)
