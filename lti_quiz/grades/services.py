"""Grade delivery: the row is written with the attempt, the worker sends it (ARCHITECTURE.md,
"One way through" steps 3-4).

Delivery is at least once: a row is claimed with a lease before sending, so two workers never
send it at the same time, and a worker that dies mid-send leaves a lease that expires and a row
that `grades_resume` queues again. Score timestamps are strictly increasing per learner and
link, so a platform that sees the same score twice keeps the newest
(https://www.imsglobal.org/spec/lti-ags/v2p0/#timestamp).
"""

import datetime as dt
import logging
import random
from decimal import Decimal
from functools import partial

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.lti.ags import ServiceError, score_publish
from lti_quiz.lti.models import ResourceLink

logger = logging.getLogger(__name__)

State = GradeDelivery.State
ONE_MILLISECOND = dt.timedelta(milliseconds=1)
BACKOFF_CAP_SECONDS = 3600.0
# Each delay is stretched by up to this fraction at random, so deliveries that failed together
# (the LMS was down for everyone) do not all come back at the same second.
JITTER = 0.25


class ResendRefused(Exception):
    """Sending this delivery again would put an older score over a newer one."""


def lease_seconds() -> float:
    """How long a claim lasts. Long enough for the slowest send: a token, a few pages of line
    items, the score and one 401 retry, each allowed HTTP_TIMEOUT."""
    return max(120.0, settings.HTTP_TIMEOUT * 12)


def retry_delay(*, attempt: int, retry_after: float | None = None) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based): exponential, jittered,
    and never sooner than the platform's Retry-After."""
    delay = min(settings.GRADES_RETRY_BASE_SECONDS * 2 ** (attempt - 1), BACKOFF_CAP_SECONDS)
    delay *= 1 + random.random() * JITTER
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay


def _whole_milliseconds(value: dt.datetime) -> dt.datetime:
    # The timestamp is sent with millisecond precision; store exactly what is sent.
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def grade_delivery_create(
    *,
    resource_link: ResourceLink,
    user_sub: str,
    score_given: Decimal | None,
    score_maximum: Decimal,
    activity_progress: str,
    grading_progress: str,
    attempt_id: int | None = None,
    reason: str = GradeDelivery.Reason.SUBMISSION,
) -> GradeDelivery:
    """Write a delivery; call it inside the transaction that changed the score.

    Older unsent deliveries of the same learner and link are superseded: the platform must never
    get an older score after a newer one. The task is queued after commit.
    """
    with transaction.atomic():
        previous = (
            GradeDelivery.objects.select_for_update()
            .for_learner(resource_link=resource_link, user_sub=user_sub)
            .order_by("-timestamp")
            .first()
        )
        timestamp = _whole_milliseconds(timezone.now())
        if previous is not None:
            timestamp = max(timestamp, previous.timestamp + ONE_MILLISECOND)
        delivery = GradeDelivery.objects.create(
            resource_link=resource_link,
            user_sub=user_sub,
            attempt_id=attempt_id,
            reason=reason,
            score_given=score_given,
            score_maximum=score_maximum,
            activity_progress=activity_progress,
            grading_progress=grading_progress,
            timestamp=timestamp,
        )
        superseded = (
            GradeDelivery.objects.for_learner(resource_link=resource_link, user_sub=user_sub)
            .pending()
            .exclude(pk=delivery.pk)
            .update(state=State.SUPERSEDED, last_error=f"Superseded by delivery #{delivery.pk}.")
        )
        if superseded:
            logger.info("Delivery #%s superseded %d older unsent one(s)", delivery.pk, superseded)
        # robust: the attempt is committed whatever happens here; a failed enqueue is logged and
        # the pending row is picked up by `grades_resume`.
        transaction.on_commit(partial(grade_delivery_enqueue, delivery_id=delivery.pk), robust=True)
    return delivery


def grade_delivery_resend(*, delivery_id: int) -> GradeDelivery:
    """Staff's "Send again": a new delivery with the same score and a newer timestamp.

    Only the learner's latest delivery can be sent again; resending an older one would replace
    a newer score in the gradebook. Raises ResendRefused.
    """
    with transaction.atomic():
        delivery = GradeDelivery.objects.select_related("resource_link").get(pk=delivery_id)
        latest = (
            GradeDelivery.objects.for_learner(
                resource_link=delivery.resource_link, user_sub=delivery.user_sub
            )
            .order_by("-timestamp")
            .first()
        )
        if latest is not None and latest.pk != delivery.pk:
            raise ResendRefused(
                f"Delivery #{delivery.pk} has a newer one (#{latest.pk}) for the same learner; "
                f"send #{latest.pk} again instead."
            )
        return grade_delivery_create(
            resource_link=delivery.resource_link,
            user_sub=delivery.user_sub,
            score_given=delivery.score_given,
            score_maximum=delivery.score_maximum,
            activity_progress=delivery.activity_progress,
            grading_progress=delivery.grading_progress,
            attempt_id=delivery.attempt_id,
            reason=GradeDelivery.Reason.RESEND,
        )


def grade_delivery_enqueue(*, delivery_id: int, run_after: dt.datetime | None = None) -> str:
    """Queue the task that sends a delivery; returns the task id (kept to detect lost tasks)."""
    from lti_quiz.grades.tasks import deliver_grade  # the task module imports this one

    task = deliver_grade.using(run_after=run_after) if run_after else deliver_grade
    with transaction.atomic():  # one commit for the task row and the id kept beside it
        task_id = str(task.enqueue(delivery_id).id)
        GradeDelivery.objects.filter(pk=delivery_id).update(task_id=task_id)
    return task_id


def _record(delivery: GradeDelivery, *, states: tuple[str, ...], **fields: object) -> bool:
    """Write an outcome if the row is still ours: `attempts` went up when we claimed it, so a
    worker that took over after our lease expired has a different number. Refreshes `delivery`;
    returns whether the outcome was written."""
    updated = GradeDelivery.objects.filter(
        pk=delivery.pk, attempts=delivery.attempts, state__in=states
    ).update(sending_until=None, **fields)
    if not updated:
        logger.warning(
            "Delivery #%s changed while it was being sent (superseded, or taken over after the "
            "lease expired); outcome not recorded: %s",
            delivery.pk,
            fields.get("state", State.PENDING),
        )
    delivery.refresh_from_db()
    return bool(updated)


def _record_failure(delivery: GradeDelivery, error: ServiceError) -> GradeDelivery:
    if error.status == 409 and delivery.attempts > 1:
        # Moodle answers 409 to a timestamp it already holds. On a retry that means an earlier try
        # reached it and only the answer was lost (timeout, proxy 5xx): the score is there.
        _record(
            delivery,
            states=(State.PENDING,),
            state=State.SENT,
            sent_at=timezone.now(),
            last_error=f"Counted as sent: the platform already holds this score. {error.message}",
        )
        return delivery
    if not error.retryable:
        _record(delivery, states=(State.PENDING,), state=State.FAILED, last_error=error.message)
        return delivery
    if delivery.attempts >= settings.GRADES_MAX_ATTEMPTS:
        _record(
            delivery,
            states=(State.PENDING,),
            state=State.FAILED,
            last_error=f"Gave up after {delivery.attempts} attempts. Last error: {error.message}",
        )
        return delivery
    next_attempt_at = timezone.now() + dt.timedelta(
        seconds=retry_delay(attempt=delivery.attempts, retry_after=error.retry_after)
    )
    with transaction.atomic():
        retry_recorded = _record(
            delivery,
            states=(State.PENDING,),
            next_attempt_at=next_attempt_at,
            last_error=error.message,
        )
        if retry_recorded:
            transaction.on_commit(
                partial(grade_delivery_enqueue, delivery_id=delivery.pk, run_after=next_attempt_at),
                robust=True,
            )
    logger.info(
        "Delivery #%s attempt %d failed (%s); next try at %s",
        delivery.pk,
        delivery.attempts,
        error.message,
        next_attempt_at.isoformat(),
    )
    return delivery


def _not_claimed(delivery_id: int, now: dt.datetime) -> GradeDelivery | None:
    delivery = GradeDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        logger.warning("Delivery #%s does not exist (deleted?)", delivery_id)
    elif (
        delivery.state == State.PENDING
        and not delivery.lease_active
        and delivery.next_attempt_at > now
    ):
        # This task ran before the delivery was due (a duplicate, or another machine's clock):
        # come back when it is due instead of dropping it.
        grade_delivery_enqueue(delivery_id=delivery_id, run_after=delivery.next_attempt_at)
    else:
        # Nothing got claimed: another worker is sending it, or it is already done.
        logger.info("Delivery #%s not claimed (state %s)", delivery_id, delivery.state)
    return delivery


def grade_delivery_send(
    *, delivery_id: int, session: requests.Session | None = None
) -> GradeDelivery | None:
    """What the task runs: claim the row, send the score, record sent / retry-at / failed.

    Returns the delivery as recorded (None if it no longer exists). Never call it inside a
    transaction: it waits on the platform.
    """
    now = timezone.now()
    claimed = (
        GradeDelivery.objects.filter(pk=delivery_id, state=State.PENDING, next_attempt_at__lte=now)
        .filter(Q(sending_until__isnull=True) | Q(sending_until__lte=now))
        .update(
            attempts=F("attempts") + 1,
            sending_until=now + dt.timedelta(seconds=lease_seconds()),
        )
    )
    if not claimed:
        return _not_claimed(delivery_id, now)
    delivery = GradeDelivery.objects.select_related("resource_link__registration").get(
        pk=delivery_id
    )

    newer = (
        GradeDelivery.objects.for_learner(
            resource_link=delivery.resource_link, user_sub=delivery.user_sub
        )
        .filter(timestamp__gt=delivery.timestamp, state__in=[State.PENDING, State.SENT])
        .order_by("-timestamp")
        .first()
    )
    if newer is not None:
        _record(
            delivery,
            states=(State.PENDING,),
            state=State.SUPERSEDED,
            last_error=f"Superseded by delivery #{newer.pk}.",
        )
        return delivery

    try:
        score_publish(
            resource_link=delivery.resource_link, score=delivery.as_score(), session=session
        )
    except ServiceError as exc:
        return _record_failure(delivery, exc)
    except Exception as exc:
        # A bug must not leave the row claimed until its lease runs out: count it as a failed try.
        logger.exception("Delivery #%s: unexpected error while sending", delivery.pk)
        return _record_failure(
            delivery, ServiceError(f"Unexpected error: {exc!r}"[:500], retryable=True)
        )
    logger.info("Delivery #%s sent on attempt %d", delivery.pk, delivery.attempts)
    # A delivery superseded while in flight still reached the platform: record the truth.
    _record(
        delivery,
        states=(State.PENDING, State.SUPERSEDED),
        state=State.SENT,
        sent_at=timezone.now(),
    )
    return delivery


def _task_waiting(task_id: str) -> bool:
    """Whether the delivery's task is still queued. A task left RUNNING by a killed worker is
    not: nothing will ever finish it."""
    from lti_quiz.grades.tasks import deliver_grade

    if not task_id:
        return False
    try:
        result = deliver_grade.get_result(task_id)
    except (TaskResultDoesNotExist, TaskResultMismatch, NotImplementedError):
        return False
    return result.status == TaskResultStatus.READY


def grade_deliveries_resume() -> list[int]:
    """Queue again every pending delivery that nothing will send: its task is lost (the worker
    was killed, the enqueue after commit failed) or its sender's lease expired. Returns ids."""
    now = timezone.now()
    requeued = []
    for delivery in GradeDelivery.objects.pending().order_by("next_attempt_at", "pk"):
        if delivery.lease_active or _task_waiting(delivery.task_id):
            continue
        run_after = delivery.next_attempt_at if delivery.next_attempt_at > now else None
        grade_delivery_enqueue(delivery_id=delivery.pk, run_after=run_after)
        requeued.append(delivery.pk)
    if requeued:
        logger.info("Queued %d grade deliveries again: %s", len(requeued), requeued)
    return requeued
