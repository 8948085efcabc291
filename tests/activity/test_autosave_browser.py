"""A person's view of answers saved as they go: Alice answers three questions inside the practice
LMS's iframe, reloads, launches again, and keeps typing after her launch expired."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from lti_quiz.lti.context import launch_context_load
from lti_quiz.practice_lms.models import Person
from lti_quiz.quiz.models import DraftAnswer
from tests.support.answer_key import CORRECT_OPTIONS, SHORT_ANSWER_QUESTION
from tests.support.browser import open_quiz_in_lms_frame

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THREE = list(CORRECT_OPTIONS.items())[:3]


def question(tool, text: str):
    return tool.locator("fieldset", has=tool.locator(".question-text", has_text=text))


def launch_id(page) -> str:
    frame = page.frame(name="tool")
    assert frame is not None
    return frame.url.split("/activity/", 1)[1].split("/", 1)[0]


def expect_three_answers(tool) -> None:
    for text, correct in THREE:
        expect(question(tool, text).get_by_label(correct, exact=True)).to_be_checked()


def test_answers_survive_a_reload_a_new_launch_and_an_expired_launch(lms, chromium):
    alice = Person.objects.get(email__startswith="alice")
    page = chromium.new_page(viewport={"width": 1200, "height": 1400})
    tool = open_quiz_in_lms_frame(page, lms, alice)
    status = tool.get_by_role("status")

    for text, correct in THREE:
        question(tool, text).get_by_label(correct, exact=True).check()
    expect(status).to_have_text("Saved")

    first_launch = launch_id(page)
    frame = page.frame(name="tool")
    assert frame is not None
    frame.goto(frame.url)  # the frame reloaded
    expect_three_answers(tool)

    tool = open_quiz_in_lms_frame(page, lms, alice)
    assert launch_id(page) != first_launch
    expect_three_answers(tool)

    # The launch's lifetime ends (the cache drops its context) while Alice types.
    expired = launch_id(page)
    cache.delete(f"lti:launch:{expired}")
    assert launch_context_load(expired) is None
    answer = question(tool, SHORT_ANSWER_QUESTION).get_by_role("textbox")
    answer.fill("I would check the paper")
    expect(status).to_contain_text("Your launch has expired: your answers up to ")
    expect(status).to_contain_text("open the activity again from your course to continue")
    assert not DraftAnswer.objects.filter(answer="I would check the paper").exists()

    tool = open_quiz_in_lms_frame(page, lms, alice)
    answer = question(tool, SHORT_ANSWER_QUESTION).get_by_role("textbox")
    expect(answer).to_have_value("I would check the paper")
    expect(tool.get_by_role("status")).to_have_text("Saved")
    assert DraftAnswer.objects.filter(answer="I would check the paper").exists()
    expect_three_answers(tool)
