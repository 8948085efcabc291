"""A person without a mouse answers a numerical question and a cloze question's four gaps (a text
field, a number, a drop-down, two boxes of one gap) with the keyboard alone, submits, and sees
the score; the quiz page and the result page are axe-clean."""

import pytest
from playwright.sync_api import expect

from lti_quiz.quiz.models import Placement
from tests.factories.numbers_quiz import make_numbers_quiz
from tests.factories.practice_lms import person
from tests.support.axe import axe_violations, describe_violations
from tests.support.focus import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_numbers_and_gaps_answered_with_the_keyboard_alone(lms, chromium):
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{lms}/practice-lms/launch/{person('alice').pk}/?mode=window")
    page.wait_for_url("**/lti/activity/**")
    assert Placement.objects.update(quiz=make_numbers_quiz()) == 1
    page.reload()

    tab_to(page, lambda f: f["text"] == "Start the quiz")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Review and submit answers").wait_for()
    violations = axe_violations(page)
    assert not violations, describe_violations({"quiz page": violations})

    # Every gap is found by its accessible name.
    for number in range(1, 5):
        expect(page.get_by_label(f"Gap {number} of 4", exact=True)).to_have_count(1)

    tab_to(page, lambda f: f["name"] == "Your answer (a number)")
    page.keyboard.type("981 cm/s²")
    tab_to(page, lambda f: f["name"] == "Gap 1 of 4")
    page.keyboard.type("berlin")
    page.keyboard.press("Tab")  # gap 2
    page.keyboard.type("3.14")
    page.keyboard.press("Tab")  # gap 3: the drop-down; the arrow keys choose without opening it
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Gap 3 of 4", exact=True).locator("option:checked")).to_have_text(
        "blue"
    )
    # Gap 4: the first box, Space ticks it; the next, Space again.
    focused = tab_to(page, lambda f: f["type"] == "checkbox")
    assert focused["name"] == "a"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.locator("#autosave-status")).to_have_text("Saved")
    # What autosave.js kept comes back after a reload: both boxes of the one gap.
    page.reload()
    gap = page.get_by_role("group", name="Gap 4 of 4")
    expect(gap.get_by_label("a", exact=True)).to_be_checked()
    expect(gap.get_by_label("b", exact=True)).to_be_checked()
    expect(gap.get_by_label("c", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Gap 1 of 4", exact=True)).to_have_value("berlin")
    page.get_by_label("Gap 1 of 4", exact=True).focus()

    tab_to(page, lambda f: f["text"] == "Review and submit answers")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Submit all and finish").wait_for()
    tab_to(page, lambda f: f["text"] == "Submit all and finish")
    page.keyboard.press("Enter")
    expect(page.locator("#score")).to_have_text("7/7")
    expect(page.get_by_text("Gap 4 of 4:")).to_have_count(1)
    violations = axe_violations(page)
    assert not violations, describe_violations({"result page": violations})
