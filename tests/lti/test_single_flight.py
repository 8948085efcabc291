"""However many senders and launches start at once on an empty cache: one token request per
platform and scope set, one key-set fetch per platform (lib/single_flight.py).

Real threads with their own database connections, against a small platform on 127.0.0.1 that
counts what it is asked and answers slowly enough for every thread to arrive meanwhile. The
suite runs on the database cache, and on Redis when REDIS_URL is set (.ci/run does both).
"""

import json
import threading
import time
import typing as t
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from lti_quiz.lib import expiring, single_flight
from lti_quiz.lti.registrations import registration_upsert
from lti_quiz.lti.tokens import access_token
from tests.support.lti_platform import TestPlatform, launch_id_of

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
# Long enough for every thread to ask while the first request is still in flight.
ANSWER_DELAY_SECONDS = 0.3
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"


class CountingPlatform:
    """An LMS's token endpoint and key set on 127.0.0.1, counting the requests of each."""

    def __init__(self, platform_keys: Callable[[], dict[str, t.Any]]) -> None:
        self.token_requests: list[str] = []
        self.jwks_requests = 0
        counter = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = self.rfile.read(length).decode()
                counter.token_requests.append(form)
                number = len(counter.token_requests)
                time.sleep(ANSWER_DELAY_SECONDS)
                self._json({"access_token": f"token-{number}", "expires_in": 3600})

            def do_GET(self) -> None:
                counter.jwks_requests += 1
                time.sleep(ANSWER_DELAY_SECONDS)
                self._json(platform_keys())

            def _json(self, body: dict[str, t.Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: t.Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def lms() -> Iterator[TestPlatform]:
    """A test platform whose issuer, token URL and key set live on a real local server."""
    keys = TestPlatform()
    server = CountingPlatform(keys.jwks)
    platform = TestPlatform(issuer=server.url)
    platform.keys = keys.keys
    platform.server = server  # type: ignore[attr-defined]
    try:
        yield platform
    finally:
        server.close()


def all_at_once(work: Callable[[int], t.Any], count: int = THREADS) -> list[t.Any]:
    """Run work(i) in `count` threads released together; their results, or raise the first
    exception one of them raised."""
    start = threading.Barrier(count)
    results: list[t.Any] = [None] * count
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = work(index)
        except BaseException as error:  # reported below: a thread's exception is otherwise lost
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if failures:
        raise failures[0]
    return results


def registration_on(lms: TestPlatform):
    return registration_upsert(
        name="Counting LMS",
        issuer=lms.issuer,
        client_id=lms.client_id,
        auth_login_url=lms.auth_login_url,
        auth_token_url=f"{lms.issuer}/token",
        key_set_url=lms.key_set_url,
        deployment_ids=[lms.deployment_id],
    )


def test_senders_starting_together_make_one_token_request(lms):
    registration = registration_on(lms)

    tokens = all_at_once(lambda _: access_token(registration=registration, scopes=[SCORE_SCOPE]))

    assert len(lms.server.token_requests) == 1
    assert set(tokens) == {"token-1"}


def test_each_scope_set_gets_its_own_single_token_request(lms):
    registration = registration_on(lms)
    scope_sets = [[SCORE_SCOPE], [SCORE_SCOPE, LINEITEM_SCOPE]]

    tokens = all_at_once(
        lambda index: access_token(registration=registration, scopes=scope_sets[index % 2])
    )

    assert len(lms.server.token_requests) == 2
    assert len(set(tokens)) == 2


def test_launches_starting_together_fetch_the_key_set_once(lms):
    registration_on(lms)
    browsers = [Client() for _ in range(THREADS)]
    logins = [lms.login(browser) for browser in browsers]

    def launch(index: int) -> str:
        state, nonce = logins[index]
        token = lms.id_token(lms.claims(nonce=nonce))
        return launch_id_of(lms.post_launch(browsers[index], token, state))

    launch_ids = all_at_once(launch)

    assert lms.server.jwks_requests == 1
    assert len(set(launch_ids)) == THREADS


class TestCacheFillOnce:
    def test_a_waiter_takes_over_when_the_lock_holder_died(self):
        # A holder killed mid-fetch leaves its lock until the lock expires.
        cache.add("thing:lock", "dead holder", 60)
        fetched: list[int] = []

        value = single_flight.cache_fill_once(
            "thing", lambda: (fetched.append(1) or "fresh", 60), lock_seconds=0.3
        )

        assert value == "fresh"
        assert fetched == [1]
        assert expiring.cache_get("thing") == "fresh"

    def test_the_others_try_again_when_the_lock_holder_failed(self):
        calls: list[int] = []

        def fetch() -> tuple[str, float]:
            calls.append(1)
            time.sleep(0.2)
            if len(calls) == 1:
                raise RuntimeError("the platform answered 503")
            return "second try", 60

        def ask(_: int) -> str:
            try:
                return single_flight.cache_fill_once("flaky", fetch, lock_seconds=5)
            except RuntimeError:
                return "failed"

        results = all_at_once(ask, count=3)

        assert sorted(results) == ["failed", "second try", "second try"]
        assert len(calls) == 2

    def test_a_value_kept_for_no_time_is_returned_but_not_stored(self):
        value = single_flight.cache_fill_once("brief", lambda: ("once", 0), lock_seconds=1)

        assert value == "once"
        assert expiring.cache_get("brief") is None
