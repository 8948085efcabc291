"""The quiz and result pages with matching, ordering and select-missing-words questions:
drop-downs posted as parts, saved as you go, scored and shown marked."""

import html
import re
from decimal import Decimal

import pytest

from lti_quiz.quiz.models import Attempt, Placement
from tests.factories.dropdown_kinds import make_dropdown_quiz
from tests.factories.results import open_activity


@pytest.fixture
def home(client, platform, settings) -> str:
    """Alice's activity page, its link placed with the quiz of the three kinds."""
    settings.QUIZ_DEFAULT_SLUG = make_dropdown_quiz().slug
    return open_activity(client, platform)


def start(client, home: str) -> tuple[str, Attempt]:
    page = client.get(home + "quiz/").content.decode()
    attempt = Attempt.objects.get(pk=re.search(r'name="attempt" value="(\d+)"', page)[1])
    return page, attempt


def right_answers(attempt: Attempt) -> dict[str, str]:
    """Every drop-down of the attempt set right, as the form posts it."""
    data = {}
    for question in attempt.snapshot["questions"]:
        prefix = f"q-{question['slot']}-part-"
        if question["kind"] == "matching":
            data |= {prefix + part["key"]: part["answer"] for part in question["parts"]}
        elif question["kind"] == "ordering":
            data |= {prefix + item["key"]: str(item["position"]) for item in question["items"]}
        else:
            data |= {prefix + gap["key"]: gap["answer"] for gap in question["gaps"]}
    return data


def test_every_drop_down_has_a_label_and_no_answer_shows(client, home):
    page, attempt = start(client, home)
    selects = re.findall(r'<select id="([^"]+)" name="\1"', page)
    assert len(selects) == 3 + 4 + 2
    for field in selects:
        assert f'<label for="{field}"' in page
    assert "Blank </span>1</label>" in page
    for question in attempt.snapshot["questions"]:
        if question["kind"] == "select_missing_words":
            assert "[[" not in page and "The [1] sat on the [2]." in page


def test_all_right_scores_every_point(client, home):
    _, attempt = start(client, home)
    response = client.post(home + "quiz/", {"attempt": attempt.pk, **right_answers(attempt)})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == 6  # three questions of 2 points
    result = client.get(response["Location"]).content.decode()
    assert result.count("Correct") >= 3


def test_a_partly_right_answer_gets_partial_credit_and_says_so(client, home):
    _, attempt = start(client, home)
    answers = right_answers(attempt)
    matching = next(q for q in attempt.snapshot["questions"] if q["kind"] == "matching")
    # One of three pairs left out: 2 points x 2 / 3.
    del answers[f"q-{matching['slot']}-part-{matching['parts'][0]['key']}"]
    response = client.post(home + "quiz/", {"attempt": attempt.pk, **answers})
    attempt.refresh_from_db()
    assert attempt.score == Decimal("5.33")
    result = client.get(response["Location"]).content.decode()
    assert "Partly correct" in result
    assert "no answer" in result


def test_a_tampered_drop_down_gets_a_clear_400(client, home):
    _, attempt = start(client, home)
    answers = right_answers(attempt)
    answers[next(iter(answers))] = "not-an-option"
    response = client.post(home + "quiz/", {"attempt": attempt.pk, **answers})
    assert response.status_code == 400
    assert b"not one of its options" in response.content


def test_parts_are_saved_as_you_go_and_shown_again(client, home):
    page, attempt = start(client, home)
    launch_url = home + "quiz/save/"
    ordering = next(q for q in attempt.snapshot["questions"] if q["kind"] == "ordering")
    item = ordering["items"][0]["key"]
    response = client.post(
        launch_url,
        {"attempt": attempt.pk, "answers": {ordering["slot"]: {item: "3"}}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    page = client.get(home + "quiz/").content.decode()
    select = page.split(f'name="q-{ordering["slot"]}-part-{item}"')[1].split("</select>")[0]
    assert '<option value="3" selected>' in select
    refused = client.post(
        launch_url,
        {"attempt": attempt.pk, "answers": {ordering["slot"]: {item: "9"}}},
        content_type="application/json",
    )
    assert refused.status_code == 400


def test_with_no_attempt_left_the_result_shows_each_right_answer(client, home):
    client.get(home)  # the placement exists once its activity is opened
    assert Placement.objects.update(attempts_allowed=1) == 1
    _, attempt = start(client, home)
    answers = right_answers(attempt)
    questions = {q["kind"]: q for q in attempt.snapshot["questions"]}
    matching, ordering, gaps = (
        questions[k] for k in ("matching", "ordering", "select_missing_words")
    )
    cat = next(p for p in matching["parts"] if p["prompt"] == "Cat")
    woof = next(o["key"] for o in matching["options"] if o["text"] == "Woof")
    answers[f"q-{matching['slot']}-part-{cat['key']}"] = woof  # Cat -> Woof
    for item in ordering["items"]:  # every item says 1: none is in place
        answers[f"q-{ordering['slot']}-part-{item['key']}"] = "1"
    hat = next(o["key"] for o in gaps["options"] if o["text"] == "hat")
    answers[f"q-{gaps['slot']}-part-{gaps['gaps'][1]['key']}"] = hat

    response = client.post(home + "quiz/", {"attempt": attempt.pk, **answers})
    page = html.unescape(client.get(response["Location"]).content.decode())

    assert "Cat → Woof" in page and "right answer: Meow" in page
    assert "The right order:" in page
    assert (
        '<ol class="right-order"><li>Plan</li><li>Build</li><li>Test</li><li>Ship</li></ol>' in page
    )
    assert "[2] <strong>hat</strong>" in page and "right answer: mat" in page
    # Matching 2 x 2/3, ordering 0, gaps 2 x 1/2.
    attempt.refresh_from_db()
    assert attempt.score == Decimal("2.33")


def test_going_to_the_summary_from_a_page_that_posted_no_drop_down_saves_them_blank(client, home):
    _, attempt = start(client, home)
    shown = " ".join(q["slot"] for q in attempt.snapshot["questions"])
    response = client.post(
        home + "quiz/go/", {"attempt": attempt.pk, "shown": shown, "go": "summary"}
    )
    assert response.status_code == 303, response.content[:300]
    assert client.get(response["Location"]).status_code == 200
