"""The one way this project makes outgoing HTTP requests.

Every call to a platform (JWKS, access tokens, AGS, NRPS) goes through a session from
`http_session()`, so timeouts and the User-Agent are set in one place and tests can inject a
fake session where the code accepts one.
"""

import http.cookiejar
import threading
import time

import requests
from django.conf import settings

USER_AGENT = "lti-quiz/0.1 (+LTI 1.3 tool)"


class DeadlinePassed(requests.Timeout):
    """The whole piece of work this session serves ran out of time (see `http_session`)."""


class TimeoutSession(requests.Session):
    """A requests session that never waits forever: a platform that hangs is down.

    Each request waits at most HTTP_TIMEOUT for the platform; with a deadline (a
    `time.monotonic()` value), no request starts after it or waits past it.
    """

    deadline: float | None = None

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        timeout = kwargs.get("timeout") or settings.HTTP_TIMEOUT
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise DeadlinePassed(f"no time left for {method} {url}")
            timeout = min(timeout, left)
        kwargs["timeout"] = timeout
        return super().request(method, url, *args, **kwargs)


def http_session(*, seconds: float | None = None) -> TimeoutSession:
    """A session for calls to platforms; with `seconds`, all its calls end within that time."""
    session = TimeoutSession()
    session.headers["User-Agent"] = USER_AGENT
    if seconds is not None:
        session.deadline = time.monotonic() + seconds
    return session


_kept = threading.local()


def kept_http_session(*, seconds: float) -> TimeoutSession:
    """This thread's session for a worker's sends, kept from one piece of work to the next so
    that calls to a platform reuse its open connection (over HTTPS a new one costs a TLS
    handshake on both sides, per score). Each call starts a new deadline of `seconds`. It keeps
    no cookies: one platform's cookie must not ride along on another piece of work."""
    session: TimeoutSession | None = getattr(_kept, "session", None)
    if session is None:
        session = _kept.session = http_session()
        session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    session.deadline = time.monotonic() + seconds
    return session
