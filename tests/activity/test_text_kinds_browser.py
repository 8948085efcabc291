"""Alice reads the descriptions, picks a choice and writes an essay with the keyboard alone,
hears (politely) only when her essay crosses its word limit, submits, and sees the choice scored
and the essay waiting for review; the quiz and result pages are axe-clean."""

import pytest
from playwright.sync_api import expect

from tests.factories.practice_lms import person
from tests.factories.text_kinds import make_text_kinds_quiz
from tests.support.axe import axe_violations, describe_violations
from tests.support.focus import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_student_answers_an_essay_and_a_choice_with_the_keyboard_alone(lms, chromium, settings):
    settings.QUIZ_DEFAULT_SLUG = make_text_kinds_quiz().slug
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{lms}/practice-lms/launch/{person('alice').pk}/?mode=window")
    page.wait_for_url("**/lti/activity/**")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Start the quiz")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Review and submit answers").wait_for()
    expect(page.get_by_text("Question 2 of 2")).to_be_visible()
    assert not (found := axe_violations(page)), describe_violations({"quiz": found})

    # The choice: Tab lands on the group's first option ("Best"), Space chooses it.
    focused = tab_to(page, lambda f: f["type"] == "radio")
    assert focused["label"] == "Best"
    page.keyboard.press("Space")

    focused = tab_to(page, lambda f: f["tag"] == "textarea")
    assert focused["label"] == "Your answer"
    essay = page.locator(f"#{focused['id']}")
    alert = page.locator(f"#{focused['id']}-alert")
    count = page.locator(f"#{focused['id']}-words .words-now")
    page.keyboard.type("Smaller models answer faster")
    expect(count).to_have_text("4 words")
    expect(alert).to_have_text("")  # typing within the limits says nothing
    page.keyboard.type(" and cost less, with a little less accuracy on rare prompts")
    expect(count).to_have_text("15 words")
    expect(alert).to_contain_text("Over the limit of 12 words")
    for _ in range(len(" with a little less accuracy on rare prompts")):
        page.keyboard.press("Backspace")
    expect(count).to_have_text("7 words")
    expect(alert).to_have_text("Within the word limits.")
    expect(essay).to_have_value("Smaller models answer faster and cost less,")
    expect(page.locator("#autosave-status")).to_have_text("Saved")

    tab_to(page, lambda f: f["id"] == "submit-quiz")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Submit all and finish").wait_for()
    expect(page.locator("#answered-summary")).to_have_text("You answered 2 of 2 questions.")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Submit all and finish")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Waiting for review")).to_be_visible()
    expect(page.get_by_text("Smaller models answer faster and cost less,")).to_be_visible()
    expect(page.get_by_text("Read this before the next questions")).to_be_visible()
    assert not (found := axe_violations(page)), describe_violations({"result": found})
