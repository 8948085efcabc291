"""/lti/canvas.json against the fields Canvas documents for a Developer Key JSON configuration
(instructure/canvas-lms doc/api/lti_dev_key_config.md, "Anatomy of a JSON configuration")."""

import pytest
from django.urls import reverse

from lti_quiz.lti.claims import Scope

pytestmark = pytest.mark.django_db

# Required by Canvas (public_jwk or public_jwk_url: we publish the URL so key rotation works).
REQUIRED = {"title", "description", "oidc_initiation_url", "target_link_uri", "scopes"}
DOCUMENTED_TOP_LEVEL = REQUIRED | {"extensions", "public_jwk", "public_jwk_url", "custom_fields"}
DOCUMENTED_EXTENSION = {"domain", "tool_id", "platform", "privacy_level", "settings"}
PRIVACY_LEVELS = {"public", "name_only", "email_only", "anonymous"}
CANVAS_SCOPES = {scope.value for scope in Scope}


@pytest.fixture
def config(client, settings):
    settings.ALLOWED_HOSTS = ["quiz.example.edu", "testserver"]
    response = client.get(reverse("lti:canvas_json"), HTTP_HOST="quiz.example.edu")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_it_has_every_required_field_and_only_documented_ones(config):
    assert set(config) >= REQUIRED
    assert set(config) <= DOCUMENTED_TOP_LEVEL
    assert config["title"] == "LTI Quiz"
    assert config["description"]


def test_its_urls_are_the_tools_login_launch_and_jwks(config):
    assert config["oidc_initiation_url"] == "http://quiz.example.edu/lti/login/"
    assert config["target_link_uri"] == "http://quiz.example.edu/lti/launch/"
    assert config["public_jwk_url"] == "http://quiz.example.edu/lti/jwks/"


def test_its_public_jwk_url_serves_a_key_with_alg_and_use(config, client):
    jwks = client.get(config["public_jwk_url"].removeprefix("http://quiz.example.edu")).json()
    (key,) = jwks["keys"]
    assert key["alg"] == "RS256" and key["use"] == "sig" and key["kid"]


def test_it_asks_for_the_ags_and_nrps_scopes(config):
    assert set(config["scopes"]) == CANVAS_SCOPES


def test_its_canvas_extension_has_privacy_level_and_deep_linking_placements(config):
    (extension,) = config["extensions"]
    assert set(extension) <= DOCUMENTED_EXTENSION
    assert extension["platform"] == "canvas.instructure.com"
    assert extension["privacy_level"] in PRIVACY_LEVELS
    assert extension["privacy_level"] == "public"
    assert extension["domain"] == "quiz.example.edu"
    placements = {p["placement"]: p for p in extension["settings"]["placements"]}
    assert set(placements) == {"assignment_selection", "link_selection"}
    for placement in placements.values():
        assert placement["message_type"] == "LtiDeepLinkingRequest"
        assert placement["target_link_uri"] == "http://quiz.example.edu/lti/launch/"


def test_its_custom_fields_are_canvas_variable_substitutions(config):
    assert config["custom_fields"]
    for value in config["custom_fields"].values():
        assert value.startswith("$Canvas.")
