"""A person's view: the instructor opens the results page from the practice LMS, sees the
roster, the chart and the review queue, and accepts a short answer. Writes the PNGs the closing
note shows (test-artifacts/results-page.png, test-artifacts/results-review-accepted.png)."""

import pytest
from django.core.management import call_command

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.practice_lms.models import FailureSwitch
from tests.factories.practice_lms import person
from tests.factories.results import deliver_grades, lms_take_quiz
from tests.support.answer_key import SHORT_ANSWER_CORRECT, SHORT_ANSWER_UNMATCHED
from tests.support.browser import ARTIFACTS
from tests.support.browserless import lms_launch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_instructor_reviews_an_answer_on_the_results_page_with_its_chart(
    live_server,
    settings,
    chromium,
):
    call_command("load_content", verbosity=0)
    call_command("practice_lms", "setup", "--base-url", live_server.url, verbosity=0)
    # Alice: all right. Bob: two wrong and a short answer for review. Chandra: four wrong, and
    # the LMS is down when her score goes out (one try allowed, so it fails for good).
    for who, answer, wrong in (
        ("alice", SHORT_ANSWER_CORRECT, 0),
        ("bob", SHORT_ANSWER_UNMATCHED, 2),
        ("chandra", SHORT_ANSWER_CORRECT, 4),
    ):
        if who == "chandra":
            settings.GRADES_MAX_ATTEMPTS = 1
            FailureSwitch.objects.update(status=503, remaining=1)
        browser, home = lms_launch(live_server.url, person(who).pk)
        lms_take_quiz(browser, home, short_answer=answer, wrong=wrong)
        deliver_grades()
    assert GradeDelivery.objects.filter(state="failed").count() == 1

    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{live_server.url}/practice-lms/")
    with page.expect_popup() as popup:
        page.get_by_test_id(f"launch-window-{person('irene').pk}").click()
    tool = popup.value
    tool.set_viewport_size({"width": 1200, "height": 900})
    tool.get_by_role("link", name="Results").click()
    tool.get_by_role("heading", name="Answers waiting for review").wait_for()

    assert tool.locator("svg.chart rect.bar").count() >= 9
    assert tool.get_by_test_id(f"state-{person('chandra').user_id}").inner_text() == "failed"
    assert tool.get_by_text(SHORT_ANSWER_UNMATCHED).is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    tool.screenshot(path=str(ARTIFACTS / "results-page.png"), full_page=True)

    tool.get_by_role("button", name="Accept").click()
    tool.get_by_text("Answer accepted.").wait_for()
    assert tool.get_by_text("No answers are waiting for review.").is_visible()
    tool.screenshot(path=str(ARTIFACTS / "results-review-accepted.png"), full_page=True)

    review = GradeDelivery.objects.latest("timestamp")
    assert (review.reason, review.grading_progress, review.score_given) == (
        "review",
        "FullyGraded",
        8,
    )
