"""What a warm launch costs: SQL queries, shared-cache round trips and key-set fetches.

"Warm": the process has launched from this platform before (registration, deployment, placement
and key set remembered). Counted per request: the login and the id_token POST. The suite runs
on the database cache, and on Redis when REDIS_URL is set (.ci/run does both); the round trips
are counted on whichever is in force, as Redis commands on Redis.
"""

import contextlib
import typing as t

import pytest
import redis
from django.core.cache import caches
from django.test import Client

from lti_quiz.lti import registry, storage
from lti_quiz.lti.models import ResourceLink
from tests.support.lti_platform import launch_id_of

pytestmark = pytest.mark.django_db

CACHE_METHODS = ("get", "set", "add", "delete", "get_many", "set_many", "delete_many", "touch")


def on_redis() -> bool:
    return "redis" in caches["default"].__class__.__module__.lower()


@contextlib.contextmanager
def cache_round_trips(monkeypatch) -> t.Iterator[list[str]]:
    """Every trip to the shared cache meanwhile: Redis commands, or the database cache's calls."""
    trips: list[str] = []
    if on_redis():
        original = redis.Redis.execute_command

        def execute_command(self, *args, **options):
            trips.append(str(args[0]).upper())
            return original(self, *args, **options)

        with monkeypatch.context() as patch:
            patch.setattr(redis.Redis, "execute_command", execute_command)
            yield trips
        return
    backend = caches["default"]
    inside: list[str] = []  # the database cache's get() calls its get_many(): one trip
    with monkeypatch.context() as patch:
        for name in CACHE_METHODS:
            method = getattr(backend, name)

            def counted(*args, _name=name, _method=method, **kwargs):
                if not inside:
                    trips.append(_name)
                inside.append(_name)
                try:
                    return _method(*args, **kwargs)
                finally:
                    inside.pop()

            patch.setattr(backend, name, counted)
        yield trips


@pytest.fixture
def own_queries_only(settings):
    """With the database cache, its entries are SQL queries too: counted apart (as round trips
    in the tests below), so here the cache lives in memory."""
    if not on_redis():
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def warm(platform, django_capture_on_commit_callbacks) -> Client:
    """A browser whose process has launched from the platform once (commits run, as outside a
    test transaction)."""
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        launch_id_of(platform.launch(browser))
    return browser


def login_and_token(platform, browser: Client) -> tuple[str, str]:
    state, nonce = platform.login(browser)
    return platform.id_token(platform.claims(nonce=nonce)), state


class TestAWarmLaunch:
    def test_the_login_makes_no_query_and_the_launch_none(
        self, own_queries_only, platform, warm, django_assert_num_queries
    ):
        with django_assert_num_queries(0):
            state, nonce = platform.login(warm)
        token = platform.id_token(platform.claims(nonce=nonce))
        with django_assert_num_queries(0):
            launch_id_of(platform.post_launch(warm, token, state))

    def test_at_most_two_queries_when_the_placement_changed(
        self, own_queries_only, platform, warm, django_assert_max_num_queries
    ):
        state, nonce = platform.login(warm)
        claims = platform.claims(nonce=nonce, resource_link={"id": "link-1", "title": "Renamed"})
        with django_assert_max_num_queries(2):
            launch_id_of(platform.post_launch(warm, platform.id_token(claims), state))

        assert ResourceLink.objects.get().title == "Renamed"

    def test_the_login_costs_one_cache_round_trip_and_the_launch_two(
        self, platform, warm, monkeypatch
    ):
        with cache_round_trips(monkeypatch) as at_login:
            token, state = login_and_token(platform, warm)
        with cache_round_trips(monkeypatch) as at_launch:
            launch_id_of(platform.post_launch(warm, token, state))

        if on_redis():
            # The login state is stored; the launch takes it with GETDEL and stores the context.
            assert at_login == ["SET"]
            assert at_launch == ["GETDEL", "SET"]
        else:
            # No GETDEL on the database cache: get and delete (still one winner, see storage).
            assert at_login == ["set"]
            assert at_launch == ["get", "delete", "set"]

    def test_it_fetches_no_key_set(self, platform, warm):
        assert len(platform.jwks_requests) == 1  # the first launch of all

        for _ in range(3):
            launch_id_of(platform.launch(warm))

        assert len(platform.jwks_requests) == 1

    def test_another_process_finds_the_key_set_in_the_shared_cache(self, platform, warm):
        storage.key_sets_forget()  # what a process that never launched has
        registry.forget()

        launch_id_of(platform.launch(warm))

        assert len(platform.jwks_requests) == 1
