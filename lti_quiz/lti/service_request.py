"""One authorised call to a platform service (AGS, NRPS), the same way for every client.

The call carries a bearer token for the client's scopes (`tokens.access_token`, LTI Security
Framework §4.1). A 401 means the platform revoked or forgot the token before its expiry: the
cached token is dropped and the call tried once more with a fresh one. Any other failure is
classified once (`tokens.error_for_response`, `tokens.error_for_exception`) into a
ServiceError whose `retryable` the grade worker's retry rules read.
"""

import json
import logging
from collections.abc import Iterable

import requests

from lti_quiz.lti.models import Registration
from lti_quiz.lti.tokens import (
    ServiceError,
    access_token,
    access_token_forget,
    error_for_exception,
    error_for_response,
)

logger = logging.getLogger(__name__)


def service_request(
    method: str,
    url: str,
    *,
    registration: Registration,
    scopes: Iterable[str],
    session: requests.Session,
    doing: str,
    accept: str,
    body: dict[str, object] | None = None,
    content_type: str = "application/json",
    params: dict[str, str] | None = None,
) -> requests.Response:
    """The platform's successful answer; raises ServiceError, `doing` naming the call in it.

    `session` is the caller's (from `lti_quiz.lib.http.http_session()`, or a test's fake), so
    the token request and the call share its timeouts and deadline. `params` are added to the
    URL's own query string, which is kept as given.
    """
    scopes = tuple(scopes)
    for try_number in (1, 2):
        token = access_token(registration=registration, scopes=scopes, session=session)
        headers = {"Authorization": f"Bearer {token}", "Accept": accept}
        data = None
        if body is not None:
            headers["Content-Type"] = content_type
            data = json.dumps(body)
        try:
            response = session.request(method, url, headers=headers, data=data, params=params)
        except requests.RequestException as exc:
            raise error_for_exception(exc, doing=doing) from exc
        if response.status_code == 401 and try_number == 1:
            logger.info("%s: 401 with a cached token; fetching a new one", doing)
            access_token_forget(registration=registration, scopes=scopes)
            continue
        if not response.ok:
            raise error_for_response(response, doing=doing)
        return response
    raise AssertionError("unreachable: the second try returns or raises")


def json_answer(response: requests.Response, *, doing: str) -> object:
    """The JSON of a successful answer; one that is not JSON will not become JSON on a retry."""
    try:
        return response.json()
    except ValueError as exc:
        raise ServiceError(f"{doing}: the platform's answer is not JSON", retryable=False) from exc
