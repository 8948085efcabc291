"""The instructor's view of one placement: who is in the course, how they did, what waits.

The roster comes from the platform (NRPS) and is merged with everyone who has attempts here but
is not listed (dropped the course, or the platform gave no roster service). Actions never talk
to the LMS on the instructor's request: a resend or a review writes grade-delivery rows through
the grades and quiz services, and the worker sends them (docs/architecture.md, "A grade").

Every lookup is scoped to the launch's placement and resource link, so an id from another
course's page is "not here" (NotInThisPlacement), whoever sends it.
"""

import csv
import datetime as dt
import io
import logging
from dataclasses import dataclass
from decimal import Decimal

import requests
from django.db import transaction
from django.utils.translation import gettext

from lti_quiz.activity.errors import LayoutChoiceMissing, NotInThisPlacement, ReviewScoresMissing
from lti_quiz.activity.gradebook import GradebookShows
from lti_quiz.activity.services import Activity, counted_score_deliver, learner_gradebook
from lti_quiz.grades.models import GradeDelivery
from lti_quiz.grades.services import grade_delivery_resend
from lti_quiz.lib.spreadsheets import cell_safe
from lti_quiz.lti.context import learner_key, learner_sub
from lti_quiz.lti.models import ResourceLink
from lti_quiz.lti.nrps import Member, learners
from lti_quiz.lti.roster import ServiceError, kept_roster, roster_refresh_queue
from lti_quiz.quiz.models import Attempt, Response, ReviewScores
from lti_quiz.quiz.scoring import credit_step
from lti_quiz.quiz.services import (
    CountedResult,
    counted_result_of,
    learner_counted_result,
    placement_configure,
)
from lti_quiz.quiz.statistics import QuestionStats, question_statistics

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LearnerResult:
    user_sub: str
    name: str
    email: str
    in_roster: bool
    status: str  # the platform's membership status ("Active", "Inactive"); "" if not listed
    attempts: tuple[Attempt, ...]  # the learner's own (never staff previews), by number
    counted: CountedResult | None
    delivery: GradeDelivery | None  # the latest, by score timestamp
    gradebook: GradebookShows | None  # what the LMS shows once that delivery is there

    @property
    def submitted(self) -> list[Attempt]:
        return [a for a in self.attempts if a.status == Attempt.Status.SUBMITTED]

    @property
    def in_progress(self) -> bool:
        return any(a.status == Attempt.Status.IN_PROGRESS for a in self.attempts)

    @property
    def delivery_failed(self) -> bool:
        return self.delivery is not None and self.delivery.state == GradeDelivery.State.FAILED


@dataclass(frozen=True)
class ReviewItem:
    response_id: int
    user_sub: str
    learner_name: str
    attempt_number: int
    question_text: str
    answer_text: str
    points: Decimal
    step: Decimal  # the partial credit steps (scoring.credit_step)
    model_answer: str
    patterns: list[str]
    rejected_patterns: list[str]
    reason: str  # why scoring left it to a person


@dataclass(frozen=True)
class RosterShown:
    members: list[Member]
    complete: bool
    read_at: dt.datetime | None  # when the platform answered; None without a roster
    error: str  # why the platform's roster is missing, in words; "" when it is there


@dataclass(frozen=True)
class PlacementResults:
    activity: Activity
    learners: list[LearnerResult]
    review_queue: list[ReviewItem]
    statistics: list[QuestionStats]
    roster: RosterShown

    @property
    def failed(self) -> list[LearnerResult]:
        return [learner for learner in self.learners if learner.delivery_failed]

    @property
    def submitted_count(self) -> int:
        return sum(1 for learner in self.learners if learner.submitted)


def roster_load(
    *, resource_link: ResourceLink | None, session: requests.Session | None = None
) -> RosterShown:
    """The link's course roster as kept (lti.roster: read once, refreshed in the background)."""
    if resource_link is None or not resource_link.nrps_url:
        return RosterShown(
            [],
            True,
            None,
            gettext("The platform did not offer its course roster (NRPS) for this link."),
        )
    try:
        kept = kept_roster(resource_link=resource_link, session=session)
    except ServiceError as exc:
        logger.warning("Roster of resource link %s unavailable: %s", resource_link.pk, exc)
        return RosterShown(
            [],
            True,
            None,
            gettext("The course roster could not be read from the platform: %(error)s")
            % {"error": exc.message},
        )
    return RosterShown(list(kept.roster.members), kept.roster.complete, kept.read_at, "")


def results_roster_refresh(*, activity: Activity) -> bool:
    """Queue a new read of the course roster; False when one is already on its way (or the
    platform offers no roster: the page says so)."""
    resource_link = activity.resource_link
    if resource_link is None or not resource_link.nrps_url:
        return False
    return roster_refresh_queue(resource_link)


def _latest_deliveries(resource_link: ResourceLink | None) -> dict[str, GradeDelivery]:
    if resource_link is None:
        return {}
    latest: dict[str, GradeDelivery] = {}
    for delivery in GradeDelivery.objects.filter(resource_link=resource_link).order_by(
        "user_sub", "-timestamp"
    ):
        latest.setdefault(delivery.user_sub, delivery)
    return latest


def _snapshot_question(attempt: Attempt, slot: str) -> dict:
    return next(q for q in attempt.snapshot["questions"] if q["slot"] == slot)


def placement_results(
    *, activity: Activity, session: requests.Session | None = None
) -> PlacementResults:
    """Everything the results page and the CSV export show, for staff of this placement."""
    placement = activity.placement
    registration_id = (
        activity.resource_link.registration_id
        if activity.resource_link
        else activity.context.registration_id
    )
    roster = roster_load(resource_link=activity.resource_link, session=session)
    attempts = list(
        Attempt.objects.filter(placement=placement, is_preview=False)
        .prefetch_related("responses")
        .order_by("learner_key", "number")
    )
    by_learner: dict[str, list[Attempt]] = {}
    for attempt in attempts:
        by_learner.setdefault(attempt.learner_key, []).append(attempt)
    deliveries = _latest_deliveries(activity.resource_link)

    listed = {member.user_id: member for member in learners(roster.members)}
    subs = list(listed)
    prefix = f"{registration_id}:"
    extra = {learner_sub(key) for key in by_learner if key.startswith(prefix)} | set(deliveries)
    subs += sorted(extra - set(listed))

    rows = []
    for sub in subs:
        member = listed.get(sub)
        key = learner_key(registration_id=registration_id, sub=sub)
        own = tuple(by_learner.get(key, ()))
        # Worked out from the attempts (and responses) read above in one grouped query, so
        # the page costs the same number of queries for 5 learners or 1,000.
        counted = counted_result_of(
            placement=placement,
            submitted=[a for a in own if a.status == Attempt.Status.SUBMITTED],
        )
        delivery = deliveries.get(sub)
        rows.append(
            LearnerResult(
                user_sub=sub,
                name=member.display_name if member else "",
                email=member.email if member else "",
                in_roster=member is not None,
                status=member.status if member else "",
                attempts=own,
                counted=counted,
                delivery=delivery,
                gradebook=learner_gradebook(activity, delivery=delivery, counted=counted),
            )
        )
    rows.sort(key=lambda r: (not r.in_roster, (r.name or r.user_sub).casefold(), r.user_sub))
    names = {row.user_sub: row.name for row in rows}

    submitted = [a for a in attempts if a.status == Attempt.Status.SUBMITTED]
    order = list(placement.quiz.entries.values_list("question_id", flat=True))
    statistics = question_statistics(
        ((a.snapshot, a.responses.all()) for a in submitted), order=order
    )
    return PlacementResults(
        activity=activity,
        learners=rows,
        review_queue=_review_queue(submitted, names),
        statistics=statistics,
        roster=roster,
    )


def _review_queue(submitted: list[Attempt], names: dict[str, str]) -> list[ReviewItem]:
    """Answers waiting for a person, oldest submit first, from the attempts the page read
    already (their responses prefetched): no second read of every snapshot."""
    pending = sorted(
        (
            response
            for attempt in submitted
            for response in attempt.responses.all()
            if response.review_state == Response.ReviewState.PENDING
        ),
        key=lambda r: (r.attempt.submitted_at, r.attempt_id, r.pk),
    )
    items = []
    for response in pending:
        question = _snapshot_question(response.attempt, response.slot)
        sub = learner_sub(response.attempt.learner_key)
        items.append(
            ReviewItem(
                response_id=response.pk,
                user_sub=sub,
                learner_name=names.get(sub) or sub,
                attempt_number=response.attempt.number,
                question_text=question["text"],
                answer_text=response.answer if isinstance(response.answer, str) else "",
                points=Decimal(str(question["points"])),
                step=credit_step(question),
                model_answer=question.get("model_answer", ""),
                patterns=list(question.get("patterns", [])),
                rejected_patterns=list(question.get("rejected_patterns", [])),
                reason=response.review_reason,
            )
        )
    return items


def results_resend(*, activity: Activity, delivery_id: int) -> GradeDelivery:
    """Send a learner's latest score again (a new delivery row; the worker sends it).

    Raises NotInThisPlacement, or grades' ResendRefused when a newer delivery exists.
    """
    if activity.resource_link is None or not (
        GradeDelivery.objects.filter(pk=delivery_id, resource_link=activity.resource_link).exists()
    ):
        raise NotInThisPlacement()
    return grade_delivery_resend(delivery_id=delivery_id)


def results_one_question_per_page_set(*, activity: Activity, value: str) -> None:
    """The instructor's choice of layout: "true" for one question per page, "false" for all
    on one page. Attempts in progress follow it from their next page."""
    if value not in ("true", "false"):
        raise LayoutChoiceMissing()
    placement_configure(placement=activity.placement, one_question_per_page=value == "true")


def results_review_scores_set(*, activity: Activity, review_scores: str) -> list[GradeDelivery]:
    """The instructor's choice of what the gradebook gets while answers wait for review.

    Learners whose counted score waits for a review get it again the new way at once (new
    delivery rows), so the gradebook never keeps showing what the old choice sent. Raises
    ReviewScoresMissing for an unknown choice. Returns the new deliveries.
    """
    if review_scores not in ReviewScores.values:
        raise ReviewScoresMissing()
    with transaction.atomic():
        placement_configure(placement=activity.placement, review_scores=review_scores)
        if activity.resource_link is None or not activity.resource_link.can_send_scores:
            return []
        waiting = (
            Attempt.objects.filter(
                placement=activity.placement,
                is_preview=False,
                status=Attempt.Status.SUBMITTED,
                needs_review=True,
            )
            .values_list("learner_key", flat=True)
            .distinct()
        )
        sent = []
        for key in waiting:
            counted = learner_counted_result(placement=activity.placement, learner_key=key)
            if counted is not None and counted.pending_review:
                sent.append(
                    counted_score_deliver(
                        resource_link=activity.resource_link,
                        attempt=counted.attempt,
                        reason=GradeDelivery.Reason.RESEND,
                    )
                )
        return sent


def results_resend_failed(*, activity: Activity) -> list[GradeDelivery]:
    """Send again every learner's latest score whose delivery failed for good."""
    failed = [
        delivery
        for delivery in _latest_deliveries(activity.resource_link).values()
        if delivery.state == GradeDelivery.State.FAILED
    ]
    return [grade_delivery_resend(delivery_id=delivery.pk) for delivery in failed]


# -- CSV export -------------------------------------------------------------------------------

CSV_COLUMNS = [
    "user_id",
    "name",
    "email",
    "in_roster",
    "attempts_submitted",
    "counted_score",
    "max_score",
    "review_pending",
    "grade_delivery",
    "grade_delivery_error",
    "last_submitted_at",
]


def csv_safe(value: object) -> str:
    """A cell of the summary CSV: text, neutralised by the one rule of every export."""
    return str(cell_safe(None if value is None else str(value)))


def _number(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def results_csv(results: PlacementResults) -> str:
    """One row per learner, every cell safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in results.learners:
        submitted = row.submitted
        last = max((a.submitted_at for a in submitted if a.submitted_at), default=None)
        cells = [
            row.user_sub,
            row.name,
            row.email,
            "yes" if row.in_roster else "no",
            len(submitted),
            _number(row.counted.score) if row.counted else "",
            _number(row.counted.max_score) if row.counted else "",
            ("yes" if row.counted.pending_review else "no") if row.counted else "",
            row.delivery.state if row.delivery else "",
            row.delivery.last_error if row.delivery else "",
            last.isoformat() if last else "",
        ]
        writer.writerow([csv_safe(cell) for cell in cells])
    return out.getvalue()
