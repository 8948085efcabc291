"""Access tokens for the platform's services (AGS, NRPS), cached across requests and processes.

LTI Security Framework §4.1 (https://www.imsglobal.org/spec/security/v1p0/#using-json-web-tokens-with-oauth-2-0-client-credentials-grant):
the tool asks the platform's token endpoint for a bearer token with the OAuth 2 client_credentials
grant, authenticating with a JWT signed by its own key (RFC 7523) whose `aud` is the token URL.

Why not pylti1p3's ServiceConnector: it keeps tokens on the connector instance only
(https://github.com/dmitry-viskov/pylti1.3/issues/89), so every score would cost a token
request, and Canvas throttles its token endpoint.
Here a token lives in the shared Django cache per (issuer, client_id, sorted scopes) until
`expires_in` minus a margin, and only one worker at a time asks the platform for it. Errors are
classified once (`ServiceError.retryable`) for every service client to use.
"""

import email.utils
import hashlib
import logging
import time
import uuid
from collections.abc import Iterable

import jwt
import requests
from django.conf import settings
from django.core.cache import cache

from lti_quiz.lib import single_flight
from lti_quiz.lib.http import http_session
from lti_quiz.lib.plaintext import one_line
from lti_quiz.lti.claims import ALGORITHM
from lti_quiz.lti.keys import active_tool_key
from lti_quiz.lti.models import Registration

logger = logging.getLogger(__name__)

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# A platform whose clock runs a little behind ours must not see an assertion "issued in the future".
ASSERTION_BACKDATE_SECONDS = 30
ASSERTION_LIFETIME_SECONDS = 300
# RFC 6749 §5.1 makes expires_in optional; an hour is what every LMS we know of issues.
DEFAULT_EXPIRES_IN = 3600
# Stop using a token this long before it expires: a request must not arrive with a dead token.
TOKEN_MARGIN_SECONDS = 60
ERROR_MESSAGE_LIMIT = 500
# Retry-After values past this are treated as this: a grade should not wait for days.
RETRY_AFTER_LIMIT_SECONDS = 6 * 3600
# A token request refused for our credentials is tried this many times in all, the second try
# this many seconds later (see error_for_token_response).
TOKEN_REFUSAL_TRIES = 2
TOKEN_CONFIRMATION_SECONDS = 60.0
# The lock of the one worker requesting a token lasts the request's timeout and this much more.
TOKEN_LOCK_MARGIN_SECONDS = 5


class ServiceError(Exception):
    """A call to a platform service failed; `retryable` says whether trying later can help.

    `final_after`: retryable, but only up to this many tries in all. A refusal that is most
    likely final (the platform does not accept our credentials) gets one confirmation try,
    because the same answer also comes from a platform that briefly could not read our keys.
    """

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        status: int | None = None,
        retry_after: float | None = None,
        final_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after
        self.final_after = final_after

    def is_final(self, *, tries: int) -> bool:
        """Whether trying again after `tries` tries can no longer help."""
        return not self.retryable or (self.final_after is not None and tries >= self.final_after)


def retry_after_seconds(response: requests.Response) -> float | None:
    """The Retry-After header (RFC 9110 §10.2.3: seconds or an HTTP date) in seconds, if any."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - time.time()
    return min(max(seconds, 0.0), RETRY_AFTER_LIMIT_SECONDS)


def platform_message(response: requests.Response) -> str:
    """What the platform said, on one line and trimmed, for the admin to read in last_error.

    An HTML error page (Moodle's exception page, a proxy's) is reduced to its title and words.
    """
    summary = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
    text = one_line(
        response.text or "",
        limit=ERROR_MESSAGE_LIMIT,
        content_type=response.headers.get("Content-Type", ""),
    )
    message = f"{summary}: {text}" if text else summary
    if len(message) > ERROR_MESSAGE_LIMIT:
        message = message[: ERROR_MESSAGE_LIMIT - 1] + "…"
    return message


def is_rate_limited(response: requests.Response) -> bool:
    # Canvas throttles with 403 "Rate Limit Exceeded" rather than 429 (docs/platforms.md).
    return response.status_code == 429 or (
        response.status_code == 403 and "rate limit" in (response.text or "").lower()
    )


def error_for_response(response: requests.Response, *, doing: str) -> ServiceError:
    """Classify a failed service call: 5xx and rate limits can pass, other 4xx will not."""
    status = response.status_code
    retryable = status >= 500 or is_rate_limited(response)
    return ServiceError(
        f"{doing}: {platform_message(response)}",
        retryable=retryable,
        status=status,
        retry_after=retry_after_seconds(response) if retryable else None,
    )


def _oauth_error(response: requests.Response) -> str:
    """The `error` code of an RFC 6749 §5.2 error answer, "" when there is none."""
    try:
        body = response.json()
    except ValueError:
        return ""
    code = body.get("error") if isinstance(body, dict) else None
    return code if isinstance(code, str) else ""


def error_for_token_response(response: requests.Response, *, doing: str) -> ServiceError:
    """Classify a refused token request (RFC 6749 §5.2).

    Retried with the backoff: 5xx, rate limits, and 404 — Moodle's token.php answers 404 with
    an HTML exception page while it cannot fetch our key set (a cold cache, our server busy),
    which passes. Any other refusal (invalid_client, unauthorized_client, invalid_scope...) is
    what a misconfigured registration gets every time: one confirmation try, then final.
    """
    error = error_for_response(response, doing=doing)
    if error.retryable:
        return error
    if response.status_code in (404, 408):
        return ServiceError(
            error.message,
            retryable=True,
            status=error.status,
            retry_after=retry_after_seconds(response),
        )
    code = _oauth_error(response)
    return ServiceError(
        f"{doing}: the platform refused our credentials ({code}). {platform_message(response)}"
        if code
        else error.message,
        retryable=True,
        status=error.status,
        retry_after=TOKEN_CONFIRMATION_SECONDS,
        final_after=TOKEN_REFUSAL_TRIES,
    )


def error_for_exception(exc: requests.RequestException, *, doing: str) -> ServiceError:
    """Timeouts and connection errors: the platform may be back in a minute."""
    kind = "timed out" if isinstance(exc, requests.Timeout) else "could not connect"
    return ServiceError(f"{doing}: {kind} ({exc.__class__.__name__})", retryable=True)


def _cache_key(registration: Registration, scopes: tuple[str, ...]) -> str:
    raw = "\n".join([registration.issuer, registration.client_id, *scopes])
    return "lti:token:" + hashlib.sha256(raw.encode()).hexdigest()


def _normalized(scopes: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(scopes)))


def client_assertion(registration: Registration) -> str:
    """The signed JWT the token endpoint authenticates us by (Security Framework §4.1)."""
    key = active_tool_key()
    now = int(time.time())
    claims = {
        "iss": registration.client_id,
        "sub": registration.client_id,
        # The exact token URL unless the platform registered another audience.
        "aud": registration.auth_audience or registration.auth_token_url,
        "iat": now - ASSERTION_BACKDATE_SECONDS,
        "exp": now + ASSERTION_LIFETIME_SECONDS,
        "jti": f"lti-quiz-{uuid.uuid4()}",
    }
    return jwt.encode(claims, key.private_key_pem, algorithm=ALGORITHM, headers={"kid": key.kid})


def access_token(
    *,
    registration: Registration,
    scopes: Iterable[str],
    session: requests.Session | None = None,
) -> str:
    """A bearer token for these scopes: from the shared cache, or fresh from the platform.

    However many workers ask at once, one of them requests it and the others wait for it
    (single_flight.py). Raises ServiceError when the platform does not give one.
    """
    wanted = _normalized(scopes)
    return single_flight.cache_fill_once(
        _cache_key(registration, wanted),
        lambda: _request_token(registration=registration, scopes=wanted, session=session),
        lock_seconds=settings.HTTP_TIMEOUT + TOKEN_LOCK_MARGIN_SECONDS,
    )


def _request_token(
    *, registration: Registration, scopes: tuple[str, ...], session: requests.Session | None
) -> tuple[str, float]:
    """(token, seconds to keep it) from the platform's token endpoint."""
    doing = f"Access token from {registration.auth_token_url}"
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": CLIENT_ASSERTION_TYPE,
        "client_assertion": client_assertion(registration),
        "scope": " ".join(scopes),
    }
    session = session or http_session()
    try:
        response = session.request(
            "POST", registration.auth_token_url, data=form, headers={"Accept": "application/json"}
        )
    except requests.RequestException as exc:
        raise error_for_exception(exc, doing=doing) from exc
    if not response.ok:
        raise error_for_token_response(response, doing=doing)
    try:
        body = response.json()
        token = body["access_token"]
        expires_in = int(body.get("expires_in") or DEFAULT_EXPIRES_IN)
    except (ValueError, KeyError, TypeError) as exc:
        # A 200 without a token is most likely a maintenance page: worth another try later.
        raise ServiceError(
            f"{doing}: the answer has no access_token ({platform_message(response)})",
            retryable=True,
            status=response.status_code,
        ) from exc
    if not isinstance(token, str) or not token:
        raise ServiceError(f"{doing}: empty access_token", retryable=True)
    logger.info(
        "Got an access token from %s for %d scope(s), valid %d s",
        registration.auth_token_url,
        len(scopes),
        expires_in,
    )
    # Short-lived tokens are still worth reusing for half their life.
    return token, max(expires_in - TOKEN_MARGIN_SECONDS, expires_in // 2)


def access_token_forget(*, registration: Registration, scopes: Iterable[str]) -> None:
    """Drop a cached token the platform no longer accepts (it answered 401)."""
    cache.delete(_cache_key(registration, _normalized(scopes)))
