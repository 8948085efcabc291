"""The gradebook shows what the tool says it shows, on each LMS family (over real HTTP).

The practice LMS receives scores by Moodle's rules (a score not FullyGraded is kept without its
scoreGiven: the gradebook shows no grade) or Canvas's (a PendingManual score is kept and marked
"needs grading"), and names itself accordingly in its launches. A student whose short answer
waits for review gets 9/10 from the choice questions; the tool must pick what suits the LMS and
say, in words, what the gradebook shows.
"""

import html
import re

import pytest
from django.core.management import call_command

from lti_quiz.quiz.models import Attempt
from tests.factories.practice_lms import person
from tests.factories.results import deliver_grades, lms_scores, lms_take_quiz
from tests.support.answer_key import SHORT_ANSWER_UNMATCHED
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


def text_of(page_html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', page_html, re.S)
    assert match, f"no {testid} on the page"
    return " ".join(html.unescape(match[1]).split())


def student_with_an_answer_to_review(lms: str):
    """Bob answers every choice right and the short answer in words no pattern knows."""
    bob = person("bob")
    browser, home = lms_launch(lms, bob.pk)
    result = lms_take_quiz(browser, home, short_answer=SHORT_ANSWER_UNMATCHED)
    attempt = Attempt.objects.get()
    [number] = attempt.questions_waiting_for_review()
    deliver_grades()
    return bob, browser, result, number


def results_page(lms: str):
    browser, home = lms_launch(lms, person("irene").pk)
    return browser, browser.get(home.url + "results/", timeout=30)


def test_on_moodle_the_automatic_part_is_sent_as_a_grade_and_the_pages_say_so(live_server):
    lms = setup_lms(live_server, "moodle")
    bob, browser, result, number = student_with_an_answer_to_review(lms)

    # Moodle would drop a PendingManual score: the default sends 9/10 as FullyGraded.
    [score] = lms_scores(lms)
    assert (score["score_given"], score["grading_progress"]) == (9, "FullyGraded")
    page = browser.get(result.url, timeout=30).text
    assert text_of(page, "gradebook-shows") == (
        f"Your score reached the gradebook. Moodle shows 9/10 until your instructor reviews "
        f"question {number}; then it is updated."
    )
    staff, results = results_page(lms)
    assert text_of(results.text, f"gradebook-{bob.user_id}") == (
        f"Moodle shows 9/10 until you review question {number}"
    )

    # The review ends it: the final score, and the page says what Moodle now shows.
    form = next(f for f in forms_in(results.text) if "results/review/" in f.action)
    submit(staff, results, form, {**form.fields, "decision": "accept"})
    deliver_grades()
    assert (lms_scores(lms)[-1]["score_given"], lms_scores(lms)[-1]["grading_progress"]) == (
        10,
        "FullyGraded",
    )
    page = browser.get(result.url, timeout=30).text
    assert text_of(page, "gradebook-shows") == (
        "Your score reached the gradebook. Moodle shows 10/10."
    )


def test_on_moodle_a_score_marked_pending_shows_no_grade_and_the_pages_say_so(live_server):
    lms = setup_lms(live_server, "moodle")
    staff, results = results_page(lms)
    form = next(f for f in forms_in(results.text) if "results/settings/" in f.action)
    saved = submit(staff, results, form, {**form.fields, "review_scores": "marked_pending"})
    assert "Saved." in saved.text

    bob, browser, result, number = student_with_an_answer_to_review(lms)

    # The practice LMS behaves as Moodle does: PendingManual keeps no scoreGiven.
    [score] = lms_scores(lms)
    assert (score["score_given"], score["grading_progress"]) == (None, "PendingManual")
    page = browser.get(result.url, timeout=30).text
    assert text_of(page, "gradebook-shows") == (
        "Your score reached the gradebook. Moodle shows no grade yet: your grade appears there "
        f"once your instructor has reviewed question {number}."
    )
    _, results = results_page(lms)
    assert text_of(results.text, f"gradebook-{bob.user_id}") == (
        f"Moodle shows no grade until you review question {number}"
    )


def test_switching_to_the_automatic_part_sends_the_waiting_scores_again(live_server):
    lms = setup_lms(live_server, "moodle")
    staff, results = results_page(lms)
    form = next(f for f in forms_in(results.text) if "results/settings/" in f.action)
    submit(staff, results, form, {**form.fields, "review_scores": "marked_pending"})
    student_with_an_answer_to_review(lms)

    _, results = results_page(lms)
    form = next(f for f in forms_in(results.text) if "results/settings/" in f.action)
    submit(staff, results, form, {**form.fields, "review_scores": "automatic_now"})
    deliver_grades()

    assert [(s["score_given"], s["grading_progress"]) for s in lms_scores(lms)] == [
        (None, "PendingManual"),
        (9, "FullyGraded"),
    ]


def test_on_canvas_a_pending_score_is_kept_as_needing_grading_and_the_pages_say_so(
    live_server,
):
    lms = setup_lms(live_server, "canvas")
    bob, browser, result, number = student_with_an_answer_to_review(lms)

    [score] = lms_scores(lms)
    assert (score["score_given"], score["grading_progress"]) == (9, "PendingManual")
    page = browser.get(result.url, timeout=30).text
    assert text_of(page, "gradebook-shows") == (
        "Your score reached the gradebook. Canvas shows 9/10, marked as needing grading, until "
        f"your instructor reviews question {number}."
    )
    _, results = results_page(lms)
    assert text_of(results.text, f"gradebook-{bob.user_id}") == (
        f"Canvas shows 9/10, marked as needing grading, until you review question {number}"
    )
    gradebook = browser.get(f"{lms}/practice-lms/gradebook/", timeout=30).text
    assert f'data-testid="needs-grading-{bob.pk}"' in gradebook
