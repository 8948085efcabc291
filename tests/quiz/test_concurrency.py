"""Two submits of one attempt at the same moment (double click, two tabs): one attempt is
recorded. Real threads on real connections, so the database's locking is what is tested."""

import threading

import pytest
from django.db import connection

from lti_quiz.quiz import services
from lti_quiz.quiz.models import Attempt, Response
from tests.factories.quiz import answers_from_key, make_placement, make_quiz

ALICE = "1:alice"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_record_one_attempt():
    placement = make_placement(make_quiz())
    attempt = services.attempt_get_or_start(placement=placement, learner_key=ALICE)
    answers = answers_from_key(attempt)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            results.append(
                services.attempt_submit(attempt_id=attempt.pk, learner_key=ALICE, answers=answers)
            )
        except Exception as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(result.already_submitted for result in results) == [False, True]
    assert {result.attempt.score for result in results} == {3}
    assert Attempt.objects.filter(status=Attempt.Status.SUBMITTED).count() == 1
    assert Response.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_starts_share_one_attempt():
    placement = make_placement(make_quiz())
    barrier = threading.Barrier(2)
    started, errors = [], []

    def start():
        try:
            barrier.wait()
            started.append(services.attempt_get_or_start(placement=placement, learner_key=ALICE).pk)
        except Exception as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(started)) == 1
    assert Attempt.objects.count() == 1
