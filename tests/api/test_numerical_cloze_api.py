"""/api/v1/questions/ for numerical and cloze questions: created with their spec, refused with
the field named when the spec is wrong; the spec comes back as stored."""

import pytest

from tests.factories.api import error_of, questions_url

NUMERICAL = {
    "kind": "numerical",
    "text": "g at sea level?",
    "spec": {
        "answers": [{"value": "9.81", "tolerance": "0.05", "fraction": "1", "feedback": ""}],
        "units": [{"unit": "m/s²", "multiplier": "1"}, {"unit": "cm/s²", "multiplier": "100"}],
        "unit_handling": "optional",
    },
}
CLOZE = {
    "kind": "cloze",
    "text": "The capital of Germany is [[1]]; pi is about [[2]].",
    "spec": {
        "gaps": [
            {"type": "short_answer", "answers": [{"text": "Berlin", "fraction": "1"}]},
            {
                "type": "numerical",
                "weight": "2",
                "answers": [{"value": "3.14", "tolerance": "0.01", "fraction": "1"}],
            },
        ]
    },
}


def post(client, bank, payload: dict):
    return client.post(questions_url(), {"bank": bank.pk, **payload}, format="json")


@pytest.mark.parametrize("payload", [NUMERICAL, CLOZE], ids=["numerical", "cloze"])
def test_it_creates_the_kind_with_its_spec(editor_client, physics, payload):
    response = post(editor_client, physics, payload)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == payload["kind"] and body["spec"] == payload["spec"]


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {**NUMERICAL, "spec": {"answers": [{"value": "nine", "fraction": "1"}]}},
            "spec.answers[1].value",
            'A number, or "*" for any number.',
        ),
        (
            {**NUMERICAL, "spec": {**NUMERICAL["spec"], "unit_handling": "maybe"}},
            "spec.unit_handling",
            "Must be one of: none, optional, required.",
        ),
        (
            {**CLOZE, "text": "Only [[1]]."},
            "text",
            "Place gap 2 once in the text as [[2]] (0 found).",
        ),
        (
            {
                **CLOZE,
                "spec": {
                    "gaps": [{"type": "short_answer", "answers": []}, CLOZE["spec"]["gaps"][1]]
                },
            },
            "spec.gaps[1].answers",
            "Give at least one answer.",
        ),
        ({**CLOZE, "spec": {}}, "spec.gaps", "Give at least one gap."),
    ],
)
def test_a_malformed_spec_is_refused_naming_the_field(
    editor_client, physics, payload, field, message
):
    response = post(editor_client, physics, payload)

    assert response.status_code == 400
    assert message in error_of(response)["fields"][field], error_of(response)


def test_a_numerical_question_takes_no_choices(editor_client, physics):
    response = post(editor_client, physics, {**NUMERICAL, "choices": [{"text": "9.81"}]})

    assert response.status_code == 400
    assert error_of(response)["fields"]["choices"] == ["A numerical question has no choices."]
