"""Deliveries survive process restarts: a separate `manage.py db_worker` process, started the way
`make run` starts it, sends what the test process queued, over real HTTP to a tiny platform that
answers scores the way Moodle does (409 for a timestamp not in a later second)."""

import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lti_quiz.grades.models import GradeDelivery
from tests.factories.grades import delivery_create
from tests.support.moodle_scores import manage, manage_env, run_worker


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_sends_the_delivery_queued_with_the_attempt(fake_platform, moodle_link):
    with transaction.atomic():  # the submit transaction
        delivery = delivery_create(moodle_link)

    run_worker()

    delivery.refresh_from_db()
    assert delivery.state == GradeDelivery.State.SENT
    (score,) = fake_platform.scores
    assert score["content_type"] == "application/vnd.ims.lis.v1.score+json"
    assert score["authorization"] == "Bearer worker-token"
    assert score["body"]["userId"] == "alice-sub"
    assert score["body"]["scoreGiven"] == 8
    assert score["body"]["gradingProgress"] == "FullyGraded"


@pytest.mark.django_db(transaction=True)
def test_a_delivery_survives_a_worker_killed_mid_send(fake_platform, moodle_link):
    with transaction.atomic():
        delivery = delivery_create(moodle_link)
    # What kill -9 during the POST leaves behind: the task RUNNING for ever, the row claimed
    # by a lease that has since expired.
    (task,) = DBTaskResult.objects.all()
    task.claim("killed-worker")
    GradeDelivery.objects.filter(pk=delivery.pk).update(
        attempts=1, sending_until=timezone.now() - timezone.timedelta(seconds=1)
    )

    run_worker()  # a restarted worker alone finds nothing to run
    delivery.refresh_from_db()
    assert delivery.state == GradeDelivery.State.PENDING
    assert fake_platform.scores == []

    manage("grades_resume")
    run_worker()

    delivery.refresh_from_db()
    assert delivery.state == GradeDelivery.State.SENT
    assert delivery.attempts == 2
    assert len(fake_platform.scores) == 1
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.RUNNING


def start_worker() -> subprocess.Popen:
    """A long-running worker, as `make run` starts one; short timeouts keep the test short:
    a 2 s HTTP_TIMEOUT makes the lease 8 s, and the sweep looks every second."""
    return subprocess.Popen(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--no-reload"],
        cwd=settings.BASE_DIR,
        env=manage_env(HTTP_TIMEOUT="2", GRADES_SWEEP_SECONDS="1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_state(delivery: GradeDelivery, state: str, *, seconds: float) -> GradeDelivery:
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        delivery.refresh_from_db()
        if delivery.state == state:
            return delivery
        time.sleep(0.2)
    raise AssertionError(f"delivery #{delivery.pk} still {delivery.state} after {seconds} s")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_is_healed_by_the_next_worker_alone(fake_platform, moodle_link):
    fake_platform.hold_next_score = True
    with transaction.atomic():
        delivery = delivery_create(moodle_link)
    first = start_worker()
    try:
        assert fake_platform.holding.wait(timeout=60), "the worker never sent the score"
        first.send_signal(signal.SIGKILL)  # while the platform holds the request open
        first.wait(timeout=30)
    finally:
        first.kill()
    delivery.refresh_from_db()
    assert delivery.state == GradeDelivery.State.PENDING
    assert delivery.sending_until is not None  # the dead worker's claim

    second = start_worker()  # nobody runs grades_resume: the worker heals it by itself
    try:
        delivery = wait_for_state(delivery, GradeDelivery.State.SENT, seconds=60)
    finally:
        second.terminate()
        _, errors = second.communicate(timeout=30)

    # The platform had kept the first send; the second was refused as a duplicate (409),
    # which on a retry means "already there": the gradebook got the grade exactly once.
    assert len(fake_platform.scores) == 1
    assert fake_platform.score_posts == 2
    assert delivery.attempts == 2
    assert delivery.last_error.startswith("Counted as sent")
    assert "Queued 1 stranded grade deliveries again" in errors


def test_db_worker_is_the_grades_apps_command_with_the_sweep():
    # Every way of starting a worker runs the sweep only if `db_worker` resolves to ours.
    from django.core.management import get_commands

    assert get_commands()["db_worker"] == "lti_quiz.grades"


@pytest.mark.django_db(transaction=True)
def test_one_worker_process_sends_as_many_scores_at_once_as_it_has_threads(
    fake_platform, moodle_link
):
    """A platform slow to answer: a worker of 3 threads has 3 scores in flight at once (one
    loop would wait for the first answer before sending the second)."""
    fake_platform.hold_scores = 3
    with transaction.atomic():
        deliveries = [delivery_create(moodle_link, user_sub=f"learner-{n}") for n in range(3)]
    worker = subprocess.Popen(
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            *("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--threads", "3"),
        ],
        cwd=settings.BASE_DIR,
        env=manage_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        give_up = time.monotonic() + 60
        while fake_platform.most_held_at_once < 3 and time.monotonic() < give_up:
            time.sleep(0.05)
        most_at_once = fake_platform.most_held_at_once
    finally:
        fake_platform.release.set()
        _, errors = worker.communicate(timeout=120)

    assert most_at_once == 3
    assert worker.returncode == 0, errors
    states = {d.state for d in GradeDelivery.objects.filter(pk__in=[d.pk for d in deliveries])}
    assert states == {GradeDelivery.State.SENT}
    assert sorted(s["body"]["userId"] for s in fake_platform.scores) == [
        "learner-0",
        "learner-1",
        "learner-2",
    ]
