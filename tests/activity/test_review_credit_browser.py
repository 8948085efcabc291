"""A person's view of partial credit: the instructor reads the model answer, the patterns and
why a negated answer waits, gives half a point with a comment from the results page; the
learner's result page shows the comment and the new score, and the practice LMS's gradebook
gets it. Writes test-artifacts/results-review-{item,partial}.png and
result-review-comment-phone.png."""

import pytest
from django.core.management import call_command

from tests.factories.practice_lms import person
from tests.factories.results import deliver_grades, lms_scores, lms_take_quiz
from tests.support.browser import ARTIFACTS
from tests.support.browserless import lms_launch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEGATED = "Don't test it, the distilled model is good enough"
COMMENT = "Testing is exactly what is needed: half a point for naming it."


def test_an_instructor_gives_partial_credit_with_a_comment_the_learner_sees(live_server, chromium):
    call_command("load_content", verbosity=0)
    call_command("practice_lms", "setup", "--base-url", live_server.url, verbosity=0)
    bob = person("bob")
    browser, home = lms_launch(live_server.url, bob.pk)
    lms_take_quiz(browser, home, short_answer=NEGATED)  # 9 of 10, the short answer waits
    deliver_grades()

    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{live_server.url}/practice-lms/")
    with page.expect_popup() as popup:
        page.get_by_test_id(f"launch-window-{person('irene').pk}").click()
    tool = popup.value
    tool.get_by_role("link", name="Results").click()
    tool.get_by_role("heading", name="Answers waiting for review").wait_for()
    item = tool.locator(".review", has_text=NEGATED)
    assert "trusted source or an expert" in item.get_by_test_id("model-answer").inner_text()
    assert "test*" in item.get_by_test_id("patterns").inner_text()
    assert item.get_by_test_id("review-reason").inner_text() == (
        "Matched `test*`, but 'don't' comes before it."
    )

    item.get_by_label("Comment for the learner (optional)").fill(COMMENT)
    item.get_by_label("Score").fill("0.5")
    ARTIFACTS.mkdir(exist_ok=True)
    item.screenshot(path=str(ARTIFACTS / "results-review-item.png"))
    item.get_by_role("button", name="Give this score").click()
    tool.get_by_text("Score saved.").wait_for()
    assert tool.get_by_text("No answers are waiting for review.").is_visible()
    tool.screenshot(path=str(ARTIFACTS / "results-review-partial.png"), full_page=True)

    learner = chromium.new_page(viewport={"width": 390, "height": 800})
    learner.goto(f"{live_server.url}/practice-lms/")
    with learner.expect_popup() as popup:
        learner.get_by_test_id(f"launch-window-{bob.pk}").click()
    own = popup.value
    own.get_by_role("link", name="Attempt 1").click()
    assert own.locator("#score").inner_text() == "9.50/10"
    assert COMMENT in own.get_by_test_id("review-comment").inner_text()
    assert "Partly correct" in own.locator(".result.wrong", has_text=NEGATED).inner_text()
    own.locator(".result.wrong", has_text=NEGATED).screenshot(
        path=str(ARTIFACTS / "result-review-comment-phone.png")
    )

    deliver_grades()
    final = lms_scores(live_server.url)[-1]
    assert (final["user_id"], final["score_given"], final["grading_progress"]) == (
        bob.user_id,
        9.5,
        "FullyGraded",
    )
