"""Debian's chromium driven by Playwright (never `playwright install`: it downloads a browser of
its own)."""

import os
import shutil
from pathlib import Path

import pytest

from tests.support.answer_key import CORRECT_OPTIONS, SHORT_ANSWER_CORRECT, SHORT_ANSWER_QUESTION

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def require_chromium() -> None:
    """In CI a missing browser is a failure; on a developer's machine without it, a skip."""
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    message = "Debian's chromium is not installed (apt-get install -y chromium)"
    if os.environ.get("REQUIRE_BROWSER") or os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def answer_all_correctly(tool) -> None:
    """In the quiz page (a Page or a FrameLocator): every answer from the answer key, submitted
    through the summary."""
    for question, correct in CORRECT_OPTIONS.items():
        group = tool.locator("fieldset", has=tool.locator(".question-text", has_text=question))
        group.get_by_label(correct, exact=True).check()
    short_text = tool.locator(".question-text", has_text=SHORT_ANSWER_QUESTION)
    short = tool.locator("fieldset", has=short_text)
    short.get_by_role("textbox").fill(SHORT_ANSWER_CORRECT)
    submit_quiz(tool)


def submit_quiz(tool) -> None:
    """From the quiz page: to the summary, and the final submit there."""
    tool.get_by_role("button", name="Review and submit answers").click()
    tool.get_by_role("button", name="Submit all and finish").click()


def take_quiz_for_full_marks(tool) -> None:
    """From the activity page (a Page or a FrameLocator): start, answer all correctly, see 10/10."""
    tool.get_by_role("link", name="Start the quiz").click()
    answer_all_correctly(tool)
    score = tool.locator("#score")
    score.wait_for()
    assert score.inner_text() == "10/10"


def open_quiz_in_lms_frame(page, lms: str, person):
    """Launch `person` into the practice LMS's iframe and open (or continue) the quiz; the
    frame's locator."""
    page.goto(f"{lms}/practice-lms/")
    page.get_by_test_id(f"launch-iframe-{person.pk}").click()
    tool = page.frame_locator("iframe[name=tool]")
    tool.get_by_role("link", name="Continue the quiz").or_(
        tool.get_by_role("link", name="Start the quiz")
    ).click()
    tool.get_by_role("button", name="Review and submit answers").wait_for()
    return tool


def launch_settings(page, lms: str, *, locale: str, time_zone: str = "") -> None:
    """The practice LMS's next launches carry this locale (and time zone)."""
    page.goto(f"{lms}/practice-lms/")
    page.get_by_test_id("launch-locale").select_option(locale)
    page.get_by_test_id("launch-time-zone").select_option(time_zone)
    page.get_by_test_id("launch-language-set").click()
    page.wait_for_load_state()


def launch_in_window(page, lms: str, person_pk: int) -> None:
    """Launch `person_pk` from the practice LMS in the whole window (no iframe)."""
    page.goto(f"{lms}/practice-lms/launch/{person_pk}/?mode=window")
    page.wait_for_url("**/lti/activity/**")
