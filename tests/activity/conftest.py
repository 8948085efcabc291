import pytest

from tests.factories.quiz import load_seed_content
from tests.factories.results import open_activity, take_quiz
from tests.support.answer_key import SHORT_ANSWER_UNMATCHED


@pytest.fixture
def seed_quiz(db):
    """The lesson and quiz `load_content` loads."""
    load_seed_content()


@pytest.fixture
def student(client, platform) -> str:
    """Alice's activity URL; she has submitted one attempt with an answer waiting for review."""
    home = open_activity(client, platform)
    take_quiz(client, home, short_answer=SHORT_ANSWER_UNMATCHED)
    return home
