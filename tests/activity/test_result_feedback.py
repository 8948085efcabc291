"""The result page teaches: under each answer, why the chosen option is right or wrong, why a
right option left out is right, and the feedback for a right or wrong answer as a whole."""

import html
import re

import pytest

from lti_quiz.quiz.models import Attempt, Placement, Question
from tests.factories.results import open_activity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_quiz")]


def submit(client, home_url: str, *, wrong_slots: set[str]) -> str:
    """Answer every question right except `wrong_slots` (their first wrong option as authored):
    the result page's text, entities decoded."""
    page = client.get(home_url + "quiz/").content.decode()
    attempt = Attempt.objects.get(pk=re.search(r'name="attempt" value="(\d+)"', page)[1])
    data: dict[str, object] = {"attempt": attempt.pk}
    for question in attempt.snapshot["questions"]:
        slot = question["slot"]
        if question["kind"] == "short_answer":
            data[f"q-{slot}-text"] = "" if slot in wrong_slots else "check the original paper"
        else:
            # Choices are shuffled per attempt: the first in authoring order, whatever the order.
            authored = sorted(question["choices"], key=lambda c: c["choice_id"])
            pick = [c for c in authored if c["is_correct"] != (slot in wrong_slots)]
            data[f"q-{slot}"] = pick[0]["key"]
    response = client.post(home_url + "quiz/", data)
    assert response.status_code == 302
    return html.unescape(client.get(response["Location"]).content.decode())


def one_attempt_allowed(client, platform) -> str:
    """The activity's URL, its placement allowing one attempt: none is left after it, so the
    review rules' default shows the correct answers (a right option left out is named)."""
    home_url = open_activity(client, platform)
    client.get(home_url)  # the placement exists once its activity is opened
    assert Placement.objects.update(attempts_allowed=1) == 1
    return home_url


def section(page: str, slot: str) -> str:
    found = re.search(rf'<section [^>]*id="result-{slot}">(.*?)</section>', page, re.DOTALL)
    assert found, slot
    return found[1]


def test_a_wrong_answer_shows_why_that_option_is_wrong(client, platform):
    page = submit(client, one_attempt_allowed(client, platform), wrong_slots={"1"})

    q1 = Question.objects.get(key="q1")
    wrong = q1.choices.filter(is_correct=False).order_by("pk").first()
    right = q1.choices.get(is_correct=True)
    first = section(page, "1")
    assert f'<span class="choice-name">{wrong.text}</span> {wrong.feedback}' in first
    assert f"The right answer: {right.text}</span> {right.feedback}" in first
    assert right.feedback in first  # why the right option is right
    assert q1.incorrect_feedback in first
    # Only the chosen option's reason, not the other wrong ones'.
    others = q1.choices.filter(is_correct=False).exclude(pk=wrong.pk)
    assert not any(other.feedback in first for other in others)


def test_the_right_option_left_out_is_not_named_while_attempts_remain(client, platform):
    page = submit(client, open_activity(client, platform), wrong_slots={"1"})

    q1 = Question.objects.get(key="q1")
    wrong = q1.choices.filter(is_correct=False).order_by("pk").first()
    right = q1.choices.get(is_correct=True)
    first = section(page, "1")
    assert wrong.feedback in first  # why the chosen option is wrong: feedback shows at once
    assert "The right answer" not in first
    assert right.feedback not in first


def test_a_right_answer_shows_why_it_is_right_and_no_wrong_answer_feedback(client, platform):
    page = submit(client, open_activity(client, platform), wrong_slots=set())

    q1 = Question.objects.get(key="q1")
    first = section(page, "1")
    assert q1.choices.get(is_correct=True).feedback in first
    assert q1.incorrect_feedback not in first
    eighth = section(page, "8")
    assert Question.objects.get(key="q8").correct_feedback in eighth


def test_a_blank_short_answer_gets_the_wrong_answer_feedback(client, platform):
    page = submit(client, open_activity(client, platform), wrong_slots={"8"})

    q8 = Question.objects.get(key="q8")
    eighth = section(page, "8")
    assert q8.incorrect_feedback in eighth and q8.correct_feedback not in eighth


def test_all_feedback_stays_inside_the_feedback_lines_of_its_question(client, platform):
    page = submit(client, one_attempt_allowed(client, platform), wrong_slots={"1", "2"})

    for slot in ("1", "2"):
        lines = re.findall(r'class="feedback[^"]*">(.*?)</(?:p|ul|div)>', section(page, slot), re.S)
        shown = " ".join(lines)
        question = Question.objects.get(key=f"q{slot}")
        assert question.incorrect_feedback in shown
        assert question.choices.get(is_correct=True).feedback in shown
