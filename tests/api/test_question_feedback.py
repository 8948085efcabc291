"""/api/v1/questions/: per-choice feedback and the feedback for a right, partly right and wrong
answer: written, validated, read back, versioned, and never shown to someone who is no editor."""

import pytest

from lti_quiz.quiz.models import Question
from tests.factories.api import error_of, make_user, token_client
from tests.factories.api import question_post as create
from tests.factories.api import question_url as detail
from tests.factories.quiz import make_question, question_payload

OVERALL = {
    "correct_feedback": "All the primes, and only them.",
    "partially_correct_feedback": "Some primes: look at the even one again.",
    "incorrect_feedback": "A prime has exactly two divisors.",
}


class TestWrite:
    def test_it_stores_and_returns_the_feedback_for_each_outcome(self, editor_client, physics):
        response = create(editor_client, physics, kind="multiple_response", **OVERALL)

        body = response.json()
        assert response.status_code == 201, body
        assert {name: body[name] for name in OVERALL} == OVERALL
        question = Question.objects.get(pk=body["id"])
        assert question.partially_correct_feedback == OVERALL["partially_correct_feedback"]
        assert (
            question.versions.get().content["incorrect_feedback"] == OVERALL["incorrect_feedback"]
        )

    def test_a_question_without_them_has_empty_ones(self, editor_client, physics):
        body = create(editor_client, physics).json()

        assert [body[name] for name in OVERALL] == ["", "", ""]

    def test_a_patch_changes_one_and_writes_a_version_naming_it(self, editor_client, physics):
        question = make_question(physics, key="force", **OVERALL)

        response = editor_client.patch(
            detail(question), {"incorrect_feedback": "Mass is not a force."}, format="json"
        )

        assert response.status_code == 200, response.json()
        assert response.json()["incorrect_feedback"] == "Mass is not a force."
        assert response.json()["correct_feedback"] == OVERALL["correct_feedback"]
        question.refresh_from_db()
        assert question.version == 2
        assert question.versions.get(number=2).changed_fields == ["incorrect_feedback"]

    def test_the_history_shows_the_feedback_of_each_version(self, editor_client, physics):
        question = make_question(physics, key="force", correct_feedback="Yes.")
        editor_client.patch(detail(question), {"correct_feedback": "Right."}, format="json")

        versions = editor_client.get(f"{detail(question)}versions/").json()["results"]

        assert [v["content"]["correct_feedback"] for v in versions] == ["Right.", "Yes."]

    def test_a_choice_feedback_change_is_a_new_version(self, editor_client, physics):
        question = make_question(physics, key="force")
        choices = question_payload()["choices"]
        choices[1]["feedback"] = "Mass is how much matter, not a push or a pull."

        response = editor_client.patch(detail(question), {"choices": choices}, format="json")

        assert response.status_code == 200, response.json()
        assert response.json()["choices"][1]["feedback"] == choices[1]["feedback"]
        assert response.json()["version"] == 2


class TestValidation:
    @pytest.mark.parametrize("name", list(OVERALL))
    @pytest.mark.parametrize("value", [None, 5, ["a"], {"text": "a"}, True])
    def test_it_refuses_feedback_that_is_not_a_string(self, editor_client, physics, name, value):
        response = create(editor_client, physics, **{name: value})

        assert response.status_code == 400
        assert name in error_of(response)["fields"]

    @pytest.mark.parametrize("name", list(OVERALL))
    def test_it_refuses_feedback_over_2000_characters(self, editor_client, physics, name):
        response = create(editor_client, physics, **{name: "f" * 2001})

        assert error_of(response)["fields"] == {
            name: ["Ensure this field has no more than 2000 characters."]
        }

    def test_2000_characters_are_fine(self, editor_client, physics):
        response = create(editor_client, physics, correct_feedback="f" * 2000)

        assert response.status_code == 201, response.json()

    @pytest.mark.parametrize("value", [None, 3, ["No."]])
    def test_it_refuses_choice_feedback_that_is_not_a_string(self, editor_client, physics, value):
        choices = question_payload()["choices"]
        choices[1]["feedback"] = value

        response = create(editor_client, physics, choices=choices)

        assert response.status_code == 400
        assert "choices.1.feedback" in error_of(response)["fields"]

    def test_a_bad_patch_changes_nothing(self, editor_client, physics):
        question = make_question(physics, key="force", correct_feedback="Yes.")

        response = editor_client.patch(
            detail(question), {"correct_feedback": "x" * 2001}, format="json"
        )

        assert response.status_code == 400
        question.refresh_from_db()
        assert (question.correct_feedback, question.version) == ("Yes.", 1)


class TestWhoSeesIt:
    def test_sam_who_is_no_editor_cannot_read_the_feedback(self, physics):
        question = make_question(physics, key="force", incorrect_feedback="Secret reasons.")

        response = token_client(make_user("sam")).get(detail(question))

        assert response.status_code == 403
        assert "Secret reasons." not in response.content.decode()


class TestSchema:
    def test_the_openapi_schema_describes_the_feedback_fields(self, client):
        schema = client.get("/api/schema/?format=json").json()["components"]["schemas"]

        for name in ("Question", "QuestionWriteRequest"):
            properties = schema[name]["properties"]
            for field in OVERALL:
                assert properties[field]["type"] == "string", (name, field)
                assert "learner" in properties[field]["description"], (name, field)
        write = schema["QuestionWriteRequest"]["properties"]
        assert write["incorrect_feedback"]["maxLength"] == 2000
        assert schema["ChoiceInputRequest"]["properties"]["feedback"]["maxLength"] == 2000


class TestRichText:
    MEDIA = "/media/q/" + "b" * 64 + "/graph.png"

    def test_html_is_stored_sanitised(self, editor_client, physics):
        response = create(
            editor_client,
            physics,
            text='<p onclick="x()">Which <em>force</em>?<script>x()</script></p>',
        )

        assert response.status_code == 201, response.json()
        assert response.json()["text"] == "<p>Which <em>force</em>?</p>"
        assert Question.objects.get(pk=response.json()["id"]).text == "<p>Which <em>force</em>?</p>"

    def test_an_image_without_alt_text_is_refused_naming_the_field(self, editor_client, physics):
        response = create(
            editor_client, physics, text=f'<p>Read the graph: <img src="{self.MEDIA}"></p>'
        )

        assert response.status_code == 400
        fields = error_of(response)["fields"]
        assert fields["text"] == [f"Images need alt text: {self.MEDIA}."]

    def test_an_image_with_alt_text_is_kept(self, editor_client, physics):
        text = f'<p>Read the graph: <img src="{self.MEDIA}" alt="Speed against time"></p>'

        response = create(editor_client, physics, text=text)

        assert response.status_code == 201, response.json()
        assert response.json()["text"] == text
