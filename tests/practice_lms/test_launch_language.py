"""The course page chooses the locale and time zone every launch of the course asks for."""

import pytest

from lti_quiz.practice_lms import vocab
from lti_quiz.practice_lms.models import Course
from tests.factories.practice_lms import auth_params, start_launch, verified_id_token

pytestmark = pytest.mark.django_db


def id_token_of(client, person) -> dict:
    login = start_launch(client, person)
    response = client.post("/practice-lms/auth/", auth_params(login))
    return verified_id_token(client, response.content.decode())


def test_launches_ask_for_english_and_send_no_time_zone_by_default(client, student):
    claims = id_token_of(client, student)

    assert claims[vocab.CLAIM_LAUNCH_PRESENTATION]["locale"] == "en"
    assert "timezone" not in claims.get("https://purl.imsglobal.org/spec/lti/claim/custom", {})


def test_the_chosen_locale_and_time_zone_go_in_every_launch(client, student, course):
    response = client.post(
        "/practice-lms/launch-language/", {"locale": "es-MX", "time_zone": "America/Mexico_City"}
    )
    assert response.status_code == 302

    claims = id_token_of(client, student)

    assert claims[vocab.CLAIM_LAUNCH_PRESENTATION]["locale"] == "es-MX"
    assert claims["locale"] == "es-MX"
    custom = claims["https://purl.imsglobal.org/spec/lti/claim/custom"]
    assert custom["timezone"] == "America/Mexico_City"


@pytest.mark.parametrize(
    "form", [{"locale": "xx", "time_zone": ""}, {"locale": "es", "time_zone": "Mars/Olympus"}]
)
def test_a_locale_or_zone_not_offered_changes_nothing(client, course, form):
    client.post("/practice-lms/launch-language/", form)

    course.refresh_from_db()
    assert (course.locale, course.time_zone) == ("en", "")
    assert Course.objects.filter(locale="en").exists()
