"""The README's screenshots: the quiz (panel, progress, a flag), the summary before submitting
and the result page, inside the practice LMS's course page, on a desktop and on a phone.

Not part of the suite (pytest collects test_*.py only): `make screenshots` runs this file on its
own and writes docs/screenshots/*.png.
"""

from pathlib import Path

import pytest

from tests.factories.practice_lms import person
from tests.support.answer_key import CORRECT_OPTIONS, SHORT_ANSWER_CORRECT, SHORT_ANSWER_QUESTION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
# The course page scrolled to the top of the tool's frame (the LMS's own header above it).
TO_THE_TOOL = """() => window.scrollTo(0, document.querySelector("iframe[name=tool]")
  .getBoundingClientRect().top + window.scrollY - 48)"""
SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_take_the_readme_screenshots(lms, chromium, screen):
    OUT.mkdir(parents=True, exist_ok=True)
    page = chromium.new_page(viewport=SCREENS[screen])
    page.goto(f"{lms}/practice-lms/")
    page.get_by_test_id(f"launch-iframe-{person('alice').pk}").click()
    tool = page.frame_locator("iframe[name=tool]")
    tool.get_by_role("link", name="Start the quiz").click()

    # Seven answers given (the third one wrong), one flagged, two left for later.
    questions = list(CORRECT_OPTIONS.items())
    for number, (question, correct) in enumerate(questions[:7], start=1):
        group = tool.locator("fieldset", has=tool.locator(".question-text", has_text=question))
        if number == 3:
            group.locator("input[type=radio]").first.check()
        else:
            group.get_by_label(correct, exact=True).check()
        if number == 5:
            group.locator(".flag-toggle").click()
    tool.locator("#autosave-status", has_text="Saved").wait_for()
    page.evaluate(TO_THE_TOOL)
    page.screenshot(path=str(OUT / f"quiz-{screen}.png"))

    tool.get_by_role("button", name="Review and submit answers").click()
    tool.get_by_role("button", name="Submit all and finish").wait_for()
    page.evaluate(TO_THE_TOOL)
    page.screenshot(path=str(OUT / f"summary-{screen}.png"))

    # Back to the quiz to finish it, then the result.
    tool.get_by_role("link", name="Return to the attempt").click()
    for question, correct in questions[7:]:
        group = tool.locator("fieldset", has=tool.locator(".question-text", has_text=question))
        group.get_by_label(correct, exact=True).check()
    short_text = tool.locator(".question-text", has_text=SHORT_ANSWER_QUESTION)
    short = tool.locator("fieldset", has=short_text)
    short.get_by_role("textbox").fill(SHORT_ANSWER_CORRECT)
    tool.get_by_role("button", name="Review and submit answers").click()
    tool.get_by_role("button", name="Submit all and finish").click()
    tool.locator("#score").wait_for()
    page.evaluate(TO_THE_TOOL)
    page.screenshot(path=str(OUT / f"result-{screen}.png"))
