"""The practice LMS's dynamic registration endpoint, checked like Moodle checks a tool's request."""

import copy
import json
from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from lti_quiz.practice_lms.models import RegistrationInvite, ToolRecord
from lti_quiz.practice_lms.registration import TOOL_CONFIGURATION, registration_start

pytestmark = pytest.mark.django_db

TOOL = "http://quiz.test"
GOOD = {
    "application_type": "web",
    "response_types": ["id_token"],
    "grant_types": ["implicit", "client_credentials"],
    "initiate_login_uri": f"{TOOL}/lti/login/",
    "redirect_uris": [f"{TOOL}/lti/launch/"],
    "client_name": "LTI Quiz",
    "jwks_uri": f"{TOOL}/lti/jwks/",
    "token_endpoint_auth_method": "private_key_jwt",
    "scope": "https://purl.imsglobal.org/spec/lti-ags/scope/score https://example.com/unknown",
    TOOL_CONFIGURATION: {
        "domain": "quiz.test",
        "target_link_uri": f"{TOOL}/lti/launch/",
        "claims": ["iss", "sub", "name"],
        "messages": [{"type": "LtiResourceLinkRequest"}],
    },
}


@pytest.fixture
def token() -> str:
    request = RequestFactory().get("/")
    _, url = registration_start(request, tool_url=f"{TOOL}/lti/register/")
    return url.split("registration_token=")[1]


def register(client, body, token: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(
        reverse("practice_lms:register_tool"),
        data=json.dumps(body),
        content_type="application/json",
        **headers,
    )


def test_its_openid_configuration_names_its_endpoints(client):
    config = client.get(reverse("practice_lms:openid_configuration")).json()
    assert config["issuer"] == "http://testserver/practice-lms"
    assert config["registration_endpoint"] == "http://testserver/practice-lms/register/"
    assert config["authorization_endpoint"] == "http://testserver/practice-lms/auth/"
    assert config["token_endpoint"] == "http://testserver/practice-lms/token/"
    assert config["jwks_uri"] == "http://testserver/practice-lms/jwks/"
    assert config["token_endpoint_auth_methods_supported"] == ["private_key_jwt"]


def test_a_good_registration_gets_a_client_id_and_a_deployment_id_like_moodle(client, token):
    response = register(client, GOOD, token)

    assert response.status_code == 200
    answer = response.json()
    tool = ToolRecord.objects.get()
    assert answer["client_id"] == tool.client_id
    assert answer[TOOL_CONFIGURATION]["deployment_id"] == tool.deployment_id == str(tool.pk)
    assert answer["scope"] == "https://purl.imsglobal.org/spec/lti-ags/scope/score"
    assert tool.login_url == f"{TOOL}/lti/login/"
    assert tool.redirect_uri_list == [f"{TOOL}/lti/launch/"]
    assert tool.jwks_url == f"{TOOL}/lti/jwks/"


def test_a_registration_token_works_once(client, token):
    register(client, GOOD, token)
    again = register(client, GOOD, token)
    assert again.status_code == 401
    assert again.content == b"token_already_used"
    assert ToolRecord.objects.count() == 1


def test_an_unknown_or_missing_token_is_refused(client, token):
    assert register(client, GOOD, "not-the-token").status_code == 401
    missing = register(client, GOOD, None)
    assert missing.status_code == 401
    assert missing.content == b"missing_registration_token"
    assert not ToolRecord.objects.exists()


def test_an_expired_token_is_refused(client, token):
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        response = register(client, GOOD, token)
    assert response.status_code == 401
    assert response.content == b"registration_token_expired"


def _changed(path: tuple[str, ...], value) -> dict:
    body = copy.deepcopy(GOOD)
    target = body
    for key in path[:-1]:
        target = target[key]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return body


@pytest.mark.parametrize(
    ("path", "value", "error"),
    [
        (("token_endpoint_auth_method",), "client_secret_basic", "invalid_token_endpoint_auth"),
        (("response_types",), ["code"], "invalid_response_types"),
        (("redirect_uris",), "http://quiz.test/lti/launch/", "invalid_redirect_uris"),
        (("redirect_uris",), ["http://elsewhere.test/launch/"], "invalid_domain"),
        (("jwks_uri",), "not a url", "invalid_jwks_uri"),
        ((TOOL_CONFIGURATION, "domain"), None, "missing required attribute domain"),
        ((TOOL_CONFIGURATION, "domain"), "other.test", "invalid_domain"),
        (("client_name",), None, "missing required attribute client_name"),
    ],
)
def test_a_bad_registration_is_refused_with_moodles_words(client, token, path, value, error):
    response = register(client, _changed(path, value), token)

    assert response.status_code == 400
    assert response.content.decode().startswith(error)
    assert not ToolRecord.objects.exists()
    # The token was not used up by a refused request: the tool can fix it and try again.
    assert RegistrationInvite.objects.get().used_at is None
