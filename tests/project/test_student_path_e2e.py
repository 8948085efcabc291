"""End to end over real HTTP: the practice LMS launches the tool, a student takes the quiz,
and a grade worker delivers the score back to the practice LMS's gradebook."""

from datetime import timedelta

import pytest
import requests
import time_machine
from django.core.management import call_command
from django.utils import timezone

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.practice_lms.models import FailureSwitch, Person
from tests.factories.practice_lms import person
from tests.factories.results import deliver_grades
from tests.support.answer_key import (
    SHORT_ANSWER_CORRECT,
    SHORT_ANSWER_UNMATCHED,
)
from tests.support.browserless import answer_quiz, forms_in, lms_launch, submit

pytestmark = pytest.mark.django_db(transaction=True)


def launch(lms_url: str, who: Person) -> tuple[requests.Session, requests.Response]:
    return lms_launch(lms_url, who.pk)


def lms_state(lms_url: str) -> dict:
    return requests.get(f"{lms_url}/practice-lms/state.json", timeout=30).json()


def test_a_student_launches_takes_the_quiz_and_the_lms_receives_ten_out_of_ten(lms):
    alice = person("alice")
    browser, home = launch(lms, alice)
    assert "Distillation Tradeoffs: When Smaller Models Quietly Lose" in home.text
    assert "What AI cannot do" in home.text

    result, _, _ = answer_quiz(browser, home, short_answer=SHORT_ANSWER_CORRECT)

    assert result.status_code == 200
    assert 'id="score">10/10<' in result.text
    assert lms_state(lms)["scores"] == []  # nothing is sent on the student's request

    deliver_grades()

    scores = lms_state(lms)["scores"]
    assert [(s["name"], s["score_given"], s["score_maximum"]) for s in scores] == [
        ("Alice Anders", 10, 10)
    ]
    assert scores[0]["activity_progress"] == "Completed"
    assert scores[0]["grading_progress"] == "FullyGraded"
    assert GradeDelivery.objects.get().state == GradeDelivery.State.SENT


def test_a_short_answer_nobody_can_match_is_sent_as_pending_manual_review(lms):
    browser, home = launch(lms, person("bob"))

    result, _, _ = answer_quiz(browser, home, short_answer=SHORT_ANSWER_UNMATCHED)
    deliver_grades()

    assert 'id="score">9/10<' in result.text
    [score] = lms_state(lms)["scores"]
    assert (score["score_given"], score["grading_progress"]) == (9, "PendingManual")


def test_submitting_the_same_attempt_twice_records_one_attempt_and_one_score(lms):
    browser, home = launch(lms, person("chandra"))
    first, _form, data = answer_quiz(browser, home, short_answer=SHORT_ANSWER_CORRECT, wrong=2)

    again = browser.post(first.url.rsplit("/attempts/", 1)[0] + "/quiz/", data=data, timeout=30)
    deliver_grades()

    assert again.status_code == 200
    assert again.url == first.url
    assert [s["score_given"] for s in lms_state(lms)["scores"]] == [8]
    assert GradeDelivery.objects.count() == 1


def test_an_instructor_previews_the_quiz_and_nothing_reaches_the_gradebook(lms):
    browser, home = launch(lms, person("irene"))
    assert "Preview the quiz" in home.text

    result, _, _ = answer_quiz(browser, home, short_answer=SHORT_ANSWER_CORRECT)
    deliver_grades()

    assert 'id="score">10/10<' in result.text
    assert "not graded" in result.text
    assert lms_state(lms)["scores"] == []
    assert GradeDelivery.objects.count() == 0


def test_the_lms_failing_three_times_then_recovering_gets_the_score_once(lms):
    FailureSwitch.objects.update(status=503, remaining=3)
    browser, home = launch(lms, person("alice"))
    answer_quiz(browser, home, short_answer=SHORT_ANSWER_CORRECT)

    with time_machine.travel(timezone.now(), tick=True) as clock:
        for _ in range(4):
            deliver_grades()
            assert lms_state(lms)["scores"] == [] or GradeDelivery.objects.get().attempts == 4
            clock.shift(timedelta(hours=1))  # past the retry's backoff

    state = lms_state(lms)
    assert state["failure_switch"]["injected"] == 3
    assert [s["score_given"] for s in state["scores"]] == [10]
    delivery = GradeDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == (GradeDelivery.State.SENT, 4)


def test_a_replayed_id_token_is_refused(lms):
    browser = requests.Session()
    page = browser.get(f"{lms}/practice-lms/launch/{person('alice').pk}/?mode=iframe", timeout=30)
    while "id_token" not in (form := forms_in(page.text)[0]).fields:
        page = submit(browser, page, form, form.fields)

    first = submit(browser, page, form, form.fields)
    replay = submit(browser, page, form, form.fields)

    assert "/lti/activity/" in first.url
    assert replay.status_code == 403
    assert "This launch was already used or has timed out." in replay.text


def test_a_platform_key_rotation_does_not_break_launches(lms):
    launch(lms, person("alice"))  # the tool now holds the platform's key set in its cache

    call_command("practice_lms", "rotate-key", verbosity=0)
    _, home = launch(lms, person("bob"))  # signed with a kid the cached key set lacks

    assert "/lti/activity/" in home.url
