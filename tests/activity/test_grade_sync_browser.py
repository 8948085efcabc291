"""An instructor, by keyboard, sends every grade again from the results page (confirming the
sentence the browser asks) and opens a learner's grade history; both pages are axe-clean."""

import pytest
from django.core.management import call_command

from lti_quiz.grades.models import GradeDelivery
from tests.factories.practice_lms import person
from tests.factories.results import deliver_grades, lms_take_quiz
from tests.support.answer_key import SHORT_ANSWER_CORRECT
from tests.support.axe import axe_violations, describe_violations
from tests.support.browserless import lms_launch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_instructor_sends_every_grade_again_and_reads_a_learners_history(live_server, chromium):
    call_command("load_content", verbosity=0)
    call_command("practice_lms", "setup", "--base-url", live_server.url, verbosity=0)
    alice = person("alice")
    browser, home = lms_launch(live_server.url, alice.pk)
    lms_take_quiz(browser, home, short_answer=SHORT_ANSWER_CORRECT)
    deliver_grades()

    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{live_server.url}/practice-lms/")
    with page.expect_popup() as popup:
        page.get_by_test_id(f"launch-window-{person('irene').pk}").click()
    tool = popup.value
    tool.get_by_role("link", name="Results").click()
    tool.get_by_role("heading", name="Gradebook").wait_for()
    violations = axe_violations(tool)
    assert not violations, describe_violations({"results page": violations})

    asked = []
    tool.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    tool.get_by_role("button", name="Send every grade again").focus()
    tool.keyboard.press("Enter")
    tool.get_by_text("Every learner's current score was queued").wait_for()
    assert asked == ["Send every learner\u2019s current score to the gradebook again?"]
    assert GradeDelivery.objects.filter(reason="resend_all").count() == 1
    deliver_grades()

    tool.get_by_role("link", name=f"Grade history of {alice.name}").click()
    tool.get_by_role("heading", name=f"Grade history of {alice.user_id}").wait_for()
    assert tool.locator('[data-testid^="delivery-"]').count() == 2
    assert tool.get_by_text("every grade sent again").is_visible()
    violations = axe_violations(tool)
    assert not violations, describe_violations({"grade history page": violations})
