"""Deep linking driven from a test platform: the launch that opens the picker, the picker's
choices, and the signed response it posts back, checked as a platform would check it."""

import html
import re

import jwt

from lti_quiz.lti.claims import MessageType
from lti_quiz.lti.keys import published_jwks
from tests.support.lti_platform import DROP

RETURN_URL = "https://lms.example.edu/courses/1/deep_link_return"
PICKER = re.compile(r"^/lti/deep-link/([\w-]+)/$")


def dl_settings(**overrides):
    settings = {
        "deep_link_return_url": RETURN_URL,
        "accept_types": ["ltiResourceLink"],
        "accept_presentation_document_targets": ["iframe", "window"],
        "accept_multiple": False,
        "data": "opaque-csrf-token-123",
    }
    settings.update(overrides)
    return {name: value for name, value in settings.items() if value is not DROP}


def deep_link_launch(client, platform, *, role="instructor", **settings):
    return platform.launch(
        client,
        role=role,
        message_type=MessageType.DEEP_LINKING.value,
        resource_link=DROP,
        ags_endpoint=DROP,
        nrps=DROP,
        custom=DROP,
        dl_settings=dl_settings(**settings),
    )


def picker_url(client, platform, **settings) -> str:
    response = deep_link_launch(client, platform, **settings)
    assert response.status_code == 303, response.content.decode()[:500]
    assert PICKER.match(response["Location"]), response["Location"]
    return response["Location"]


def choose(client, url, **values):
    data = {
        "quiz": "distillation-tradeoffs",
        "attempts_allowed": "1",
        "scoring_policy": "latest",
        "shuffle_choices": "true",
        "review_scores": "marked_pending",
    }
    data.update(values)
    return client.post(url, data)


def posted_jwt(response) -> tuple[str, str]:
    """(action, JWT) of the auto-submitting form the picker answers with."""
    page = response.content.decode()
    form = re.search(r'<form id="deep-link-response"[^>]*action="([^"]+)"', page)
    assert form is not None, page
    action = html.unescape(form[1])
    token = re.search(r'name="JWT" value="([^"]+)"', page)[1]
    return action, token


def verified(token: str, platform) -> dict:
    """The response's claims, checked as a platform would: the tool's published JWKS."""
    kid = jwt.get_unverified_header(token)["kid"]
    [jwk] = [key for key in published_jwks()["keys"] if key["kid"] == kid]
    return jwt.decode(
        token,
        jwt.PyJWK(jwk, algorithm="RS256").key,
        algorithms=["RS256"],
        audience=platform.issuer,
        issuer=platform.client_id,
        options={"require": ["exp", "iat", "nonce"]},
    )
