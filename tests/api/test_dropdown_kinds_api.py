"""Creating matching, ordering and select-missing-words questions through the API."""

import pytest

from tests.factories.api import error_of, questions_url
from tests.factories.dropdown_kinds import dropdown_payload

KINDS = ["matching", "ordering", "select_missing_words"]


def create(client, bank, kind: str, **fields):
    return client.post(
        questions_url(), {"bank": bank.pk, **dropdown_payload(kind, **fields)}, format="json"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_erin_creates_each_kind_with_its_spec(editor_client, physics, kind):
    response = create(editor_client, physics, kind)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == kind
    assert body["spec"] == dropdown_payload(kind)["spec"]
    assert body["choices"] == []


@pytest.mark.parametrize(
    ("kind", "spec", "message"),
    [
        (
            "matching",
            {"pairs": [{"prompt": "A", "answer": "1"}, {"prompt": "", "answer": "2"}]},
            "spec.pairs[2].prompt: This field may not be blank.",
        ),
        ("ordering", {"items": ["only one"]}, "spec.items: Give at least 2."),
        (
            "select_missing_words",
            {"choices": [{"text": "cat"}, {"text": "dog", "group": "one"}]},
            "spec.choices[2].group: A whole number from 1 to 20.",
        ),
    ],
)
def test_a_malformed_spec_is_a_400_naming_the_field(editor_client, physics, kind, spec, message):
    response = create(editor_client, physics, kind, spec=spec, text="The [[1]].")
    assert response.status_code == 400
    assert message in error_of(response)["fields"]["spec"]
