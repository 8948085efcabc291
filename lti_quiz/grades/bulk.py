"""Many deliveries at once: staff's "Send every grade again" for a link, after the LMS's
gradebook was reset or a column was recreated. A fixed number of queries whatever the class
size: the learners' last timestamps in one, the rows in one insert, the superseding in one
update, one task that sends them in turn.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.grades.services import next_score_timestamp
from lti_quiz.lib.request_id import current_launch_request_id, current_request_id
from lti_quiz.lti.models import ResourceLink

logger = logging.getLogger(__name__)

State = GradeDelivery.State


@dataclass(frozen=True)
class LearnerScore:
    user_sub: str
    score_given: Decimal
    score_maximum: Decimal
    activity_progress: str
    grading_progress: str
    attempt_id: int | None


def grade_deliveries_create_bulk(
    *, resource_link: ResourceLink, scores: list[LearnerScore], since_pk: int | None
) -> list[GradeDelivery]:
    """A new delivery per learner, with a fresh timestamp, for every learner whose latest
    delivery is not newer than `since_pk` (the newest delivery the page showed): a second click
    of the same page, or a reload of the form, finds them all newer and writes nothing.
    Call it inside a transaction; the one task is queued after commit."""
    with transaction.atomic():
        # Lock the link: two clicks at once are taken one after the other.
        ResourceLink.objects.select_for_update().filter(pk=resource_link.pk).first()
        latest = dict(
            GradeDelivery.objects.filter(resource_link=resource_link)
            .values("user_sub")
            .annotate(timestamp=Max("timestamp"), newest=Max("pk"))
            .values_list("user_sub", "timestamp")
        )
        newer = set()
        if since_pk is not None:
            newer = set(
                GradeDelivery.objects.filter(resource_link=resource_link, pk__gt=since_pk)
                .values_list("user_sub", flat=True)
                .distinct()
            )
        now = timezone.now()
        request_id, launch_request_id = current_request_id(), current_launch_request_id()
        rows = [
            GradeDelivery(
                request_id=request_id,
                launch_request_id=launch_request_id,
                resource_link=resource_link,
                user_sub=score.user_sub,
                attempt_id=score.attempt_id,
                reason=GradeDelivery.Reason.RESEND_ALL,
                score_given=score.score_given,
                score_maximum=score.score_maximum,
                activity_progress=score.activity_progress,
                grading_progress=score.grading_progress,
                timestamp=next_score_timestamp(now=now, previous=latest.get(score.user_sub)),
            )
            for score in scores
            if score.user_sub not in newer
        ]
        if not rows:
            return []
        created = GradeDelivery.objects.bulk_create(rows)
        ids = [delivery.pk for delivery in created]
        # bulk_create sets pks on PostgreSQL and SQLite; the older unsent rows give way.
        GradeDelivery.objects.filter(
            resource_link=resource_link, user_sub__in=[row.user_sub for row in rows]
        ).pending().exclude(pk__in=ids).update(
            state=State.SUPERSEDED, last_error="Superseded: every grade was sent again."
        )
        # In this transaction, as every grade delivery's task (services.grade_delivery_create).
        task_id = grade_deliveries_enqueue(delivery_ids=ids)
        for delivery in created:
            delivery.task_id = task_id
    logger.info("Link %s: %d grades queued to send again", resource_link.pk, len(ids))
    return created


def grade_deliveries_enqueue(*, delivery_ids: list[int]) -> str:
    """One task for many deliveries; its id is kept on each (the sweep finds lost ones)."""
    from lti_quiz.grades.tasks import deliver_grades  # the task module imports this one

    with transaction.atomic():
        task_id = str(deliver_grades.enqueue(delivery_ids).id)
        GradeDelivery.objects.filter(pk__in=delivery_ids).update(task_id=task_id)
    return task_id
