"""What the id_token itself must satisfy: clocks (iat/exp leeway), platform keys (kid, cached
JWKS, rotation) and audience (aud/azp)."""

import base64
import json
import time
from collections.abc import Iterator

import pytest
import time_machine

from lti_quiz.lti.models import Registration
from tests.support.lti_platform import TestPlatform, assert_refused, launch_id_of

pytestmark = pytest.mark.django_db


class TestClocks:
    """The tool's clock stands still at `now`; the platform signs at `now` plus its skew."""

    @pytest.fixture
    def now(self) -> Iterator[float]:
        # Whole seconds, frozen: JWT times are integers, so no test depends on rounding.
        now = float(int(time.time()))
        with time_machine.travel(now, tick=False):
            yield now

    def signed_at(self, platform, moment: float, nonce: str, **claims) -> str:
        with time_machine.travel(moment, tick=False):
            return platform.id_token(platform.claims(nonce=nonce, **claims))

    def test_59_seconds_of_platform_clock_skew_is_tolerated(self, client, platform, now):
        state, nonce = platform.login(client)
        token = self.signed_at(platform, now + 59, nonce)  # the platform's clock runs ahead

        assert launch_id_of(platform.post_launch(client, token, state))

    def test_a_token_that_expired_59_seconds_ago_is_still_accepted(self, client, platform, now):
        state, nonce = platform.login(client)
        # The platform's clock runs behind, and its tokens live a minute.
        token = self.signed_at(platform, now - 119, nonce, exp=int(now) - 59)

        assert launch_id_of(platform.post_launch(client, token, state))

    @pytest.mark.parametrize("claim", ["exp", "iat", "nbf"])
    @pytest.mark.parametrize("value", ["numeric string", True], ids=["string", "boolean"])
    def test_times_must_be_json_numbers(self, client, platform, now, claim, value):
        state, nonce = platform.login(client)
        good = {"exp": int(now) + 60, "iat": int(now), "nbf": int(now)}[claim]
        wrong = str(good) if value == "numeric string" else True
        token = self.signed_at(platform, now, nonce, **{claim: wrong})

        assert_refused(platform.post_launch(client, token, state), 403, "could not verify")

    def test_5_minutes_of_platform_clock_skew_is_refused(self, client, platform, now):
        state, nonce = platform.login(client)
        token = self.signed_at(platform, now + 300, nonce)

        assert_refused(platform.post_launch(client, token, state), 403, "dated in the future")

    def test_an_expired_token_is_refused(self, client, platform, now):
        state, nonce = platform.login(client)
        token = self.signed_at(platform, now - 361, nonce)  # exp = now - 61

        assert_refused(platform.post_launch(client, token, state), 403, "The launch has expired")

    def test_a_token_issued_long_ago_is_refused_even_if_it_has_not_expired(
        self, client, platform, now
    ):
        response = platform.launch(client, iat=int(now) - 3600, exp=int(now) + 3600)

        assert_refused(response, 403, "The launch has expired")

    def test_a_token_not_valid_before_a_later_time_is_refused(self, client, platform, now):
        response = platform.launch(client, nbf=int(now) + 600)

        assert_refused(response, 403, "dated in the future")


class TestPlatformKeys:
    def test_the_platform_jwks_is_fetched_once_for_two_launches(self, client, platform):
        launch_id_of(platform.launch(client))
        launch_id_of(platform.launch(client))

        assert platform.jwks_requests == [platform.key_set_url]

    def test_a_rotated_platform_key_is_fetched_once_and_accepted(self, client, platform):
        launch_id_of(platform.launch(client))
        platform.rotate_key("platform-key-2")

        launch_id_of(platform.launch(client))
        launch_id_of(platform.launch(client))

        assert len(platform.jwks_requests) == 2

    def test_an_unknown_kid_refetches_once_then_fails(self, client, platform):
        launch_id_of(platform.launch(client))

        response = platform.launch(client, headers={"kid": "nobody-knows-me"})

        assert_refused(response, 403, "could not verify")
        assert len(platform.jwks_requests) == 2

    def test_made_up_kids_do_not_make_us_hammer_the_platform(self, client, platform):
        launch_id_of(platform.launch(client))

        for kid in ("made-up-1", "made-up-2", "made-up-3"):
            assert platform.launch(client, headers={"kid": kid}).status_code == 403

        assert len(platform.jwks_requests) == 2

    def test_the_key_set_is_fetched_again_when_its_cache_time_is_over(
        self, client, platform, settings
    ):
        settings.LTI_JWKS_CACHE_SECONDS = 60
        launch_id_of(platform.launch(client))
        with time_machine.travel(time.time() + 120):
            launch_id_of(platform.launch(client))

        assert len(platform.jwks_requests) == 2

    def test_a_signature_by_another_key_with_the_right_kid_is_refused(self, client, platform):
        state, nonce = platform.login(client)
        impostor = TestPlatform(kid="impostor-key")
        token = impostor.id_token(
            platform.claims(nonce=nonce), headers={"kid": platform.signing_key.kid}
        )

        assert_refused(platform.post_launch(client, token, state), 403, "could not verify")

    @pytest.mark.parametrize("alg", ["HS256", "none", "RS512"])
    def test_only_rs256_is_accepted(self, client, platform, alg):
        state, nonce = platform.login(client)
        _, body, signature = platform.id_token(platform.claims(nonce=nonce)).split(".")
        header = {"alg": alg, "kid": platform.signing_key.kid, "typ": "JWT"}
        forged_header = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()

        response = platform.post_launch(client, f"{forged_header}.{body}.{signature}", state)

        assert_refused(response, 403, "could not verify")

    def test_an_unreachable_platform_jwks_gives_a_clear_page(self, client, platform):
        # The fake platform answers 404 anywhere but at its own key set URL.
        Registration.objects.update(key_set_url="https://lms.example.edu/moved")

        response = platform.launch(client)

        assert_refused(response, 502, "could not reach your LMS")

    def test_the_tool_jwks_is_published_at_lti_jwks(self, client, db):
        response = client.get("/lti/jwks/")

        assert response.status_code == 200
        assert response.json()["keys"][0]["alg"] == "RS256"


class TestAudience:
    def test_several_audiences_with_our_client_as_azp_are_accepted(self, client, platform):
        response = platform.launch(
            client, aud=["other-tool", platform.client_id], azp=platform.client_id
        )

        assert launch_id_of(response)

    def test_several_audiences_without_azp_are_refused(self, client, platform):
        response = platform.launch(client, aud=[platform.client_id, "other-tool"])

        assert_refused(response, 403, "could not verify")

    def test_an_azp_that_is_not_us_is_refused(self, client, platform):
        response = platform.launch(client, aud=[platform.client_id, "other-tool"], azp="other-tool")

        assert_refused(response, 403, "not registered with the quiz tool")

    def test_an_azp_outside_the_audience_is_refused(self, client, platform):
        response = platform.launch(client, azp="somebody")

        assert_refused(response, 403, "could not verify")

    def test_a_token_for_another_tool_is_refused(self, client, platform):
        assert_refused(platform.launch(client, aud="other-tool"), 403, "not registered")

    def test_a_token_from_another_issuer_is_refused(self, client, platform):
        response = platform.launch(client, iss="https://evil.example.org")

        assert_refused(response, 403, "not registered with the quiz tool")
