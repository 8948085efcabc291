"""The practice LMS starts launches like Canvas/Moodle and answers the tool's auth request."""

import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from lti_quiz.practice_lms import vocab
from lti_quiz.practice_lms.models import LaunchRequest
from tests.factories.practice_lms import (
    BASE_URL,
    CLIENT_ID,
    ISSUER,
    REDIRECT_URI,
    auth_params,
    form_action,
    form_fields,
    start_launch,
    verified_id_token,
)

pytestmark = pytest.mark.django_db


class TestLoginInitiation:
    def test_it_posts_the_login_parameters_to_the_tool_in_the_iframe(self, client, student, tool):
        login = start_launch(client, student)

        launch = LaunchRequest.objects.get()
        assert login == {
            "iss": ISSUER,
            "login_hint": str(student.pk),
            "target_link_uri": f"{BASE_URL}/lti/launch/",
            "lti_message_hint": launch.hint,
            "client_id": CLIENT_ID,
            "lti_deployment_id": "1",
        }
        assert launch.mode == "iframe"

    def test_a_new_window_launch_redirects_with_the_parameters_in_the_query(self, client, student):
        response = client.get(f"/practice-lms/launch/{student.pk}/?mode=window")

        assert response.status_code == 302
        url = urlsplit(response["Location"])
        assert f"{url.scheme}://{url.netloc}{url.path}" == f"{BASE_URL}/lti/login/"
        query = parse_qs(url.query)
        assert query["login_hint"] == [str(student.pk)]
        assert query["iss"] == [ISSUER]
        assert LaunchRequest.objects.get().mode == "window"

    def test_the_launch_page_may_be_framed_by_the_course_page_at_any_host(self, client, student):
        # A demo platform: the course page may be opened at another host than the base URL
        # (a cross-site iframe, like Canvas's), so the launch page sends no X-Frame-Options.
        response = client.get(f"/practice-lms/launch/{student.pk}/?mode=iframe")

        assert "X-Frame-Options" not in response

    def test_the_course_page_frames_the_launch_when_asked(self, client, student):
        response = client.get(f"/practice-lms/?launch={student.pk}")

        assert (
            f'name="tool" id="tool" title="Distillation Tradeoffs quiz" '
            f'src="/practice-lms/launch/{student.pk}/?mode=iframe&amp;storage=on"'
        ) in response.content.decode()

    def test_the_course_page_embeds_the_platform_storage_frame_at_the_base_url(
        self, client, student
    ):
        html = client.get(f"/practice-lms/?launch={student.pk}", HTTP_HOST="127.0.0.1").content

        assert (
            f'<iframe name="post_message_forwarding" '
            f'src="{BASE_URL}/practice-lms/post_message_forwarding"'
        ) in html.decode()

    def test_the_framed_launch_names_the_storage_frame_like_canvas(self, client, student):
        response = client.get(f"/practice-lms/launch/{student.pk}/?mode=iframe&storage=on")

        assert (
            '<input type="hidden" name="lti_storage_target" value="post_message_forwarding">'
            in response.content.decode()
        )

    def test_without_the_storage_frame_the_launch_names_no_storage_target(self, client, student):
        page = client.get(f"/practice-lms/?launch={student.pk}&storage=off").content.decode()
        response = client.get(f"/practice-lms/launch/{student.pk}/?mode=iframe")

        assert 'name="post_message_forwarding"' not in page
        assert f'src="/practice-lms/launch/{student.pk}/?mode=iframe"' in page
        assert "lti_storage_target" not in response.content.decode()

    def test_a_new_window_launch_names_no_storage_target(self, client, student):
        response = client.get(f"/practice-lms/launch/{student.pk}/?mode=window&storage=on")

        assert "lti_storage_target" not in response["Location"]

    def test_the_platform_storage_frame_may_be_framed_by_any_host(self, client):
        response = client.get("/practice-lms/post_message_forwarding")

        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        assert '"lti.put_data"' in response.content.decode()

    def test_the_issuer_is_the_stored_base_url_whichever_host_the_launch_came_from(
        self, client, student
    ):
        response = client.get(
            f"/practice-lms/launch/{student.pk}/?mode=window", HTTP_HOST="127.0.0.1"
        )

        assert parse_qs(urlsplit(response["Location"]).query)["iss"] == [ISSUER]


class TestAuthEndpoint:
    def test_it_answers_with_an_auto_posted_id_token_and_the_state(self, client, student):
        login = start_launch(client, student)

        response = client.post("/practice-lms/auth/", auth_params(login))

        assert response.status_code == 200
        html = response.content.decode()
        assert form_action(html) == REDIRECT_URI
        assert form_fields(html)["state"] == "state-123"
        assert 'document.getElementById("autopost").submit()' in html

    def test_it_accepts_the_auth_request_as_a_get_too(self, client, student):
        login = start_launch(client, student)

        response = client.get("/practice-lms/auth/", auth_params(login))

        assert response.status_code == 200
        assert "id_token" in form_fields(response.content.decode())

    def test_a_student_id_token_carries_the_claims_canvas_and_moodle_send(
        self, client, student, course, line_item, tool
    ):
        login = start_launch(client, student)
        before = int(time.time())

        claims = verified_id_token(
            client, client.post("/practice-lms/auth/", auth_params(login)).content.decode()
        )

        assert claims["azp"] == CLIENT_ID
        assert claims["sub"] == student.user_id
        assert claims["nonce"] == "nonce-456"
        assert before <= claims["iat"] <= before + 5
        assert claims["exp"] == claims["iat"] + 300
        assert (claims["name"], claims["given_name"], claims["family_name"], claims["email"]) == (
            student.name,
            student.given_name,
            student.family_name,
            student.email,
        )
        assert claims[vocab.CLAIM_MESSAGE_TYPE] == "LtiResourceLinkRequest"
        assert claims[vocab.CLAIM_VERSION] == "1.3.0"
        assert claims[vocab.CLAIM_DEPLOYMENT_ID] == "1"
        assert claims[vocab.CLAIM_TARGET_LINK_URI] == f"{BASE_URL}/lti/launch/"
        assert claims[vocab.CLAIM_ROLES] == [
            "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
            "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student",
        ]
        assert claims[vocab.CLAIM_CONTEXT]["id"] == course.context_id
        assert claims[vocab.CLAIM_CONTEXT]["title"] == course.title
        link = course.resource_links.get()
        assert claims[vocab.CLAIM_RESOURCE_LINK]["id"] == link.resource_link_id
        assert claims[vocab.CLAIM_RESOURCE_LINK]["title"] == "Distillation Tradeoffs quiz"
        assert claims[vocab.CLAIM_LAUNCH_PRESENTATION]["document_target"] == "iframe"
        assert claims[vocab.CLAIM_LAUNCH_PRESENTATION]["return_url"].startswith(
            f"{BASE_URL}/practice-lms/return/"
        )
        assert claims[vocab.CLAIM_TOOL_PLATFORM]["product_family_code"] == "practice-lms"
        ags = claims[vocab.CLAIM_AGS]
        assert set(ags["scope"]) == {
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/score",
        }
        assert ags["lineitems"] == f"{ISSUER}/ags/{course.pk}/lineitems?type_id={tool.pk}"
        assert ags["lineitem"] == (
            f"{ISSUER}/ags/{course.pk}/lineitems/{line_item.pk}/lineitem?type_id={tool.pk}"
        )
        assert claims[vocab.CLAIM_NRPS] == {
            "context_memberships_url": f"{ISSUER}/nrps/{course.pk}/memberships?type_id={tool.pk}",
            "service_versions": ["2.0"],
        }

    def test_an_instructor_launch_carries_the_instructor_role_and_the_window_target(
        self, client, instructor
    ):
        login = start_launch(client, instructor, mode="window")

        claims = verified_id_token(
            client, client.post("/practice-lms/auth/", auth_params(login)).content.decode()
        )

        assert claims[vocab.CLAIM_ROLES] == [
            "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
        ]
        assert claims[vocab.CLAIM_LAUNCH_PRESENTATION]["document_target"] == "window"

    def test_the_id_token_names_its_signing_key(self, client, student):
        login = start_launch(client, student)

        html = client.post("/practice-lms/auth/", auth_params(login)).content.decode()

        header = jwt.get_unverified_header(form_fields(html)["id_token"])
        assert header["alg"] == "RS256"
        assert header["kid"] in {
            key["kid"] for key in client.get("/practice-lms/jwks/").json()["keys"]
        }

    def test_it_rejects_a_redirect_uri_that_is_not_registered(self, client, student):
        login = start_launch(client, student)

        response = client.post(
            "/practice-lms/auth/", auth_params(login, redirect_uri=f"{BASE_URL}/lti/launch/evil")
        )

        assert response.status_code == 400
        assert "is not one of the tool&#x27;s registered redirect URIs" in response.content.decode()
        assert "id_token" not in response.content.decode()

    def test_it_rejects_a_redirect_uri_that_differs_only_by_a_trailing_slash(self, client, student):
        login = start_launch(client, student)

        response = client.post(
            "/practice-lms/auth/", auth_params(login, redirect_uri=f"{BASE_URL}/lti/launch")
        )

        assert response.status_code == 400

    def test_it_rejects_an_unknown_login_hint(self, client, student):
        login = start_launch(client, student)

        response = client.post("/practice-lms/auth/", auth_params(login, login_hint="999999"))

        assert response.status_code == 400
        assert "is not a user of this platform" in response.content.decode()

    def test_it_rejects_a_login_hint_of_another_person(self, client, student, instructor):
        login = start_launch(client, student)

        response = client.post(
            "/practice-lms/auth/", auth_params(login, login_hint=str(instructor.pk))
        )

        assert response.status_code == 400
        assert "does not match the user this launch was started for" in response.content.decode()

    def test_it_rejects_an_unknown_lti_message_hint(self, client, student):
        login = start_launch(client, student)

        response = client.post("/practice-lms/auth/", auth_params(login, lti_message_hint="nope"))

        assert response.status_code == 400
        assert "lti_message_hint" in response.content.decode()

    def test_it_rejects_an_unknown_client_id(self, client, student):
        login = start_launch(client, student)

        response = client.post("/practice-lms/auth/", auth_params(login, client_id="someone-else"))

        assert response.status_code == 400
        assert "No tool is registered with client_id" in response.content.decode()

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("scope", "openid profile"),
            ("response_type", "code"),
            ("response_mode", "query"),
            ("prompt", "login"),
            ("nonce", None),
        ],
    )
    def test_it_rejects_a_malformed_auth_request(self, client, student, name, value):
        login = start_launch(client, student)

        response = client.post("/practice-lms/auth/", auth_params(login, **{name: value}))

        assert response.status_code == 400
        assert name in response.content.decode()

    def test_it_rejects_a_launch_older_than_ten_minutes(self, client, student, time_machine):
        time_machine.move_to("2026-03-01T10:00:00Z", tick=False)
        login = start_launch(client, student)
        time_machine.move_to("2026-03-01T10:10:01Z", tick=False)

        response = client.post("/practice-lms/auth/", auth_params(login))

        assert response.status_code == 400
        assert "expired" in response.content.decode()
