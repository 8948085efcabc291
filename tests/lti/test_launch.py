"""Login initiation and launch: state, nonce, clocks, platform keys, and what a launch records."""

import html
import logging
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.test import RequestFactory
from pylti1p3.contrib.django.request import DjangoRequest

from lti_quiz.lti.claims import MessageType
from lti_quiz.lti.launch import LtiMessageLaunch
from lti_quiz.lti.models import Deployment, Registration, ResourceLink
from lti_quiz.lti.registrations import registration_activate
from lti_quiz.lti.storage import SharedCacheDataStorage
from tests.support.lti_platform import DROP, assert_refused, context_of, launch_id_of

pytestmark = pytest.mark.django_db


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

        assert_refused(response, 400, "without saying which of its registrations")

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

    def test_a_launch_from_an_unregistered_origin_does_not_let_it_frame_the_activity(
        self, client, platform
    ):
        call_command("load_content", verbosity=0)
        state, nonce = platform.login(client)
        token = platform.id_token(platform.claims(nonce=nonce))
        response = client.post(
            "/lti/launch/", {"id_token": token, "state": state}, HTTP_ORIGIN="https://evil.example"
        )

        home = client.get(response["Location"])

        assert home.status_code == 200
        assert home["Content-Security-Policy"] == "frame-ancestors 'self' https://lms.example.edu"

    def test_a_get_says_what_the_launch_url_is_for(self, client, platform, caplog):
        # Moodle sends a GET here ("MoodleBot") every time a tool or activity is saved.
        with caplog.at_level(logging.INFO, logger="lti_quiz.lti.views"):
            response = client.get("/lti/launch/", HTTP_USER_AGENT="MoodleBot/1.0")

        assert response.status_code == 200
        assert "This is the quiz tool's LTI launch URL" in response.content.decode()
        [record] = [r for r in caplog.records if "GET of the launch URL" in r.getMessage()]
        assert record.levelno == logging.INFO and "MoodleBot" in record.getMessage()

    def test_a_head_of_the_launch_url_is_answered_like_a_get(self, client, platform, caplog):
        with caplog.at_level(logging.INFO, logger="lti_quiz.lti.views"):
            response = client.head("/lti/launch/")

        assert response.status_code == 200
        assert [
            r.levelno for r in caplog.records if "HEAD of the launch URL" in r.getMessage()
        ] == [logging.INFO]

    def test_a_post_without_id_token_is_refused(self, client, platform):
        assert_refused(
            client.post("/lti/launch/", {"state": "x"}), 403, "only accepts launches sent by an LMS"
        )

    def test_a_deep_linking_request_without_its_settings_is_refused(self, client, platform):
        # Deep linking itself: tests/activity/test_deep_linking.py.
        response = platform.launch(
            client,
            role="instructor",
            message_type=MessageType.DEEP_LINKING.value,
            resource_link=DROP,
        )

        assert_refused(response, 400, "must accept a resource link and say where to send it")

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
        # As the admin and `manage.py lti_platform` do it: saved, so every lookup sees it now.
        registration_activate(registration=Registration.objects.get(), active=False)

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

    def test_a_blocked_cookie_offers_a_new_window_that_starts_the_login_again(
        self, client, platform
    ):
        state, nonce = platform.login(client)
        token = platform.id_token(platform.claims(nonce=nonce))
        client.cookies.clear()  # what a browser blocking third-party cookies sends

        response = platform.post_launch(client, token, state)

        assert_refused(response, 403, "did not send back the cookie")
        link = re.search(
            r'href="([^"]+)" target="_blank" rel="noopener"', response.content.decode()
        )
        assert link is not None
        url = urlsplit(html.unescape(link[1]))
        assert url.path == "/lti/login/"
        assert parse_qs(url.query) == {
            name: [value] for name, value in platform.login_params().items()
        }
        # It carries an action, so only the registered platform may frame it.
        assert (
            response["Content-Security-Policy"] == "frame-ancestors 'self' https://lms.example.edu"
        )

    def test_with_moodles_single_use_hint_the_new_window_opens_moodles_launch_page(
        self, client, platform
    ):
        # Moodle's lti_message_hint names the course module; auth.php uses it up, so a new window
        # must start from Moodle's own launch page for that activity.
        hint = '{"cmid":73,"launchid":"ltilaunch12_1234567"}'
        state, nonce = platform.login(client, lti_message_hint=hint)
        token = platform.id_token(platform.claims(nonce=nonce))
        client.cookies.clear()

        response = platform.post_launch(client, token, state)

        assert f'href="{platform.issuer}/mod/lti/launch.php?id=73"' in response.content.decode()

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


class TestPyltiReaders:
    """pylti1p3's public readers on a launch we validated: the checked body, no second run."""

    def validated(self, client, platform, **claims) -> LtiMessageLaunch:
        state, nonce = platform.login(client)
        token = platform.id_token(platform.claims(nonce=nonce, **claims))
        request = RequestFactory().post("/lti/launch/", {"id_token": token, "state": state})
        request.COOKIES[f"lti1p3-{state}"] = state
        return LtiMessageLaunch(request).validate()

    def test_they_read_the_validated_body_without_validating_again(self, client, platform):
        message_launch = self.validated(client, platform)

        # A second validation would find the login state consumed and refuse as a replay.
        assert message_launch.get_launch_data() == message_launch.claims
        assert message_launch.get_iss() == platform.issuer
        assert message_launch.get_client_id() == platform.client_id
        assert message_launch.is_resource_launch()
        assert not message_launch.is_deep_link_launch()

    def test_they_see_nothing_before_validation(self, client, platform):
        request = RequestFactory().post("/lti/launch/", {"id_token": "x.y.z", "state": "s"})
        message_launch = LtiMessageLaunch(request)

        assert message_launch.get_launch_data() == {}
        assert message_launch.claims == {}


def test_a_refused_launch_shows_its_message_inside_any_lms_iframe(client, platform):
    response = platform.launch(client, deployment_id="deployment-elsewhere")

    assert response.status_code == 403
    assert "X-Frame-Options" not in response
    assert response["Content-Security-Policy"] == "frame-ancestors *"


@pytest.mark.parametrize("is_active", [False, None], ids=["inactive", "unknown"])
def test_a_refused_login_can_be_shown_by_the_lms_that_is_not_registered(
    client, platform, is_active
):
    # The frame of an LMS the tool does not (or no longer) trust must still say why.
    if is_active is None:
        Registration.objects.all().delete()
    else:
        Registration.objects.update(is_active=is_active)

    response = client.post("/lti/login/", platform.login_params())

    assert_refused(response, 403, "not registered with the quiz tool")
    assert response["Content-Security-Policy"] == "frame-ancestors *"
    assert "X-Frame-Options" not in response
