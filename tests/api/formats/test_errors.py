"""Bad files: refused or reported (whole file with a line number, or question by question),
never an exception out of `bank_import`; a dry run does the work and keeps nothing."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lti_quiz.api.formats import FORMATS, MAX_IMPORT_BYTES, bank_export, bank_import, gift
from lti_quiz.quiz.models import Question, QuestionBank, QuestionVersion
from tests.factories.formats import empty_bank, kitchen_sink_bank, sample

pytestmark = pytest.mark.django_db

XML_FORMATS = ["moodle_xml", "qti12", "qti30"]
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<quiz>&lol3;</quiz>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="shortanswer"><name><text>&secret;</text></name></question></quiz>
"""


def _import(text, fmt, *, dry_run=False, bank=None):
    return bank_import(bank=bank or empty_bank(), text=text, fmt=fmt, dry_run=dry_run)


class TestWholeFileRefusals:
    def test_a_file_over_5_mb_is_refused_and_nothing_is_imported(self):
        text = json.dumps({"questions": [], "padding": "x" * MAX_IMPORT_BYTES})

        report = _import(text, "json")

        assert "at most 5 MB" in report.error.message
        assert report.questions == []
        assert report.as_dict()["ok"] is False

    def test_json_that_does_not_parse_names_its_line(self):
        report = _import('{"questions": [\n  {"key": "a",}\n]}', "json")

        assert report.error.line == 2
        assert report.error.message.startswith("The file is not valid JSON")

    @pytest.mark.parametrize("fmt", XML_FORMATS)
    def test_xml_that_does_not_parse_names_its_line(self, fmt):
        report = _import('<?xml version="1.0"?>\n<quiz>\n  <question>\n</quiz>\n', fmt)

        assert report.error.line == 4
        assert "mismatched tag" in report.error.message

    @pytest.mark.parametrize("fmt", XML_FORMATS)
    def test_entity_expansion_is_refused(self, fmt):
        report = _import(BILLION_LAUGHS, fmt)

        assert "refused for safety" in report.error.message

    def test_external_entities_are_never_read(self):
        report = _import(EXTERNAL_ENTITY, "moodle_xml")

        assert "refused for safety" in report.error.message
        assert not Question.objects.exists()

    @pytest.mark.parametrize(
        ("fmt", "text", "message"),
        [
            ("moodle_xml", "<questestinterop/>", "not Moodle XML"),
            ("qti12", "<quiz/>", "not QTI 1.2"),
            ("qti30", "<assessmentItem/>", "No QTI 3.0 assessment item"),
            ("json", '"just a string"', "Expected an object"),
            ("json", '{"format": "something-else", "questions": []}', "not a question bank"),
        ],
    )
    def test_the_wrong_kind_of_file_is_refused(self, fmt, text, message):
        assert message in _import(text, fmt).error.message

    def test_json_from_a_newer_lti_quiz_is_refused_rather_than_half_read(self):
        report = _import('{"format_version": 2, "questions": []}', "json")

        assert "newer lti-quiz" in report.error.message

    def test_an_unknown_format_is_a_file_error_on_import_and_a_value_error_on_export(self):
        assert "Unknown format" in _import("{}", "csv").error.message
        with pytest.raises(ValueError, match="Unknown format"):
            bank_export(bank=empty_bank(), fmt="csv")

    @pytest.mark.parametrize(
        ("text", "message", "line"),
        [
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not text", None),
            ("   \n\n", "empty", None),
        ],
    )
    def test_undecodable_or_empty_files(self, text, message, line):
        report = _import(text, "gift")

        assert message in report.error.message
        assert report.error.line == line

    def test_an_xml_file_in_the_encoding_its_declaration_names_is_read(self):
        text = sample("moodle-export.xml").replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
        latin = text.replace("Golgi apparatus", "Appareil de Golgi, très").encode("iso-8859-1")

        report = _import(latin, "moodle_xml")

        assert report.totals["created"] == 6
        choice = Question.objects.get(key="CELL-01").choices.get(position=2)
        assert choice.text == "Appareil de Golgi, très"

    def test_bytes_with_a_byte_order_mark_are_read(self):
        report = _import("\ufeff::q1::Pick{=a ~b}".encode(), "gift")

        assert report.totals["created"] == 1

    def test_a_reader_failure_is_reported_and_logged_not_raised(self, monkeypatch, caplog):
        def broken(text):
            raise RuntimeError("bug in a reader")

        monkeypatch.setattr(gift, "load", broken)

        report = _import("::q::x{=a ~b}", "gift")

        assert "the reader failed" in report.error.message
        assert "bug in a reader" in caplog.text


class TestQuestionByQuestion:
    def test_unknown_fields_and_wrong_types_make_that_question_invalid_only(self):
        text = json.dumps(
            {
                "questions": [
                    {"key": "ok", "kind": "short_answer", "text": "Name one.", "patterns": ["x"]},
                    {"key": "extra", "kind": "short_answer", "text": "T", "colour": "red"},
                    {"key": "typed", "kind": "single_choice", "text": 7, "choices": "none"},
                    "not an object",
                ]
            }
        )

        report = _import(text, "json")

        assert [q.action for q in report.questions] == ["created", "invalid", "invalid", "invalid"]
        assert report.questions[1].errors == {"colour": ["Unknown field."]}
        assert set(report.questions[2].errors) == {"text", "choices"}
        assert report.questions[3].errors == {
            "question": ["Expected an object of question fields."]
        }

    def test_a_moodle_question_without_a_full_mark_answer_is_invalid(self):
        text = sample("moodle-export.xml").replace(
            'fraction="100" format="html"', 'fraction="90" format="html"'
        )

        report = _import(text, "moodle_xml")

        entry = next(q for q in report.questions if q.key == "CELL-01")
        assert entry.action == "invalid"
        assert "Mark exactly one choice correct" in entry.errors["choices"][0]

    def test_a_key_used_twice_in_one_file_makes_the_second_invalid(self):
        report = _import("::dup::One?{=a ~b}\n\n::dup::Two?{=c ~d}", "gift")

        assert [q.action for q in report.questions] == ["created", "invalid"]
        assert report.questions[1].errors == {"key": ["Question 1 of this file has this key too."]}

    def test_an_invalid_update_leaves_the_existing_question_as_it_was(self):
        bank = kitchen_sink_bank()
        text = json.dumps({"questions": [{"key": "mr", "choices": []}]})

        report = _import(text, "json", bank=bank)

        assert report.questions[0].action == "invalid"
        assert bank.questions.get(key="mr").choices.count() == 3

    def test_the_report_has_the_documented_shape(self):
        report = _import(
            '<quiz>\n<question type="truefalse"><name><text>q1</text></name>'
            "<questiontext><text>Pick</text></questiontext>"
            '<answer fraction="100"><text>true</text></answer>'
            '<answer fraction="0"><text>false</text></answer></question>\n'
            '<question type="ddmarker"><name><text>q2</text></name></question>\n</quiz>',
            "moodle_xml",
        )

        body = report.as_dict()
        assert set(body) == {"format", "dry_run", "ok", "error", "totals", "warnings", "questions"}
        assert body["ok"] is False  # the drag-and-drop question was skipped
        assert body["questions"][1] == {
            "index": 2,
            "key": "q2",
            "action": "skipped",
            "line": 3,
            "warnings": [
                {
                    "field": "question",
                    "effect": "lost",
                    "message": "Not imported: drag markers onto an image (ddmarker) has no "
                    "equivalent here.",
                }
            ],
            "errors": {},
        }


class TestDryRun:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_it_reports_what_the_import_would_do_and_keeps_nothing(self, fmt):
        source = kitchen_sink_bank()
        text = bank_export(bank=source, fmt=fmt).text
        target = empty_bank()
        versions = QuestionVersion.objects.count()

        dry = bank_import(bank=target, text=text, fmt=fmt, dry_run=True)

        assert not target.questions.exists()
        assert QuestionVersion.objects.count() == versions
        real = bank_import(bank=target, text=text, fmt=fmt, dry_run=False)
        assert {**dry.as_dict(), "dry_run": False} == real.as_dict()
        assert dry.totals["created"] >= 5

    def test_a_dry_run_of_an_update_keeps_the_old_version(self):
        bank = kitchen_sink_bank()
        text = bank_export(bank=bank, fmt="json").text.replace("Tick the primes.", "Tick.")

        report = bank_import(bank=bank, text=text, fmt="json", dry_run=True)

        assert report.totals["updated"] == 1
        question = bank.questions.get(key="mr")
        assert (question.text, question.version) == ("Tick the primes.", 1)


class TestNeverAnException:
    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(fmt=st.sampled_from(FORMATS), text=st.text(max_size=300))
    def test_random_text_gets_a_report(self, fmt, text):
        report = bank_import(bank=_fuzz_bank(), text=text, fmt=fmt, dry_run=True)

        assert report.error is not None or all(q.action for q in report.questions)

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(fmt=st.sampled_from(FORMATS), cut=st.floats(min_value=0, max_value=1))
    def test_a_file_cut_anywhere_gets_a_report(self, fmt, cut):
        text = _sample_exports()[fmt]

        report = bank_import(
            bank=_fuzz_bank(), text=text[: int(len(text) * cut)], fmt=fmt, dry_run=True
        )

        assert report.error is not None or all(q.action for q in report.questions)


_CACHE: dict[str, dict[str, str]] = {}


def _fuzz_bank() -> QuestionBank:
    """One bank for all the examples of a test (dry runs: it stays empty)."""
    return QuestionBank.objects.filter(slug="fuzz").first() or empty_bank("fuzz")


def _sample_exports() -> dict[str, str]:
    """Real files of every format (built once: the samples plus our own exports)."""
    if "files" not in _CACHE:
        _CACHE["files"] = {
            "json": json.dumps({"questions": [{"key": "a", "kind": "short_answer",
                                                "text": "Name it.", "patterns": ["x*"]}]}),
            "moodle_xml": sample("moodle-export.xml"),
            "gift": sample("moodle-gift.txt"),
            "qti12": sample("canvas-bank-qti12.xml"),
            "qti30": sample("qti30-choice-item.xml"),
        }  # fmt: skip
    return _CACHE["files"]
