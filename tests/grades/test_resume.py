import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lti_quiz.grades.models import GradeDelivery
from tests.factories.grades import delivery_create

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
State = GradeDelivery.State


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def resume() -> str:
    out = io.StringIO()
    call_command("grades_resume", stdout=out)
    return out.getvalue()


def tasks_for(delivery: GradeDelivery) -> list[DBTaskResult]:
    return [t for t in DBTaskResult.objects.all() if t.args_kwargs["args"] == [delivery.pk]]


def task_lost(delivery: GradeDelivery) -> None:
    """Its task row is gone (the queue table pruned by hand, a restore from an older backup)."""
    DBTaskResult.objects.filter(pk__in=[t.pk for t in tasks_for(delivery)]).delete()


def test_a_pending_delivery_whose_task_is_lost_is_queued(link):
    delivery = delivery_create(link)
    task_lost(delivery)

    assert resume().strip() == "Queued 1 grade delivery again."

    (task,) = tasks_for(delivery)
    assert task.status == TaskResultStatus.READY
    delivery.refresh_from_db()
    assert delivery.task_id == str(task.id)


def test_a_delivery_whose_task_is_still_queued_is_left_alone(link):
    delivery = delivery_create(link)  # its task is written with it

    assert "Queued 0 " in resume()
    assert len(tasks_for(delivery)) == 1


def test_a_delivery_whose_worker_died_mid_send_is_queued_once_the_lease_expires(link, clock):
    delivery = delivery_create(link)
    # A killed worker leaves its task RUNNING forever and the delivery claimed.
    DBTaskResult.objects.filter(pk=tasks_for(delivery)[0].pk).update(
        status=TaskResultStatus.RUNNING
    )
    GradeDelivery.objects.filter(pk=delivery.pk).update(
        attempts=1, sending_until=START + dt.timedelta(minutes=2)
    )
    assert "Queued 0 " in resume()  # the lease may still belong to a live worker

    clock.move_to(START + dt.timedelta(minutes=3))

    assert "Queued 1 " in resume()
    assert [t.status for t in tasks_for(delivery)].count(TaskResultStatus.READY) == 1


def test_a_lost_retry_is_queued_once_it_is_due(link, clock):
    delivery = delivery_create(link)
    due = START + dt.timedelta(minutes=10)
    GradeDelivery.objects.filter(pk=delivery.pk).update(attempts=1, next_attempt_at=due)
    task_lost(delivery)  # the first try's task ran; the retry's was never written
    assert "Queued 0 " in resume()  # not due yet: its task may well be waiting for it

    clock.move_to(due + dt.timedelta(seconds=1))

    assert "Queued 1 " in resume()
    (task,) = tasks_for(delivery)
    assert task.status == TaskResultStatus.READY


def test_finished_deliveries_are_not_queued(link):
    for user_sub, state in [("a", State.SENT), ("b", State.FAILED), ("c", State.SUPERSEDED)]:
        delivery = delivery_create(link, user_sub=user_sub)
        GradeDelivery.objects.filter(pk=delivery.pk).update(state=state, sent_at=START)
    DBTaskResult.objects.all().delete()  # their tasks ran

    assert "Queued 0 " in resume()
    assert not DBTaskResult.objects.exists()
