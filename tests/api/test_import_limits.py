"""What an import refuses before doing any work: more questions than API_IMPORT_MAX_QUESTIONS
(413), a body past Django's DATA_UPLOAD_MAX_MEMORY_SIZE (413), and input nested so deep that a
reader would recurse out of stack (400, logged as a warning without a traceback)."""

import json
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from lti_quiz.api.nesting import MAX_DEPTH, json_too_deep
from tests.factories.api import error_of, import_url

DEEP = 100_000


def gift_file(count: int) -> str:
    return "\n\n".join(f"::q{n}::Question {n}?{{=right ~wrong}}" for n in range(count))


def nested_xml(root: str, depth: int) -> str:
    inner = "<div>" * (depth - 1) + "x" + "</div>" * (depth - 1)
    return f'<?xml version="1.0"?>\n<{root}>{inner}</{root}>'


XML_ROOTS = {"moodle_xml": "quiz", "qti12": "questestinterop", "qti30": "qti-assessment-item"}


class TestQuestionLimit:
    @override_settings(API_IMPORT_MAX_QUESTIONS=3)
    @pytest.mark.parametrize("dry_run", ["0", "1"])
    def test_more_questions_than_the_limit_is_413_naming_the_limit_and_the_count(
        self, editor_client, physics, dry_run
    ):
        response = editor_client.post(
            import_url(physics, format="gift", dry_run=dry_run),
            gift_file(4),
            content_type="text/plain",
        )

        assert response.status_code == 413
        error = error_of(response)
        assert error["code"] == "too_large"
        assert "holds 4 questions" in error["message"]
        assert "at most 3 (API_IMPORT_MAX_QUESTIONS)" in error["message"]
        assert error["fields"] == {"file": [error["message"]]}
        assert not physics.questions.exists()

    @override_settings(API_IMPORT_MAX_QUESTIONS=3)
    def test_a_file_at_the_limit_is_imported(self, editor_client, physics):
        response = editor_client.post(
            import_url(physics, format="gift"), gift_file(3), content_type="text/plain"
        )

        assert response.status_code == 200, response.json()
        assert physics.questions.count() == 3

    @override_settings(API_IMPORT_MAX_QUESTIONS=5000)
    def test_thousands_are_written_with_separators(self, editor_client, physics):
        response = editor_client.post(
            import_url(physics, format="gift", dry_run="1"),
            gift_file(5001),
            content_type="text/plain",
        )

        assert (
            "holds 5,001 questions; one import takes at most 5,000"
            in (error_of(response)["message"])
        )


class TestBodySize:
    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
    def test_a_form_field_past_django_s_limit_is_413_saying_where_files_go(
        self, editor_client, physics
    ):
        # curl -F 'file=<bank.txt' sends the file as a form field, which Django caps.
        response = editor_client.post(
            import_url(physics, format="gift"), {"file": gift_file(100)}, format="multipart"
        )

        assert response.status_code == 413
        error = error_of(response)
        assert error["code"] == "too_large"
        assert "larger than 1,000 bytes (DATA_UPLOAD_MAX_MEMORY_SIZE)" in error["message"]
        assert "as a multipart file upload" in error["message"]

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
    def test_a_json_body_past_django_s_limit_is_413_in_the_api_format(self, editor_client, db):
        response = editor_client.post(
            reverse("api:bank-list"), {"slug": "a" * 2000, "title": "T"}, format="json"
        )

        assert response.status_code == 413
        assert "1,000 bytes" in error_of(response)["message"]

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
    def test_question_files_have_their_own_limit_as_body_or_upload(self, editor_client, physics):
        text = gift_file(100)  # over 1,000 bytes, under the 5 MB of question files
        upload = SimpleUploadedFile("bank.txt", text.encode(), content_type="text/plain")

        as_body = editor_client.post(
            import_url(physics, format="gift", dry_run="1"), text, content_type="text/plain"
        )
        as_upload = editor_client.post(
            import_url(physics, format="gift", dry_run="1"), {"file": upload}, format="multipart"
        )

        assert as_body.status_code == 200 and as_upload.status_code == 200
        assert as_body.json()["totals"]["created"] == 100 == as_upload.json()["totals"]["created"]


class TestNesting:
    @pytest.mark.parametrize("fmt", XML_ROOTS)
    def test_xml_nested_100000_deep_is_a_400_and_a_warning_without_a_trace(
        self, editor_client, physics, fmt, caplog
    ):
        caplog.set_level(logging.INFO)

        response = editor_client.post(
            import_url(physics, format=fmt),
            nested_xml(XML_ROOTS[fmt], DEEP),
            content_type="application/xml",
        )

        assert response.status_code == 400
        error = error_of(response)
        assert error["code"] == "invalid_file"
        assert f"nested too deeply: at most {MAX_DEPTH} levels" in error["message"]
        assert "(line 2)" in error["message"]
        _assert_warned_without_a_trace(caplog)

    def test_json_nested_100000_deep_is_a_400_and_a_warning_without_a_trace(
        self, editor_client, physics, caplog
    ):
        caplog.set_level(logging.INFO)

        response = editor_client.post(
            import_url(physics, format="json"),
            "[" * DEEP + "]" * DEEP,
            content_type="application/json",
        )

        assert response.status_code == 400
        assert "nested too deeply" in error_of(response)["message"]
        _assert_warned_without_a_trace(caplog)

    @pytest.mark.parametrize("fmt", XML_ROOTS)
    def test_xml_at_the_limit_is_read_as_usual(self, editor_client, physics, fmt):
        response = editor_client.post(
            import_url(physics, format=fmt, dry_run="1"),
            nested_xml(XML_ROOTS[fmt], MAX_DEPTH),
            content_type="application/xml",
        )

        assert response.status_code == 200, response.json()

    def test_an_api_json_body_one_level_past_the_limit_is_refused_before_decoding(
        self, editor_client, db, caplog
    ):
        body = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)

        response = editor_client.post(
            reverse("api:bank-list"), body, content_type="application/json"
        )

        assert response.status_code == 400
        assert error_of(response)["message"] == (
            f"The JSON body is nested too deeply: at most {MAX_DEPTH} levels."
        )
        _assert_warned_without_a_trace(caplog)

    def test_an_api_json_body_at_the_limit_is_decoded(self, editor_client, db):
        body = "[" * MAX_DEPTH + "]" * MAX_DEPTH

        response = editor_client.post(
            reverse("api:bank-list"), body, content_type="application/json"
        )

        assert response.status_code == 400
        assert "nested too deeply" not in error_of(response)["message"]


class TestJsonDepth:
    def test_it_counts_arrays_and_objects(self):
        assert not json_too_deep('{"a": [[1]]}', limit=3)
        assert json_too_deep('{"a": [[[1]]]}', limit=3)

    def test_brackets_inside_strings_do_not_count(self):
        text = json.dumps({"text": "[" * 500 + "{" * 500, "escaped": 'a \\" [[[['})

        assert not json_too_deep(text, limit=1)

    def test_an_unterminated_string_hides_nothing_before_it(self):
        assert json_too_deep('[[["unterminated [[[', limit=2)
        assert not json_too_deep('[["unterminated [[[', limit=2)


def _assert_warned_without_a_trace(caplog) -> None:
    assert any(
        record.levelno == logging.WARNING and "nested" in record.getMessage()
        for record in caplog.records
    ), caplog.text
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert not [record for record in caplog.records if record.exc_info]
    assert "RecursionError" not in caplog.text
