"""A person without a mouse answers a calculated question and a calculated multiple-choice
question with the keyboard alone, from the numbers their attempt drew, submits, and sees both
scored; the quiz page and the result page are axe-clean."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from lti_quiz.quiz.models import Attempt, Placement
from tests.factories.calculated_quiz import make_calculated_quiz
from tests.factories.practice_lms import person
from tests.support.axe import axe_violations, describe_violations
from tests.support.focus import FOCUSED, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def drawn() -> dict[str, dict]:
    """What the attempt asked, by question key: its text and answer key, numbers drawn."""
    attempt = Attempt.objects.get()
    return {question["question_key"]: question for question in attempt.snapshot["questions"]}


def test_calculated_kinds_answered_with_the_keyboard_alone(lms, chromium):
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{lms}/practice-lms/launch/{person('alice').pk}/?mode=window")
    page.wait_for_url("**/lti/activity/**")
    assert Placement.objects.update(quiz=make_calculated_quiz()) == 1
    page.reload()

    tab_to(page, lambda f: f["text"] == "Start the quiz")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Review and submit answers").wait_for()
    violations = axe_violations(page)
    assert not violations, describe_violations({"quiz page": violations})

    asked = drawn()
    work, power = asked["work"], asked["power"]
    # The page shows the attempt's own numbers, not the placeholders.
    expect(page.get_by_text(work["text"], exact=False)).to_have_count(1)
    expect(page.get_by_text(power["text"], exact=False)).to_have_count(1)
    assert "{" not in work["text"] and "{" not in power["text"]
    right_work = Decimal(work["spec"]["answers"][0]["value"])
    right_power = next(c["text"] for c in power["choices"] if c["is_correct"])

    tab_to(page, lambda f: f["name"] == "Your answer (a number)")
    page.keyboard.type(f"{right_work.normalize():f} J")
    # The choice: Tab reaches the group, the arrow keys move (and choose) within it.
    focused = tab_to(page, lambda f: f["type"] == "radio")
    for _ in range(len(power["choices"])):
        if focused["name"] == right_power:
            break
        page.keyboard.press("ArrowDown")
        focused = page.evaluate(FOCUSED)
    assert focused["name"] == right_power
    page.keyboard.press("Space")
    expect(page.get_by_label(right_power, exact=True)).to_be_checked()
    expect(page.locator("#autosave-status")).to_have_text("Saved")

    tab_to(page, lambda f: f["text"] == "Review and submit answers")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Submit all and finish").wait_for()
    tab_to(page, lambda f: f["text"] == "Submit all and finish")
    page.keyboard.press("Enter")
    expect(page.locator("#score")).to_have_text("3/3")
    # The result page asks the same drawn numbers it scored.
    expect(page.get_by_text(work["text"], exact=False)).to_have_count(1)
    expect(page.get_by_text(right_power, exact=False).first).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe_violations({"result page": violations})
