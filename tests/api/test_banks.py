"""/api/v1/banks/: banks, and the import and export endpoints (the formats have their own
tests in tests/api/formats/; these check the HTTP side: bodies, uploads, reports, errors)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lti_quiz.api import files
from lti_quiz.api.formats import bank_export
from lti_quiz.quiz import bank as bank_services
from lti_quiz.quiz.models import Question, QuestionBank
from tests.factories.api import error_of, import_url
from tests.factories.quiz import make_bank, make_question

LIST = reverse("api:bank-list")
GIFT = """// A small GIFT file as Moodle writes it
::gravity::What pulls the Moon towards the Earth?{=Gravity#Yes.~Magnetism#No.}

::name-it::Name the force that opposes motion.{=friction}
"""


def detail(pk: int) -> str:
    return reverse("api:bank-detail", args=[pk])


def export_url(bank: QuestionBank, **params: str) -> str:
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"{reverse('api:bank-export', args=[bank.pk])}?{query}"


class TestBanks:
    def test_it_creates_lists_and_counts(self, editor_client, physics):
        make_question(physics, key="a")
        make_question(physics, key="b", status="archived")

        created = editor_client.post(
            LIST, {"slug": "chemistry", "title": "Chemistry"}, format="json"
        )
        listed = editor_client.get(LIST, {"ordering": "slug"}).json()

        assert created.status_code == 201
        counts = [
            (bank["slug"], bank["question_count"], bank["active_question_count"])
            for bank in listed["results"]
        ]
        assert counts == [("chemistry", 0, 0), ("physics", 2, 1)]

    def test_it_renames_a_bank(self, editor_client, physics):
        response = editor_client.patch(detail(physics.pk), {"title": "Mechanics"}, format="json")

        assert response.json()["title"] == "Mechanics"
        assert response.json()["slug"] == "physics"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"slug": "has space", "title": "T"}, "slug"),
            ({"slug": "physics", "title": "Again"}, "slug"),
            ({"slug": "ok", "title": ""}, "title"),
            ({"slug": "ok"}, "title"),
            ({"slug": "ok", "title": 3}, "title"),
            ({"slug": "ok", "title": "T", "owner": "me"}, "owner"),
        ],
    )
    def test_it_refuses_invalid_banks(self, editor_client, physics, body, field):
        response = editor_client.post(LIST, body, format="json")

        assert response.status_code == 400
        assert field in error_of(response)["fields"]

    def test_it_deletes_an_empty_bank(self, editor_client, physics):
        assert editor_client.delete(detail(physics.pk)).status_code == 204
        assert not QuestionBank.objects.exists()

    def test_a_bank_with_questions_cannot_be_deleted(self, editor_client, physics):
        make_question(physics)

        response = editor_client.delete(detail(physics.pk))

        assert response.status_code == 409
        assert error_of(response)["message"] == (
            "This question bank still has questions: delete or move them first."
        )

    def test_a_bank_a_quiz_draws_from_cannot_be_deleted(self, editor_client, physics):
        question = make_question(physics)
        bank_services.quiz_create(
            data={"slug": "d", "title": "D", "draw": {"bank": physics.pk, "count": 1}}
        )
        question.delete()

        response = editor_client.delete(detail(physics.pk))

        assert response.status_code == 409
        assert "draw their questions from this bank" in error_of(response)["message"]


class TestImport:
    def test_a_dry_run_reports_and_changes_nothing(self, editor_client, physics):
        response = editor_client.post(
            import_url(physics, format="gift", dry_run="1"), GIFT, content_type="text/plain"
        )

        body = response.json()
        assert response.status_code == 200, body
        assert body["dry_run"] is True and body["ok"] is True
        assert body["totals"]["created"] == 2
        assert [q["key"] for q in body["questions"]] == ["gravity", "name-it"]
        assert not physics.questions.exists()

    def test_it_imports_a_gift_body_with_a_report_per_question(self, editor_client, physics, erin):
        response = editor_client.post(
            import_url(physics, format="gift"), GIFT, content_type="text/plain; charset=utf-8"
        )

        body = response.json()
        assert response.status_code == 200, body
        assert body["dry_run"] is False and body["format"] == "gift"
        assert [q["action"] for q in body["questions"]] == ["created", "created"]
        gravity = physics.questions.get(key="gravity")
        assert gravity.versions.get().changed_by == erin
        assert [c.is_correct for c in gravity.choices.all()] == [True, False]

    def test_importing_again_updates_by_key(self, editor_client, physics):
        editor_client.post(import_url(physics, format="gift"), GIFT, content_type="text/plain")

        again = editor_client.post(
            import_url(physics, format="gift"),
            GIFT.replace("Name the force", "Name the force, please,"),
            content_type="text/plain",
        ).json()

        assert [q["action"] for q in again["questions"]] == ["unchanged", "updated"]
        assert physics.questions.get(key="name-it").version == 2

    def test_it_takes_a_multipart_upload(self, editor_client, physics):
        upload = SimpleUploadedFile("bank.txt", GIFT.encode(), content_type="text/plain")

        response = editor_client.post(
            import_url(physics, format="gift"), {"file": upload}, format="multipart"
        )

        assert response.status_code == 200, response.json()
        assert physics.questions.count() == 2

    def test_it_imports_what_it_exported_into_another_bank(self, editor_client, physics):
        make_question(physics, key="a", tags=["x"])
        make_question(physics, key="b", kind="short_answer", status="archived")
        exported = editor_client.get(export_url(physics, format="json"))
        copy = make_bank("copy", "Copy")

        response = editor_client.post(
            import_url(copy, format="json"), exported.content, content_type="application/json"
        )

        assert response.json()["totals"]["created"] == 2
        original = {q.key: bank_services.question_data(q) for q in physics.questions.all()}
        copied = {q.key: bank_services.question_data(q) for q in copy.questions.all()}
        assert copied == original

    def test_invalid_questions_are_reported_by_question(self, editor_client, physics):
        document = {
            "questions": [
                {"key": "ok", "kind": "short_answer", "text": "Name it.", "patterns": ["it"]},
                {"key": "bad", "kind": "single_choice", "text": "Pick.", "choices": []},
            ]
        }

        response = editor_client.post(
            import_url(physics, format="json"),
            json.dumps(document),
            content_type="application/json",
        )

        body = response.json()
        assert response.status_code == 200
        assert body["ok"] is False
        bad = body["questions"][1]
        assert bad["action"] == "invalid" and "choices" in bad["errors"]

    def test_an_unreadable_file_is_a_400_naming_the_line(self, editor_client, physics):
        response = editor_client.post(
            import_url(physics, format="json"),
            '{"questions": [\n  {,\n]}',
            content_type="text/plain",
        )

        assert response.status_code == 400
        error = error_of(response)
        assert error["code"] == "invalid_file"
        assert "(line 2)" in error["message"] and error["fields"]["file"] == [error["message"]]

    def test_json_bytes_that_are_not_utf8_are_a_400(self, editor_client, physics):
        response = editor_client.post(
            import_url(physics, format="json"),
            b'{"questions": ["\xff\xfe"]}',
            content_type="text/plain",
        )

        assert response.status_code == 400
        assert "UTF-8" in error_of(response)["message"]

    def test_binary_junk_is_a_400_whatever_the_format(self, editor_client, physics):
        junk = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4

        for fmt in ("gift", "moodle_xml", "qti12"):
            response = editor_client.post(
                import_url(physics, format=fmt), junk, content_type="text/plain"
            )

            assert response.status_code == 400
            assert "not text" in error_of(response)["message"]

    def test_a_declared_charset_is_honoured(self, editor_client, physics):
        latin = "::cafe::Où est le café ?{=ici}\n".encode("latin-1")

        response = editor_client.post(
            import_url(physics, format="gift"), latin, content_type="text/plain; charset=latin-1"
        )

        assert response.status_code == 200, response.json()
        assert physics.questions.get().text == "Où est le café ?"

    def test_a_file_over_the_limit_is_413(self, editor_client, physics, monkeypatch):
        monkeypatch.setattr(files, "MAX_IMPORT_BYTES", 100)

        response = editor_client.post(
            import_url(physics, format="gift"), "x" * 101, content_type="text/plain"
        )

        assert response.status_code == 413
        assert error_of(response)["code"] == "too_large"

    def test_an_upload_over_the_limit_is_413(self, editor_client, physics, monkeypatch):
        monkeypatch.setattr(files, "MAX_IMPORT_BYTES", 100)
        upload = SimpleUploadedFile("big.txt", b"x" * 101, content_type="text/plain")

        response = editor_client.post(
            import_url(physics, format="gift"), {"file": upload}, format="multipart"
        )

        assert response.status_code == 413

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({}, "format"),
            ({"format": "csv"}, "format"),
            ({"format": "gift", "dryrun": "1"}, "dryrun"),
            ({"format": "gift", "dry_run": "maybe"}, "dry_run"),
        ],
    )
    def test_it_refuses_bad_parameters_before_reading(self, editor_client, physics, params, field):
        response = editor_client.post(
            import_url(physics, **params), GIFT, content_type="text/plain"
        )

        assert response.status_code == 400
        assert field in error_of(response)["fields"]
        assert not physics.questions.exists()

    def test_an_empty_body_is_a_400(self, editor_client, physics):
        response = editor_client.post(
            import_url(physics, format="gift"), "", content_type="text/plain"
        )

        assert error_of(response)["fields"] == {
            "file": ["Send the file as the request body or as multipart field 'file'."]
        }

    def test_an_unknown_content_type_is_415(self, editor_client, physics):
        response = editor_client.post(
            import_url(physics, format="gift"), GIFT, content_type="image/png"
        )

        assert response.status_code == 415

    def test_import_into_a_missing_bank_is_404(self, editor_client, db):
        response = editor_client.post(
            "/api/v1/banks/999/import/?format=gift", GIFT, content_type="text/plain"
        )

        assert response.status_code == 404


class TestExport:
    @pytest.mark.parametrize(
        ("fmt", "content_type", "filename"),
        [
            ("json", "application/json", "physics.json"),
            ("moodle_xml", "application/xml", "physics-moodle.xml"),
            ("gift", "text/plain; charset=utf-8", "physics-gift.txt"),
            ("qti12", "application/xml", "physics-qti12.xml"),
            ("qti30", "application/xml", "physics-qti30.xml"),
        ],
    )
    def test_it_exports_a_file_in_each_format(
        self, editor_client, physics, fmt, content_type, filename
    ):
        make_question(physics, key="force")

        response = editor_client.get(export_url(physics, format=fmt), HTTP_ACCEPT="text/html")

        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        assert "Force" in response.content.decode()

    def test_with_report_it_answers_the_file_and_what_the_format_lost(self, editor_client, physics):
        make_question(physics, key="force", tags=["mechanics"])

        response = editor_client.get(export_url(physics, format="gift", report="1"))

        body = response.json()
        assert response.status_code == 200
        assert body["filename"] == "physics-gift.txt" and "::force::" in body["text"]
        assert body["report"]["totals"] == {"exported": 1, "skipped": 0}
        assert body["report"] == bank_export(bank=physics, fmt="gift").report.as_dict()
        assert any(w["effect"] == "lost" for w in body["report"]["questions"][0]["warnings"])

    def test_an_unknown_format_is_400(self, editor_client, physics):
        response = editor_client.get(export_url(physics, format="docx"))

        assert response.status_code == 400
        assert "format" in error_of(response)["fields"]

    def test_exporting_a_bank_takes_constant_queries(
        self, editor_client, physics, django_assert_max_num_queries
    ):
        for number in range(30):
            make_question(physics, key=f"q{number}")

        with django_assert_max_num_queries(8):
            assert editor_client.get(export_url(physics, format="moodle_xml")).status_code == 200


def test_nothing_is_left_of_a_dry_run_even_its_versions(editor_client, physics):
    make_question(physics, key="gravity", text="Old text?")

    editor_client.post(
        import_url(physics, format="gift", dry_run="true"), GIFT, content_type="text/plain"
    )

    question = Question.objects.get(key="gravity")
    assert question.text == "Old text?" and question.versions.count() == 1


class TestSubBanks:
    def test_it_shows_and_accepts_a_parent(self, editor_client, physics):
        response = editor_client.post(
            LIST, {"slug": "forces", "title": "Forces", "parent": physics.pk}, format="json"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["parent"] == physics.pk
        assert editor_client.get(detail(physics.pk)).json()["parent"] is None

    def test_a_sub_bank_moves_to_the_top(self, editor_client, physics):
        sub = bank_services.bank_create(slug="forces", title="Forces", parent=physics)
        response = editor_client.patch(detail(sub.pk), {"parent": None}, format="json")
        assert response.status_code == 200, response.json()
        sub.refresh_from_db()
        assert sub.parent is None

    def test_a_cycle_is_a_400(self, editor_client, physics):
        sub = bank_services.bank_create(slug="forces", title="Forces", parent=physics)
        below = bank_services.bank_create(slug="friction", title="Friction", parent=sub)
        for parent in (physics, sub, below):
            response = editor_client.patch(detail(physics.pk), {"parent": parent.pk}, format="json")
            assert response.status_code == 400, parent
            assert "inside itself" in error_of(response)["fields"]["parent"][0]
        physics.refresh_from_db()
        assert physics.parent is None

    def test_a_title_twice_under_one_parent_is_a_400(self, editor_client, physics):
        bank_services.bank_create(slug="forces", title="Forces", parent=physics)
        response = editor_client.post(
            LIST, {"slug": "forces-2", "title": "Forces", "parent": physics.pk}, format="json"
        )
        assert response.status_code == 400
        assert "already has a sub-bank 'Forces'" in error_of(response)["fields"]["title"][0]

    def test_an_unknown_parent_is_a_400(self, editor_client, physics):
        response = editor_client.patch(detail(physics.pk), {"parent": 999999}, format="json")
        assert response.status_code == 400
        assert "parent" in error_of(response)["fields"]

    def test_a_bank_with_sub_banks_cannot_be_deleted(self, editor_client, physics):
        physics.questions.all().delete()
        bank_services.bank_create(slug="forces", title="Forces", parent=physics)
        response = editor_client.delete(detail(physics.pk))
        assert response.status_code == 409
        assert "sub-banks" in error_of(response)["message"]

    def test_categories_banks_imports_into_sub_banks(self, editor_client, physics):
        gift = "$CATEGORY: $course$/top/Unit 1\n\n::q1::One?{=yes}\n"
        dry = editor_client.post(
            import_url(physics, format="gift", categories="banks", dry_run="1"),
            gift,
            content_type="text/plain",
        )
        assert dry.status_code == 200, dry.json()
        assert not physics.children.exists()
        response = editor_client.post(
            import_url(physics, format="gift", categories="banks"), gift, content_type="text/plain"
        )
        assert response.status_code == 200, response.json()
        assert physics.children.get().questions.get().key == "q1"
