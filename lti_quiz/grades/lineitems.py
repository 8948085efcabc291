"""Line item updates: the placement's label and maximum on their way to the LMS's gradebook
column (AGS 2.0 §3.2, a PUT of the line item). Written on the request that changed them, sent
by the worker, retried with the deliveries' backoff; the outcome and the platform's answer are
kept on the row for the grade history page (docs/grades.md).
"""

import datetime as dt
import logging
from decimal import Decimal
from functools import partial

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from lti_quiz.grades.models import LineItemUpdate
from lti_quiz.grades.services import lease_seconds, retry_delay, send_seconds
from lti_quiz.lib.http import kept_http_session
from lti_quiz.lti.ags import ANSWER_LIMIT, ServiceError
from lti_quiz.lti.lineitem_sync import lineitem_publish
from lti_quiz.lti.models import ResourceLink

logger = logging.getLogger(__name__)

State = LineItemUpdate.State


def lineitem_update_latest(*, resource_link: ResourceLink) -> LineItemUpdate | None:
    return LineItemUpdate.objects.filter(resource_link=resource_link).order_by("-pk").first()


def lineitem_update_create(
    *, resource_link: ResourceLink, label: str, score_maximum: Decimal
) -> LineItemUpdate:
    """Queue a change of the link's line item; older unsent ones are superseded (the platform
    must end with the newest). The task row is written in the caller's transaction, as a grade
    delivery's is (grades.services.grade_delivery_create)."""
    with transaction.atomic():
        update = LineItemUpdate.objects.create(
            resource_link=resource_link, label=label[:255], score_maximum=score_maximum
        )
        LineItemUpdate.objects.filter(resource_link=resource_link, state=State.PENDING).exclude(
            pk=update.pk
        ).update(state=State.SUPERSEDED, last_error=f"Superseded by update #{update.pk}.")
        update.task_id = lineitem_update_enqueue(update_id=update.pk)
    return update


def lineitem_update_enqueue(*, update_id: int, run_after: dt.datetime | None = None) -> str:
    from lti_quiz.grades.tasks import update_lineitem  # the task module imports this one

    task = update_lineitem.using(run_after=run_after) if run_after else update_lineitem
    with transaction.atomic():
        task_id = str(task.enqueue(update_id).id)
        LineItemUpdate.objects.filter(pk=update_id).update(task_id=task_id)
    return task_id


def _record(update: LineItemUpdate, **fields: object) -> None:
    # Only if the row is still ours (same claim, still pending): see services._record.
    LineItemUpdate.objects.filter(
        pk=update.pk, attempts=update.attempts, state=State.PENDING
    ).update(sending_until=None, **fields)
    update.refresh_from_db()


def _record_failure(update: LineItemUpdate, error: ServiceError) -> None:
    logger.warning("Line item update #%s, attempt %d failed: %s", update.pk, update.attempts, error)
    answer = {"answer_status": error.status, "answer_body": error.message[:ANSWER_LIMIT]}
    if error.is_final(tries=update.attempts) or update.attempts >= settings.GRADES_MAX_ATTEMPTS:
        _record(update, state=State.FAILED, last_error=error.message, **answer)
        return
    next_attempt_at = timezone.now() + dt.timedelta(
        seconds=retry_delay(attempt=update.attempts, retry_after=error.retry_after)
    )
    with transaction.atomic():
        _record(update, next_attempt_at=next_attempt_at, last_error=error.message, **answer)
        transaction.on_commit(
            partial(lineitem_update_enqueue, update_id=update.pk, run_after=next_attempt_at),
            robust=True,
        )


def lineitem_update_send(
    *, update_id: int, session: requests.Session | None = None
) -> LineItemUpdate | None:
    """What the task runs: claim the row, PUT the line item, record sent / retry-at / failed."""
    now = timezone.now()
    claimed = (
        LineItemUpdate.objects.filter(pk=update_id, state=State.PENDING, next_attempt_at__lte=now)
        .filter(Q(sending_until__isnull=True) | Q(sending_until__lte=now))
        .update(
            attempts=F("attempts") + 1,
            sending_until=now + dt.timedelta(seconds=lease_seconds()),
        )
    )
    update = (
        LineItemUpdate.objects.select_related("resource_link__registration")
        .filter(pk=update_id)
        .first()
    )
    if not claimed or update is None:
        return update
    try:
        answer = lineitem_publish(
            resource_link=update.resource_link,
            label=update.label,
            score_maximum=update.score_maximum,
            session=session or kept_http_session(seconds=send_seconds()),
        )
    except ServiceError as exc:
        _record_failure(update, exc)
        return update
    except Exception as exc:
        logger.exception("Line item update #%s: unexpected error", update.pk)
        _record_failure(update, ServiceError(f"Unexpected error: {exc!r}"[:500], retryable=True))
        return update
    _record(
        update,
        state=State.SENT,
        sent_at=timezone.now(),
        answer_status=answer.status,
        answer_body=answer.body,
    )
    return update


def lineitem_update_resend(*, update_id: int, resource_link: ResourceLink) -> LineItemUpdate:
    """Staff's "Try again" for a failed update: a new row with the same label and maximum."""
    update = LineItemUpdate.objects.get(pk=update_id, resource_link=resource_link)
    return lineitem_update_create(
        resource_link=resource_link, label=update.label, score_maximum=update.score_maximum
    )
