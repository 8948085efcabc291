"""The one outgoing HTTP session: a timeout on every call, and a deadline for a piece of work."""

import pytest
import requests
from requests.adapters import BaseAdapter

from lti_quiz.lib import http
from lti_quiz.lib.http import DeadlinePassed, http_session


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
