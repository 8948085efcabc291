"""Login initiation and launch: state, nonce, clocks, platform keys, and what a launch records."""

import base64
import json
import logging
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.cache import cache
from django.test import RequestFactory
from pylti1p3.contrib.django.request import DjangoRequest

from lti_quiz.lti import launch
from lti_quiz.lti.claims import MessageType
from lti_quiz.lti.context import (
    LaunchContext,
    launch_context_load,
    roles_are_staff,
)
from lti_quiz.lti.models import Deployment, Registration, ResourceLink
from lti_quiz.lti.storage import SharedCacheDataStorage
from tests.lti_platform import DROP, ROLE, TestPlatform

pytestmark = pytest.mark.django_db

ACTIVITY_PREFIX = "/lti/activity/"


@pytest.fixture
def platform(db, monkeypatch) -> TestPlatform:
    platform = TestPlatform()
    platform.register()
    monkeypatch.setattr(launch, "http_session", platform.jwks_session)
    return platform


def launch_id_of(response) -> str:
    assert response.status_code == 303, response.content.decode()[:500]
    location = response["Location"]
    assert location.startswith(ACTIVITY_PREFIX)
    return location.removeprefix(ACTIVITY_PREFIX).strip("/")


def context_of(response) -> LaunchContext:
    ctx = launch_context_load(launch_id_of(response))
    assert ctx is not None
    return ctx


def assert_refused(response, status: int, words: str) -> None:
    assert response.status_code == status, response.content.decode()[:500]
    page = response.content.decode()
    assert words in page, page


class TestLogin:
    def test_a_post_login_redirects_to_the_platform_echoing_both_hints(self, client, platform):
        response = client.post("/lti/login/", platform.login_params())

        assert response.status_code == 302
        url = urlsplit(response["Location"])
        assert f"{url.scheme}://{url.netloc}{url.path}" == platform.auth_login_url
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        assert query["login_hint"] == "login-hint-42"
        assert query["lti_message_hint"] == "message-hint-7"
        assert query["client_id"] == platform.client_id
        assert query["redirect_uri"] == "http://testserver/lti/launch/"
        assert query["response_type"] == "id_token"
        assert query["response_mode"] == "form_post"
        assert query["scope"] == "openid"
        assert query["prompt"] == "none"
        assert query["nonce"]
        assert response.cookies[f"lti1p3-{query['state']}"].value == query["state"]

    def test_a_get_login_works_the_same_way(self, client, platform):
        response = client.get("/lti/login/", platform.login_params())

        assert response.status_code == 302
        query = parse_qs(urlsplit(response["Location"]).query)
        assert query["login_hint"] == ["login-hint-42"]
        assert query["lti_message_hint"] == ["message-hint-7"]

    def test_a_login_without_message_hint_sends_none(self, client, platform):
        response = client.post("/lti/login/", platform.login_params(lti_message_hint=DROP))

        assert "lti_message_hint" not in parse_qs(urlsplit(response["Location"]).query)

    def test_every_login_gets_its_own_state_and_nonce(self, client, platform):
        assert platform.login(client) != platform.login(client)

    def test_an_auth_url_with_a_query_string_keeps_it(self, client, platform):
        platform_row = platform.register(client_id="second-client")
        platform_row.auth_login_url = "https://lms.example.edu/auth?tenant=7"
        platform_row.save()

        response = client.post("/lti/login/", platform.login_params(client_id="second-client"))

        url = urlsplit(response["Location"])
        assert url.path == "/auth"
        assert parse_qs(url.query)["tenant"] == ["7"]
        assert parse_qs(url.query)["client_id"] == ["second-client"]

    def test_a_login_without_client_id_uses_the_issuers_only_registration(self, client, platform):
        response = client.post("/lti/login/", platform.login_params(client_id=DROP))

        assert response.status_code == 302
        assert parse_qs(urlsplit(response["Location"]).query)["client_id"] == [platform.client_id]

    def test_a_login_without_client_id_is_refused_when_the_issuer_has_several(
        self, client, platform
    ):
        platform.register(client_id="second-client")

        response = client.post("/lti/login/", platform.login_params(client_id=DROP))

        assert_refused(response, 403, "not registered with the quiz tool")

    def test_an_unknown_issuer_is_refused_with_a_clear_page(self, client, platform, caplog):
        with caplog.at_level(logging.WARNING, logger="lti_quiz.lti.views"):
            response = client.post(
                "/lti/login/", platform.login_params(iss="https://unknown.example.org")
            )

        assert_refused(response, 403, "This LMS is not registered with the quiz tool")
        assert "https://unknown.example.org" in caplog.text

    def test_an_unknown_client_id_is_refused(self, client, platform):
        response = client.post("/lti/login/", platform.login_params(client_id="someone-else"))

        assert_refused(response, 403, "not registered with the quiz tool")

    def test_an_inactive_registration_cannot_log_in(self, client, platform):
        platform.register(client_id="switched-off", is_active=False)

        response = client.post("/lti/login/", platform.login_params(client_id="switched-off"))

        assert_refused(response, 403, "switched off")

    @pytest.mark.parametrize("missing", ["iss", "login_hint"])
    def test_a_login_without_iss_or_login_hint_is_refused(self, client, platform, missing):
        response = client.post("/lti/login/", platform.login_params(**{missing: DROP}))

        assert_refused(response, 400, "incomplete sign-in request")

    def test_a_login_with_other_methods_is_not_allowed(self, client, platform):
        assert client.put("/lti/login/").status_code == 405


class TestLaunch:
    def test_a_launch_sends_the_browser_to_the_activity_with_303(self, client, platform):
        response = platform.launch(client)

        assert launch_id_of(response)
        assert response.status_code == 303

    def test_a_launch_keeps_what_the_pages_need(self, client, platform):
        ctx = context_of(platform.launch(client, role="instructor"))

        assert ctx.issuer == platform.issuer
        assert ctx.client_id == platform.client_id
        assert ctx.deployment_id == platform.deployment_id
        assert ctx.message_type == MessageType.RESOURCE_LINK
        assert ctx.sub == "instructor-sub-1"
        assert ctx.name == "Irene Instructor"
        assert ctx.email == "instructor@example.edu"
        assert ctx.context_id == "course-1"
        assert ctx.context_title == "AI in practice"
        assert ctx.resource_link_id == "link-1"
        assert ctx.resource_link_title == "Distillation Tradeoffs quiz"
        assert ctx.custom == {"quiz": "distillation"}
        assert ctx.return_url == "https://lms.example.edu/courses/1"
        assert ctx.frame_origin == "https://lms.example.edu"
        assert ctx.can_send_scores
        assert ctx.is_staff and not ctx.is_learner
        assert ctx.learner_key == f"{ctx.registration_id}:instructor-sub-1"

    def test_a_launch_records_the_resource_link_and_its_services(self, client, platform):
        ctx = context_of(platform.launch(client))

        link = ResourceLink.objects.get(pk=ctx.resource_link_pk)
        assert link.resource_link_id == "link-1"
        assert link.deployment_id == platform.deployment_id
        assert link.title == "Distillation Tradeoffs quiz"
        assert link.context_id == "course-1"
        assert link.context_title == "AI in practice"
        assert link.lineitem_url == "https://lms.example.edu/courses/1/lineitems/7"
        assert link.lineitems_url == "https://lms.example.edu/courses/1/lineitems"
        assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in link.ags_scopes
        assert link.nrps_url == "https://lms.example.edu/courses/1/memberships"

    def test_a_later_launch_updates_the_resource_link_instead_of_adding_one(self, client, platform):
        platform.launch(client)
        ctx = context_of(
            platform.launch(
                client, resource_link={"id": "link-1", "title": "Renamed"}, ags_endpoint=DROP
            )
        )

        link = ResourceLink.objects.get()
        assert link.pk == ctx.resource_link_pk
        assert link.title == "Renamed"
        assert link.lineitem_url == ""
        assert not link.can_send_scores
        assert not ctx.can_send_scores

    def test_a_launch_with_only_lineitems_can_still_send_scores(self, client, platform):
        ctx = context_of(
            platform.launch(
                client,
                ags_endpoint={
                    "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
                    "lineitems": "https://lms.example.edu/courses/1/lineitems?type_id=3",
                },
            )
        )

        link = ResourceLink.objects.get(pk=ctx.resource_link_pk)
        assert link.lineitem_url == ""
        assert link.lineitems_url.endswith("?type_id=3")
        assert ctx.can_send_scores

    def test_the_used_state_cookie_is_removed(self, client, platform):
        state, nonce = platform.login(client)
        response = platform.post_launch(
            client, platform.id_token(platform.claims(nonce=nonce)), state
        )

        assert response.cookies[f"lti1p3-{state}"]["max-age"] == 0

    def test_a_null_origin_leaves_the_frame_origin_unknown(self, client, platform):
        state, nonce = platform.login(client)
        token = platform.id_token(platform.claims(nonce=nonce))

        response = client.post(
            "/lti/launch/", {"id_token": token, "state": state}, HTTP_ORIGIN="null"
        )

        assert context_of(response).frame_origin == ""

    def test_a_get_is_not_a_launch(self, client, platform):
        assert client.get("/lti/launch/").status_code == 405

    def test_a_post_without_id_token_is_refused(self, client, platform):
        assert_refused(
            client.post("/lti/launch/", {"state": "x"}), 403, "only accepts launches sent by an LMS"
        )

    def test_a_deep_linking_request_is_not_supported_yet(self, client, platform):
        response = platform.launch(
            client,
            role="instructor",
            message_type=MessageType.DEEP_LINKING.value,
            resource_link=DROP,
        )

        assert_refused(response, 400, "not supported yet")

    def test_an_unknown_message_type_is_refused(self, client, platform):
        assert_refused(
            platform.launch(client, message_type="LtiStrangeRequest"), 400, "not supported"
        )

    def test_an_unknown_deployment_is_refused(self, client, platform):
        response = platform.launch(client, deployment_id="deployment-elsewhere")

        assert_refused(response, 403, "deployment id")

    def test_a_deployment_of_another_registration_is_refused(self, client, platform):
        other = platform.register(client_id="second-client")
        Deployment.objects.create(registration=other, deployment_id="only-there")

        assert_refused(platform.launch(client, deployment_id="only-there"), 403, "deployment id")

    def test_an_inactive_registration_cannot_launch(self, client, platform):
        state, nonce = platform.login(client)
        Registration.objects.update(is_active=False)

        response = platform.post_launch(
            client, platform.id_token(platform.claims(nonce=nonce)), state
        )

        assert_refused(response, 403, "not registered with the quiz tool")

    def test_a_refused_launch_is_logged_with_its_reason(self, client, platform, caplog):
        with caplog.at_level(logging.WARNING, logger="lti_quiz.lti.views"):
            platform.launch(client, version="1.1")

        assert "version '1.1'" in caplog.text
        assert platform.issuer in caplog.text


class TestStateAndNonce:
    def test_a_replayed_id_token_is_refused(self, client, platform):
        state, nonce = platform.login(client)
        token = platform.id_token(platform.claims(nonce=nonce))
        assert platform.post_launch(client, token, state).status_code == 303

        assert_refused(platform.post_launch(client, token, state), 403, "already used")

    def test_a_replay_with_the_state_cookie_put_back_is_refused(self, client, platform):
        state, nonce = platform.login(client)
        token = platform.id_token(platform.claims(nonce=nonce))
        platform.post_launch(client, token, state)
        client.cookies[f"lti1p3-{state}"] = state

        assert_refused(platform.post_launch(client, token, state), 403, "already used")

    def test_a_launch_from_another_browser_is_refused(self, client, platform):
        # The attacker has the id_token and state, but not the victim's state cookie.
        state, nonce = platform.login(client)
        token = platform.id_token(platform.claims(nonce=nonce))
        client.cookies.clear()

        assert_refused(
            platform.post_launch(client, token, state), 403, "did not send back the cookie"
        )

    def test_a_state_that_is_not_the_cookies_is_refused(self, client, platform):
        state, nonce = platform.login(client)
        token = platform.id_token(platform.claims(nonce=nonce))
        client.cookies[f"lti1p3-{state}"] = "state-something-else"

        assert_refused(platform.post_launch(client, token, state), 403, "does not belong")

    def test_a_nonce_from_another_login_is_refused(self, client, platform):
        state, _ = platform.login(client)
        _, other_nonce = platform.login(client)
        token = platform.id_token(platform.claims(nonce=other_nonce))

        assert_refused(platform.post_launch(client, token, state), 403, "does not belong")

    def test_a_made_up_nonce_is_refused(self, client, platform):
        assert_refused(platform.launch(client, nonce="made-up"), 403, "does not belong")

    def test_a_login_left_too_long_cannot_launch(self, client, platform):
        state, nonce = platform.login(client)
        with time_machine.travel(time.time() + 301):
            token = platform.id_token(platform.claims(nonce=nonce))
            response = platform.post_launch(client, token, state)

        assert_refused(response, 403, "already used or has timed out")

    def test_two_tabs_can_launch_at_the_same_time(self, client, platform):
        first_state, first_nonce = platform.login(client)
        second_state, second_nonce = platform.login(client)

        second = platform.post_launch(
            client, platform.id_token(platform.claims(nonce=second_nonce)), second_state
        )
        first = platform.post_launch(
            client, platform.id_token(platform.claims(nonce=first_nonce)), first_state
        )

        assert launch_id_of(first) != launch_id_of(second)

    def test_over_https_the_state_cookie_alone_carries_the_launch(self, client, platform):
        # pylti1p3's cache storage wants a second "session-id" cookie over HTTPS and fails
        # without it; here the state cookie is the only one, and it is fit for an iframe.
        response = client.post("/lti/login/", platform.login_params(), secure=True)
        query = parse_qs(urlsplit(response["Location"]).query)
        state, nonce = query["state"][0], query["nonce"][0]

        assert query["redirect_uri"] == ["https://testserver/lti/launch/"]
        assert list(response.cookies) == [f"lti1p3-{state}"]
        cookie = response.cookies[f"lti1p3-{state}"]
        assert (cookie["samesite"], cookie["secure"], cookie["httponly"]) == ("None", True, True)
        token = platform.id_token(platform.claims(nonce=nonce))
        assert launch_id_of(platform.post_launch(client, token, state, secure=True))

    def test_login_state_can_be_taken_only_once(self, db):
        storage = SharedCacheDataStorage()
        storage.set_request(DjangoRequest(RequestFactory().get("/")))
        storage.set_value("state-1", {"nonce": "n"}, 60)

        assert storage.pop_value("state-1") == {"nonce": "n"}
        assert storage.pop_value("state-1") is None


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


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": 42},
        {"aud": [42]},
        {"iss": ["https://lms.example.edu"]},
        {"iat": "soon"},
        {"exp": "later"},
        {"nonce": 7},
        {"sub": 12345},
        {"sub": "x" * 256},
        {"roles": "Learner"},
        {"roles": [None]},
        {"resource_link": "link-1"},
        {"resource_link": {"id": 7}},
        {"resource_link": {"id": "y" * 256}},
        {"deployment_id": ["deployment-1"]},
        {"message_type": 1},
        {"context": ["course-1"], "custom": "x", "ags_endpoint": "x", "nrps": [1]},
        {"launch_presentation": {"return_url": "javascript:alert(1)"}, "name": 3, "email": {}},
    ],
    ids=lambda claims: ",".join(claims),
)
def test_strange_claim_types_never_cause_a_server_error(client, platform, claims):
    response = platform.launch(client, **claims)

    assert response.status_code in (303, 400, 403), response.content.decode()[:500]


def test_strange_values_in_optional_claims_are_dropped(client, platform):
    ctx = context_of(
        platform.launch(
            client,
            context=["course-1"],
            custom={"n": 3},
            launch_presentation={"return_url": "javascript:alert(1)"},
            name=3,
            email={},
        )
    )

    assert ctx.context_id == ""
    assert ctx.custom == {"n": "3"}
    assert ctx.return_url == ""
    assert ctx.name == "Alice Student"
    assert ctx.email == ""


class TestRoles:
    @pytest.mark.parametrize(
        "roles",
        [
            [ROLE + "Instructor"],
            ["Instructor"],
            ["TeachingAssistant"],
            [ROLE + "ContentDeveloper"],
            [ROLE + "Administrator"],
            ["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"],
            ["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"],
            ["http://purl.imsglobal.org/vocab/lis/v2/system/person#SysAdmin"],
            [ROLE + "Mentor"],
        ],
    )
    def test_teaching_roles_are_staff(self, roles):
        assert roles_are_staff(roles)

    @pytest.mark.parametrize(
        "roles",
        [
            [],
            [""],
            ["Learner"],
            [ROLE + "Learner"],
            ["http://purl.imsglobal.org/vocab/lis/v2/membership/Learner#Instructor"],
            ["http://example.com/roles#Instructor"],
            [ROLE + "Learner", ROLE + "Mentor"],
            # A teacher elsewhere (Canvas adds institution roles) is a learner in this course.
            [
                ROLE + "Learner",
                "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor",
            ],
            ["http://purl.imsglobal.org/vocab/lis/v2/system/person#User"],
        ],
    )
    def test_other_roles_are_learners(self, roles):
        assert not roles_are_staff(roles)


class TestLaunchContextStorage:
    def test_an_unknown_launch_id_has_no_context(self, db):
        assert launch_context_load("no-such-launch") is None
        assert launch_context_load("") is None

    def test_a_context_survives_the_cache_round_trip(self, client, platform):
        ctx = context_of(platform.launch(client))

        assert launch_context_load(ctx.launch_id) == ctx
        assert isinstance(ctx.roles, tuple)

    def test_a_context_saved_by_another_version_is_ignored(self, client, platform):
        ctx = context_of(platform.launch(client))
        cache.set(f"lti:launch:{ctx.launch_id}", {"launch_id": ctx.launch_id, "old_field": 1})

        assert launch_context_load(ctx.launch_id) is None

    def test_a_context_expires_after_the_launch_lifetime(self, client, platform, settings):
        settings.LTI_LAUNCH_LIFETIME = 60
        ctx = context_of(platform.launch(client))

        with time_machine.travel(time.time() + 61):
            assert launch_context_load(ctx.launch_id) is None

    def test_a_launch_without_claim_data_falls_back_to_the_parts_of_the_name(
        self, client, platform
    ):
        ctx = context_of(platform.launch(client, name=DROP, family_name=DROP))

        assert ctx.name == "Alice"
