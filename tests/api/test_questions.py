"""/api/v1/questions/: creating (every validation rule), reading, filters, search, ordering,
paging and the query count of the list. Updates and versions: test_question_versions.py."""

import pytest

from lti_quiz.quiz.models import Question
from tests.factories.api import error_of, questions_url
from tests.factories.api import question_post as create
from tests.factories.api import question_url as detail
from tests.factories.quiz import (
    make_bank,
    make_question,
    question_payload,
)

LIST = questions_url()


class TestCreate:
    @pytest.mark.parametrize(
        "kind", ["single_choice", "multiple_response", "true_false", "short_answer"]
    )
    def test_it_creates_each_kind_at_version_1(self, editor_client, physics, erin, kind):
        response = create(editor_client, physics, kind=kind, key=f"q-{kind.replace('_', '-')}")

        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["kind"] == kind and body["version"] == 1 and body["bank"] == physics.pk
        assert response["ETag"] == f'"{body["id"]}-1"'
        question = Question.objects.get(pk=body["id"])
        version = question.versions.get()
        assert version.number == 1 and version.changed_by == erin

    def test_it_returns_the_answer_key_and_feedback(self, editor_client, physics):
        body = create(editor_client, physics).json()

        assert body["choices"] == [
            {"text": "Force", "is_correct": True, "fraction": None, "feedback": "Yes."},
            {"text": "Mass", "is_correct": False, "fraction": None, "feedback": ""},
            {"text": "Colour", "is_correct": False, "fraction": None, "feedback": "No."},
        ]
        assert body["points"] == "2.00" and body["explanation"] == "Because."
        assert body["tags"] == ["mechanics"] and body["patterns"] == []

    def test_a_short_answer_keeps_its_model_answer(self, editor_client, physics):
        body = create(editor_client, physics, kind="short_answer").json()

        assert body["model_answer"] == "Newton's second law: force is mass times acceleration."
        assert Question.objects.get(pk=body["id"]).model_answer == body["model_answer"]

    def test_a_short_answer_keeps_its_rejected_patterns(self, editor_client, physics):
        body = create(
            editor_client, physics, kind="short_answer", rejected_patterns=["friction*"]
        ).json()

        assert body["rejected_patterns"] == ["friction*"]

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"rejected_patterns": ["friction"]}, "Only short-answer questions take rejected"),
            ({"kind": "short_answer", "rejected_patterns": ["a+b"]}, "'a+b': use letters"),
        ],
    )
    def test_it_refuses_rejected_patterns_that_cannot_be(
        self, editor_client, physics, fields, message
    ):
        response = create(editor_client, physics, **fields)

        assert response.status_code == 400
        assert message in error_of(response)["fields"]["rejected_patterns"][0]

    def test_it_generates_a_key_when_none_is_given(self, editor_client, physics):
        body = create(editor_client, physics, text="What keeps the Moon in orbit?").json()

        assert body["key"] == "what-keeps-the-moon-in-orbit"

    def test_it_fills_defaults_for_optional_fields(self, editor_client, physics):
        response = editor_client.post(
            LIST,
            {"bank": physics.pk, "kind": "short_answer", "text": "Name it.", "patterns": ["x"]},
            format="json",
        )

        body = response.json()
        assert response.status_code == 201, body
        assert (body["points"], body["explanation"], body["tags"], body["status"]) == (
            "1.00",
            "",
            [],
            "active",
        )

    def test_it_needs_a_bank(self, editor_client):
        response = editor_client.post(LIST, question_payload(), format="json")

        assert response.status_code == 400
        assert error_of(response)["fields"] == {"bank": ["This field is required."]}

    def test_it_refuses_an_unknown_bank(self, editor_client):
        response = editor_client.post(LIST, {"bank": 999, **question_payload()}, format="json")

        assert response.status_code == 400
        assert "bank" in error_of(response)["fields"]


class TestValidation:
    """Every rule answers 400 with the field and a message a person can act on."""

    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            (
                {
                    "choices": [
                        {"text": "A", "is_correct": True},
                        {"text": "B", "is_correct": True},
                    ]
                },
                "choices",
                "Mark exactly one choice correct (2 are marked).",
            ),
            (
                {"choices": [{"text": "A"}, {"text": "B"}]},
                "choices",
                "Mark exactly one choice correct (0 are marked).",
            ),
            (
                {"kind": "multiple_response", "choices": [{"text": "A"}, {"text": "B"}]},
                "choices",
                "Mark at least one choice correct.",
            ),
            (
                {"choices": [{"text": "A", "is_correct": True}]},
                "choices",
                "Give at least two choices.",
            ),
            (
                {
                    "kind": "true_false",
                    "choices": [
                        {"text": "True", "is_correct": True},
                        {"text": "False"},
                        {"text": "Maybe"},
                    ],
                },
                "choices",
                "A true/false question has exactly two choices.",
            ),
            (
                {"kind": "short_answer", "patterns": ["fine", "no{regex}"]},
                "patterns",
                "'no{regex}': 'no{regex}': use letters and digits only, with an optional * at "
                "the end of a word.",
            ),
            (
                {"kind": "short_answer", "patterns": []},
                "patterns",
                "A short-answer question needs at least one pattern.",
            ),
            (
                {"patterns": ["word"]},
                "patterns",
                "Only short-answer questions take patterns.",
            ),
            ({"points": "0"}, "points", "Must be more than 0 and at most 1000."),
            ({"points": "1.005"}, "points", "Ensure that there are no more than 2 decimal places."),
            ({"points": "5000"}, "points", "Ensure this value is less than or equal to 1000."),
            ({"key": "has space"}, "key", "Use letters, digits, hyphens and underscores only."),
            (
                {"tags": ["two words"]},
                "tags",
                "'two words': use letters, digits, and - _ . inside a tag (no spaces).",
            ),
            ({"text": "   "}, "text", "This field may not be blank."),
        ],
    )
    def test_it_explains_each_invalid_question(
        self, editor_client, physics, fields, field, message
    ):
        response = create(editor_client, physics, **fields)

        assert response.status_code == 400
        error = error_of(response)
        assert error["code"] == "invalid"
        assert message in error["fields"][field], error

    def test_it_refuses_a_key_the_bank_already_has(self, editor_client, physics, question):
        response = create(editor_client, physics, key="force")

        assert response.status_code == 400
        assert error_of(response)["fields"]["key"] == [
            "The bank already has a question with key 'force'."
        ]

    def test_it_names_unknown_fields(self, editor_client, physics):
        response = create(editor_client, physics, colour="red", id=5)

        error = error_of(response)
        assert response.status_code == 400
        assert error["fields"] == {
            "colour": ["Unknown field: this API does not accept it."],
            "id": ["Unknown field: this API does not accept it."],
        }

    def test_it_names_unknown_fields_inside_choices(self, editor_client, physics):
        choices = question_payload()["choices"]
        choices[1]["weight"] = 50

        response = create(editor_client, physics, choices=choices)

        assert error_of(response)["fields"] == {
            "choices.1.weight": ["Unknown field: this API does not accept it."]
        }

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"text": 5}, "text"),
            ({"text": ["a"]}, "text"),
            ({"points": True}, "points"),
            ({"points": "many"}, "points"),
            ({"tags": "mechanics"}, "tags"),
            ({"tags": [1]}, "tags.0"),
            ({"choices": {"text": "A"}}, "choices"),
            ({"choices": ["A", "B"]}, "choices.0"),
            ({"kind": "poem"}, "kind"),
            ({"status": None}, "status"),
            ({"explanation": None}, "explanation"),
        ],
    )
    def test_it_refuses_wrong_types(self, editor_client, physics, fields, field):
        response = create(editor_client, physics, **fields)

        assert response.status_code == 400
        assert field in error_of(response)["fields"]

    def test_it_refuses_a_choice_marked_correct_with_a_string(self, editor_client, physics):
        choices = question_payload()["choices"]
        choices[0]["is_correct"] = "yes"

        response = create(editor_client, physics, choices=choices)

        assert error_of(response)["fields"] == {"choices.0.is_correct": ["Must be true or false."]}

    @pytest.mark.parametrize(
        ("fields", "field", "limit"),
        [
            ({"text": "x" * 5001}, "text", 5000),
            ({"explanation": "x" * 5001}, "explanation", 5000),
            ({"model_answer": "x" * 2001}, "model_answer", 2000),
            ({"key": "k" * 101}, "key", 100),
            ({"tags": ["t" * 51]}, "tags.0", 50),
        ],
    )
    def test_it_refuses_over_long_text(self, editor_client, physics, fields, field, limit):
        response = create(editor_client, physics, **fields)

        assert error_of(response)["fields"][field] == [
            f"Ensure this field has no more than {limit} characters."
        ]

    def test_it_refuses_an_over_long_choice(self, editor_client, physics):
        choices = question_payload()["choices"]
        choices[2]["feedback"] = "f" * 2001

        response = create(editor_client, physics, choices=choices)

        assert error_of(response)["fields"] == {
            "choices.2.feedback": ["Ensure this field has no more than 2000 characters."]
        }

    def test_it_refuses_a_body_that_is_not_an_object(self, editor_client):
        response = editor_client.post(LIST, [1, 2], format="json")

        assert error_of(response)["fields"] == {
            "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
        }

    def test_it_refuses_malformed_json(self, editor_client):
        response = editor_client.post(LIST, "{not json", content_type="application/json")

        error = error_of(response)
        assert response.status_code == 400 and error["code"] == "parse_error"

    def test_it_refuses_form_posts(self, editor_client, physics):
        response = editor_client.post(LIST, {"bank": physics.pk, "text": "x"}, format="multipart")

        assert response.status_code == 415
        assert error_of(response)["code"] == "unsupported_media_type"

    def test_nothing_is_saved_when_invalid(self, editor_client, physics):
        create(editor_client, physics, points="0")

        assert not Question.objects.exists()


class TestReadAndFilter:
    def test_it_gets_a_question_with_its_etag(self, editor_client, question):
        response = editor_client.get(detail(question))

        assert response.status_code == 200
        assert response["ETag"] == f'"{question.pk}-1"'
        assert response.json()["key"] == "force"

    def test_it_answers_404_in_the_error_format(self, editor_client):
        response = editor_client.get(detail(424242))

        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"

    def test_an_id_beyond_any_integer_is_not_found(self, editor_client):
        response = editor_client.get(f"{LIST}{'9' * 30}/")

        assert response.status_code == 404

    def test_it_filters_by_bank_kind_tag_and_status(self, editor_client, physics):
        chemistry = make_bank("chemistry", "Chemistry")
        make_question(physics, key="a", tags=["orbits"])
        make_question(physics, key="b", kind="short_answer", tags=["orbits", "gravity"])
        make_question(physics, key="c", status="archived", tags=["gravity"])
        make_question(chemistry, key="d", tags=["orbits"])

        def keys(**params):
            response = editor_client.get(LIST, params)
            assert response.status_code == 200, response.json()
            return sorted(q["key"] for q in response.json()["results"])

        assert keys(bank=physics.pk) == ["a", "b", "c"]
        assert keys(kind="short_answer") == ["b"]
        assert keys(tag="orbits") == ["a", "b", "d"]
        assert keys(tag="gravity", status="active") == ["b"]
        assert keys(tag="orb") == []
        assert keys(bank=physics.pk, status="archived") == ["c"]

    def test_it_searches_question_text(self, editor_client, physics):
        make_question(physics, key="a", text="Why does the Moon orbit?")
        make_question(physics, key="b", text="What is inertia?")

        response = editor_client.get(LIST, {"search": "moon"})

        assert [q["key"] for q in response.json()["results"]] == ["a"]

    def test_it_orders_and_pages(self, editor_client, physics):
        for number in range(5):
            make_question(physics, key=f"q{number}", points=str(5 - number))

        response = editor_client.get(LIST, {"ordering": "points", "page_size": 2, "page": 2})

        body = response.json()
        assert body["count"] == 5 and body["next"] and body["previous"]
        assert [q["key"] for q in body["results"]] == ["q2", "q1"]

    def test_a_page_past_the_end_is_404(self, editor_client, question):
        response = editor_client.get(LIST, {"page": 9})

        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"

    def test_an_invalid_filter_value_is_400(self, editor_client):
        response = editor_client.get(LIST, {"kind": "poem", "bank": "x"})

        assert response.status_code == 400
        assert set(error_of(response)["fields"]) == {"kind", "bank"}

    def test_listing_questions_takes_constant_queries(
        self, editor_client, physics, django_assert_max_num_queries
    ):
        make_question(physics, key="first", kind="short_answer")
        with django_assert_max_num_queries(6) as few:
            assert len(editor_client.get(LIST, {"page_size": 100}).json()["results"]) == 1
        for number in range(99):
            make_question(
                physics, key=f"q{number}", kind=("single_choice", "short_answer")[number % 2]
            )

        with django_assert_max_num_queries(len(few)) as many:
            body = editor_client.get(LIST, {"page_size": 100}).json()

        assert len(body["results"]) == 100
        assert sum(len(q["choices"]) for q in body["results"]) == 150
        assert len(many) == len(few)
