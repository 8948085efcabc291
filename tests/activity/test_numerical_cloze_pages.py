"""A quiz of a numerical and a cloze question, through the pages: the quiz page shows a labelled
control per gap and no key, the posted form scores, the result page marks each gap."""

import html
import re

import pytest

from lti_quiz.quiz.models import Attempt, Placement
from tests.factories.numbers_quiz import make_numbers_quiz
from tests.factories.results import open_activity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_quiz")]


@pytest.fixture
def home_url(client, platform) -> str:
    """Alice's activity, its placement holding a quiz of one numerical and one cloze question."""
    url = open_activity(client, platform)
    client.get(url)  # the placement exists once its activity is opened
    quiz = make_numbers_quiz()
    assert Placement.objects.update(quiz=quiz, attempts_allowed=1) == 1
    return url


def keys(question: dict, gap: int, *texts: str) -> str:
    choices = question["spec"]["gaps"][gap - 1]["choices"]
    return " ".join(c["key"] for c in choices if c["text"] in texts)


def test_the_quiz_page_labels_every_gap_and_hides_the_key(client, home_url):
    page = client.get(home_url + "quiz/").content.decode()
    attempt = Attempt.objects.get()
    slot = next(q["slot"] for q in attempt.snapshot["questions"] if q["kind"] == "cloze")
    assert page.count("Gap 1 of 4") == 1 and "Gap 4 of 4" in page
    assert f'<label class="visually-hidden" for="q-{slot}-part-1">' in page
    assert f'<select class="cloze-gap" id="q-{slot}-part-3" name="q-{slot}-part-3">' in page
    assert f'type="checkbox" name="q-{slot}-part-4"' in page
    assert "<b>Capital</b>" in page  # author markup kept, sanitised (quiz/rich_text.py)
    assert "Not that city" not in page and "fraction" not in page
    assert "[[1]]" not in page
    assert "You may write a unit after the number. Units: m/s², cm/s²" in page


def test_answers_posted_by_the_form_score_and_the_result_marks_each_gap(client, home_url):
    client.get(home_url + "quiz/")
    attempt = Attempt.objects.get()
    questions = {q["kind"]: q for q in attempt.snapshot["questions"]}
    gaps = questions["cloze"]
    slot, num = gaps["slot"], questions["numerical"]["slot"]
    response = client.post(
        home_url + "quiz/",
        {
            "attempt": attempt.pk,
            f"q-{num}-text": "981 cm/s²",
            f"q-{slot}-part-1": "Paris",
            f"q-{slot}-part-2": "3,14",
            f"q-{slot}-part-3": keys(gaps, 3, "blue"),
            # Two ticked boxes of one gap: both keys.
            f"q-{slot}-part-4": [keys(gaps, 4, "a"), keys(gaps, 4, "b")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:300]
    attempt.refresh_from_db()
    # Numerical 2 of 2; cloze weights 1, 2, 1, 1: (0 + 2 + 1 + 1) / 5 * 5 points = 4.
    assert attempt.score == 6
    page = html.unescape(client.get(response["Location"]).content.decode())
    result = re.search(rf'id="result-{slot}">(.*?)</section>', page, re.DOTALL)[1]
    assert 'Gap 1 of 4: </span><q>Paris</q> <span class="tag">not correct</span>' in result
    assert "right: Berlin" in result  # one attempt allowed: the key shows
    assert 'Gap 4 of 4: </span><q>a, b</q> <span class="tag">correct</span>' in result
    assert "Gap 1: Not that city." in result
    assert "Partly correct" in result


def test_a_number_that_is_not_one_scores_zero_with_a_note(client, home_url):
    client.get(home_url + "quiz/")
    attempt = Attempt.objects.get()
    num = next(q["slot"] for q in attempt.snapshot["questions"] if q["kind"] == "numerical")
    response = client.post(home_url + "quiz/", {"attempt": attempt.pk, f"q-{num}-text": "ten"})
    assert response.status_code == 302
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "This answer is not a number." in page
    assert "The right answer: 9.81 ± 0.05 m/s²" in page
