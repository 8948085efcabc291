"""Dynamic registration against Moodle's and Canvas's recorded documents (fixtures/registration/).

The platform is a scripted fake session: these tests check what the tool sends, how it reads
what the platforms answer, what it stores and what the admin sees.
"""

import json
from pathlib import Path

import pytest
import requests
from django.urls import reverse

from lti_quiz.lti import dynamic_registration as dr
from lti_quiz.lti.claims import MessageType, Scope
from lti_quiz.lti.models import Registration
from tests.factories.grades import FakeSession, reply

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).resolve().parents[2] / "fixtures" / "registration"

MOODLE_CONFIG_URL = "https://moodle.example.edu/mod/lti/openid-configuration.php"
MOODLE_REGISTER_URL = "https://moodle.example.edu/mod/lti/openid-registration.php"
MOODLE310_CONFIG_URL = "https://moodle310.example.edu/mod/lti/openid-configuration.php"
MOODLE310_REGISTER_URL = "https://moodle310.example.edu/mod/lti/openid-registration.php"
CANVAS_CONFIG_URL = "https://canvas.instructure.com/api/lti/security/openid-configuration"
CANVAS_REGISTER_URL = "https://canvas.instructure.com/api/lti/registrations"
TOKEN = "reg-token-123"


def recorded(name: str) -> str:
    return (RECORDED / name).read_text()


def json_reply(name: str, status: int = 200):
    return reply(status, text=recorded(name), headers={"Content-Type": "application/json"})


def moodle(*register_answers) -> FakeSession:
    return (
        FakeSession()
        .on("GET", MOODLE_CONFIG_URL, json_reply("moodle-openid-configuration.json"))
        .on(
            "POST",
            MOODLE_REGISTER_URL,
            *(register_answers or (json_reply("moodle-registration-response.json"),)),
        )
    )


def canvas(*register_answers) -> FakeSession:
    return (
        FakeSession()
        .on("GET", CANVAS_CONFIG_URL, json_reply("canvas-openid-configuration.json"))
        .on(
            "POST",
            CANVAS_REGISTER_URL,
            *(register_answers or (json_reply("canvas-registration-response.json"),)),
        )
    )


@pytest.fixture
def platform_session(monkeypatch):
    """Route the views' outgoing HTTP to a fake platform chosen by the test."""
    holder: dict[str, FakeSession] = {}

    def use(session: FakeSession) -> FakeSession:
        holder["session"] = session
        return session

    monkeypatch.setattr(dr, "http_session", lambda: holder["session"])
    return use


TOOL = dr.ToolUrls(
    login="https://quiz.example.edu/lti/login/",
    launch="https://quiz.example.edu/lti/launch/",
    jwks="https://quiz.example.edu/lti/jwks/",
    domain="quiz.example.edu",
)


class TestParsingTheConfiguration:
    def test_it_reads_moodles_configuration(self):
        platform = dr.platform_configuration_parse(
            json.loads(recorded("moodle-openid-configuration.json")), url=MOODLE_CONFIG_URL
        )
        assert platform.issuer == "https://moodle.example.edu"
        assert platform.authorization_endpoint == "https://moodle.example.edu/mod/lti/auth.php"
        assert platform.token_endpoint == "https://moodle.example.edu/mod/lti/token.php"
        assert platform.jwks_uri == "https://moodle.example.edu/mod/lti/certs.php"
        assert platform.registration_endpoint == MOODLE_REGISTER_URL
        assert platform.is_moodle and platform.supports_deep_linking
        assert platform.issuer_matches_url

    def test_it_reads_moodle_3_10_with_its_trailing_space_key_and_no_auth_endpoint(self):
        platform = dr.platform_configuration_parse(
            json.loads(recorded("moodle-3.10-openid-configuration.json")),
            url=MOODLE310_CONFIG_URL,
        )
        assert platform.product_family_code == "moodle"
        assert platform.version.startswith("3.10")
        assert platform.authorization_endpoint == "https://moodle310.example.edu/mod/lti/auth.php"
        assert platform.messages_supported == (
            MessageType.RESOURCE_LINK,
            MessageType.DEEP_LINKING,
        )

    def test_it_strips_stray_whitespace_in_keys_and_values(self):
        document = json.loads(recorded("moodle-openid-configuration.json"))
        spaced = {
            f" {key} ": f"{value}  " if isinstance(value, str) else value
            for key, value in document.items()
        }
        platform = dr.platform_configuration_parse(spaced, url=MOODLE_CONFIG_URL)
        assert platform.token_endpoint == "https://moodle.example.edu/mod/lti/token.php"
        assert platform.registration_endpoint == MOODLE_REGISTER_URL

    def test_it_reads_canvases_messages_with_placements_and_its_account_name(self):
        platform = dr.platform_configuration_parse(
            json.loads(recorded("canvas-openid-configuration.json")), url=CANVAS_CONFIG_URL
        )
        assert platform.is_canvas
        assert platform.supports_deep_linking
        assert platform.display_name == "Canvas (Test University)"
        assert platform.authorization_endpoint == (
            "https://sso.canvaslms.com/api/lti/authorize_redirect"
        )

    def test_a_configuration_without_a_registration_endpoint_is_refused_in_words(self):
        document = json.loads(recorded("moodle-openid-configuration.json"))
        del document["registration_endpoint"]
        with pytest.raises(dr.DynamicRegistrationError, match="registration_endpoint"):
            dr.platform_configuration_parse(document, url=MOODLE_CONFIG_URL)

    def test_it_sends_the_registration_token_when_it_fetches_the_configuration(self):
        session = canvas()
        dr.platform_configuration_fetch(
            url=CANVAS_CONFIG_URL, registration_token=TOKEN, session=session
        )
        (sent,) = session.to("GET", CANVAS_CONFIG_URL)
        assert sent.headers["Authorization"] == f"Bearer {TOKEN}"


class TestTheRegistrationRequest:
    def test_moodle_gets_the_urls_scopes_claims_and_a_deep_linking_message(self):
        session = moodle()
        platform = dr.platform_configuration_fetch(
            url=MOODLE_CONFIG_URL, registration_token=TOKEN, session=session
        )
        dr.registration_submit(
            platform=platform, registration_token=TOKEN, tool=TOOL, session=session
        )

        (sent,) = session.to("POST", MOODLE_REGISTER_URL)
        assert sent.headers["Authorization"] == f"Bearer {TOKEN}"
        assert sent.headers["Content-Type"] == "application/json"
        body = sent.json()
        assert body["application_type"] == "web"
        assert body["response_types"] == ["id_token"]
        assert body["token_endpoint_auth_method"] == "private_key_jwt"
        assert body["initiate_login_uri"] == TOOL.login
        assert body["redirect_uris"] == [TOOL.launch]
        assert body["jwks_uri"] == TOOL.jwks
        assert set(body["scope"].split()) == {scope.value for scope in Scope}
        config = body[dr.TOOL_CONFIGURATION]
        assert config["domain"] == "quiz.example.edu"
        assert config["target_link_uri"] == TOOL.launch
        assert {"name", "email", "sub", "iss"} <= set(config["claims"])
        types = [message["type"] for message in config["messages"]]
        assert types == ["LtiResourceLinkRequest", "LtiDeepLinkingRequest"]
        assert all("placements" not in message for message in config["messages"])
        assert dr.CANVAS_PRIVACY_LEVEL not in config

    def test_canvas_also_gets_its_placements_and_privacy_level(self):
        session = canvas()
        platform = dr.platform_configuration_fetch(
            url=CANVAS_CONFIG_URL, registration_token=TOKEN, session=session
        )
        body = dr.tool_registration_request(platform=platform, tool=TOOL)
        config = body[dr.TOOL_CONFIGURATION]
        assert config[dr.CANVAS_PRIVACY_LEVEL] == "public"
        (deep_linking,) = [m for m in config["messages"] if m["type"] == "LtiDeepLinkingRequest"]
        assert deep_linking["placements"] == ["assignment_selection", "link_selection"]
        assert deep_linking["target_link_uri"] == TOOL.launch


class TestWhatIsStored:
    def test_moodles_client_id_and_deployment_id_are_stored_inactive(self):
        session = moodle()
        platform = dr.platform_configuration_fetch(
            url=MOODLE_CONFIG_URL, registration_token=TOKEN, session=session
        )
        result = dr.registration_submit(
            platform=platform, registration_token=TOKEN, tool=TOOL, session=session
        )

        registration = Registration.objects.get()
        assert result.created and result.deployment_id == "7"
        assert registration.client_id == "kT3bqXo9WzY2mLe"
        assert registration.issuer == "https://moodle.example.edu"
        assert registration.auth_login_url == "https://moodle.example.edu/mod/lti/auth.php"
        assert registration.auth_token_url == "https://moodle.example.edu/mod/lti/token.php"
        assert registration.key_set_url == "https://moodle.example.edu/mod/lti/certs.php"
        assert list(registration.deployments.values_list("deployment_id", flat=True)) == ["7"]
        assert registration.is_active is False
        assert Scope.NRPS_MEMBERSHIP_READONLY in result.scopes_granted

    def test_canvas_gives_a_client_id_and_no_deployment_yet(self):
        session = canvas()
        platform = dr.platform_configuration_fetch(
            url=CANVAS_CONFIG_URL, registration_token=TOKEN, session=session
        )
        result = dr.registration_submit(
            platform=platform, registration_token=TOKEN, tool=TOOL, session=session
        )
        registration = Registration.objects.get()
        assert registration.client_id == "10000000000001"
        assert registration.issuer == "https://canvas.instructure.com"
        assert registration.name == "Canvas (Test University)"
        assert result.deployment_id == ""
        assert not registration.deployments.exists()
        assert registration.is_active is False

    def test_a_canvas_schools_own_domain_may_frame_the_tool(self):
        # The admin registers from school.instructure.com; the issuer is canvas.instructure.com.
        school_config = "https://school.instructure.com/api/lti/security/openid-configuration"
        session = FakeSession().on(
            "GET", school_config, json_reply("canvas-openid-configuration.json")
        )
        session.on("POST", CANVAS_REGISTER_URL, json_reply("canvas-registration-response.json"))
        platform = dr.platform_configuration_fetch(
            url=school_config, registration_token=TOKEN, session=session
        )

        dr.registration_submit(
            platform=platform, registration_token=TOKEN, tool=TOOL, session=session
        )

        registration = Registration.objects.get()
        assert registration.frame_origins == "https://school.instructure.com"
        assert registration.platform_family == "canvas"

    def test_the_setting_activates_new_registrations(self, settings):
        settings.LTI_AUTO_ACTIVATE_REGISTRATIONS = True
        session = moodle()
        platform = dr.platform_configuration_fetch(
            url=MOODLE_CONFIG_URL, registration_token=TOKEN, session=session
        )
        dr.registration_submit(
            platform=platform, registration_token=TOKEN, tool=TOOL, session=session
        )
        assert Registration.objects.get().is_active is True

    def test_the_setting_does_not_activate_a_configuration_served_by_another_host(self, settings):
        settings.LTI_AUTO_ACTIVATE_REGISTRATIONS = True
        elsewhere = "https://attacker.example.net/openid-configuration"
        session = FakeSession().on("GET", elsewhere, json_reply("moodle-openid-configuration.json"))
        session.on("POST", MOODLE_REGISTER_URL, json_reply("moodle-registration-response.json"))
        platform = dr.platform_configuration_fetch(
            url=elsewhere, registration_token=TOKEN, session=session
        )
        dr.registration_submit(
            platform=platform, registration_token=TOKEN, tool=TOOL, session=session
        )
        assert Registration.objects.get().is_active is False

    def test_registering_again_keeps_the_admins_decision_and_adds_the_deployment(self):
        for _ in range(2):
            session = moodle()
            platform = dr.platform_configuration_fetch(
                url=MOODLE_CONFIG_URL, registration_token=TOKEN, session=session
            )
            result = dr.registration_submit(
                platform=platform, registration_token=TOKEN, tool=TOOL, session=session
            )
            Registration.objects.update(is_active=True, name="Our Moodle")
        assert result.created is False
        registration = Registration.objects.get()
        assert registration.is_active is True
        assert registration.name == "Our Moodle"
        assert registration.deployments.count() == 1


class TestPlatformErrors:
    @pytest.mark.parametrize(
        ("platform", "refusal", "config_url", "words"),
        [
            (
                moodle,
                reply(400, text=recorded("moodle-registration-error-400.txt")),
                MOODLE_CONFIG_URL,
                "missing required attribute domain",
            ),
            (
                moodle,
                reply(401, text=recorded("moodle-registration-error-401.txt")),
                MOODLE_CONFIG_URL,
                "token_already_used",
            ),
            (
                canvas,
                json_reply("canvas-registration-error-401.json", status=401),
                CANVAS_CONFIG_URL,
                "JWT did not include expected contents",
            ),
        ],
        ids=["moodle-400", "moodle-401", "canvas-401"],
    )
    def test_the_platforms_refusal_is_shown_in_words_and_nothing_is_stored(
        self, client, platform_session, platform, refusal, config_url, words
    ):
        platform_session(platform(refusal))

        response = client.post(
            reverse("lti:register"),
            {"openid_configuration": config_url, "registration_token": TOKEN},
        )

        assert response.status_code == 502
        page = response.content.decode()
        assert "The platform refused the registration" in page
        assert words in page
        assert "org.imsglobal.lti.close" not in page
        assert not Registration.objects.exists()

    def test_an_unreachable_configuration_is_explained(self, client, platform_session):
        platform_session(FakeSession().on("GET", MOODLE_CONFIG_URL, requests.ConnectTimeout()))
        response = client.get(
            reverse("lti:register"),
            {"openid_configuration": MOODLE_CONFIG_URL, "registration_token": TOKEN},
        )
        assert response.status_code == 502
        assert "Could not read the platform" in response.content.decode()

    def test_an_answer_without_client_id_is_explained(self, client, platform_session):
        platform_session(moodle(reply(200, json_body={"client_name": "LTI Quiz"})))
        response = client.post(
            reverse("lti:register"),
            {"openid_configuration": MOODLE_CONFIG_URL, "registration_token": TOKEN},
        )
        assert response.status_code == 502
        assert "no client_id" in response.content.decode()
        assert not Registration.objects.exists()


class TestThePages:
    def test_the_admin_sees_what_will_be_registered(self, client, platform_session):
        platform_session(canvas())
        response = client.get(
            reverse("lti:register"),
            {"openid_configuration": CANVAS_CONFIG_URL, "registration_token": TOKEN},
            HTTP_REFERER="https://school.instructure.com/accounts/1/developer_keys",
        )
        assert response.status_code == 200
        page = response.content.decode()
        for text in (
            "Canvas (Test University)",
            "https://canvas.instructure.com",
            "http://testserver/lti/login/",
            "http://testserver/lti/launch/",
            "http://testserver/lti/jwks/",
            Scope.AGS_SCORE.value,
            Scope.NRPS_MEMBERSHIP_READONLY.value,
            "LtiDeepLinkingRequest",
            "assignment_selection, link_selection",
            "<code>public</code>",
            "<code>testserver</code>",
            'value="reg-token-123"',
            ">Register</button>",
        ):
            assert text in page, text
        assert not Registration.objects.exists()

    def test_the_page_may_be_framed_by_the_platform_that_opened_it(self, client, platform_session):
        platform_session(canvas())
        response = client.get(
            reverse("lti:register"),
            {"openid_configuration": CANVAS_CONFIG_URL, "registration_token": TOKEN},
            HTTP_REFERER="https://school.instructure.com/accounts/1/developer_keys",
        )
        assert "X-Frame-Options" not in response
        csp = response["Content-Security-Policy"]
        assert csp.startswith("frame-ancestors ")
        assert "https://canvas.instructure.com" in csp
        assert "https://school.instructure.com" in csp
        assert "https://evil.example.net" not in csp

    def test_the_last_step_says_what_is_left_and_closes_the_frame_on_finish(
        self, client, platform_session
    ):
        platform_session(moodle())
        response = client.post(
            reverse("lti:register"),
            {"openid_configuration": MOODLE_CONFIG_URL, "registration_token": TOKEN},
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert 'postMessage({subject: "org.imsglobal.lti.close"}, "*")' in page
        assert "window.opener || window.parent" in page
        assert "kT3bqXo9WzY2mLe" in page
        registration = Registration.objects.get(client_id="kT3bqXo9WzY2mLe")
        assert f"python manage.py lti_platform activate --id {registration.pk}" in page
        assert "Show in activity chooser" in page  # what Moodle itself still needs
        # The close message waits for the admin's click.
        assert 'getElementById("registration-finish").addEventListener("click"' in page
        assert "https://moodle.example.edu" in response["Content-Security-Policy"]
        assert registration.platform_family == "moodle"

    def test_opening_the_url_without_parameters_explains_what_it_is_for(self, client):
        response = client.get(reverse("lti:register"))
        assert response.status_code == 400
        assert "Dynamic Registration" in response.content.decode()
