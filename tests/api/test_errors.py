"""One error format for every error the API gives, and never a trace."""

from django.db import IntegrityError
from django.urls import reverse

from lti_quiz.api import errors, questions
from tests.factories.api import error_of
from tests.factories.quiz import make_bank, make_question


class TestErrorFormat:
    def test_an_unknown_url_under_api_is_404_in_the_format(self, editor_client):
        response = editor_client.get("/api/v1/nothing-here/")

        assert response.status_code == 404
        error = error_of(response)
        assert error["code"] == "not_found"
        assert error["message"] == "There is no API endpoint at /api/v1/nothing-here/."

    def test_a_missing_trailing_slash_is_pointed_out(self, editor_client):
        response = editor_client.post("/api/v1/questions", {}, format="json")

        assert response.status_code == 404
        assert "Did you mean /api/v1/questions/" in error_of(response)["message"]
        unknown = editor_client.get("/api/v1/nothing")
        assert error_of(unknown)["message"] == "There is no API endpoint at /api/v1/nothing."

    def test_a_method_the_endpoint_does_not_have_is_405(self, editor_client, db):
        question = make_question(make_bank())

        response = editor_client.post(reverse("api:question-detail", args=[question.pk]), {})

        assert response.status_code == 405
        assert error_of(response) == {
            "status": 405,
            "code": "method_not_allowed",
            "message": 'Method "POST" not allowed.',
            "fields": {},
        }

    def test_an_unsupported_content_type_is_415(self, editor_client):
        response = editor_client.post(
            reverse("api:bank-list"), "slug=a", content_type="application/x-www-form-urlencoded"
        )

        assert response.status_code == 415
        assert error_of(response)["code"] == "unsupported_media_type"

    def test_a_deeply_nested_body_is_a_400_not_a_crash(self, editor_client):
        body = "[" * 100_000 + "]" * 100_000

        response = editor_client.post(
            reverse("api:bank-list"), body, content_type="application/json"
        )

        assert response.status_code == 400

    def test_a_bug_answers_500_in_the_format_without_a_trace(self, editor_client, db, monkeypatch):
        def broken(*args, **kwargs):
            raise RuntimeError("secret internals")

        monkeypatch.setattr(questions.QuestionViewSet, "get_queryset", broken)

        response = editor_client.get(reverse("api:question-list"))

        assert response.status_code == 500
        error = error_of(response)
        assert error["code"] == "server_error"
        assert b"secret" not in response.content and b"Traceback" not in response.content

    def test_a_lost_race_on_a_unique_constraint_is_409(self, editor_client, db, monkeypatch):
        def racing(**kwargs):
            raise IntegrityError("UNIQUE constraint failed")

        monkeypatch.setattr(questions.bank_services, "question_create", racing)
        bank = make_bank()

        response = editor_client.post(
            reverse("api:question-list"),
            {"bank": bank.pk, "kind": "short_answer", "text": "T", "patterns": ["p"]},
            format="json",
        )

        assert response.status_code == 409
        assert error_of(response)["code"] == "conflict"

    def test_a_failed_write_leaves_nothing_behind(self, editor_client, db, monkeypatch):
        bank = make_bank()
        original = questions.bank_services.question_create

        def create_then_fail(**kwargs):
            original(**kwargs)
            raise RuntimeError("after the insert")

        monkeypatch.setattr(questions.bank_services, "question_create", create_then_fail)

        editor_client.post(
            reverse("api:question-list"),
            {"bank": bank.pk, "kind": "short_answer", "text": "T", "patterns": ["p"]},
            format="json",
        )

        assert not bank.questions.exists()


class TestFlattenErrors:
    def test_nested_errors_become_dotted_paths(self):
        detail = {
            "text": ["Too long."],
            "choices": [{}, {"text": ["Required."], "feedback": ["Too long."]}],
            "tags": {0: ["Not a string."]},
            "draw": {"non_field_errors": ["Must be an object."]},
        }

        assert errors.flatten_errors(detail) == {
            "text": ["Too long."],
            "choices.1.text": ["Required."],
            "choices.1.feedback": ["Too long."],
            "tags.0": ["Not a string."],
            "draw": ["Must be an object."],
        }

    def test_a_list_of_messages_is_about_the_body(self):
        assert errors.flatten_errors(["Not an object."]) == {"non_field_errors": ["Not an object."]}

    def test_the_message_names_the_field_when_there_is_one(self):
        assert errors.invalid_message({"text": ["Too long."]}) == "text: Too long."
        assert errors.invalid_message({"a": ["x"], "b": ["y"]}) == "2 fields are invalid: a, b."
        assert errors.invalid_message({"non_field_errors": ["Not an object."]}) == (
            "Not an object."
        )
