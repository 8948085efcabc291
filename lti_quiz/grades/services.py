"""Grade delivery: the row is written with the attempt, the worker sends it
(docs/architecture.md, "A submit" and "A grade").

Delivery is at least once: a row is claimed with a lease before sending, so two workers never
send it at the same time. Every call of a send ends within the send's time budget, and the lease
is that budget plus a margin, so a claim still standing after it belongs to a worker that died;
every worker sweeps for such rows while it runs (sweep.py) and queues them again. Score
timestamps are strictly increasing per learner and link, so a platform that sees the same score
twice keeps the newest (https://www.imsglobal.org/spec/lti-ags/v2p0/#timestamp).
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

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.lib.errors import Conflict
from lti_quiz.lib.http import kept_http_session
from lti_quiz.lib.request_id import (
    bound_request_id,
    current_launch_request_id,
    current_request_id,
)
from lti_quiz.lti.ags import ANSWER_LIMIT, ServiceError, score_publish
from lti_quiz.lti.models import ResourceLink

logger = logging.getLogger(__name__)

State = GradeDelivery.State
ONE_SECOND = dt.timedelta(seconds=1)
BACKOFF_CAP_SECONDS = 3600.0
# Each delay is stretched by up to this fraction at random, so deliveries that failed together
# (the LMS was down for everyone) do not all come back at the same second.
JITTER = 0.25


class ResendRefused(Conflict):
    """Sending this delivery again would put an older score over a newer one."""

    title = "A newer score"


# A send makes at most this many calls in the usual case: an access token, the score, and a
# spare one (a line item lookup, or a fresh token after a 401).
SEND_CALLS = 3


def send_seconds() -> float:
    """The time budget of one send: every call it makes ends within it (lib.http deadline)."""
    return SEND_CALLS * settings.HTTP_TIMEOUT


def lease_seconds() -> float:
    """How long a claim lasts: the send's time budget and one call's time more, for recording
    the outcome. A live worker is done by then, so a claim still standing belongs to a dead one
    (with the default 10 s HTTP_TIMEOUT: 40 s)."""
    return send_seconds() + settings.HTTP_TIMEOUT


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


def next_score_timestamp(*, now: dt.datetime, previous: dt.datetime | None) -> dt.datetime:
    """The timestamp of a learner's next score: now, but in a later second than the previous.

    AGS wants timestamps strictly increasing per learner and line item. Moodle compares them to
    the second (it stores a Unix time) and answers 409 to a score in the same second as the one
    it holds, so a review or resend right after a submission must land in the next second.
    """
    timestamp = _whole_milliseconds(now)
    if previous is not None and timestamp.replace(microsecond=0) <= previous.replace(microsecond=0):
        timestamp = previous.replace(microsecond=0) + ONE_SECOND
    return timestamp


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
    """Write a delivery and queue its task; call it inside the transaction that changed the
    score.

    Older unsent deliveries of the same learner and link are superseded: the platform must never
    get an older score after a newer one. The task row is written in the same transaction (the
    queue is a table of the same database): a submit that commits has its task, one that rolls
    back has neither, and a worker cannot see the task before the delivery.
    """
    with transaction.atomic():
        previous = (
            GradeDelivery.objects.select_for_update()
            .for_learner(resource_link=resource_link, user_sub=user_sub)
            .order_by("-timestamp")
            .first()
        )
        timestamp = next_score_timestamp(
            now=timezone.now(), previous=previous.timestamp if previous else None
        )
        delivery = GradeDelivery.objects.create(
            request_id=current_request_id(),
            launch_request_id=current_launch_request_id(),
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
        # Every new delivery supersedes the pending ones, so only the latest can be pending:
        # when it is not, there is nothing to supersede (a first score skips the UPDATE).
        if previous is not None and previous.state == State.PENDING:
            superseded = (
                GradeDelivery.objects.for_learner(resource_link=resource_link, user_sub=user_sub)
                .pending()
                .exclude(pk=delivery.pk)
                .update(
                    state=State.SUPERSEDED, last_error=f"Superseded by delivery #{delivery.pk}."
                )
            )
            logger.info("Delivery #%s superseded %d older unsent one(s)", delivery.pk, superseded)
        delivery.task_id = grade_delivery_enqueue(delivery_id=delivery.pk)
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
    # What the platform said (or why nothing reached it), kept for the grade history page.
    answer = {"answer_status": error.status, "answer_body": error.message[:ANSWER_LIMIT]}
    if error.status == 409 and delivery.attempts > 1:
        # Moodle answers 409 to a timestamp it already holds. On a retry that means an earlier try
        # reached it and only the answer was lost (timeout, proxy 5xx, a worker killed while
        # waiting): the score is there. Our timestamps never share a second, so a 409 cannot
        # mean "a newer score of ours in the same second" (see next_score_timestamp).
        logger.info(
            "Delivery #%s attempt %d: the platform already holds this score (%s)",
            delivery.pk,
            delivery.attempts,
            error.message,
        )
        _record(
            delivery,
            states=(State.PENDING,),
            **answer,
            state=State.SENT,
            sent_at=timezone.now(),
            last_error=f"Counted as sent: the platform already holds this score. {error.message}",
        )
        return delivery
    # Every failed try is logged with the platform's own words: an admin reading the worker's
    # log must not have to open the database to learn why grades are not arriving.
    logger.warning(
        "Delivery #%s to %s, attempt %d failed: %s",
        delivery.pk,
        delivery.resource_link.registration.issuer,
        delivery.attempts,
        error.message,
    )
    if error.is_final(tries=delivery.attempts):
        logger.warning("Delivery #%s failed for good: the platform refuses it", delivery.pk)
        _record(
            delivery,
            states=(State.PENDING,),
            **answer,
            state=State.FAILED,
            last_error=error.message,
        )
        return delivery
    if delivery.attempts >= settings.GRADES_MAX_ATTEMPTS:
        logger.warning(
            "Delivery #%s failed for good after %d tries", delivery.pk, delivery.attempts
        )
        _record(
            delivery,
            states=(State.PENDING,),
            **answer,
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
            **answer,
            next_attempt_at=next_attempt_at,
            last_error=error.message,
        )
        if retry_recorded:
            transaction.on_commit(
                partial(grade_delivery_enqueue, delivery_id=delivery.pk, run_after=next_attempt_at),
                robust=True,
            )
    logger.info("Delivery #%s: next try at %s", delivery.pk, next_attempt_at.isoformat())
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
    # The worker logs under the id of the request that queued the delivery (lib/request_id.py).
    with bound_request_id(delivery.request_id or current_request_id(), delivery.launch_request_id):
        return _send_claimed(delivery, session=session)


def _send_claimed(delivery: GradeDelivery, *, session: requests.Session | None) -> GradeDelivery:
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
        answer = score_publish(
            resource_link=delivery.resource_link,
            score=delivery.as_score(),
            session=session or kept_http_session(seconds=send_seconds()),
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
        answer_status=answer.status,
        answer_body=answer.body,
    )
    return delivery
