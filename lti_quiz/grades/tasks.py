"""Background tasks of the grades room, run by `manage.py db_worker` (django-tasks-db)."""

from django_tasks import task

from lti_quiz.grades.lineitems import lineitem_update_send
from lti_quiz.grades.services import grade_delivery_send


@task()
def deliver_grade(delivery_id: int) -> str:
    """Send one grade delivery. Retries are queued by the service with `run_after`, not by
    raising: the outcome of every try is recorded on the delivery row."""
    delivery = grade_delivery_send(delivery_id=delivery_id)
    return delivery.state if delivery is not None else "missing"


@task()
def update_lineitem(update_id: int) -> str:
    """Send one line item update (label and maximum); retries are queued like deliveries'."""
    update = lineitem_update_send(update_id=update_id)
    return update.state if update is not None else "missing"


@task()
def deliver_grades(delivery_ids: list[int]) -> list[str]:
    """Send many deliveries in turn (staff's "Send every grade again"); each row records its own
    outcome and queues its own retry, as with `deliver_grade`."""
    return [deliver_grade.call(delivery_id) for delivery_id in delivery_ids]
