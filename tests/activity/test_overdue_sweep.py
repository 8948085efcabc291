"""A timed attempt whose learner closed the laptop: every worker's sweep submits it from its
saved answers and sends its grade, without anybody opening a page or running a command."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from lti_quiz.activity.standing import OVERDUE_SWEEP_LOCK_KEY, overdue_attempts_sweep
from lti_quiz.grades.management.commands import db_worker
from lti_quiz.grades.management.commands.db_worker import Sweeper
from lti_quiz.grades.models import GradeDelivery
from lti_quiz.quiz.models import Attempt, Placement
from tests.factories.results import open_activity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_quiz")]


@pytest.fixture
def abandoned(client, platform) -> Attempt:
    """Alice started a 5-minute attempt an hour ago and never came back."""
    home = open_activity(client, platform)
    assert client.get(home).status_code == 200  # the placement exists once opened
    Placement.objects.update(time_limit_minutes=5)
    page = client.get(home + "quiz/").content.decode()
    attempt = Attempt.objects.get(pk=re.search(r'name="attempt" value="(\d+)"', page)[1])
    Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - timedelta(hours=1))
    cache.delete(OVERDUE_SWEEP_LOCK_KEY)
    return attempt


def test_the_sweep_submits_an_abandoned_attempt_and_queues_its_grade(abandoned):
    closed = overdue_attempts_sweep()

    assert [a.pk for a in closed] == [abandoned.pk]
    abandoned.refresh_from_db()
    assert abandoned.is_submitted
    assert GradeDelivery.objects.get().user_sub == "student-sub-1"


def test_one_worker_at_a_time_sweeps(abandoned):
    cache.add(OVERDUE_SWEEP_LOCK_KEY, "1", timeout=60)  # another worker is sweeping

    assert overdue_attempts_sweep() is None
    abandoned.refresh_from_db()
    assert not abandoned.is_submitted


def test_an_attempt_with_time_left_is_left_alone(abandoned):
    Attempt.objects.filter(pk=abandoned.pk).update(started_at=timezone.now())

    assert overdue_attempts_sweep() == []
    abandoned.refresh_from_db()
    assert not abandoned.is_submitted


def test_the_worker_runs_every_configured_sweep_even_when_one_fails(
    settings, monkeypatch, abandoned
):
    settings.WORKER_SWEEPS = [
        "tests.activity.test_overdue_sweep.failing_sweep",
        "lti_quiz.activity.standing.overdue_attempts_sweep",
    ]
    settings.GRADES_SWEEP_SECONDS = 0.01
    sweeper = Sweeper()
    sweeper.stopped.wait = _once(sweeper)  # one round, in this thread, then stop
    # The worker's own thread drops its connections after each sweep; this test's must stay.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    sweeper.run()

    abandoned.refresh_from_db()
    assert abandoned.is_submitted


def failing_sweep() -> None:
    raise RuntimeError("the database went away")


def _once(sweeper: Sweeper):
    # The first round runs at start; the wait after it says "stopped".
    return lambda timeout: True
