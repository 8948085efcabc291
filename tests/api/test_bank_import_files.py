"""POST /api/v1/banks/{id}/import/ with the files admins have: GIFT and Moodle XML in other
encodings than UTF-8, Moodle categories, Canvas and QTI 3.0 zip packages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories.api import error_of, import_url
from tests.factories.formats import SAMPLES

pytestmark = pytest.mark.django_db


def _raw(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def _messages(body: dict) -> list[str]:
    return [note["message"] for note in body["warnings"]]


class TestEncodings:
    def test_a_windows_1252_gift_dry_run_says_what_it_assumed_and_writes_nothing(
        self, editor_client, physics
    ):
        response = editor_client.post(
            import_url(physics, format="gift", dry_run="1"),
            _raw("gift-windows-1252.txt"),
            content_type="text/plain",
        )

        body = response.json()
        assert response.status_code == 200, body
        assert body["totals"]["created"] == 3 and body["ok"] is True
        assert body["warnings"][0] == {
            "field": "file",
            "effect": "note",
            "message": "Read as Windows-1252 (the file is not UTF-8): check the accented letters.",
        }
        assert not physics.questions.exists()

    def test_a_windows_1252_gift_keeps_accents_curly_quotes_and_the_euro(
        self, editor_client, physics
    ):
        response = editor_client.post(
            import_url(physics, format="gift"),
            _raw("gift-windows-1252.txt"),
            content_type="text/plain",
        )

        assert response.status_code == 200, response.json()
        cafe = physics.questions.get(key="prix-cafe")
        assert cafe.text.startswith("Combien co\u00fbte un caf\u00e9 au comptoir")
        assert "\u201cEn moyenne\u201d" in cafe.text
        assert [c.text for c in cafe.choices.all()] == ["2 \u20ac", "20 \u20ac", "0,20 \u20ac"]
        assert physics.questions.get(key="ete").text.startswith("L\u2019\u00e9t\u00e9 commence")

    def test_a_latin_1_gift_as_a_multipart_upload(self, editor_client, physics):
        upload = SimpleUploadedFile("deutsch.txt", _raw("gift-latin-1.txt"), "text/plain")

        response = editor_client.post(
            import_url(physics, format="gift"), {"file": upload}, format="multipart"
        )

        body = response.json()
        assert response.status_code == 200, body
        assert body["totals"]["created"] == 3
        assert "Read as Windows-1252" in _messages(body)[0]
        assert physics.questions.get(key="strasse").text == (
            "Wie hei\u00dft \u00ab Stra\u00dfe \u00bb auf Franz\u00f6sisch ?"
        )

    def test_a_utf16_moodle_xml_with_a_bom_is_read_and_drag_on_image_named(
        self, editor_client, physics
    ):
        response = editor_client.post(
            import_url(physics, format="moodle_xml"),
            _raw("moodle-utf16.xml"),
            content_type="application/xml",
        )

        body = response.json()
        assert response.status_code == 200, body
        assert body["totals"] == {
            "created": 2, "updated": 0, "unchanged": 0, "invalid": 0, "skipped": 2,
        }  # fmt: skip
        assert not any("Read as" in m for m in _messages(body))  # its BOM said UTF-16
        skipped = {q["key"]: q["warnings"][-1]["message"] for q in body["questions"][2:]}
        assert "drag and drop onto an image (ddimageortext)" in skipped["PHY-OEIL"]
        assert "drag markers onto an image (ddmarker)" in skipped["PHY-FOYER"]
        assert physics.questions.get(key="PHY-ANG").text.startswith("Un \u00e5ngstr\u00f6m")


class TestCategories:
    def test_a_dry_run_lists_the_categories_and_the_tags_they_become(self, editor_client, physics):
        body = editor_client.post(
            import_url(physics, format="moodle_xml", dry_run="1"),
            _raw("moodle-utf16.xml"),
            content_type="application/xml",
        ).json()

        categories = [n for n in body["warnings"] if n["field"] == "category"]
        assert [n["message"] for n in categories] == [
            "Category 'Physique/Unit\u00e9 1/Semaine 2' (2 questions): "
            "tagged cat.physique.unite-1.semaine-2.",
            "Category 'Physique/Optique / Images' (2 questions): "
            "tagged cat.physique.optique-images.",
        ]

    def test_each_question_is_tagged_with_its_category(self, editor_client, physics):
        editor_client.post(
            import_url(physics, format="gift", categories="tags"),
            _raw("gift-windows-1252.txt"),
            content_type="text/plain",
        )

        tags = {q.key: q.tags for q in physics.questions.all()}
        assert tags == {
            "prix-cafe": ["cat.francais.unite-1"],
            "ete": ["cat.francais.unite-2"],
            "equateur": ["cat.francais.unite-2"],
        }

    def test_an_unknown_mode_is_a_400(self, editor_client, physics):
        response = editor_client.post(
            import_url(physics, format="gift", categories="folders"),
            b"::a::b{=c}",
            content_type="text/plain",
        )

        assert response.status_code == 400
        assert "categories" in error_of(response)["fields"]


class TestPackages:
    def test_a_canvas_zip_as_a_multipart_upload_dry_run_then_import(self, editor_client, physics):
        def post(**params: str):
            upload = SimpleUploadedFile(
                "quiz-export.zip", _raw("canvas-quiz-qti12.zip"), "application/zip"
            )
            return editor_client.post(
                import_url(physics, format="qti12", **params), {"file": upload}, format="multipart"
            )

        dry = post(dry_run="1").json()
        assert dry["totals"]["created"] == 5 and dry["totals"]["skipped"] == 0  # the essay too
        assert not physics.questions.exists()

        body = post().json()
        assert body["totals"] == dry["totals"]
        assert physics.questions.count() == 5
        assert "non_cc_assessments/" in _messages(body)[-1]

    def test_a_qti30_zip_as_the_body(self, editor_client, physics):
        for content_type in ("application/zip", "application/x-zip-compressed"):
            response = editor_client.post(
                import_url(physics, format="qti30"),
                _raw("qti30-package.zip"),
                content_type=content_type,
            )

            body = response.json()
            assert response.status_code == 200, body
        assert sorted(physics.questions.values_list("key", flat=True)) == [
            "capital-fr",
            "item-planets-01",
        ]

    def test_a_zip_sent_as_gift_is_a_400(self, editor_client, physics):
        response = editor_client.post(
            import_url(physics, format="gift"),
            _raw("qti30-package.zip"),
            content_type="application/zip",
        )

        assert response.status_code == 400
        assert "QTI package only" in error_of(response)["message"]
