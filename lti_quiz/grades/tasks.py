"""Background tasks of the grades room, run by `manage.py db_worker` (django-tasks-db)."""

from django_tasks import task

from lti_quiz.grades.services import grade_delivery_send


@task()
def deliver_grade(delivery_id: int) -> str:
    """Send one grade delivery. Retries are queued by the service with `run_after`, not by
    raising: the outcome of every try is recorded on the delivery row."""
    delivery = grade_delivery_send(delivery_id=delivery_id)
    return delivery.state if delivery is not None else "missing"
