"""A person's view: an instructor opens the item analysis from the results page through the
practice LMS, reads its tables, changes the attempts analysed with the keyboard alone, and axe
finds nothing to fix. Writes test-artifacts/analysis-page.png."""

import pytest
from django.core.management import call_command

from tests.factories.practice_lms import person
from tests.factories.results import lms_take_quiz
from tests.support.answer_key import SHORT_ANSWER_CORRECT
from tests.support.axe import axe_violations, describe_violations
from tests.support.browser import ARTIFACTS
from tests.support.browserless import lms_launch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_instructor_reads_the_item_analysis_and_chooses_attempts_by_keyboard(
    live_server, chromium
):
    call_command("load_content", verbosity=0)
    call_command("practice_lms", "setup", "--base-url", live_server.url, verbosity=0)
    for who, wrong in (("alice", 0), ("bob", 2), ("chandra", 4)):
        browser, home = lms_launch(live_server.url, person(who).pk)
        lms_take_quiz(browser, home, short_answer=SHORT_ANSWER_CORRECT, wrong=wrong)

    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{live_server.url}/practice-lms/")
    with page.expect_popup() as popup:
        page.get_by_test_id(f"launch-window-{person('irene').pk}").click()
    tool = popup.value
    tool.set_viewport_size({"width": 1200, "height": 900})
    tool.get_by_role("link", name="Results").click()
    tool.get_by_role("link", name="Item analysis and exports").click()
    tool.get_by_role("heading", name="The whole quiz").wait_for()

    assert tool.locator("#items-table").is_visible()
    assert tool.locator("#distribution-table").is_visible()
    assert tool.locator("#items-table tbody tr").count() >= 5
    assert tool.locator("svg.chart").count() == 3
    assert tool.get_by_text("3 attempts analysed").is_visible()
    violations = axe_violations(tool)
    assert not violations, describe_violations({"analysis": violations})
    ARTIFACTS.mkdir(exist_ok=True)
    tool.screenshot(path=str(ARTIFACTS / "analysis-page.png"), full_page=True)

    # Keyboard only: into the attempts group, arrow to "All attempts", tab to Show, Enter.
    tool.get_by_role("radio", name="The first attempt of each learner").focus()
    tool.keyboard.press("ArrowDown")
    tool.keyboard.press("ArrowDown")
    assert tool.get_by_role("radio", name="All attempts").is_checked()
    tool.keyboard.press("Tab")
    tool.keyboard.press("Tab")
    assert tool.evaluate("document.activeElement.id") == "show"
    tool.keyboard.press("Enter")
    tool.wait_for_url("**attempts=all**")

    assert tool.get_by_role("radio", name="All attempts").is_checked()
    assert tool.get_by_text("3 attempts analysed").is_visible()
