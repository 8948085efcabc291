"""Numerical and cloze questions in each format: Moodle's own export read, and our exports read
back the same."""

import pytest

from lti_quiz.api.formats import bank_import
from lti_quiz.quiz.bank import question_create
from tests.factories.formats import bank_questions, empty_bank, round_trip, sample

pytestmark = pytest.mark.django_db

NUMERICAL = {
    "key": "gravity",
    "kind": "numerical",
    "text": "g at sea level?",
    "points": "2",
    "spec": {
        "answers": [
            {"value": "9.81", "tolerance": "0.05", "fraction": "1", "feedback": "Yes."},
            {"value": "10", "tolerance": "0.5", "fraction": "0.5", "feedback": ""},
        ],
        "units": [{"unit": "m/s²", "multiplier": "1"}, {"unit": "cm/s²", "multiplier": "100"}],
        "unit_handling": "required",
        "unit_penalty": "0.1",
        "unit_grading": "question",
    },
}
CLOZE = {
    "key": "capitals",
    "kind": "cloze",
    "text": "The capital is [[1]], pi is [[2]], the sky is [[3]]; primes: [[4]].",
    "spec": {
        "gaps": [
            {
                "type": "short_answer",
                "case_sensitive": False,
                "answers": [
                    {"text": "Berlin", "fraction": "1", "feedback": "Right"},
                    {"text": "*", "fraction": "0", "feedback": "No"},
                ],
            },
            {
                "weight": "2",
                "type": "numerical",
                "answers": [
                    {"value": "3.14", "tolerance": "0.01", "fraction": "1", "feedback": ""}
                ],
            },
            {
                "type": "choice",
                "display": "dropdown",
                "choices": [
                    {"text": "blue", "fraction": "1", "feedback": ""},
                    {"text": "red", "fraction": "0", "feedback": "At sunset"},
                ],
            },
            {
                "type": "choice",
                "display": "horizontal",
                "multiple": True,
                "choices": [
                    {"text": "2", "fraction": "0.5", "feedback": ""},
                    {"text": "3", "fraction": "0.5", "feedback": ""},
                    {"text": "4", "fraction": "-1", "feedback": ""},
                ],
            },
        ]
    },
}


class TestMoodleSample:
    @pytest.fixture
    def imported(self):
        bank = empty_bank()
        report = bank_import(
            bank=bank, text=sample("moodle-numerical-cloze.xml"), fmt="moodle_xml", dry_run=False
        )
        assert report.error is None
        return report, bank_questions(bank), {q.key: q for q in report.questions}

    def test_every_question_imports(self, imported):
        report, questions, _ = imported
        assert report.totals["created"] == 3 and report.totals["invalid"] == 0
        assert [q["kind"] for q in questions.values()] == ["numerical", "numerical", "cloze"]

    def test_a_numerical_question_keeps_answers_units_and_penalty(self, imported):
        _, questions, _ = imported
        gravity = questions["GRAV-1"]
        assert gravity["points"] == "2.00"
        assert gravity["spec"] == {
            "answers": [
                {"value": "9.81", "tolerance": "0.05", "fraction": "1", "feedback": "Right."},
                {"value": "10", "tolerance": "0.5", "fraction": "0.5", "feedback": "Roughly."},
                {"value": "*", "tolerance": "0", "fraction": "0", "feedback": ""},
            ],
            "units": [
                {"unit": "m/s²", "multiplier": "1"},
                {"unit": "cm/s²", "multiplier": "100"},
            ],
            "unit_handling": "required",
            "unit_penalty": "0.1",
            "unit_grading": "question",
        }
        assert questions["GRAV-1"]["hints"] != []  # Moodle's hints are kept

    def test_units_to_pick_and_instructions_are_reported(self, imported):
        _, questions, entries = imported
        (marathon,) = [q for key, q in questions.items() if key not in ("GRAV-1", "CLOZE-1")]
        assert marathon["spec"]["unit_grading"] == "response"
        messages = [w.message for entry in entries.values() for w in entry.warnings]
        assert "Moodle offered the units to pick; here they are typed." in messages
        assert "Moodle's unit instructions have no equivalent here." in messages

    def test_a_cloze_question_has_its_gaps(self, imported):
        _, questions, _ = imported
        cloze = questions["CLOZE-1"]
        assert cloze["text"] == (
            "The capital of Germany is [[1]]. Pi is about [[2]]. The sky is [[3]]. Primes: [[4]]."
        )
        gaps = cloze["spec"]["gaps"]
        assert [g["type"] for g in gaps] == ["short_answer", "numerical", "choice", "choice"]
        assert gaps[0]["answers"][1] == {
            "text": "Bonn",
            "fraction": "0.5",
            "feedback": "That was the old one",
        }
        assert gaps[1]["weight"] == "2"
        assert gaps[3]["multiple"] is True and gaps[3]["display"] == "horizontal"


@pytest.fixture
def bank():
    bank = empty_bank("kinds")
    question_create(bank=bank, data=NUMERICAL)
    question_create(bank=bank, data=CLOZE)
    return bank


def test_moodle_xml_gives_back_both_kinds(bank):
    before, after, _, imported = round_trip(bank, "moodle_xml")
    assert imported.totals["created"] == 2
    for key in ("gravity", "capitals"):
        assert after[key]["spec"] == before[key]["spec"], key
        assert after[key]["text"] == before[key]["text"]
        assert after[key]["kind"] == before[key]["kind"]


SHORT_CLOZE = {
    "key": "blanks",
    "kind": "cloze",
    "text": "Roses are [[1]], violets are [[2]].",
    "spec": {
        "gaps": [
            {
                "type": "short_answer",
                "answers": [
                    {"text": "red", "fraction": "1", "feedback": ""},
                    {"text": "crimson", "fraction": "1", "feedback": ""},
                ],
            },
            {
                "type": "short_answer",
                "answers": [{"text": "blue", "fraction": "1", "feedback": ""}],
            },
        ]
    },
}


def messages(report, key: str) -> list[str]:
    return [w.message for q in report.questions if q.key == key for w in q.warnings]


@pytest.mark.parametrize("fmt", ["json", "gift", "qti12", "qti30"])
def test_a_numerical_question_comes_back_with_what_the_format_keeps(bank, fmt):
    before, after, exported, _ = round_trip(bank, fmt)
    answers = after["gravity"]["spec"]["answers"]
    assert after["gravity"]["kind"] == "numerical"
    assert answers[0] == {
        "value": "9.81",
        "tolerance": "0.05",
        "fraction": "1",
        "feedback": "" if fmt in ("qti12", "qti30") else "Yes.",
    }
    if fmt == "json":
        assert after["gravity"]["spec"] == before["gravity"]["spec"]
    else:
        assert "units" not in after["gravity"]["spec"]
        assert any("no units" in m for m in messages(exported.report, "gravity"))
    if fmt == "qti12":  # Canvas: full credit or none
        assert len(answers) == 1
        assert any("(0.5) is left out" in m for m in messages(exported.report, "gravity"))
    elif fmt in ("gift", "qti30"):
        assert answers[1]["fraction"] == "0.5"


def test_gift_leaves_a_cloze_question_out(bank):
    _, after, exported, _ = round_trip(bank, "gift")
    assert "capitals" not in after
    (entry,) = [q for q in exported.report.questions if q.key == "capitals"]
    assert entry.action == "skipped" and entry.warnings[0].effect == "lost"


def test_qti30_writes_gaps_as_interactions_in_the_text_and_reads_them_back():
    bank = empty_bank("inline")
    one_pick = {
        **CLOZE,
        "key": "inline",
        "spec": {"gaps": [*CLOZE["spec"]["gaps"][:3], SHORT_CLOZE["spec"]["gaps"][1]]},
    }
    question_create(bank=bank, data=one_pick)
    question_create(bank=bank, data=CLOZE)  # a gap of several picks: no inline interaction
    before, after, exported, _ = round_trip(bank, "qti30")
    assert "qti-inline-choice-interaction" in exported.text
    assert after["inline"]["text"] == before["inline"]["text"]
    gaps = after["inline"]["spec"]["gaps"]
    # Kept: types, weights, answers and fractions; the answers' feedback is reported lost.
    assert gaps[0]["answers"] == [{"text": "Berlin", "fraction": "1", "feedback": ""}]
    assert gaps[1] == {**before["inline"]["spec"]["gaps"][1]}
    assert [c["fraction"] for c in gaps[2]["choices"]] == ["1", "0"]
    assert gaps[3]["answers"] == [{"text": "blue", "fraction": "1", "feedback": ""}]
    assert "Gap 1: the answers' feedback is not written." in messages(exported.report, "inline")
    assert "capitals" not in after
    assert "A gap of several picks has no inline QTI 3 interaction." in messages(
        exported.report, "capitals"
    )


def test_canvas_blanks_carry_a_cloze_of_short_answers():
    bank = empty_bank("blanks")
    question_create(bank=bank, data=SHORT_CLOZE)
    question_create(bank=bank, data=CLOZE)
    before, after, exported, _ = round_trip(bank, "qti12")
    assert "fill_in_multiple_blanks_question" in exported.text
    assert after["blanks"]["text"] == before["blanks"]["text"]
    gaps = after["blanks"]["spec"]["gaps"]
    assert [[a["text"] for a in g["answers"]] for g in gaps] == [["red", "crimson"], ["blue"]]
    assert "capitals" not in after  # numbers and choices do not fit Canvas's blanks
    assert "Canvas's blanks take typed answers only: not exported." in messages(
        exported.report, "capitals"
    )


def test_canvas_exact_with_margin_and_range_answers():
    bank = empty_bank()
    report = bank_import(
        bank=bank, text=sample("canvas-numerical-qti12.xml"), fmt="qti12", dry_run=False
    )
    assert report.totals["created"] == 1, report.as_dict()
    (question,) = bank_questions(bank).values()
    assert question["spec"]["answers"] == [
        {"value": "9.81", "tolerance": "0.1", "fraction": "1", "feedback": ""},
        {"value": "2", "tolerance": "0.5", "fraction": "1", "feedback": ""},
    ]


GIFT_NUMERICAL = """::year::When was Ulysses S. Grant born?{#
    =1822:0#Right
    =%50%1822:2#Close
    ~#Not even close
}

::range::A number from 1.5 to 2.5?{#1.5..2.5}

::pi::Pi to two places?{#3.14:0.005}
"""


def test_gift_numbers_with_tolerance_ranges_and_partial_credit():
    bank = empty_bank()
    report = bank_import(bank=bank, text=GIFT_NUMERICAL, fmt="gift", dry_run=False)
    assert report.totals["created"] == 3, report.as_dict()
    questions = bank_questions(bank)
    assert questions["year"]["spec"]["answers"] == [
        {"value": "1822", "tolerance": "0", "fraction": "1", "feedback": "Right"},
        {"value": "1822", "tolerance": "2", "fraction": "0.5", "feedback": "Close"},
        {"value": "*", "tolerance": "0", "fraction": "0", "feedback": "Not even close"},
    ]
    assert questions["range"]["spec"]["answers"][0]["value"] == "2"
    assert questions["range"]["spec"]["answers"][0]["tolerance"] == "0.5"
    assert questions["pi"]["spec"]["answers"][0]["tolerance"] == "0.005"
