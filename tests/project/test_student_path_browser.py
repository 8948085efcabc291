"""A person's view: a student launches the quiz inside the practice LMS's iframe (like Canvas),
answers all ten questions correctly, sees 10/10, and the gradebook shows 10/10."""

import pytest
from django.core.management import call_command

from lti_quiz.practice_lms.models import Person
from tests.support.browser import ARTIFACTS, answer_all_correctly, take_quiz_for_full_marks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_student_takes_the_quiz_inside_the_lms_iframe_and_the_gradebook_shows_ten(
    live_server,
    chromium,
):
    call_command("load_content", verbosity=0)
    call_command("practice_lms", "setup", "--base-url", live_server.url, verbosity=0)
    alice = Person.objects.get(email__startswith="alice")
    page = chromium.new_page(viewport={"width": 1200, "height": 1400})

    page.goto(f"{live_server.url}/practice-lms/")
    page.get_by_test_id(f"launch-iframe-{alice.pk}").click()
    tool = page.frame_locator("iframe[name=tool]")
    tool.get_by_role(
        "heading", name="Distillation Tradeoffs: When Smaller Models Quietly Lose"
    ).wait_for()
    take_quiz_for_full_marks(tool)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "student-result-in-iframe.png"), full_page=True)

    assert tool.locator("#delivery").get_attribute("data-state") == "pending"

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    # The result page notices on its own that the gradebook has the score.
    tool.locator("#delivery[data-state=sent]").wait_for(timeout=15_000)
    shows = tool.get_by_test_id("gradebook-shows")
    assert shows.is_visible()
    assert (
        shows.inner_text() == "Your score reached the gradebook. Your course gradebook shows 10/10."
    )

    page.goto(f"{live_server.url}/practice-lms/gradebook/")
    assert page.get_by_test_id(f"score-{alice.pk}").inner_text() == "10/10"
    page.screenshot(path=str(ARTIFACTS / "practice-gradebook.png"), full_page=True)


def test_an_instructor_opens_it_in_a_new_window_and_previews_without_a_grade(
    live_server,
    chromium,
):
    call_command("load_content", verbosity=0)
    call_command("practice_lms", "setup", "--base-url", live_server.url, verbosity=0)
    irene = Person.objects.get(email__startswith="irene")
    page = chromium.new_page()

    page.goto(f"{live_server.url}/practice-lms/")
    with page.expect_popup() as popup:  # like Moodle's "open in a new window"
        page.get_by_test_id(f"launch-window-{irene.pk}").click()
    tool = popup.value
    tool.get_by_role("link", name="Preview the quiz").click()
    assert tool.get_by_text("Preview: your answers are not graded").is_visible()
    answer_all_correctly(tool)

    assert tool.locator("#score").inner_text() == "10/10"
    assert tool.get_by_text("never sent to the gradebook").is_visible()
    page.goto(f"{live_server.url}/practice-lms/gradebook/")
    assert page.get_by_test_id("gradebook").get_by_text("10/10").count() == 0
