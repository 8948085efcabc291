import pytest

from tests.factories.quiz import load_seed_content


@pytest.fixture
def seed_quiz(db):
    """The lesson and quiz `load_content` loads."""
    load_seed_content()
