import pytest
from django.core.cache import cache

from lti_quiz.lti import launch
from tests.lti_platform import TestPlatform

DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Every test that can touch the shared cache starts with it empty.

    The cache outlives test transactions: Redis always, the database cache table in
    transactional tests (flush does not empty it).
    """
    uses_db = request.node.get_closest_marker("django_db") or DB_FIXTURES & set(
        request.fixturenames
    )
    if not uses_db:
        yield
        return
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        request.getfixturevalue("db")  # ordered after whatever grants database access
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def platform(db, monkeypatch) -> TestPlatform:
    """A registered test platform whose key set the tool fetches through a fake session."""
    platform = TestPlatform()
    platform.register()
    monkeypatch.setattr(launch, "http_session", platform.jwks_session)
    return platform


@pytest.fixture
def erin(db):
    """Erin edits question banks: a member of the "question bank editor" group, not staff."""
    from tests.api_factories import make_user

    return make_user("erin", editor=True)


@pytest.fixture
def physics(db):
    """An empty question bank."""
    from tests.quiz_factories import make_bank

    return make_bank()
