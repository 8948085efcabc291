"""Deliveries (and line item updates) nothing will send, queued again: a worker died mid-send
(its lease ended with no outcome), or the enqueue after commit was lost. Every `db_worker`
runs the sweep every GRADES_SWEEP_SECONDS (grades/management/commands/db_worker.py);
`grades_resume` runs it once.
"""

import datetime as dt
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lti_quiz.grades.lineitems import lineitem_update_enqueue
from lti_quiz.grades.models import GradeDelivery, LineItemUpdate
from lti_quiz.grades.services import grade_delivery_enqueue

logger = logging.getLogger(__name__)

SWEEP_LOCK_KEY = "grades:sweep"


def _queued_task_ids(task_ids: list[str]) -> set[str]:
    """Which of these tasks are still waiting in the queue. A task left RUNNING by a killed
    worker is not: nothing will ever finish it."""
    if not task_ids:
        return set()
    waiting = DBTaskResult.objects.filter(
        id__in=[task_id for task_id in task_ids if _is_uuid(task_id)],
        status=TaskResultStatus.READY,
    ).values_list("id", flat=True)
    return {str(task_id) for task_id in waiting}


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _stranded(
    rows: QuerySet, *, grace_seconds: float, enqueue: Callable[[int, dt.datetime | None], str]
) -> list[int]:
    """Queue again the pending rows of `rows` that nothing will send; returns their ids."""
    now = timezone.now()
    candidates = list(
        rows.filter(state=GradeDelivery.State.PENDING)
        .filter(
            Q(sending_until__lte=now)
            | Q(
                sending_until__isnull=True,
                next_attempt_at__lte=now - dt.timedelta(seconds=grace_seconds),
            )
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "sending_until", "next_attempt_at", "task_id")
    )
    waiting = _queued_task_ids([task_id for _, lease, _, task_id in candidates if not lease])
    requeued = []
    for pk, lease, next_attempt_at, task_id in candidates:
        if lease is None and task_id in waiting:
            continue
        enqueue(pk, next_attempt_at if next_attempt_at > now else None)
        requeued.append(pk)
    return requeued


def grade_deliveries_resume(*, grace_seconds: float = 0.0) -> list[int]:
    """Queue again every pending delivery that nothing will send: its sender's lease ended
    without an outcome (the worker was killed), or it is due and its task is not waiting in
    the queue (the enqueue after commit failed). Returns the ids queued again. Line item
    updates, sent the same way, are resumed too (`lineitem_updates_resume`).

    `grace_seconds`: a delivery due less than this long ago is left alone; its task is most
    likely being picked up right now. Two sweeps racing queue the same delivery twice at
    worst, and the claim in grade_delivery_send lets only one of the tasks send it.
    """
    requeued = _stranded(
        GradeDelivery.objects.all(),
        grace_seconds=grace_seconds,
        enqueue=lambda pk, run_after: grade_delivery_enqueue(delivery_id=pk, run_after=run_after),
    )
    if requeued:
        logger.warning(
            "Queued %d stranded grade deliveries again (a worker died mid-send, or a task was "
            "lost): %s",
            len(requeued),
            requeued,
        )
    lineitem_updates_resume(grace_seconds=grace_seconds)
    return requeued


def lineitem_updates_resume(*, grace_seconds: float = 0.0) -> list[int]:
    """`grade_deliveries_resume` for line item updates."""
    requeued = _stranded(
        LineItemUpdate.objects.all(),
        grace_seconds=grace_seconds,
        enqueue=lambda pk, run_after: lineitem_update_enqueue(update_id=pk, run_after=run_after),
    )
    if requeued:
        logger.warning("Queued %d stranded line item updates again: %s", len(requeued), requeued)
    return requeued


def grade_deliveries_sweep() -> list[int] | None:
    """What every worker runs every GRADES_SWEEP_SECONDS: `grade_deliveries_resume`, by one
    worker at a time (a lock in the shared cache). None when another worker holds the lock."""
    interval = settings.GRADES_SWEEP_SECONDS
    if not cache.add(SWEEP_LOCK_KEY, "1", timeout=max(1, int(interval))):
        return None
    return grade_deliveries_resume(grace_seconds=interval)
