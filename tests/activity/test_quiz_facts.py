"""The line under "End-of-lesson check": "10 questions · 3 attempts allowed · the best attempt
counts." in words that read as a sentence, whatever the placement's settings."""

import re
from html import unescape

import pytest

from lti_quiz.quiz.models import Placement, Quiz, ScoringPolicy
from tests.factories.results import open_activity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_quiz")]

DOUBLED_WORD = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)


def launched(client, platform) -> str:
    """The activity page's URL, opened once (the first page of a launch makes its placement)."""
    home_url = open_activity(client, platform)
    client.get(home_url)
    return home_url


def quiz_facts(html: str) -> str:
    match = re.search(r'data-testid="quiz-facts">(.*?)</p>', html, re.S)
    assert match, "no quiz-facts line on the activity page"
    return " ".join(unescape(match[1]).split())


@pytest.mark.parametrize(
    ("policy", "words"),
    [
        (ScoringPolicy.HIGHEST, "the best attempt counts"),
        (ScoringPolicy.LATEST, "the latest attempt counts"),
        (ScoringPolicy.FIRST, "the first attempt counts"),
    ],
)
def test_the_lesson_says_which_attempt_counts_without_a_doubled_word(
    client, platform, policy, words
):
    home_url = launched(client, platform)
    Placement.objects.update(scoring_policy=policy, attempts_allowed=3)

    line = quiz_facts(client.get(home_url).content.decode())

    assert line == f"10 questions · 3 attempts allowed · {words}."
    assert not DOUBLED_WORD.search(line), line


def test_unlimited_attempts_leave_the_attempts_out_and_one_attempt_is_singular(client, platform):
    home_url = launched(client, platform)
    Placement.objects.update(scoring_policy=ScoringPolicy.LATEST, attempts_allowed=0)
    assert quiz_facts(client.get(home_url).content.decode()) == (
        "10 questions · the latest attempt counts."
    )

    Placement.objects.update(attempts_allowed=1)
    assert quiz_facts(client.get(home_url).content.decode()) == (
        "10 questions · 1 attempt allowed · the latest attempt counts."
    )


def test_the_quiz_s_own_setting_counts_where_the_placement_has_none(client, platform):
    home_url = launched(client, platform)
    placement = Placement.objects.get()
    Placement.objects.update(scoring_policy="", attempts_allowed=None)
    Quiz.objects.filter(pk=placement.quiz_id).update(
        scoring_policy=ScoringPolicy.FIRST, attempts_allowed=2
    )

    assert quiz_facts(client.get(home_url).content.decode()) == (
        "10 questions · 2 attempts allowed · the first attempt counts."
    )
