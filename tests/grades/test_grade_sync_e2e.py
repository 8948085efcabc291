"""Grades in step with the LMS, over real HTTP against the practice LMS (live_server): the
column follows the quiz's maximum, "Send every grade again" reaches the gradebook once, the
grade history shows the LMS's answers, and a deleted column is made again and refilled."""

import pytest
from django.core.management import call_command

from lti_quiz.grades.models import LineItemUpdate
from lti_quiz.practice_lms.models import LineItem, Score
from lti_quiz.quiz.models import Question, Quiz
from lti_quiz.quiz.services import quiz_max_score
from tests.factories.practice_lms import person
from tests.factories.results import deliver_grades, lms_take_quiz
from tests.support.answer_key import SHORT_ANSWER_CORRECT
from tests.support.browserless import forms_in, lms_launch, submit

pytestmark = pytest.mark.django_db(transaction=True)


def setup_lms(live_server, behaves_like: str) -> str:
    call_command("load_content", verbosity=0)
    call_command(
        "practice_lms",
        "setup",
        "--base-url",
        live_server.url,
        "--behave-like",
        behaves_like,
        verbosity=0,
    )
    return live_server.url


def bob_submits(lms: str):
    bob = person("bob")
    browser, home = lms_launch(lms, bob.pk)
    lms_take_quiz(browser, home, short_answer=SHORT_ANSWER_CORRECT)
    deliver_grades()
    return bob


def results_page(lms: str):
    browser, home = lms_launch(lms, person("irene").pk)
    return browser, browser.get(home.url + "results/", timeout=30)


def raise_the_maximum() -> None:
    quiz = Quiz.objects.default()
    question = next(q for q in quiz.ordered_questions() if q.points)
    Question.objects.filter(pk=question.pk).update(points=question.points + 5)


@pytest.mark.parametrize("family", ["moodle", "canvas"])
def test_the_column_follows_the_quizs_new_maximum_and_keeps_its_other_members(live_server, family):
    lms = setup_lms(live_server, family)
    bob_submits(lms)
    item = LineItem.objects.get()
    tag, resource_id = item.tag, item.resource_id
    raise_the_maximum()

    results_page(lms)  # the instructor opens the results: the change is queued
    deliver_grades()

    item.refresh_from_db()
    quiz = Quiz.objects.default()
    assert (item.label, item.score_maximum) == (quiz.title, quiz_max_score(quiz))
    # Moodle clears members a PUT leaves out: the tool sends the whole item back.
    assert (item.tag, item.resource_id) == (tag, resource_id)
    update = LineItemUpdate.objects.get()
    assert (update.state, update.answer_status) == ("sent", 200)


def test_send_every_grade_again_reaches_the_gradebook_once(live_server):
    lms = setup_lms(live_server, "moodle")
    bob = bob_submits(lms)
    staff, results = results_page(lms)
    form = next(f for f in forms_in(results.text) if "results/resend-all/" in f.action)

    done = submit(staff, results, form, form.fields)
    submit(staff, results, form, form.fields)  # a double click
    deliver_grades()

    assert "queued to be sent again" in done.text
    scores = Score.objects.filter(person=bob).order_by("timestamp")
    assert scores.count() == 2
    assert scores[0].score_given == scores[1].score_given
    assert scores[1].timestamp > scores[0].timestamp
    gradebook = staff.get(f"{lms}/practice-lms/gradebook/", timeout=30).text
    assert f'data-testid="count-{bob.pk}-{LineItem.objects.get().pk}">2 received<' in gradebook

    history = staff.get(results.url + f"grades/?learner={bob.user_id}", timeout=30).text
    assert history.count('data-testid="delivery-') == 2
    assert history.count("HTTP 200") == 2
    assert "every grade sent again" in history


def test_a_deleted_column_comes_back_and_every_grade_can_refill_it(live_server):
    lms = setup_lms(live_server, "canvas")
    bob = bob_submits(lms)
    LineItem.objects.all().delete()  # the instructor deleted the gradebook column
    raise_the_maximum()

    staff, results = results_page(lms)
    deliver_grades()

    update = LineItemUpdate.objects.get()
    assert (update.state, update.answer_status) == ("sent", 201)
    item = LineItem.objects.get()
    assert item.score_maximum == quiz_max_score(Quiz.objects.default())
    form = next(f for f in forms_in(results.text) if "results/resend-all/" in f.action)
    submit(staff, results, form, form.fields)
    deliver_grades()
    assert Score.objects.filter(person=bob, line_item=item).count() == 1
