"""The question API with essays, descriptions, fractions and hints: each is created (201) and
read back; a malformed setting is a 400 naming the field."""

import pytest

from lti_quiz.api.text_kind_examples import TEXT_KIND_EXAMPLES
from tests.factories.api import error_of, questions_url
from tests.factories.text_kinds import description_payload, essay_payload, partial_choice_payload

pytestmark = pytest.mark.django_db


def create(client, bank, payload: dict):
    return client.post(questions_url(), {"bank": bank.pk, **payload}, format="json")


def test_an_essay_is_created_with_its_settings(editor_client, physics):
    response = create(editor_client, physics, essay_payload(key="why"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "essay" and body["spec"]["max_words"] == 12
    assert body["model_answer"].startswith("Full marks")


def test_a_description_is_created_with_no_points(editor_client, physics):
    response = create(editor_client, physics, description_payload(key="intro"))
    assert response.status_code == 201, response.json()
    assert response.json()["points"] == "0.00"


def test_a_description_without_points_gets_zero_points(editor_client, physics):
    payload = description_payload(key="intro")
    del payload["points"]
    response = create(editor_client, physics, payload)
    assert response.status_code == 201, response.json()
    assert response.json()["points"] == "0.00"


def test_a_description_put_without_points_keeps_zero_points(editor_client, physics):
    created = create(editor_client, physics, description_payload(key="intro")).json()
    payload = {k: v for k, v in description_payload(key="intro").items() if k != "points"}
    response = editor_client.put(
        f"{questions_url()}{created['id']}/", {"bank": physics.pk, **payload}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["points"] == "0.00"


def test_another_kind_without_points_still_gets_one_point(editor_client, physics):
    payload = {k: v for k, v in essay_payload(key="why").items() if k != "points"}
    response = create(editor_client, physics, payload)
    assert response.status_code == 201, response.json()
    assert response.json()["points"] == "1.00"


@pytest.mark.parametrize("points", ["1", "0.5", 2])
def test_a_description_with_points_is_refused(editor_client, physics, points):
    response = create(editor_client, physics, description_payload(points=points))
    assert response.status_code == 400
    assert error_of(response)["fields"]["points"] == [
        "A description scores nothing: its points are 0."
    ]


def test_fractions_and_hints_are_kept(editor_client, physics):
    response = create(editor_client, physics, partial_choice_payload(key="best"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [c["fraction"] for c in body["choices"]] == [None, "0.5", None]
    assert body["hints"] == ["Think of size.", "And of accuracy."]


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (essay_payload(spec={"max_words": -1}), "spec", "spec.max_words: a whole number"),
        (essay_payload(spec={"colour": 1}), "spec", "spec.colour: unknown setting."),
        (
            partial_choice_payload(spec={"scoring": "per_option"}),
            "spec",
            "A single-choice question has no settings in spec.",
        ),
        (partial_choice_payload(hints=["  "]), "hints.0", "This field may not be blank."),
    ],
)
def test_a_malformed_setting_is_a_400_naming_the_field(
    editor_client, physics, payload, field, message
):
    response = create(editor_client, physics, payload)
    assert response.status_code == 400
    assert error_of(response)["fields"][field][0].startswith(message)


@pytest.mark.parametrize("example", TEXT_KIND_EXAMPLES, ids=lambda e: e.name)
def test_the_documented_examples_are_valid(editor_client, physics, example):
    response = create(editor_client, physics, {**example.value, "bank": physics.pk})
    assert response.status_code == 201, response.json()
