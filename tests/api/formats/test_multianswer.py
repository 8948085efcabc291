"""Moodle's embedded answers syntax: every subtype read, and written back the same."""

import pytest

from lti_quiz.api.formats.multianswer import multianswer_parse, multianswer_write
from lti_quiz.quiz.question_format import question_validate


def test_it_reads_a_short_answer_gap_with_fractions_and_feedback():
    text, gaps, problems = multianswer_parse(
        "Capital: {1:SHORTANSWER:=Berlin#Yes~%50%Bonn#Old one~*#No}."
    )
    assert text == "Capital: [[1]]."
    assert gaps == [
        {
            "type": "short_answer",
            "case_sensitive": False,
            "answers": [
                {"text": "Berlin", "fraction": "1", "feedback": "Yes"},
                {"text": "Bonn", "fraction": "0.5", "feedback": "Old one"},
                {"text": "*", "fraction": "0", "feedback": "No"},
            ],
        }
    ]
    assert problems == []


def test_it_reads_weights_numbers_and_tolerances():
    text, gaps, _ = multianswer_parse("pi = {2:NM:=3.14:0.01~%50%3:0.5#Close}")
    assert text == "pi = [[1]]"
    assert gaps == [
        {
            "weight": "2",
            "type": "numerical",
            "answers": [
                {"value": "3.14", "tolerance": "0.01", "fraction": "1", "feedback": ""},
                {"value": "3", "tolerance": "0.5", "fraction": "0.5", "feedback": "Close"},
            ],
        }
    ]


@pytest.mark.parametrize(
    ("name", "settings"),
    [
        ("MULTICHOICE", {"display": "dropdown"}),
        ("MC", {"display": "dropdown"}),
        ("MCV", {"display": "vertical"}),
        ("MULTICHOICE_H", {"display": "horizontal"}),
        ("MCS", {"display": "dropdown", "shuffle": True}),
        ("MULTICHOICE_VS", {"display": "vertical", "shuffle": True}),
        ("MCHS", {"display": "horizontal", "shuffle": True}),
        ("MR", {"display": "vertical", "multiple": True}),
        ("MULTIRESPONSE_H", {"display": "horizontal", "multiple": True}),
        ("MRS", {"display": "vertical", "multiple": True, "shuffle": True}),
        ("MULTIRESPONSE_HS", {"display": "horizontal", "multiple": True, "shuffle": True}),
        ("SAC", {"case_sensitive": True}),
        ("MW", {"case_sensitive": False}),
        ("MWC", {"case_sensitive": True}),
    ],
)
def test_it_reads_every_subtype(name, settings):
    _, gaps, _ = multianswer_parse(f"{{1:{name}:=right~%-50%wrong}}")
    gap = gaps[0]
    assert {k: gap[k] for k in settings} == settings
    assert gap.get("multiple", False) == settings.get("multiple", False)
    assert gap.get("shuffle", False) == settings.get("shuffle", False)


def test_escaped_characters_are_themselves():
    _, gaps, _ = multianswer_parse(r"{1:SA:=a\}b\#c\~d\/e\"f#fb \~ \}~*}")
    assert gaps[0]["answers"][0] == {"text": 'a}b#c~d/e"f', "fraction": "1", "feedback": "fb ~ }"}


def test_braces_that_are_not_gaps_stay_text():
    text, gaps, _ = multianswer_parse("Sets {1, 2} and {1:NOPE:=x} and {:SA:=y}")
    assert text == "Sets {1, 2} and {1:NOPE:=x} and [[1]]"
    assert len(gaps) == 1


def test_a_fraction_out_of_range_is_reported():
    _, gaps, problems = multianswer_parse("{1:SA:%150%x~=y}")
    assert gaps[0]["answers"][0]["fraction"] == "0"
    assert problems == ["Gap 1: the fraction 150% is out of range; read as 0."]


ALL_KINDS = (
    "A {1:SHORTANSWER:=Berlin#Yes~%50%Ber*~*#No} B {2:NUMERICAL:=3.14:0.01~%50%3:0.5} "
    "C {1:MULTICHOICE:=red~blue#No} D {3:MULTIRESPONSE_H:%50%a~%50%b~%-100%c} "
    "E {1:SHORTANSWER_C:=a\\}b\\#c\\~d} F {1:MULTICHOICE_VS:=x~y} G {1:MULTIRESPONSE_S:=p~q}"
)


def test_writing_gives_back_what_was_read():
    text, gaps, _ = multianswer_parse(ALL_KINDS)
    written = multianswer_write(text, gaps)
    assert written == ALL_KINDS
    assert multianswer_parse(written) == (text, gaps, [])


def test_what_it_reads_is_a_valid_cloze_question():
    text, gaps, _ = multianswer_parse(ALL_KINDS)
    assert question_validate({"kind": "cloze", "text": text, "spec": {"gaps": gaps}}) == {}
