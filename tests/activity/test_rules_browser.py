"""A person's view of the review rules and the time limit: Alice takes the quiz inside the
practice LMS's iframe and sees on the result page what the rules let her see, her percentage,
her attempts and "Try again"; with a time limit, the quiz page counts down and submits itself."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lti_quiz.practice_lms.models import Person
from lti_quiz.quiz.models import Attempt, Placement
from tests.support.answer_key import CORRECT_OPTIONS, SHORT_ANSWER_CORRECT, SHORT_ANSWER_QUESTION
from tests.support.browser import submit_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORRECT_TAG = re.compile(r"^correct$")


def launch(page, lms: str):
    """Alice's launch into the practice LMS's iframe: the activity page's frame locator."""
    alice = Person.objects.get(email__startswith="alice")
    page.goto(f"{lms}/practice-lms/")
    page.get_by_test_id(f"launch-iframe-{alice.pk}").click()
    tool = page.frame_locator("iframe[name=tool]")
    tool.get_by_role("heading", name="End-of-lesson check").wait_for()
    return tool


def group(tool, text: str):
    return tool.locator("fieldset", has=tool.locator(".question-text", has_text=text))


def answer_all_wrong(tool) -> None:
    """Every choice question answered with an option that is not the key's; the short answer
    right (so nothing waits for review); submitted."""
    tool.get_by_role(
        "button", name="Review and submit answers"
    ).wait_for()  # the quiz page is there
    for question, correct in CORRECT_OPTIONS.items():
        options = group(tool, question).locator("label.choice")
        for index in range(options.count()):
            if options.nth(index).inner_text().strip() != correct:
                options.nth(index).click()
                break
    group(tool, SHORT_ANSWER_QUESTION).get_by_role("textbox").fill(SHORT_ANSWER_CORRECT)
    submit_quiz(tool)
    tool.get_by_role("heading", name="Your result").wait_for()


def an_explanation() -> str:
    attempt = Attempt.objects.latest("pk")
    return next(q["explanation"] for q in attempt.snapshot["questions"] if q["explanation"])


def test_by_default_the_correct_answers_show_only_after_the_last_attempt(lms, chromium):
    page = chromium.new_page(viewport={"width": 1200, "height": 1400})
    tool = launch(page, lms)
    Placement.objects.update(attempts_allowed=2, scoring_policy="highest")

    tool.get_by_role("link", name="Start the quiz").click()
    answer_all_wrong(tool)

    expect(tool.locator("#score")).to_have_text("1/10")
    expect(tool.locator("#percent")).to_have_text("(10%)")
    expect(tool.get_by_text("Your highest-scoring attempt counts.")).to_be_visible()
    expect(tool.get_by_text("Not correct", exact=True).first).to_be_visible()  # marks: at once
    expect(tool.get_by_text(an_explanation()).first).to_be_visible()  # feedback: at once
    expect(tool.locator(".tag", has_text=CORRECT_TAG)).to_have_count(0)  # the key: not yet
    expect(tool.locator("#correct-hidden")).to_be_visible()
    expect(tool.locator("#history tbody tr")).to_have_count(1)
    expect(tool.locator("#history time")).to_contain_text("UTC")

    tool.get_by_role("link", name="Try again").click()
    answer_all_wrong(tool)

    expect(tool.locator("#history tbody tr")).to_have_count(2)
    expect(tool.locator(".tag", has_text=CORRECT_TAG)).to_have_count(len(CORRECT_OPTIONS))
    expect(tool.locator("#correct-hidden")).to_have_count(0)
    expect(tool.get_by_role("link", name="Try again")).to_have_count(0)
    expect(tool.get_by_text("You have used all your attempts.")).to_be_visible()


def test_rules_can_hide_the_score_marks_and_feedback_and_show_the_key_at_once(lms, chromium):
    page = chromium.new_page(viewport={"width": 1200, "height": 1400})
    tool = launch(page, lms)
    Placement.objects.update(
        review_score="never",
        review_marks="never",
        review_correct="immediately",
        review_feedback="never",
    )

    tool.get_by_role("link", name="Start the quiz").click()
    answer_all_wrong(tool)

    expect(tool.locator("#score-hidden")).to_be_visible()
    expect(tool.locator("#score")).to_have_count(0)
    expect(tool.locator("#percent")).to_have_count(0)
    expect(tool.get_by_text("Not correct", exact=True)).to_have_count(0)
    expect(tool.get_by_text(an_explanation())).to_have_count(0)
    expect(tool.locator(".tag", has_text=CORRECT_TAG)).to_have_count(len(CORRECT_OPTIONS))
    expect(tool.locator("#history")).not_to_contain_text("/10")
    expect(tool.get_by_role("link", name="Try again")).to_be_visible()


def test_a_timed_attempt_submits_itself_when_the_time_is_up(lms, chromium):
    page = chromium.new_page(viewport={"width": 1200, "height": 1400})
    tool = launch(page, lms)
    Placement.objects.update(time_limit_minutes=1)
    tool.get_by_role("link", name="Start the quiz").click()
    expect(tool.get_by_role("timer")).to_be_visible()

    # The deadline comes from the server: move the start back so it is seconds away, reload.
    attempt = Attempt.objects.get()
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(minutes=1) + timedelta(seconds=4)
    )
    frame = page.frame(name="tool")
    assert frame is not None
    frame.goto(frame.url)
    question, correct = next(iter(CORRECT_OPTIONS.items()))
    group(tool, question).get_by_label(correct, exact=True).check()

    # Nobody presses "Submit answers": the page posts itself at zero.
    tool.get_by_role("heading", name="Your result").wait_for(timeout=20_000)
    attempt.refresh_from_db()
    assert attempt.is_submitted
    assert attempt.score == 1  # the one answer given, posted with the form
    expect(tool.locator("#score")).to_have_text("1/10")
