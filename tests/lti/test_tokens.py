import datetime as dt

import jwt
import pytest
import requests
import time_machine

from lti_quiz.lti.keys import active_tool_key
from lti_quiz.lti.tokens import (
    CLIENT_ASSERTION_TYPE,
    ServiceError,
    access_token,
    access_token_forget,
)
from tests.factories.grades import (
    ALL_AGS_SCOPES,
    CLIENT_ID,
    TOKEN_URL,
    FakeSession,
    form_scopes,
    registration_create,
    reply,
    token_reply,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
SCORE_SCOPE = ["https://purl.imsglobal.org/spec/lti-ags/scope/score"]


@pytest.fixture
def canvas():
    return registration_create()


def test_it_asks_for_a_token_with_a_signed_client_assertion(canvas):
    session = FakeSession().on("POST", TOKEN_URL, token_reply("abc"))

    token = access_token(registration=canvas, scopes=reversed(ALL_AGS_SCOPES), session=session)

    assert token == "abc"
    (sent,) = session.token_requests
    assert sent.form["grant_type"] == "client_credentials"
    assert sent.form["client_assertion_type"] == CLIENT_ASSERTION_TYPE
    assert form_scopes(sent) == sorted(ALL_AGS_SCOPES)
    key = active_tool_key()
    assertion = sent.form["client_assertion"]
    assert jwt.get_unverified_header(assertion)["kid"] == key.kid
    claims = jwt.decode(assertion, key.public_key_pem, algorithms=["RS256"], audience=TOKEN_URL)
    assert claims["iss"] == claims["sub"] == CLIENT_ID
    assert claims["jti"]
    assert claims["exp"] > claims["iat"]


def test_the_assertion_is_addressed_to_the_registered_audience_when_there_is_one(canvas):
    canvas.auth_audience = "https://canvas.example.edu/oauth2/audience"
    session = FakeSession().on("POST", TOKEN_URL, token_reply())

    access_token(registration=canvas, scopes=SCORE_SCOPE, session=session)

    assertion = session.token_requests[0].form["client_assertion"]
    assert jwt.decode(assertion, options={"verify_signature": False})["aud"] == canvas.auth_audience


def test_two_calls_share_one_token_request(canvas):
    session = FakeSession().on("POST", TOKEN_URL, token_reply("first"), token_reply("second"))

    tokens = [access_token(registration=canvas, scopes=SCORE_SCOPE, session=session) for _ in "ab"]

    assert tokens == ["first", "first"]
    assert len(session.token_requests) == 1


def test_it_fetches_a_new_token_once_the_old_one_is_about_to_expire(canvas):
    session = FakeSession().on("POST", TOKEN_URL, token_reply("first"), token_reply("second"))

    with time_machine.travel(START, tick=False) as clock:
        assert access_token(registration=canvas, scopes=SCORE_SCOPE, session=session) == "first"
        clock.move_to(START + dt.timedelta(seconds=3000))
        assert access_token(registration=canvas, scopes=SCORE_SCOPE, session=session) == "first"
        # expires_in is 3600; the token is dropped a minute early so no request carries a dead one.
        clock.move_to(START + dt.timedelta(seconds=3545))
        assert access_token(registration=canvas, scopes=SCORE_SCOPE, session=session) == "second"

    assert len(session.token_requests) == 2


def test_tokens_are_kept_apart_by_scopes_and_by_client(canvas):
    other_client = registration_create(client_id="other-client")
    session = FakeSession().on(
        "POST", TOKEN_URL, token_reply("score"), token_reply("all"), token_reply("other")
    )

    assert access_token(registration=canvas, scopes=SCORE_SCOPE, session=session) == "score"
    assert access_token(registration=canvas, scopes=ALL_AGS_SCOPES, session=session) == "all"
    assert access_token(registration=other_client, scopes=SCORE_SCOPE, session=session) == "other"
    assert access_token(registration=canvas, scopes=SCORE_SCOPE, session=session) == "score"


def test_a_forgotten_token_is_fetched_again(canvas):
    session = FakeSession().on("POST", TOKEN_URL, token_reply("first"), token_reply("second"))
    access_token(registration=canvas, scopes=SCORE_SCOPE, session=session)

    access_token_forget(registration=canvas, scopes=SCORE_SCOPE)

    assert access_token(registration=canvas, scopes=SCORE_SCOPE, session=session) == "second"


@pytest.mark.parametrize(
    ("status", "code"),
    [(401, "invalid_client"), (400, "unauthorized_client"), (400, "invalid_scope")],
)
def test_a_refused_client_is_final_after_one_confirmation_try(canvas, status, code):
    # RFC 6749 §5.2. Moodle answers the same invalid_client while it cannot read our key set,
    # so one more try a minute later tells a passing failure from a wrong registration.
    refused = reply(status, json_body={"error": code}, reason="Refused")
    session = FakeSession().on("POST", TOKEN_URL, refused)

    with pytest.raises(ServiceError) as caught:
        access_token(registration=canvas, scopes=SCORE_SCOPE, session=session)

    assert not caught.value.is_final(tries=1)
    assert caught.value.is_final(tries=2)
    assert caught.value.retry_after == 60
    assert caught.value.status == status
    assert f"the platform refused our credentials ({code})" in caught.value.message


def test_a_token_url_answering_404_with_moodles_html_page_is_retried_with_its_words(canvas):
    # Moodle's token.php while it cannot fetch the tool's key set: 404 and an exception page.
    page = (
        "<!DOCTYPE html><html><head><title>Error | Moodle</title><style>body{color:red}</style>"
        "<script>var M = {};</script></head><body><nav>Skip to main content Home</nav>"
        '<div class="errorbox"><p class="errormessage">Exception - jwks_helper::fix_jwks_alg(): '
        "Argument #1 ($jwks) must be of type array, null given</p></div></body></html>"
    )
    answer = reply(404, text=page, reason="Not Found", headers={"Content-Type": "text/html"})
    session = FakeSession().on("POST", TOKEN_URL, answer)

    with pytest.raises(ServiceError) as caught:
        access_token(registration=canvas, scopes=SCORE_SCOPE, session=session)

    error = caught.value
    assert error.retryable and error.final_after is None
    assert "<" not in error.message and "var M" not in error.message
    assert "Skip to main content" not in error.message
    assert error.message.endswith(
        "HTTP 404 Not Found: Error | Moodle: Exception - jwks_helper::fix_jwks_alg(): "
        "Argument #1 ($jwks) must be of type array, null given"
    )


@pytest.mark.parametrize(
    "answer",
    [
        reply(503, text="Service Unavailable"),
        reply(429, headers={"Retry-After": "30"}),
        reply(403, text="403 Forbidden (Rate Limit Exceeded)"),
        reply(200, text="<html>maintenance</html>"),
        requests.Timeout("read timed out"),
        requests.ConnectionError("connection refused"),
    ],
    ids=["503", "429", "canvas-throttle", "no-token-in-200", "timeout", "connection-error"],
)
def test_a_token_endpoint_that_is_down_or_throttling_is_worth_retrying(canvas, answer):
    session = FakeSession().on("POST", TOKEN_URL, answer)

    with pytest.raises(ServiceError) as caught:
        access_token(registration=canvas, scopes=SCORE_SCOPE, session=session)

    assert caught.value.retryable


def test_a_failed_token_request_is_not_cached(canvas):
    session = FakeSession().on("POST", TOKEN_URL, reply(503), token_reply("later"))
    with pytest.raises(ServiceError):
        access_token(registration=canvas, scopes=SCORE_SCOPE, session=session)

    assert access_token(registration=canvas, scopes=SCORE_SCOPE, session=session) == "later"
