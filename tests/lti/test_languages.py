"""A launch's language and time zone: from its locale claim (then Accept-Language), and from a
custom `timezone` parameter, on every page the launch opens."""

import datetime as dt
import re
from html import unescape

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from lti_quiz.lti.claims import MessageType
from lti_quiz.lti.languages import language_for_launch, language_supported, time_zone_named
from tests.factories.quiz import load_seed_content
from tests.support.lti_platform import DROP, launch_id_of

PRESENTATION = "launch_presentation"


def html_lang(response) -> str:
    found = re.search(r'<html lang="([^"]*)" dir="(ltr|rtl)"', response.content.decode())
    assert found, response.content.decode()[:300]
    return found.group(1)


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("es", "es"),
        ("es-MX", "es"),
        ("es_mx", "es"),  # Moodle's spelling
        ("fr-CA", "fr"),
        ("FR", "fr"),
        ("en-GB", "en"),
        ("de", None),
        ("pt-BR", None),
        ("", None),
        ("x" * 100, None),
    ],
)
def test_a_tag_is_limited_to_the_shipped_languages(tag, language):
    assert language_supported(tag) == language


def test_the_locale_claim_wins_over_accept_language():
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")

    assert language_for_launch(locale="es-MX", request=request) == "es"


def test_without_a_usable_locale_the_browsers_first_shipped_language_is_used():
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,fr-CA;q=0.8,es;q=0.7")

    assert language_for_launch(locale="de-DE", request=request) == "fr"
    assert language_for_launch(locale="", request=request) == "fr"


def test_nothing_usable_means_english():
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="de, *;q=0.1")

    assert language_for_launch(locale="ja", request=request) == "en"
    assert language_for_launch(locale="", request=None) == "en"


@pytest.mark.parametrize(
    "name",
    ["Nowhere/City", "$Person.address.timezone", "../../etc/passwd", "/etc/localtime", 7, ""],
)
def test_a_time_zone_that_is_not_an_iana_name_is_ignored(name):
    assert time_zone_named(name) is None


def test_a_real_time_zone_is_found():
    zone = time_zone_named("America/Mexico_City")
    assert zone is not None and zone.key == "America/Mexico_City"


@pytest.mark.django_db
class TestPagesUnderALaunch:
    @pytest.fixture(autouse=True)
    def _seed(self, db):
        load_seed_content()

    def test_the_activity_speaks_the_launchs_language(self, client, platform):
        launch_id = launch_id_of(
            platform.launch(client, **{PRESENTATION: {"locale": "es-MX"}}, custom={})
        )

        response = client.get(f"/lti/activity/{launch_id}/", HTTP_ACCEPT_LANGUAGE="fr")

        assert response.status_code == 200
        assert html_lang(response) == "es"
        assert response["Content-Language"] == "es"

    def test_a_launch_without_locale_follows_the_browser(self, client, platform):
        launch_id = launch_id_of(platform.launch(client))

        response = client.get(f"/lti/activity/{launch_id}/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr")

        assert html_lang(response) == "fr"

    def test_an_unknown_locale_and_browser_language_give_english(self, client, platform):
        launch_id = launch_id_of(platform.launch(client, **{PRESENTATION: {"locale": "ko-KR"}}))

        response = client.get(f"/lti/activity/{launch_id}/", HTTP_ACCEPT_LANGUAGE="ko")

        assert html_lang(response) == "en"

    def test_the_language_does_not_leak_into_the_next_request(self, client, platform):
        launch_id = launch_id_of(platform.launch(client, **{PRESENTATION: {"locale": "fr"}}))
        client.get(f"/lti/activity/{launch_id}/")

        response = client.get("/lti/launch/", HTTP_ACCEPT_LANGUAGE="en")

        assert html_lang(response) == "en"

    def test_an_expired_launch_is_refused_in_the_browsers_language(self, client, platform):
        response = client.get("/lti/activity/not-a-launch/", HTTP_ACCEPT_LANGUAGE="es")

        assert response.status_code == 410
        assert html_lang(response) == "es"
        assert "No se pudo abrir la actividad" in response.content.decode()

    def test_a_custom_time_zone_is_activated_and_given_to_the_script(self, client, platform):
        launch_id = launch_id_of(
            platform.launch(client, custom={"quiz": "distillation", "timezone": "Europe/Paris"})
        )

        response = client.get(f"/lti/activity/{launch_id}/")

        assert 'data-time-zone="Europe/Paris"' in response.content.decode()
        assert response.wsgi_request.launch_time_zone == "Europe/Paris"

    def test_an_unsubstituted_time_zone_leaves_the_page_in_utc(self, client, platform):
        launch_id = launch_id_of(
            platform.launch(client, custom={"timezone": "$Person.address.timezone"})
        )

        response = client.get(f"/lti/activity/{launch_id}/")

        assert "data-time-zone" not in response.content.decode()
        assert not hasattr(response.wsgi_request, "launch_time_zone")

    def test_the_deep_linking_picker_speaks_the_launchs_language(self, client, platform):
        response = platform.launch(
            client,
            role="instructor",
            message_type=MessageType.DEEP_LINKING.value,
            resource_link=DROP,
            custom=DROP,
            dl_settings={
                "deep_link_return_url": f"{platform.issuer}/deep-link-return",
                "accept_types": ["ltiResourceLink"],
            },
            **{PRESENTATION: {"locale": "fr-FR"}},
        )
        assert response.status_code == 303, response.content.decode()[:300]

        picker = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="es")

        assert picker.status_code == 200
        assert html_lang(picker) == "fr"


def render_time(value) -> str:
    return Template("{% load local_time %}{{ value|local_time }}").render(Context({"value": value}))


def test_a_time_is_shown_in_utc_with_its_label_when_no_zone_is_known():
    moment = dt.datetime(2026, 12, 5, 14, 30, tzinfo=dt.UTC)

    with translation.override("en"):
        html = render_time(moment)

    assert html == '<time datetime="2026-12-05T14:30:00Z">Dec. 5, 2026, 2:30 p.m. UTC</time>'


def test_a_time_is_shown_in_the_launchs_zone_with_its_label():
    moment = dt.datetime(2026, 12, 5, 14, 30, tzinfo=dt.UTC)

    with translation.override("fr"), timezone.override(time_zone_named("Europe/Paris")):
        html = render_time(moment)

    assert html == '<time datetime="2026-12-05T14:30:00Z">5 décembre 2026 15:30 CET</time>'


def test_a_zone_without_an_abbreviation_is_labelled_by_its_name():
    moment = dt.datetime(2026, 12, 5, 14, 30, tzinfo=dt.UTC)

    with translation.override("es"), timezone.override(time_zone_named("America/Sao_Paulo")):
        html = render_time(moment)

    assert "11:30 America/Sao_Paulo</time>" in html


def test_nothing_is_shown_for_no_time():
    assert render_time(None) == ""


@pytest.mark.django_db
def test_a_refused_launch_speaks_the_language_its_claims_ask_for(client, platform):
    response = platform.launch(
        client, deployment_id="not-registered", **{PRESENTATION: {"locale": "fr_CA"}}
    )

    assert response.status_code == 403
    assert html_lang(response) == "fr"
    assert "Cette installation de l'outil de quiz" in unescape(response.content.decode())
