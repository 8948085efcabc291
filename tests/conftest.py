import os

import pytest
from django.core.cache import cache
from django.core.management import call_command

from lti_quiz.lti import launch, registry, storage
from lti_quiz.lti.keys import active_tool_key
from tests.factories.grades import registration_create, resource_link_create
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium
from tests.support.lti_platform import TestPlatform
from tests.support.moodle_scores import FakePlatform

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
    forget_process_memory()
    yield
    cache.clear()
    forget_process_memory()


def forget_process_memory() -> None:
    """What a process keeps besides the shared cache (registrations, platform key sets) goes
    with it: a test's rolled-back rows send no signal."""
    registry.forget()
    storage.key_sets_forget()


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
    from tests.factories.api import make_user

    return make_user("erin", editor=True)


@pytest.fixture
def physics(db):
    """An empty question bank."""
    from tests.factories.quiz import make_bank

    return make_bank()


@pytest.fixture
def lms(live_server) -> str:
    """The practice LMS set up on the live server, the quiz loaded; returns the server's URL."""
    call_command("load_content", verbosity=0)
    call_command("practice_lms", "setup", "--base-url", live_server.url, verbosity=0)
    return live_server.url


@pytest.fixture
def chromium():
    require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are ordinary synchronous calls, not from a coroutine.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def fake_platform():
    """A Moodle-like token and score endpoint on 127.0.0.1 (tests.support.moodle_scores)."""
    platform = FakePlatform(active_tool_key().public_key_pem)
    platform.thread.start()
    yield platform
    platform.release.set()
    platform.server.shutdown()
    platform.server.server_close()


@pytest.fixture
def moodle_link(fake_platform):
    """A resource link whose scores go to `fake_platform`."""
    registration = registration_create(
        issuer="https://moodle.example.edu", auth_token_url=f"{fake_platform.base_url}/token"
    )
    return resource_link_create(
        registration, lineitem_url=fake_platform.lineitem_url, lineitems_url=""
    )
