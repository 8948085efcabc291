"""End to end over real HTTP with the practice LMS: the instructor's results page reads the
paged roster, and its resend and review buttons get the right scores to the LMS gradebook
(through delivery rows the grade worker sends)."""

import pytest

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.practice_lms.models import Counter, Person
from tests.factories.practice_lms import person
from tests.factories.results import deliver_grades, lms_scores, lms_take_quiz
from tests.support.answer_key import SHORT_ANSWER_CORRECT, SHORT_ANSWER_UNMATCHED
from tests.support.browserless import forms_in, lms_launch, submit

pytestmark = pytest.mark.django_db(transaction=True)


def results_page(lms: str):
    browser, home = lms_launch(lms, person("irene").pk)
    assert "Results" in home.text
    page = browser.get(home.url + "results/", timeout=30)
    assert page.status_code == 200, page.text
    return browser, page


def form_to(page, action_part: str, **fields):
    form = next(f for f in forms_in(page.text) if action_part in f.action)
    return form, {**form.fields, **fields}


def test_the_results_page_lists_every_student_from_the_paged_roster(lms):
    _, page = results_page(lms)

    for student in Person.objects.filter(role=Person.Role.STUDENT):
        assert f'data-testid="learner-{student.user_id}"' in page.text
        assert student.name in page.text
    assert f'data-testid="learner-{person("irene").user_id}"' not in page.text
    # One page: the tool asks for large pages (`limit`), where the LMS's own default is two.
    assert Counter.value_of(Counter.NRPS_CALLS) == 1


def test_the_roster_is_kept_and_read_again_in_the_background_on_request(lms):
    staff, page = results_page(lms)
    again = staff.get(page.url, timeout=30)
    assert Counter.value_of(Counter.NRPS_CALLS) == 1  # the second view used the kept roster
    assert "Course roster as the platform listed it at" in again.text

    course = person("alice").course
    newcomer = Person.objects.create(
        course=course, name="Nina Newcomer", email="nina@example.edu", role=Person.Role.STUDENT
    )
    form, data = form_to(again, "results/roster/")
    after = submit(staff, again, form, data)
    assert "being read again" in after.text
    assert "Nina Newcomer" not in after.text  # read by a worker, not on the instructor's click

    deliver_grades()  # the worker runs the queued refresh
    refreshed = staff.get(page.url, timeout=30)

    assert f'data-testid="learner-{newcomer.user_id}"' in refreshed.text
    assert Counter.value_of(Counter.NRPS_CALLS) == 2


def test_resend_gets_the_same_score_to_the_lms_again_with_a_newer_timestamp(lms):
    alice = person("alice")
    browser, home = lms_launch(lms, alice.pk)
    lms_take_quiz(browser, home, short_answer=SHORT_ANSWER_CORRECT)
    deliver_grades()
    [first] = lms_scores(lms)

    staff, page = results_page(lms)
    form, data = form_to(page, "results/resend/")
    after = submit(staff, page, form, data)
    assert "queued to be sent again" in after.text
    deliver_grades()

    scores = [s for s in lms_scores(lms) if s["user_id"] == alice.user_id]
    assert len(scores) == 2
    resent = scores[1]
    assert (resent["score_given"], resent["score_maximum"]) == (10, 10)
    assert (resent["activity_progress"], resent["grading_progress"]) == (
        "Completed",
        "FullyGraded",
    )
    assert resent["timestamp"] > first["timestamp"]
    delivery = GradeDelivery.objects.latest("timestamp")
    assert (delivery.reason, delivery.state) == ("resend", "sent")


def test_accepting_a_reviewed_answer_sends_fully_graded_ten_to_the_lms(lms):
    bob = person("bob")
    browser, home = lms_launch(lms, bob.pk)
    lms_take_quiz(browser, home, short_answer=SHORT_ANSWER_UNMATCHED)
    deliver_grades()
    assert [(s["score_given"], s["grading_progress"]) for s in lms_scores(lms)] == [
        (9, "PendingManual")
    ]

    staff, page = results_page(lms)
    assert SHORT_ANSWER_UNMATCHED in page.text
    form, data = form_to(page, "results/review/", decision="accept")
    after = submit(staff, page, form, data)
    assert "Answer accepted" in after.text
    assert "No answers are waiting for review." in after.text
    deliver_grades()

    final = lms_scores(lms)[-1]
    assert (final["user_id"], final["score_given"], final["grading_progress"]) == (
        bob.user_id,
        10,
        "FullyGraded",
    )
    assert GradeDelivery.objects.latest("timestamp").reason == "review"
