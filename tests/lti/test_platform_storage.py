"""Cookie-less launches: state and nonce kept in the platform's storage frame (lti.put_data /
lti.get_data, LTI Client Side postMessages) when the login names an `lti_storage_target`."""

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.lti_platform import assert_refused, context_of

pytestmark = pytest.mark.django_db


def storage_data(response, element_id: str = "lti-storage") -> dict:
    page = response.content.decode()
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', page)
    assert match, page
    return json.loads(match.group(1))


def storage_login(client, platform) -> tuple[str, str]:
    """A login asking for platform storage; the cookie it sets is dropped (a blocked cookie)."""
    response = client.post(
        "/lti/login/", platform.login_params(lti_storage_target="post_message_forwarding")
    )
    data = storage_data(response)
    client.cookies.clear()
    return data["state"], data["nonce"]


def post_launch(client, platform, token: str, state: str, **stored: str):
    """The launch as the page re-posts it: id_token, state and what platform storage gave."""
    return client.post(
        "/lti/launch/",
        {"id_token": token, "state": state, **stored},
        HTTP_ORIGIN=platform.issuer,
    )


class TestTheLoginPage:
    def test_it_stores_state_and_nonce_in_the_named_frame_then_goes_to_the_auth_url(
        self, client, platform
    ):
        response = client.post(
            "/lti/login/", platform.login_params(lti_storage_target="post_message_forwarding")
        )

        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        data = storage_data(response)
        assert data["target"] == "post_message_forwarding"
        assert data["origin"] == "https://lms.example.edu"
        query = {name: values[0] for name, values in parse_qs(urlsplit(data["next"]).query).items()}
        assert data["next"].startswith(platform.auth_login_url + "?")
        assert (query["state"], query["nonce"]) == (data["state"], data["nonce"])
        assert response.cookies[f"lti1p3-{data['state']}"].value == data["state"]
        page = response.content.decode()
        assert '"lti.put_data"' in page and '"state_" + storage.state' in page

    def test_without_a_storage_target_the_login_still_redirects(self, client, platform):
        response = client.post("/lti/login/", platform.login_params())

        assert response.status_code == 302

    def test_a_target_that_is_not_a_frame_name_is_ignored(self, client, platform):
        response = client.post(
            "/lti/login/", platform.login_params(lti_storage_target="x'); alert(1)//")
        )

        assert response.status_code == 302


class TestTheLaunchWithoutTheCookie:
    def test_it_answers_a_page_that_asks_the_platform_for_state_and_nonce(self, client, platform):
        state, nonce = storage_login(client, platform)
        token = platform.id_token(platform.claims(nonce=nonce))

        response = platform.post_launch(client, token, state)

        assert response.status_code == 200
        data = storage_data(response)
        assert data == {
            "target": "post_message_forwarding",
            "origin": "https://lms.example.edu",
            "state": state,
            "nonce": nonce,
        }
        page = response.content.decode()
        assert '"lti.get_data"' in page
        assert f'name="id_token" value="{token}"' in page
        assert "Open the activity in a new window" in page
        link = re.search(r'href="(/lti/login/\?[^"]+)" target="_blank"', page)
        assert link is not None
        params = parse_qs(urlsplit(html.unescape(link[1])).query)
        assert params["lti_message_hint"] == ["message-hint-7"]
        assert params["iss"] == [platform.issuer]
        assert "lti_storage_target" not in params

    def test_the_re_post_with_the_stored_state_launches_once(self, client, platform):
        state, nonce = storage_login(client, platform)
        token = platform.id_token(platform.claims(nonce=nonce))
        platform.post_launch(client, token, state)  # the page; nothing is consumed yet

        response = post_launch(
            client, platform, token, state, lti_storage_state=state, lti_storage_nonce=nonce
        )
        assert context_of(response).sub == "student-sub-1"

        replay = post_launch(
            client, platform, token, state, lti_storage_state=state, lti_storage_nonce=nonce
        )
        assert_refused(replay, 403, "")
        assert replay.status_code != 303

    def test_a_wrong_stored_state_is_refused(self, client, platform):
        state, nonce = storage_login(client, platform)
        token = platform.id_token(platform.claims(nonce=nonce))

        response = post_launch(client, platform, token, state, lti_storage_state="state-other")

        assert response.status_code == 403
        # Refused without consuming the login: the real page may still complete it.
        ok = post_launch(client, platform, token, state, lti_storage_state=state)
        assert context_of(ok).sub == "student-sub-1"

    def test_an_empty_stored_state_is_refused(self, client, platform):
        state, nonce = storage_login(client, platform)
        token = platform.id_token(platform.claims(nonce=nonce))

        response = post_launch(client, platform, token, state, lti_storage_state="")

        assert response.status_code == 403

    def test_a_stored_nonce_that_is_not_the_tokens_is_refused(self, client, platform):
        state, nonce = storage_login(client, platform)
        token = platform.id_token(platform.claims(nonce=nonce))

        response = post_launch(
            client, platform, token, state, lti_storage_state=state, lti_storage_nonce="other"
        )

        assert response.status_code == 403

    def test_a_login_without_platform_storage_still_gets_the_cookie_page(self, client, platform):
        state, nonce = platform.login(client)
        client.cookies.clear()
        token = platform.id_token(platform.claims(nonce=nonce))

        response = post_launch(client, platform, token, state, lti_storage_state=state)

        assert_refused(response, 403, "did not send back the cookie")
