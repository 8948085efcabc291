"""Every core Moodle question type, as Moodle exports it (fixtures/formats/core-types/): what
an admin bringing a bank over gets. Only drag and drop onto an image stays out."""

import re

import pytest

from lti_quiz.api.formats import bank_export, bank_import
from tests.factories.formats import SAMPLES, bank_questions, empty_bank, round_trip

pytestmark = pytest.mark.django_db

DRAG_ON_IMAGE = {"label-the-pendulum", "mark-the-pivot"}


def imported(name: str, fmt: str):
    bank = empty_bank()
    text = (SAMPLES / "core-types" / name).read_text(encoding="utf-8")
    report = bank_import(bank=bank, text=text, fmt=fmt, dry_run=False)
    return report, bank_questions(bank)


def test_every_moodle_core_type_but_drag_on_image_comes_in_with_nothing_lost():
    report, questions = imported("moodle-core-types.xml", "moodle_xml")

    assert report.totals == {
        "created": 18, "updated": 0, "unchanged": 0, "invalid": 0, "skipped": 2,
    }  # fmt: skip
    skipped = {q.key for q in report.questions if q.action == "skipped"}
    assert skipped == DRAG_ON_IMAGE
    lost = {q.key: q.fields("lost") for q in report.questions if q.key not in DRAG_ON_IMAGE}
    assert {key: fields for key, fields in lost.items() if fields} == {}
    kinds = {q["kind"] for q in questions.values()}
    assert kinds == {
        "single_choice", "multiple_response", "true_false", "short_answer", "numerical",
        "matching", "essay", "description", "cloze", "select_missing_words", "ordering",
        "calculated", "calculated_choice", "random_matching",
    }  # fmt: skip


def test_every_gift_question_comes_in_with_nothing_lost():
    report, questions = imported("gift-core-types.txt", "gift")

    assert report.totals["created"] == len(report.questions) == 11
    assert [q.key for q in report.questions if q.fields("lost")] == []
    assert questions["vector-quantities"]["spec"] == {"scoring": "per_option"}


def test_categories_become_tags_and_random_matching_draws_from_its_own():
    _, questions = imported("moodle-core-types.xml", "moodle_xml")

    assert "cat.physics-101.energy" in questions["match-the-definitions"]["tags"]
    assert questions["match-the-definitions"]["spec"] == {"choose": 2, "subcategories": False}


def test_calculated_questions_keep_formulas_datasets_and_units():
    _, questions = imported("moodle-core-types.xml", "moodle_xml")

    work = questions["work-done"]["spec"]
    assert work["answers"][0]["formula"] == "{f}*{d}"
    assert work["answers"][0]["tolerance_type"] == "nominal"
    assert work["datasets"][0] == {
        "name": "f", "values": ["20"], "status": "shared", "distribution": "uniform",
        "minimum": "10", "maximum": "50", "decimals": 0,
    }  # fmt: skip
    assert work["units"] == [{"unit": "J", "multiplier": "1"}]
    assert questions["kinetic-energy"]["spec"]["simple"] is True


@pytest.mark.parametrize("fmt", ["moodle_xml", "json"])
def test_the_calculated_kinds_come_back_the_same(fmt):
    bank = empty_bank("calculated")
    keep = {"kinetic-energy", "work-done", "Power", "match-the-definitions"}
    text = (SAMPLES / "core-types" / "moodle-core-types.xml").read_text(encoding="utf-8")
    bank_import(bank=bank, text=text, fmt="moodle_xml", dry_run=False)
    bank.questions.exclude(key__in=keep).delete()

    before, after, _, report = round_trip(bank, fmt)

    assert set(after) == set(before) == keep
    for key in before:
        assert after[key]["spec"] == before[key]["spec"], key
        assert after[key]["kind"] == before[key]["kind"], key
    assert all(not q.fields("lost") for q in report.questions)


@pytest.mark.parametrize("fmt", ["gift", "qti12", "qti30"])
def test_formats_without_the_calculated_kinds_leave_them_out_and_say_so(fmt):
    bank = empty_bank("only-moodle")
    text = (SAMPLES / "core-types" / "moodle-core-types.xml").read_text(encoding="utf-8")
    bank_import(bank=bank, text=text, fmt="moodle_xml", dry_run=False)

    _, after, exported, _ = round_trip(bank, fmt)

    left_out = {q.key for q in exported.report.questions if q.action == "skipped"}
    assert {"kinetic-energy", "work-done", "Power", "match-the-definitions"} <= left_out
    assert not left_out & set(after)
    notes = [n.message for q in exported.report.questions for n in q.warnings]
    assert any("export the bank as Moodle XML" in note for note in notes)


def test_an_embedded_image_is_stored_served_and_exported_back(client):
    _, questions = imported("moodle-core-types.xml", "moodle_xml")
    text = questions["MECH-01"]["text"]

    url = re.search(r'src="(/media/q/[0-9a-f]{64}/cart\.png)"', text).group(1)
    assert 'alt="A red cart on a track"' in text and "<strong>" not in text
    assert "<math" not in text and "\\(F = ma\\)" in text  # TeX kept; shown as MathML
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    assert "<strong>mass</strong>" in questions["MECH-01"]["explanation"]

    bank = empty_bank("re-export")
    source = (SAMPLES / "core-types" / "moodle-core-types.xml").read_text(encoding="utf-8")
    bank_import(bank=bank, text=source, fmt="moodle_xml", dry_run=False)
    exported = bank_export(bank=bank, fmt="moodle_xml").text
    assert '<img src="@@PLUGINFILE@@/cart.png" alt="A red cart on a track"' in exported
    assert '<file name="cart.png" path="/" encoding="base64">iVBORw0KGgo' in exported


def test_a_dry_run_stores_no_file():
    bank = empty_bank("dry")
    text = (SAMPLES / "core-types" / "moodle-core-types.xml").read_text(encoding="utf-8")

    bank_import(bank=bank, text=text, fmt="moodle_xml", dry_run=True)

    assert not bank.media.exists()
