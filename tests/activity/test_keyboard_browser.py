"""A person without a mouse: Alice opens the quiz, chooses every answer, types the short answer
and submits with the keyboard alone (Playwright's `page.keyboard`, no click), seeing where the
focus is at every step; then the page tells her screen reader, in a live region, when her score
reaches the gradebook."""

import pytest
from playwright.sync_api import expect

from tests.factories.practice_lms import person
from tests.factories.results import deliver_grades
from tests.support.answer_key import CORRECT_OPTIONS, SHORT_ANSWER_CORRECT, SHORT_ANSWER_QUESTION
from tests.support.browser import take_quiz_for_full_marks
from tests.support.focus import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What has the focus (for tab_to): the control, its question (its text, or the legend without
# "Question N of M"), the options of its group, and whether a focus ring is drawn around it
# (an outline at least 2 px wide).
QUESTION_FOCUS = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const fieldset = el.closest("fieldset");
  const legend = fieldset
    && (fieldset.querySelector(".question-text") || fieldset.querySelector("legend"));
  const label = el.closest("label");
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    type: el.type || "",
    id: el.id,
    text: (el.innerText || "").trim(),
    label: label ? label.innerText.trim() : "",
    question: legend ? legend.innerText.replace(/^\s*Question \d+ of \d+\s*/, "").trim() : "",
    options: fieldset
      ? [...fieldset.querySelectorAll("input[type=radio]")]
          .map((input) => input.closest("label").innerText.trim())
      : [],
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
  };
}"""


def launch_in_a_window(page, lms: str, who: str) -> None:
    page.goto(f"{lms}/practice-lms/launch/{person(who).pk}/?mode=window")
    page.wait_for_url("**/lti/activity/**")


def test_a_student_takes_the_whole_quiz_with_the_keyboard_alone(lms, chromium):
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    launch_in_a_window(page, lms, "alice")

    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Start the quiz", probe=QUESTION_FOCUS)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Review and submit answers").wait_for()

    answered: set[str] = set()
    focused = tab_to(
        page, lambda f: f["type"] in ("radio", "textarea", "submit"), probe=QUESTION_FOCUS
    )
    while focused["id"] != "submit-quiz":
        question = focused["question"]
        if focused["type"] == "radio" and question not in answered:
            # Tab lands on a group's first option; the arrow keys move and choose, Space
            # chooses the option that has the focus.
            options = focused["options"]
            steps = options.index(CORRECT_OPTIONS[question]) - options.index(focused["label"])
            for _ in range(steps % len(options)):
                page.keyboard.press("ArrowDown")
            if steps % len(options) == 0:
                page.keyboard.press("Space")
            answered.add(question)
        elif focused["type"] == "textarea":
            page.keyboard.type(SHORT_ANSWER_CORRECT)
            answered.add(question)
        focused = tab_to(
            page,
            lambda f: f["type"] in ("radio", "textarea") or f["type"] == "submit",
            probe=QUESTION_FOCUS,
        )

    assert answered == {*CORRECT_OPTIONS, SHORT_ANSWER_QUESTION}
    for question, correct in CORRECT_OPTIONS.items():
        group = page.locator("fieldset", has=page.locator(".question-text", has_text=question))
        expect(group.get_by_label(correct, exact=True)).to_be_checked()
    # The autosave line is a live region: what was typed and chosen is announced as saved.
    expect(page.locator("#autosave-status")).to_have_attribute("role", "status")
    expect(page.locator("#autosave-status")).to_have_text("Saved")

    page.keyboard.press("Enter")  # on "Review and submit answers": the summary
    page.get_by_role("button", name="Submit all and finish").wait_for()
    tab_to(
        page,
        lambda f: f["tag"] == "button" and f["text"] == "Submit all and finish",
        probe=QUESTION_FOCUS,
    )
    page.keyboard.press("Enter")
    expect(page.locator("#score")).to_have_text("10/10")


def test_the_grade_status_is_a_live_region_that_says_when_the_gradebook_has_the_score(
    lms, chromium
):
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    launch_in_a_window(page, lms, "alice")
    take_quiz_for_full_marks(page)

    # A polite live region present when the page loads, its words those of the current state
    # (the other states' words are hidden, so not read).
    status = page.get_by_role("status")
    expect(status).to_have_count(1)
    expect(status).to_have_attribute("id", "delivery")
    expect(status).to_have_text(
        "Your score is saved and on its way to your course gradebook. If the course site is "
        "busy this can take a few minutes; nothing is lost.",
        use_inner_text=True,
    )

    deliver_grades()

    # The page polls; the same region now reads the new state, which a screen reader announces.
    expect(status).to_have_text(
        "Your score reached the gradebook. Your course gradebook shows 10/10.",
        use_inner_text=True,
        timeout=15_000,
    )
