"""Essays, descriptions, choice fractions and hints through each format: what comes back from
a round trip, what the export report announced, and sample files as Moodle writes them."""

import pytest

from lti_quiz.api.formats import bank_import
from lti_quiz.quiz.question_format import QUESTION_FIELDS
from tests.factories.formats import empty_bank, round_trip, sample
from tests.factories.text_kinds import text_kinds_bank

pytestmark = pytest.mark.django_db

EXPECTED = {
    "json": {},
    "moodle_xml": {},
    # GIFT has no points, no essay settings, no hints and no general feedback on a description.
    "gift": {
        ("essay", "points"): "1.00",
        ("essay", "spec"): {},
        ("essay", "model_answer"): "",
        ("partial", "points"): "1.00",
        ("partial", "hints"): [],
        ("per-option", "points"): "1.00",
        ("all-or-nothing", "points"): "1.00",
    },
}


def differences(before: dict, after: dict) -> dict:
    """(key, field) -> the value after, for every QuestionData field (spec and hints too)."""
    return {
        (key, field): after[key][field] if key in after else None
        for key, old in before.items()
        for field in QUESTION_FIELDS
        if key not in after or after[key][field] != old[field]
    }


# Canvas and QTI 3 here: no tags, no hints, no fractions; Canvas no essay settings either, QTI 3
# no word limits.
QTI_LOST = {
    (key, "tags") for key in ("essay", "partial", "per-option", "all-or-nothing")
} | {
    ("partial", "choices"), ("partial", "hints"), ("per-option", "choices"),
    ("per-option", "spec"), ("essay", "spec"),
}  # fmt: skip
QTI_EXPECTED = {"qti12": QTI_LOST | {("essay", "model_answer")}, "qti30": QTI_LOST}


@pytest.fixture
def bank():
    return text_kinds_bank()


@pytest.mark.parametrize("fmt", list(EXPECTED))
def test_a_round_trip_gives_the_same_questions_but_what_the_format_lacks(bank, fmt):
    before, after, _, imported = round_trip(bank, fmt)
    assert imported.totals["created"] == 5, imported.as_dict()
    assert differences(before, after) == EXPECTED[fmt]


@pytest.mark.parametrize("fmt", list(QTI_EXPECTED))
def test_qti_keeps_the_kinds_and_loses_what_it_cannot_say(bank, fmt):
    before, after, _, imported = round_trip(bank, fmt)
    assert imported.totals["created"] == 5, imported.as_dict()
    assert [q["kind"] for q in after.values()] == [q["kind"] for q in before.values()]
    assert set(differences(before, after)) == QTI_EXPECTED[fmt]
    assert after["intro"]["points"] == "0.00"


def test_qti30_keeps_the_template_grader_information_and_human_scoring(bank):
    _, after, exported, _ = round_trip(bank, "qti30")
    assert 'external-scored="human"' in exported.text
    assert '<qti-rubric-block view="scorer" use="scoring">' in exported.text
    assert after["essay"]["spec"] == {"response_template": "Claim:\nEvidence:"}
    assert after["essay"]["model_answer"] == "Full marks: names accuracy and size."


@pytest.mark.parametrize("fmt", [*EXPECTED, *QTI_EXPECTED])
def test_every_difference_was_announced(bank, fmt):
    before, after, exported, _ = round_trip(bank, fmt)
    reports = {q.key: q for q in exported.report.questions}
    for key, field in differences(before, after):
        assert field in reports[key].fields("lost") | reports[key].fields("changed"), (key, field)


def test_moodle_xml_writes_fractions_as_moodle_percents_and_hints(bank):
    _, _, exported, _ = round_trip(bank, "moodle_xml")
    assert '<answer fraction="50" format="html">' in exported.text
    assert '<answer fraction="-100" format="html">' in exported.text
    assert "<single>false</single>" in exported.text
    assert '<hint format="html"><text>Think of size.</text></hint>' in exported.text
    assert '<question type="essay">' in exported.text and "<maxwordlimit>12</maxwordlimit>" in (
        exported.text
    )
    assert '<question type="description">' in exported.text


def test_gift_writes_weights_an_empty_essay_and_a_bare_description(bank):
    _, _, exported, _ = round_trip(bank, "gift")
    assert "\t~%50%Half right#Half." in exported.text
    assert "\t~%-100%Moon" in exported.text and "\t~%50%Mars" in exported.text
    assert "::essay::Why distil a model? Answer in a few words.{}" in exported.text
    assert "::intro::Read this before" in exported.text


class TestMoodleSamples:
    """fixtures/formats/moodle-text-kinds.xml, as Moodle 4.x's XML export writes these."""

    @pytest.fixture
    def imported(self):
        target = empty_bank()
        report = bank_import(
            bank=target, text=sample("moodle-text-kinds.xml"), fmt="moodle_xml", dry_run=False
        )
        from tests.factories.formats import bank_questions

        return report, bank_questions(target), {q.key: q for q in report.questions}

    def test_every_question_comes_in(self, imported):
        report, _questions, _ = imported
        assert report.totals["created"] == 5 and report.totals["invalid"] == 0, report.as_dict()

    def test_the_essay_keeps_its_settings(self, imported):
        _, questions, _entries = imported
        essay = questions["essay-osmosis"]
        assert essay["kind"] == "essay" and essay["points"] == "5.00"
        assert essay["spec"] == {
            "response_format": "plain", "min_words": 20, "max_words": 150,
            "response_template": "Osmosis is ...",
        }  # fmt: skip
        assert essay["model_answer"] == "Full marks: water, a membrane, and concentrations."

    def test_an_editor_essay_is_plain_here_and_says_so(self, imported):
        _, questions, entries = imported
        assert questions["essay-editor"]["spec"] == {}
        assert entries["essay-editor"].fields("changed") == {"spec"}
        assert entries["essay-editor"].fields("lost") == {"spec"}  # its attachments

    def test_the_description_is_text_with_no_points(self, imported):
        _, questions, _ = imported
        assert questions["intro-cells"]["kind"] == "description"
        assert questions["intro-cells"]["points"] == "0.00"

    def test_partial_credit_and_hints_are_kept(self, imported):
        _, questions, _ = imported
        single = questions["best-organelle"]
        assert [c.get("fraction") for c in single["choices"]] == [None, "0.5", "-0.3333333"]
        assert single["hints"] == ["Think of energy.", "It has its own DNA."]
        multi = questions["three-membranes"]
        assert multi["spec"] == {"scoring": "per_option"}
        assert [c["is_correct"] for c in multi["choices"]] == [True, True, True, False]
        assert [c.get("fraction") for c in multi["choices"]] == [None, None, None, "-1"]


class TestGiftSample:
    """fixtures/formats/gift-text-kinds.txt, as Moodle 4.x's GIFT export writes these."""

    @pytest.fixture
    def imported(self):
        from tests.factories.formats import bank_questions

        target = empty_bank()
        text = sample("gift-text-kinds.txt")
        report = bank_import(bank=target, text=text, fmt="gift", dry_run=False)
        return report, bank_questions(target)

    def test_every_question_comes_in(self, imported):
        report, questions = imported
        assert report.totals["created"] == 4, report.as_dict()
        assert questions["intro-cells"]["kind"] == "description"
        assert questions["intro-cells"]["points"] == "0.00"
        assert questions["essay-osmosis"]["kind"] == "essay"
        assert questions["essay-osmosis"]["explanation"] == (
            "Water moves towards the higher concentration."
        )

    def test_weights_become_fractions(self, imported):
        _, questions = imported
        single = questions["best-organelle"]
        assert [c["is_correct"] for c in single["choices"]] == [True, False, False]
        assert [c.get("fraction") for c in single["choices"]] == [None, "0.5", "-0.3333333"]
        multi = questions["three-membranes"]
        assert multi["spec"] == {"scoring": "per_option"}
        # 50% each for two right options is the default; so is -50% for a wrong one.
        assert [c.get("fraction") for c in multi["choices"]] == [None, None, None, None]


def test_canvas_text_only_and_essay_questions_come_in():
    from tests.factories.formats import bank_questions

    target = empty_bank()
    text = sample("canvas-text-kinds-qti12.xml")
    report = bank_import(bank=target, text=text, fmt="qti12", dry_run=False)
    questions = list(bank_questions(target).values())
    assert report.totals["created"] == 2, report.as_dict()
    assert [(q["kind"], q["points"]) for q in questions] == [
        ("description", "0.00"), ("essay", "4.00"),
    ]  # fmt: skip
    assert questions[0]["text"] == "The next question is marked by your teacher."


def test_a_qti30_extended_text_item_is_an_essay():
    from tests.factories.formats import bank_questions

    target = empty_bank()
    text = sample("qti30-essay-item.xml")
    report = bank_import(bank=target, text=text, fmt="qti30", dry_run=False)
    assert report.totals["created"] == 1, report.as_dict()
    essay = bank_questions(target)["essay-photosynthesis"]
    assert (essay["kind"], essay["points"]) == ("essay", "6.00")
    assert essay["text"] == "Describe what a plant does with light."
    assert essay["model_answer"] == "2 points each: light, water, carbon dioxide."
    assert essay["spec"] == {"response_format": "monospaced", "response_template": "Light is ..."}
