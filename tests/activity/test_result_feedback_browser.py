"""A person's view: a student in the practice LMS answers one question wrongly and the result page
tells her why that option is wrong (and, while she may try again, not which option is right). Writes
test-artifacts/result-feedback.png."""

import pytest
from django.core.management import call_command

from lti_quiz.practice_lms.models import Person
from lti_quiz.quiz.models import Question
from tests.support.answer_key import CORRECT_OPTIONS, SHORT_ANSWER_CORRECT, SHORT_ANSWER_QUESTION
from tests.support.browser import ARTIFACTS, submit_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Which use of AI fits this topic best?"
WRONG = "Decide acceptable capability loss for your workload."


def test_a_learner_who_answers_wrongly_sees_why_that_option_is_wrong(live_server, chromium):
    call_command("load_content", verbosity=0)
    call_command("practice_lms", "setup", "--base-url", live_server.url, verbosity=0)
    alice = Person.objects.get(email__startswith="alice")
    q3 = Question.objects.get(key="q3")
    why_wrong = q3.choices.get(text=WRONG).feedback
    why_right = q3.choices.get(is_correct=True).feedback
    page = chromium.new_page(viewport={"width": 1200, "height": 1400})

    page.goto(f"{live_server.url}/practice-lms/")
    page.get_by_test_id(f"launch-iframe-{alice.pk}").click()
    tool = page.frame_locator("iframe[name=tool]")
    tool.get_by_role("link", name="Start the quiz").click()
    for question, correct in CORRECT_OPTIONS.items():
        group = tool.locator("fieldset", has=tool.locator(".question-text", has_text=question))
        group.get_by_label(WRONG if question == QUESTION else correct, exact=True).check()
    short_text = tool.locator(".question-text", has_text=SHORT_ANSWER_QUESTION)
    short = tool.locator("fieldset", has=short_text)
    short.get_by_role("textbox").fill(SHORT_ANSWER_CORRECT)
    submit_quiz(tool)
    tool.locator("#score").wait_for()

    assert tool.locator("#score").inner_text() == "9/10"
    result = tool.locator("section.result", has=tool.locator("h2", has_text=QUESTION))
    chosen = result.locator(".choice-feedback li", has_text=why_wrong)
    assert chosen.is_visible()
    assert chosen.inner_text() == f"{WRONG}\n{why_wrong}"
    # Attempts remain (unlimited), so the review rules' default keeps the key hidden: why the
    # right option is right would name it.
    assert result.get_by_text(why_right).count() == 0
    assert result.locator(".outcome-feedback").count() == 0  # q3 has no wrong-answer feedback
    right = tool.locator("section.result", has=tool.locator("h2", has_text="bad use of AI"))
    assert (
        right.locator(".choice-feedback li")
        .inner_text()
        .startswith("Replace production shadow-traffic testing.\nRight, this is the bad use")
    )
    ARTIFACTS.mkdir(exist_ok=True)
    result.screenshot(path=str(ARTIFACTS / "result-feedback.png"))
