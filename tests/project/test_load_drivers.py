"""`make bench` and `make spike` answer the quiz page as a student reading it would. A change to
the page's markup once left them finding no question text (every simulated student failed with
a KeyError), and no test noticed: this one takes the quiz with their answers."""

import pytest

from bench.client import correct_answers
from lti_quiz.quiz.models import Attempt
from tests.factories.quiz import load_seed_content
from tests.factories.results import open_activity


@pytest.mark.django_db
def test_the_load_drivers_answer_the_seed_quiz_right_from_its_page(client, platform):
    load_seed_content()
    home = open_activity(client, platform)
    page = client.get(home + "quiz/")

    answers = correct_answers(page.content.decode())
    response = client.post(home + "quiz/", answers)

    assert response.status_code == 302
    attempt = Attempt.objects.get()
    assert attempt.score == attempt.max_score > 0
