import pytest

from lti_quiz.quiz.models import Question
from tests.factories.api import token_client
from tests.factories.quiz import make_question


@pytest.fixture
def editor_client(erin):
    """Erin's API client: her token in the Authorization header."""
    return token_client(erin)


@pytest.fixture
def question(physics) -> Question:
    return make_question(physics, key="force")
