"""The token endpoint verifies the tool's client assertion against the tool's JWKS, over HTTP."""

import time

import jwt
import pytest
from django.core.cache import cache

from lti_quiz.practice_lms import vocab
from lti_quiz.practice_lms.models import AccessToken, Counter
from tests.factories.practice_lms import TOKEN_URL, FakeToolKey

pytestmark = pytest.mark.django_db


def ask(client, form):
    return client.post("/practice-lms/token/", form)


class TestTokenEndpoint:
    def test_it_grants_a_bearer_token_for_a_correctly_signed_assertion(self, client, fake_tool):
        scope = f"{vocab.SCOPE_SCORE} {vocab.SCOPE_LINEITEM}"

        response = ask(client, fake_tool.token_form(fake_tool.assertion(), scope=scope))

        assert response.status_code == 200, response.content
        body = response.json()
        assert body["token_type"] == "Bearer"
        assert body["expires_in"] == 3600
        assert body["scope"] == scope
        assert response["Cache-Control"] == "no-store"
        stored = AccessToken.objects.get()
        assert stored.scope_set == {vocab.SCOPE_SCORE, vocab.SCOPE_LINEITEM}
        assert body["access_token"] not in stored.token_hash  # only a digest is kept

    def test_it_counts_every_token_request(self, client, fake_tool):
        ask(client, fake_tool.token_form(fake_tool.assertion()))
        ask(client, fake_tool.token_form("not-a-jwt"))

        assert Counter.value_of(Counter.TOKEN_REQUESTS) == 2

    def test_it_rejects_an_assertion_signed_with_another_key(self, client, fake_tool):
        stranger = FakeToolKey()
        stranger.kid = fake_tool.key.kid  # same kid, wrong key

        response = ask(client, fake_tool.token_form(fake_tool.assertion(key=stranger)))

        assert response.status_code == 401
        assert response.json()["error"] == "invalid_client"
        assert "Signature verification failed" in response.json()["error_description"]
        assert not AccessToken.objects.exists()

    def test_it_rejects_an_assertion_for_another_audience(self, client, fake_tool):
        response = ask(
            client, fake_tool.token_form(fake_tool.assertion(aud="http://testserver/practice-lms/"))
        )

        assert response.status_code == 401
        assert (
            f"aud must be this token endpoint exactly ({TOKEN_URL})"
            in response.json()["error_description"]
        )

    def test_it_accepts_the_token_url_inside_an_audience_list(self, client, fake_tool):
        response = ask(
            client, fake_tool.token_form(fake_tool.assertion(aud=[TOKEN_URL, "https://other"]))
        )

        assert response.status_code == 200

    def test_it_rejects_an_expired_assertion(self, client, fake_tool):
        now = int(time.time())
        assertion = fake_tool.assertion(iat=now - 600, exp=now - 120)

        response = ask(client, fake_tool.token_form(assertion))

        assert response.status_code == 401
        assert "expired" in response.json()["error_description"]

    def test_it_rejects_an_assertion_issued_in_the_future(self, client, fake_tool):
        now = int(time.time())
        assertion = fake_tool.assertion(iat=now + 600, exp=now + 900)

        response = ask(client, fake_tool.token_form(assertion))

        assert response.status_code == 401
        assert "iat" in response.json()["error_description"]

    def test_it_rejects_an_assertion_without_a_kid(self, client, fake_tool):
        assertion = fake_tool.assertion(headers={"kid": None})

        response = ask(client, fake_tool.token_form(assertion))

        assert response.status_code == 401
        assert "no kid header" in response.json()["error_description"]

    def test_it_rejects_an_assertion_that_is_not_rs256(self, client, fake_tool):
        assertion = jwt.encode(
            {"iss": fake_tool.client_id}, "a-shared-secret-that-is-long-enough-for-hs256", "HS256"
        )

        response = ask(client, fake_tool.token_form(assertion))

        assert response.status_code == 401
        assert "RS256" in response.json()["error_description"]

    def test_it_rejects_a_replayed_jti(self, client, fake_tool):
        first = ask(client, fake_tool.token_form(fake_tool.assertion(jti="once")))
        again = ask(client, fake_tool.token_form(fake_tool.assertion(jti="once")))

        assert first.status_code == 200
        assert again.status_code == 401
        assert "already used" in again.json()["error_description"]

    @pytest.mark.parametrize("missing", ["jti", "exp", "iat", "sub"])
    def test_it_rejects_an_assertion_missing_a_required_claim(self, client, fake_tool, missing):
        response = ask(client, fake_tool.token_form(fake_tool.assertion(**{missing: None})))

        assert response.status_code == 401
        assert missing in response.json()["error_description"]

    def test_it_rejects_a_sub_other_than_the_client_id(self, client, fake_tool):
        response = ask(client, fake_tool.token_form(fake_tool.assertion(sub="someone")))

        assert response.status_code == 401
        assert "sub must equal the client_id" in response.json()["error_description"]

    def test_it_rejects_an_issuer_that_is_not_a_registered_client(self, client, fake_tool):
        response = ask(
            client, fake_tool.token_form(fake_tool.assertion(iss="stranger", sub="stranger"))
        )

        assert response.status_code == 401
        assert "not the client_id of a registered tool" in response.json()["error_description"]

    def test_it_rejects_scopes_the_tool_was_not_granted(self, client, fake_tool):
        response = ask(
            client, fake_tool.token_form(fake_tool.assertion(), scope=f"{vocab.SCOPE_SCORE} admin")
        )

        assert response.status_code == 400
        assert response.json()["error"] == "invalid_scope"

    @pytest.mark.parametrize(
        ("field", "value", "error"),
        [
            ("grant_type", "password", "unsupported_grant_type"),
            ("client_assertion_type", "urn:other", "invalid_request"),
            ("client_assertion", "", "invalid_request"),
            ("scope", "", "invalid_scope"),
        ],
    )
    def test_it_rejects_a_malformed_token_request(self, client, fake_tool, field, value, error):
        form = fake_tool.token_form(fake_tool.assertion())
        form[field] = value

        response = ask(client, form)

        assert response.status_code == 400
        assert response.json()["error"] == error

    def test_it_caches_the_tool_jwks_between_token_requests(self, client, fake_tool, jwks_server):
        ask(client, fake_tool.token_form(fake_tool.assertion()))
        ask(client, fake_tool.token_form(fake_tool.assertion()))

        assert jwks_server.requests == 1

    def test_it_fetches_the_jwks_again_once_for_an_unknown_kid(
        self, client, fake_tool, jwks_server
    ):
        assert ask(client, fake_tool.token_form(fake_tool.assertion())).status_code == 200
        fake_tool.rotate()

        response = ask(client, fake_tool.token_form(fake_tool.assertion()))

        assert response.status_code == 200
        assert jwks_server.requests == 2

    def test_an_unknown_kid_fails_after_one_refetch(self, client, fake_tool, jwks_server):
        stranger = FakeToolKey()

        response = ask(client, fake_tool.token_form(fake_tool.assertion(key=stranger)))

        assert response.status_code == 401
        assert f"no key with kid {stranger.kid!r}" in response.json()["error_description"]
        assert jwks_server.requests == 2

    def test_it_says_so_when_the_tool_jwks_cannot_be_fetched(self, client, fake_tool, tool):
        tool.jwks_url = "http://127.0.0.1:9/jwks"  # discard port: nothing listens
        tool.save()
        cache.clear()

        response = ask(client, fake_tool.token_form(fake_tool.assertion()))

        assert response.status_code == 401
        assert "Could not fetch the tool's JWKS" in response.json()["error_description"]
