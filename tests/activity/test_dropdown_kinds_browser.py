"""Alice answers a matching, an ordering and a select-missing-words question with the keyboard
alone (Tab to each drop-down, arrow keys to choose), submits, and sees them scored; the quiz
and result pages are axe-clean."""

import pytest
from playwright.sync_api import expect

from lti_quiz.quiz.models import Attempt
from tests.factories.dropdown_kinds import make_dropdown_quiz
from tests.factories.practice_lms import person
from tests.support.axe import axe_violations, describe_violations
from tests.support.focus import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def right_values(attempt: Attempt) -> dict[str, str]:
    """Each drop-down's id and its right value, from the attempt's own key."""
    values = {}
    for question in attempt.snapshot["questions"]:
        prefix = f"q-{question['slot']}-part-"
        if question["kind"] == "matching":
            values |= {prefix + p["key"]: p["answer"] for p in question["parts"]}
        elif question["kind"] == "ordering":
            values |= {prefix + i["key"]: str(i["position"]) for i in question["items"]}
        else:
            values |= {prefix + g["key"]: g["answer"] for g in question["gaps"]}
    return values


def test_a_student_answers_the_drop_down_kinds_with_the_keyboard_alone(lms, chromium, settings):
    settings.QUIZ_DEFAULT_SLUG = make_dropdown_quiz().slug
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{lms}/practice-lms/launch/{person('alice').pk}/?mode=window")
    page.wait_for_url("**/lti/activity/**")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Start the quiz")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Review and submit answers").wait_for()
    assert not (found := axe_violations(page)), describe_violations({"quiz": found})

    wanted = right_values(Attempt.objects.get())
    answered = set()
    focused = tab_to(page, lambda f: f["tag"] == "select")
    while focused["tag"] == "select":
        assert focused["label"], f"a drop-down without a label: {focused['id']}"
        # A closed drop-down moves its choice with the arrow keys.
        steps = focused["options"].index(wanted[focused["id"]])
        for _ in range(steps):
            page.keyboard.press("ArrowDown")
        answered.add(focused["id"])
        # Past the question's flag toggle to the next drop-down, or to the submit button.
        focused = tab_to(page, lambda f: f["tag"] == "select" or f["id"] == "submit-quiz")
    assert answered == set(wanted)
    for field, value in wanted.items():
        expect(page.locator(f"#{field}")).to_have_value(value)
    expect(page.locator("#autosave-status")).to_have_text("Saved")

    page.keyboard.press("Enter")  # on "Review and submit answers": the summary
    page.get_by_role("button", name="Submit all and finish").wait_for()
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Submit all and finish")
    page.keyboard.press("Enter")
    expect(page.locator("#score")).to_have_text("6/6")
    assert not (found := axe_violations(page)), describe_violations({"result": found})
