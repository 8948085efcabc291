"""Round trips: a bank exported in each format and imported into an empty bank.

The seed quiz's table is the one in the issue's closing note; the kitchen-sink bank uses
every kind and field, so each loss a format causes shows up, and each one must have been
announced by the export report: nothing is lost silently.
"""

import pytest

from lti_quiz.api.formats import FORMATS, bank_export, bank_import
from lti_quiz.quiz.bank import question_update
from lti_quiz.quiz.models import QuestionBank, QuestionVersion
from tests.factories.formats import (
    FIELDS,
    bank_questions,
    differences,
    kitchen_sink_bank,
    round_trip,
    survival_table,
)
from tests.factories.quiz import load_seed_content

pytestmark = pytest.mark.django_db

KEPT = dict.fromkeys(FIELDS, "kept")
# The seed's short answer has feedback for a right and a wrong answer, as do some choices.
OVERALL_LOST = {"correct_feedback": "lost", "incorrect_feedback": "lost"}
# What survives seed quiz -> format -> empty bank, per field.
SEED_TABLE = {
    "json": KEPT,
    "moodle_xml": {**KEPT, **OVERALL_LOST},  # Moodle's short answers have no such feedback
    # GIFT has no points (every seed question is worth 1, Moodle's default), no overall feedback
    "gift": {**KEPT, **OVERALL_LOST},
    "qti12": {**KEPT, "tags": "lost", "patterns": "changed"},
    "qti30": {**KEPT, "tags": "lost"},
}
SEED_PATTERNS = [
    "source*", "document*", "paper*", "reference*", "original*",
    "expert*", "teacher*", "instructor*", "specialist*", "adult*",
    "test*", "eval*", "benchmark*", "shadow traffic", "long tail prompt*",
    "compar* with the teacher model",
]  # fmt: skip


@pytest.fixture
def seed_bank() -> QuestionBank:
    load_seed_content()
    return QuestionBank.objects.get(slug="distillation-tradeoffs")


class TestTheSeedQuiz:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_it_survives_each_format_as_the_table_says(self, seed_bank, fmt):
        before, after, _, imported = round_trip(seed_bank, fmt)

        assert imported.totals["created"] == 10
        assert sorted(after) == sorted(before)
        assert survival_table(before, after) == SEED_TABLE[fmt]

    def test_canvas_keeps_exact_answers_and_no_tags(self, seed_bank):
        _, after, exported, _ = round_trip(seed_bank, "qti12")

        assert after["q8"]["patterns"] == [
            "source", "document", "paper", "reference", "original",
            "expert", "teacher", "instructor", "specialist", "adult",
            "test", "eval", "benchmark", "shadow traffic", "long tail prompt",
            "compar with the teacher model",
        ]  # fmt: skip
        assert all(question["tags"] == [] for question in after.values())
        q8 = next(q for q in exported.report.questions if q.key == "q8")
        assert q8.fields("changed") == {"patterns"}
        assert q8.fields("lost") == {"tags"}

    @pytest.mark.parametrize("fmt", ["moodle_xml", "gift", "qti30"])
    def test_short_answer_patterns_come_back_exactly(self, seed_bank, fmt):
        _, after, _, _ = round_trip(seed_bank, fmt)

        assert after["q8"]["patterns"] == SEED_PATTERNS

    @pytest.mark.parametrize("fmt", ["moodle_xml", "gift", "qti30"])
    def test_the_import_of_our_own_patterns_notes_no_change(self, seed_bank, fmt):
        _, _, _, imported = round_trip(seed_bank, fmt)

        q8 = next(q for q in imported.questions if q.key == "q8")
        assert "patterns" not in q8.fields("changed") | q8.fields("lost")

    @pytest.mark.parametrize("fmt", ["moodle_xml", "gift"])
    def test_moodle_is_told_how_its_wildcards_differ(self, seed_bank, fmt):
        exported = bank_export(bank=seed_bank, fmt=fmt)

        q8 = next(q for q in exported.report.questions if q.key == "q8")
        assert q8.fields("changed") == {"patterns"}
        assert "*shadow traffic*" in exported.text
        assert "*test**" in exported.text

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_importing_its_own_export_again_changes_nothing_but_canvas_patterns(
        self, seed_bank, fmt
    ):
        exported = bank_export(bank=seed_bank, fmt=fmt)

        report = bank_import(bank=seed_bank, text=exported.text, fmt=fmt, dry_run=False)

        if fmt == "qti12":
            assert report.totals == {**_zero(), "unchanged": 9, "updated": 1}
            assert seed_bank.questions.get(key="q8").version == 2
        else:
            assert report.totals == {**_zero(), "unchanged": 10}
            assert set(seed_bank.questions.values_list("version", flat=True)) == {1}


class TestEveryKindAndField:
    @pytest.fixture
    def bank(self) -> QuestionBank:
        return kitchen_sink_bank()

    def test_native_json_is_lossless(self, bank):
        before, after, exported, _ = round_trip(bank, "json")

        assert after == before
        assert all(not q.warnings for q in exported.report.questions)

    @pytest.mark.parametrize(
        ("fmt", "expected"),
        [
            (
                "moodle_xml",
                {("yn", "kind"): "single_choice", ("tf", "correct_feedback"): ""},
            ),
            (
                "gift",
                {
                    ("sc", "points"): "1.00",
                    ("sc", "correct_feedback"): "",
                    ("sc", "incorrect_feedback"): "",
                    ("mr", "points"): "1.00",
                    ("mr", "correct_feedback"): "",
                    ("mr", "partially_correct_feedback"): "",
                    ("mr", "incorrect_feedback"): "",
                    ("tf", "correct_feedback"): "",
                    ("yn", "kind"): "single_choice",
                    ("old", "question"): None,
                },
            ),
            (
                "qti12",
                {
                    ("sc", "tags"): [],
                    ("mr", "partially_correct_feedback"): "",
                    ("sa", "tags"): [],
                    ("yn", "kind"): "single_choice",
                    ("sa", "patterns"): ["shadow traffic", "test", "compar with the teacher model"],
                    ("old", "question"): None,
                },
            ),
            (
                "qti30",
                {
                    ("sc", "tags"): [],
                    ("sa", "tags"): [],
                    ("yn", "kind"): "single_choice",
                    ("old", "question"): None,
                },
            ),
        ],
    )
    def test_each_format_loses_exactly_this(self, bank, fmt, expected):
        before, after, _, _ = round_trip(bank, fmt)

        assert differences(before, after) == expected

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_every_difference_was_announced_by_the_export_report(self, bank, fmt):
        before, after, exported, _ = round_trip(bank, fmt)

        reports = {q.key: q for q in exported.report.questions}
        for key, field in differences(before, after):
            report = reports[key]
            if field == "question":
                assert report.action == "skipped"
                assert report.fields("lost") == {"status"}
            else:
                assert field in report.fields("lost") | report.fields("changed"), (key, field)

    @pytest.mark.parametrize("fmt", ["gift", "qti12", "qti30"])
    def test_archived_questions_are_left_out_where_a_format_cannot_mark_them(self, bank, fmt):
        exported = bank_export(bank=bank, fmt=fmt)

        old = next(q for q in exported.report.questions if q.key == "old")
        assert old.action == "skipped"
        assert "Retired question" not in exported.text
        assert exported.report.totals == {"exported": 5, "skipped": 1}

    @pytest.mark.parametrize("fmt", ["json", "moodle_xml"])
    def test_archived_questions_stay_archived_where_a_format_can_say_so(self, bank, fmt):
        _, after, _, _ = round_trip(bank, fmt)

        assert after["old"]["status"] == "archived"

    def test_awkward_characters_survive_gift_escaping(self, bank):
        before, after, exported, _ = round_trip(bank, "gift")

        assert r"Pick one\: \{a\} \#1 \= \~2" in exported.text
        # "<b>" makes the stored text HTML (docs/rich-content.md): written as [html].
        assert "::sc::[html]" in exported.text
        assert after["sc"]["text"] == before["sc"]["text"]
        assert after["sc"]["explanation"] == "Because: {braces} and \\backslash\\."
        assert after["sc"]["choices"] == before["sc"]["choices"]

    def test_moodle_xml_gives_multiple_response_shares_and_penalties(self, bank):
        exported = bank_export(bank=bank, fmt="moodle_xml")

        assert exported.text.count('<answer fraction="50" format="html">') == 2
        assert '<answer fraction="-100" format="html">' in exported.text
        assert "<single>false</single>" in exported.text
        assert "<defaultgrade>2.5000000</defaultgrade>" in exported.text
        assert "<hidden>1</hidden>" in exported.text

    def test_export_names_the_file_and_its_type(self, bank):
        results = {fmt: bank_export(bank=bank, fmt=fmt) for fmt in FORMATS}

        assert {fmt: r.filename for fmt, r in results.items()} == {
            "json": "kitchen-sink.json",
            "moodle_xml": "kitchen-sink-moodle.xml",
            "gift": "kitchen-sink-gift.txt",
            "qti12": "kitchen-sink-qti12.xml",
            "qti30": "kitchen-sink-qti30.xml",
        }
        assert results["gift"].content_type == "text/plain; charset=utf-8"
        assert results["json"].content_type == "application/json"
        assert results["qti30"].report.as_dict()["warnings"][0]["effect"] == "note"

    def test_an_import_that_changes_a_question_writes_a_version_naming_the_fields(
        self, bank, django_user_model
    ):
        editor = django_user_model.objects.create_user("erin", password="x")
        exported = bank_export(bank=bank, fmt="json")
        edited = exported.text.replace("Tick the primes.", "Tick every prime.")

        report = bank_import(bank=bank, text=edited, fmt="json", dry_run=False, user=editor)

        assert report.totals["updated"] == 1
        version = QuestionVersion.objects.get(question__key="mr", number=2)
        assert version.changed_fields == ["text"]
        assert version.changed_by == editor

    @pytest.mark.parametrize("fmt", ["moodle_xml", "qti12", "qti30"])
    def test_characters_xml_cannot_carry_are_replaced_and_reported(self, bank, fmt):
        question = bank.questions.get(key="mr")
        question_update(question=question, data={"text": "Tick\x07 the primes."})

        _, after, exported, _ = round_trip(bank, fmt)

        assert after["mr"]["text"] == "Tick\ufffd the primes."
        mr = next(q for q in exported.report.questions if q.key == "mr")
        assert "text" in mr.fields("changed")

    def test_a_format_without_points_leaves_an_existing_questions_points_alone(self, bank):
        exported = bank_export(bank=bank, fmt="gift")

        report = bank_import(bank=bank, text=exported.text, fmt="gift", dry_run=False)

        assert report.totals == {**_zero(), "unchanged": 4, "updated": 1}  # yn: kind
        assert bank_questions(bank)["sc"]["points"] == "2.50"


def _zero() -> dict[str, int]:
    return {"created": 0, "updated": 0, "unchanged": 0, "invalid": 0, "skipped": 0}
