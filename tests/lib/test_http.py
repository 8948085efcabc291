"""The one outgoing HTTP session: a timeout on every call, and a deadline for a piece of work."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from requests.adapters import BaseAdapter

from lti_quiz.lib import http
from lti_quiz.lib.http import DeadlinePassed, http_session, kept_http_session


class RecordingAdapter(BaseAdapter):
    """Answers 200 to everything and remembers the timeout each request was given."""

    def __init__(self) -> None:
        super().__init__()
        self.timeouts: list[object] = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        self.timeouts.append(timeout)
        response = requests.Response()
        response.status_code = 200
        response.request = request
        return response

    def close(self) -> None:
        pass


@pytest.fixture
def clock(monkeypatch):
    now = {"value": 1000.0}
    monkeypatch.setattr(http.time, "monotonic", lambda: now["value"])
    return now


def recording(session: requests.Session) -> RecordingAdapter:
    adapter = RecordingAdapter()
    session.mount("https://", adapter)
    return adapter


def test_every_call_waits_at_most_http_timeout(settings):
    settings.HTTP_TIMEOUT = 7
    session = http_session()
    adapter = recording(session)

    session.get("https://lms.example.edu/a")

    assert adapter.timeouts == [7]
    assert session.headers["User-Agent"].startswith("lti-quiz/")


def test_with_a_deadline_a_call_never_waits_past_it(settings, clock):
    settings.HTTP_TIMEOUT = 10
    session = http_session(seconds=25)
    adapter = recording(session)

    session.get("https://lms.example.edu/token")
    clock["value"] += 21
    session.get("https://lms.example.edu/score")

    assert adapter.timeouts == [10, pytest.approx(4)]


def test_no_call_starts_after_the_deadline(settings, clock):
    session = http_session(seconds=5)
    adapter = recording(session)
    clock["value"] += 5

    with pytest.raises(DeadlinePassed):
        session.get("https://lms.example.edu/score")
    assert adapter.timeouts == []
    # Callers that handle timeouts handle this too.
    assert issubclass(DeadlinePassed, requests.Timeout)


def test_a_threads_kept_session_is_reused_with_a_new_deadline_each_time(settings, clock):
    settings.HTTP_TIMEOUT = 10
    first = kept_http_session(seconds=3)
    adapter = recording(first)
    clock["value"] += 2.5
    second = kept_http_session(seconds=3)  # the next piece of work: a new deadline

    second.get("https://lms.example.edu/score")

    assert second is first
    assert adapter.timeouts == [pytest.approx(3)]


def test_each_thread_has_its_own_kept_session():
    mine = kept_http_session(seconds=5)
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(kept_http_session(seconds=5)))
    thread.start()
    thread.join()

    assert theirs[0] is not mine


def test_a_kept_session_keeps_no_cookie_between_pieces_of_work():
    received = []

    class SetsACookie(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            received.append(self.headers.get("Cookie"))
            self.send_response(200)
            self.send_header("Set-Cookie", "lms_session=abc; Path=/")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), SetsACookie)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/score"
    try:
        kept_http_session(seconds=5).get(url)
        kept_http_session(seconds=5).get(url)
    finally:
        server.shutdown()
        server.server_close()

    assert received == [None, None]
