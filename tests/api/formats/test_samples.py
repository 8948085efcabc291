"""Files as Moodle and Canvas write them (fixtures/formats/, written by hand from each
format's documentation and its writer's source): what lands in the bank, and what the
report says about everything that did not fit."""

import json
import re

import pytest

from lti_quiz.api.formats import bank_export, bank_import
from tests.factories.formats import bank_questions, empty_bank, sample

pytestmark = pytest.mark.django_db


def _import(name: str, fmt: str):
    bank = empty_bank()
    report = bank_import(bank=bank, text=sample(name), fmt=fmt, dry_run=False)
    assert report.error is None
    return report, bank_questions(bank), {q.key: q for q in report.questions}


class TestMoodleXmlExport:
    @pytest.fixture
    def imported(self):
        return _import("moodle-export.xml", "moodle_xml")

    def test_it_imports_every_question(self, imported):
        report, questions, entries = imported

        assert report.totals == {
            "created": 6, "updated": 0, "unchanged": 0, "invalid": 0, "skipped": 0,
        }  # fmt: skip
        assert list(questions) == [
            "CELL-01", "membrane-bound-organelles", "cell_walls", "ATP", "describe-osmosis",
            "match-organelles",
        ]  # fmt: skip
        assert questions["describe-osmosis"]["kind"] == "essay"
        assert entries["match-organelles"].line == 222

    def test_a_single_choice_keeps_feedback_points_tags_and_explanation(self, imported):
        _, questions, entries = imported

        assert questions["CELL-01"] == {
            "key": "CELL-01",
            "kind": "single_choice",
            "text": "<p>Which organelle is called the <strong>powerhouse</strong> of the cell?"
            "<br></p>",
            "points": "2.00",
            "explanation": "Mitochondria make most of the cell's ATP.",
            "correct_feedback": "Your answer is correct.",
            "partially_correct_feedback": "Your answer is partially correct.",
            "incorrect_feedback": "Your answer is incorrect.",
            "tags": ["organelles", "Week-3", "cat.default-for-bio101.cell-biology"],
            "status": "active",
            "choices": [
                {"text": "Mitochondrion", "is_correct": True,
                 "feedback": "Right: it runs cellular respiration."},
                {"text": "Ribosome", "is_correct": False, "feedback": "Ribosomes build proteins."},
                {"text": "Golgi apparatus", "is_correct": False, "feedback": ""},
            ],
            "patterns": [],
            "model_answer": "",
            "rejected_patterns": [],
            "spec": {},
            "hints": [],
        }  # fmt: skip
        notes = {(n.field, n.effect) for n in entries["CELL-01"].warnings}
        assert notes == {("tags", "changed")}  # markup and combined feedback kept

    def test_multiple_response_takes_positive_grades_as_correct(self, imported):
        _, questions, entries = imported

        question = questions["membrane-bound-organelles"]
        assert question["kind"] == "multiple_response"
        assert [c["is_correct"] for c in question["choices"]] == [True, True, False]
        # Scored per option as in Moodle: 50% each is the default share, -100% is not.
        assert question["spec"] == {"scoring": "per_option"}
        assert [c.get("fraction") for c in question["choices"]] == [None, None, "-1"]
        # The embedded image is in the media store, its alt text kept.
        assert re.fullmatch(
            r"<p>Which of these are bound by a membrane\? "
            r'<img src="/media/q/[0-9a-f]{64}/cell\.png"'
            r' alt="a eukaryotic cell" width="120" height="90"></p>',
            question["text"],
        )
        assert "text" not in entries["membrane-bound-organelles"].fields("lost")

    def test_a_hidden_true_false_question_arrives_archived(self, imported):
        _, questions, _ = imported

        assert questions["cell_walls"]["status"] == "archived"
        assert questions["cell_walls"]["choices"] == [
            {"text": "True", "is_correct": True, "feedback": "Yes, cellulose."},
            {
                "text": "False",
                "is_correct": False,
                "feedback": '<p>Look again at the <a href="https://example.org/plant-cells"'
                ' rel="noopener noreferrer">diagram</a>.</p>',
            },
        ]

    def test_a_short_answer_keeps_moodles_answers_and_loses_nothing(self, imported):
        _, questions, entries = imported

        assert questions["ATP"]["patterns"] == []
        assert questions["ATP"]["spec"] == {
            "answers": [
                {"text": "ATP", "fraction": "1", "feedback": ""},
                {"text": "adenosine triphosphate", "fraction": "1", "feedback": ""},
                {"text": "*adenosine tri*", "fraction": "1", "feedback": ""},
                {
                    "text": "ADP",
                    "fraction": "0.5",
                    "feedback": "Close: that is the discharged form.",
                },
                {"text": "*", "fraction": "0", "feedback": "Think of what mitochondria make."},
            ],
            "case_sensitive": False,
        }
        assert entries["ATP"].warnings == []


class TestGift:
    @pytest.fixture
    def imported(self):
        return _import("moodle-gift.txt", "gift")

    def test_every_entry_is_accounted_for(self, imported):
        report, _questions, _entries = imported

        assert report.totals == {
            "created": 9, "updated": 0, "unchanged": 0, "invalid": 1, "skipped": 0,
        }  # fmt: skip
        assert len(report.questions) == 10
        assert report.questions[7].action == "created"  # the essay
        assert [q.line for q in report.questions] == [6, 15, 18, 25, 32, 34, 36, 42, 44, 49]

    def test_ids_names_tags_escapes_and_general_feedback(self, imported):
        _, questions, _ = imported

        question = questions["grant-tomb"]
        assert question["tags"] == ["trivia", "civil-war", "cat.default-for-hist200.us-presidents"]
        assert question["explanation"] == "The remains lie above ground, in sarcophagi."
        assert question["choices"][2] == {
            "text": "no one",
            "is_correct": True,
            "feedback": "Right: nobody is *buried*, they are entombed.",
        }

    def test_true_false_feedback_goes_to_the_choice_it_follows(self, imported):
        _, questions, _ = imported

        assert questions["sun-rises"]["choices"] == [
            {"text": "True", "is_correct": True, "feedback": "Yes, always."},
            {"text": "False", "is_correct": False, "feedback": "Think of a compass."},
        ]

    def test_weights_without_an_equals_sign_make_multiple_response(self, imported):
        _, questions, _ = imported

        assert questions["Colours"]["kind"] == "multiple_response"
        assert [c["is_correct"] for c in questions["Colours"]["choices"]] == [
            False, True, True, False,
        ]  # fmt: skip

    def test_missing_word_keeps_its_blank_and_gets_a_key_from_its_text(self, imported):
        _, questions, entries = imported

        assert questions["grant-is-_____-in-grants-tomb"]["text"] == (
            "Grant is _____ in Grant's tomb."
        )
        assert "key" in entries["grant-is-_____-in-grants-tomb"].fields("note")

    def test_html_format_keeps_its_markup(self, imported):
        _, questions, _ = imported

        assert questions["q9-html"]["text"] == "<p>What does <b>1 = 1</b> and 2 {braces} mean?</p>"
        assert questions["q9-html"]["choices"][0]["feedback"] == "<em>Good</em>"

    def test_a_broken_question_is_invalid_with_its_line_and_the_others_still_import(self, imported):
        _, questions, entries = imported

        broken = entries["q10-broken"]
        assert broken.action == "invalid"
        assert broken.line == 49
        assert "closing }" in broken.errors["question"][0]
        assert "q10-broken" not in questions

    def test_a_short_answer_keeps_its_answers_partial_credit_and_feedback(self, imported):
        _, questions, entries = imported

        assert questions["q4-birth-place"]["patterns"] == []
        assert questions["q4-birth-place"]["spec"]["answers"] == [
            {"text": "Point Pleasant", "fraction": "1", "feedback": ""},
            {"text": "Point Pleasant, Ohio", "fraction": "1", "feedback": "Exactly"},
            {"text": "Ohio", "fraction": "0.5", "feedback": "Right state, be more specific"},
        ]
        assert entries["q4-birth-place"].fields("lost") == set()


class TestCanvasQti12Bank:
    @pytest.fixture
    def imported(self):
        return _import("canvas-bank-qti12.xml", "qti12")

    def test_the_five_canvas_kinds_import(self, imported):
        report, questions, _ = imported

        assert report.totals["created"] == 5
        assert report.totals["skipped"] == 0
        assert [q["kind"] for q in questions.values()] == [
            "single_choice", "multiple_response", "true_false", "short_answer", "essay",
        ]  # fmt: skip

    def test_multiple_choice_with_feedback_and_general_feedback(self, imported):
        _, questions, _ = imported

        key = "i1d4e8c6b0e2a4f3b5c7d9e1f2a3b4c5d"
        question = questions[key]
        assert question["text"] == "<p>Which element is a <strong>noble gas</strong>?</p>"
        assert question["points"] == "1.50"
        assert question["explanation"] == "Group 18 of the periodic table."
        assert question["choices"] == [
            {"text": "Argon", "is_correct": True, "feedback": ""},
            {"text": "Nitrogen", "is_correct": False, "feedback": "Nitrogen is in group 15."},
            {"text": "Sodium & potassium", "is_correct": False, "feedback": ""},
        ]
        assert question["correct_feedback"] == "Well done!"
        assert question["incorrect_feedback"] == ""

    def test_multiple_answers_reads_the_and_not_condition(self, imported):
        _, questions, _ = imported

        question = questions["i2b5c9d3e7f1a2b4c6d8e0f1a3b5c7d9e"]
        assert [c["is_correct"] for c in question["choices"]] == [True, False, True]
        assert question["points"] == "2.00"

    def test_exact_short_answers_become_patterns(self, imported):
        _, questions, entries = imported

        key = "i4d7e1f5a9b3c4d6e8f0a2b3c4d5e6f7a"
        assert questions[key]["patterns"] == ["Au"]
        assert entries[key].fields("lost") == {"patterns"}  # "?!" has no words


class TestQti30Items:
    def test_a_choice_item_with_inline_feedback(self):
        _report, questions, entries = _import("qti30-choice-item.xml", "qti30")

        assert questions["item-planets-01"] == {
            "key": "item-planets-01",
            "kind": "single_choice",
            "text": "<p>Look at the <em>table of planets</em> above.</p>\n    "
            "<p>Which planet is the largest?</p>",
            "points": "3.00",
            "explanation": "",
            "correct_feedback": "<p><strong>Correct!</strong></p>",
            "partially_correct_feedback": "",
            "incorrect_feedback": "",
            "tags": [],
            "status": "active",
            "choices": [
                {"text": "Saturn", "is_correct": False, "feedback": "Second largest."},
                {"text": "Jupiter", "is_correct": True, "feedback": "Yes: eleven Earths across."},
                {"text": "Earth", "is_correct": False, "feedback": ""},
            ],
            "patterns": [],
            "model_answer": "",
            "rejected_patterns": [],
            "spec": {},
            "hints": [],
        }
        assert entries["item-planets-01"].fields("lost") == set()  # "correct" is kept

    def test_a_text_entry_item_with_a_mapping(self):
        _, questions, _ = _import("qti30-text-entry-item.xml", "qti30")

        question = questions["capital-fr"]
        assert question["kind"] == "short_answer"
        assert question["text"] == "The capital of France is _____."
        assert question["patterns"] == ["Paris", "paris France"]
        assert question["explanation"] == "France's seat of government."

    def test_an_item_with_two_interactions_is_skipped_with_its_reason(self):
        text = sample("qti30-choice-item.xml").replace(
            "</qti-choice-interaction>",
            '</qti-choice-interaction><qti-extended-text-interaction response-identifier="R2"/>',
        )

        report, questions, _ = _import_text(text, "qti30")

        assert questions == {}
        assert report.questions[0].action == "skipped"
        assert "exactly one choice or text-entry" in report.questions[0].warnings[-1].message

    def test_a_key_that_does_not_start_with_a_letter_comes_back_from_its_identifier(self):
        question = {"key": "1st", "kind": "short_answer", "text": "T?", "patterns": ["x"]}
        text = json.dumps({"questions": [question]})
        source = empty_bank("digits")
        bank_import(bank=source, text=text, fmt="json", dry_run=False)

        exported = bank_export(bank=source, fmt="qti30")
        _, questions, _ = _import_text(exported.text, "qti30")

        assert 'identifier="_1st"' in exported.text
        assert list(questions) == ["1st"]


def _import_text(text: str, fmt: str):
    bank = empty_bank("from-text")
    report = bank_import(bank=bank, text=text, fmt=fmt, dry_run=False)
    return report, bank_questions(bank), {q.key: q for q in report.questions}


class TestModelAnswers:
    """Moodle's short answer has no model answer: exports say so, native JSON keeps it, and our
    own Moodle exports (patterns written as *p*) give none back."""

    @pytest.fixture
    def source(self):
        question = {
            "key": "verify",
            "kind": "short_answer",
            "text": "Name one way to verify it.",
            "patterns": ["test*"],
            "model_answer": "Test it on the real workload.",
        }
        bank = empty_bank("verification")
        bank_import(
            bank=bank, text=json.dumps({"questions": [question]}), fmt="json", dry_run=False
        )
        return bank

    @pytest.mark.parametrize("fmt", ["moodle_xml", "gift"])
    def test_moodle_formats_report_the_model_answer_lost(self, source, fmt):
        exported = bank_export(bank=source, fmt=fmt)
        (entry,) = exported.report.questions
        assert "model_answer" in entry.fields("lost")

        _, questions, _ = _import_text(exported.text, fmt)
        assert questions["verify"]["model_answer"] == ""

    def test_native_json_keeps_it(self, source):
        exported = bank_export(bank=source, fmt="json")
        _, questions, _ = _import_text(exported.text, "json")
        assert questions["verify"]["model_answer"] == "Test it on the real workload."
