"""A person's view of progress and navigation: Alice answers and flags inside the practice LMS's
iframe and sees the count and the panel follow; she does it all again with the keyboard alone;
and with one question per page she moves with Next, Previous and the panel. Each time the
summary lists what is unanswered and flagged before she submits."""

import re

import pytest
from playwright.sync_api import expect

from lti_quiz.practice_lms.models import Person
from lti_quiz.quiz.models import Attempt, DraftAnswer, Placement
from tests.support.browser import open_quiz_in_lms_frame

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def panel_item(tool, number: int):
    """The panel's entry for question `number` (its name says its state)."""
    panel = tool.get_by_role("navigation", name="Questions")
    name = re.compile(rf"^Question {number},")
    return panel.get_by_role("link", name=name).or_(panel.get_by_role("button", name=name))


def question(tool, number: int):
    return tool.locator("fieldset.question", has=tool.get_by_text(f"Question {number} of 10"))


def tab_to(page, name: str, limit: int = 60) -> None:
    """Press Tab until the focused element's accessible text starts with `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement && document.activeElement.innerText")
        if focused and focused.strip().startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


@pytest.fixture
def alice(lms) -> Person:
    return Person.objects.get(email__startswith="alice")


def test_answers_and_flags_update_the_count_and_panel_and_survive_a_reload(lms, chromium, alice):
    page = chromium.new_page(viewport={"width": 1200, "height": 1400})
    tool = open_quiz_in_lms_frame(page, lms, alice)
    count = tool.locator("#answered-count")
    expect(count).to_have_text("0 of 10 answered")
    expect(panel_item(tool, 1)).to_have_accessible_name("Question 1, not answered")

    question(tool, 1).get_by_role("radio").first.check()
    expect(count).to_have_text("1 of 10 answered")
    expect(panel_item(tool, 1)).to_have_accessible_name("Question 1, answered")

    flag = question(tool, 2).get_by_role("button", name="Flag for later")
    expect(flag).to_have_attribute("aria-pressed", "false")
    flag.click()
    expect(flag).to_have_attribute("aria-pressed", "true")
    expect(panel_item(tool, 2)).to_have_accessible_name("Question 2, not answered, flagged")
    expect(tool.locator("#autosave-status")).to_have_text("Saved")
    assert DraftAnswer.objects.filter(flagged=True).count() == 1

    frame = page.frame(name="tool")
    assert frame is not None
    frame.goto(frame.url)  # the frame reloaded: the server's drafts draw it again
    flag = question(tool, 2).get_by_role("button", name="Flag for later")
    expect(flag).to_have_attribute("aria-pressed", "true")
    expect(panel_item(tool, 2)).to_have_accessible_name("Question 2, not answered, flagged")
    expect(count).to_have_text("1 of 10 answered")

    tool.get_by_role("button", name="Review and submit answers").click()
    expect(tool.get_by_role("heading", name="Not answered: 9 questions")).to_be_visible()
    flagged = tool.get_by_role("list", name="Flagged for later: 1 question")
    expect(flagged.get_by_role("listitem")).to_have_count(1)
    flagged.get_by_role("link", name="Question 2").click()
    # Back on the quiz, at the flagged question.
    expect(question(tool, 2)).to_be_focused()
    expect(panel_item(tool, 2)).to_have_attribute("aria-current", "true")


def test_the_keyboard_alone_jumps_flags_reaches_the_summary_and_submits(lms, chromium, alice):
    page = chromium.new_page(viewport={"width": 1200, "height": 1400})
    open_quiz_in_lms_frame(page, lms, alice)
    frame = page.frame(name="tool")
    assert frame is not None
    page.goto(frame.url)  # the same quiz page, as the whole window: Tab starts at its top

    tab_to(page, "3")  # the panel's third entry (its visible text is the number)
    expect(page.locator(":focus")).to_have_accessible_name("Question 3, not answered")
    page.keyboard.press("Enter")
    third = question(page, 3)
    expect(third).to_be_focused()

    page.keyboard.press("Tab")
    expect(third.get_by_role("radio").first).to_be_focused()
    page.keyboard.press("Space")
    expect(panel_item(page, 3)).to_have_accessible_name("Question 3, answered")
    page.keyboard.press("Tab")
    flag = third.get_by_role("button", name="Flag for later")
    expect(flag).to_be_focused()
    page.keyboard.press("Space")
    expect(flag).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#answered-count")).to_have_text("1 of 10 answered")

    tab_to(page, "Review and submit answers")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Summary of your attempt")).to_be_visible()
    expect(
        page.get_by_role("list", name="Not answered: 9 questions").get_by_role("link")
    ).to_have_count(9)
    flagged = page.get_by_role("list", name="Flagged for later: 1 question")
    expect(flagged.get_by_role("link", name="Question 3")).to_be_visible()

    tab_to(page, "Submit all and finish")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    attempt = Attempt.objects.get(is_preview=False)
    assert attempt.is_submitted
    third_slot = attempt.snapshot["questions"][2]["slot"]
    assert [r.slot for r in attempt.responses.all() if r.answer] == [third_slot]


def test_one_question_per_page_moves_with_next_previous_and_the_panel(lms, chromium, alice):
    page = chromium.new_page(viewport={"width": 1200, "height": 1400})
    tool = open_quiz_in_lms_frame(page, lms, alice)
    Placement.objects.update(one_question_per_page=True)
    frame = page.frame(name="tool")
    assert frame is not None
    frame.goto(frame.url)

    expect(tool.locator("fieldset.question")).to_have_count(1)
    expect(question(tool, 1)).to_be_visible()
    expect(tool.get_by_role("button", name="Previous")).to_have_count(0)
    question(tool, 1).get_by_role("radio").first.check()
    tool.get_by_role("button", name="Next").click()

    expect(question(tool, 2)).to_be_visible()
    # The script put focus on the question (the frame itself may not hold the window's focus).
    frame.wait_for_function("document.activeElement.id === 'question-2'", timeout=5000)
    expect(panel_item(tool, 1)).to_have_accessible_name("Question 1, answered")
    expect(panel_item(tool, 2)).to_have_attribute("aria-current", "page")
    question(tool, 2).get_by_role("button", name="Flag for later").click()
    tool.get_by_role("button", name="Previous").click()

    expect(question(tool, 1).get_by_role("radio").first).to_be_checked()
    expect(panel_item(tool, 2)).to_have_accessible_name("Question 2, not answered, flagged")
    expect(tool.locator("#answered-count")).to_have_text("1 of 10 answered")

    # Enter in a field goes forward (the form's first, hidden button), not to a panel entry.
    question(tool, 1).get_by_role("radio").first.press("Enter")
    expect(question(tool, 2)).to_be_visible()

    panel_item(tool, 10).click()
    expect(question(tool, 10)).to_be_visible()
    expect(tool.get_by_role("button", name="Next")).to_have_count(0)
    tool.get_by_role("button", name="Review and submit answers").click()

    unanswered = tool.get_by_role("list", name="Not answered: 9 questions")
    expect(unanswered.get_by_role("link")).to_have_count(9)
    flagged = tool.get_by_role("list", name="Flagged for later: 1 question")
    expect(flagged.get_by_role("link", name="Question 2")).to_be_visible()
    tool.get_by_role("button", name="Submit all and finish").click()
    expect(tool.get_by_role("heading", name="Your result")).to_be_visible()
    attempt = Attempt.objects.get(is_preview=False)
    assert attempt.is_submitted
    assert attempt.responses.get(slot=attempt.snapshot["questions"][0]["slot"]).answer
