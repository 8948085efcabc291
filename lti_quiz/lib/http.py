"""The one way this project makes outgoing HTTP requests.

Every call to a platform (JWKS, access tokens, AGS, NRPS) goes through a session from
`http_session()`, so timeouts and the User-Agent are set in one place and tests can inject a
fake session where the code accepts one.
"""

import requests
from django.conf import settings

USER_AGENT = "lti-quiz/0.1 (+LTI 1.3 tool)"


class TimeoutSession(requests.Session):
    """A requests session that never waits forever: a platform that hangs is down."""

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        kwargs.setdefault("timeout", settings.HTTP_TIMEOUT)
        return super().request(method, url, *args, **kwargs)


def http_session() -> requests.Session:
    session = TimeoutSession()
    session.headers["User-Agent"] = USER_AGENT
    return session
