"""Cloze questions: the text's segments, each gap's score, the weighted total, validation."""

from decimal import Decimal

import pytest

from lti_quiz.quiz import scoring
from lti_quiz.quiz.errors import InvalidAnswer
from lti_quiz.quiz.kinds.base import gap_segments
from lti_quiz.quiz.kinds.cloze import CLOZE
from lti_quiz.quiz.kinds.wildcard import wildcard_matches
from lti_quiz.quiz.question_format import question_validate

TEXT = "The capital is [[1]], pi is [[2]] and the sky is [[3]]; tick [[4]]."
GAPS = [
    {
        "type": "short_answer",
        "weight": "1",
        "answers": [
            {"text": "Berlin", "fraction": "1", "feedback": "Good."},
            {"text": "Ber*", "fraction": "0.5", "feedback": "Almost."},
            {"text": "*", "fraction": "0", "feedback": "No."},
        ],
    },
    {
        "type": "numerical",
        "weight": "2",
        "answers": [{"value": "3.14", "tolerance": "0.01", "fraction": "1", "feedback": ""}],
    },
    {
        "type": "choice",
        "weight": "1",
        "display": "dropdown",
        "choices": [
            {"text": "blue", "fraction": "1", "feedback": ""},
            {"text": "red", "fraction": "0", "feedback": "At sunset."},
        ],
    },
    {
        "type": "choice",
        "weight": "2",
        "display": "vertical",
        "multiple": True,
        "choices": [
            {"text": "a", "fraction": "0.5", "feedback": ""},
            {"text": "b", "fraction": "0.5", "feedback": ""},
            {"text": "c", "fraction": "-0.5", "feedback": ""},
        ],
    },
]


def cloze(points: str = "6") -> dict:
    """As a snapshot keeps it: choice keys k1, k2... in each choice gap."""
    gaps = []
    for gap in GAPS:
        if gap["type"] == "choice":
            gap = {
                **gap,
                "choices": [{**c, "key": f"k{n}"} for n, c in enumerate(gap["choices"], start=1)],
            }
        gaps.append(gap)
    return {"slot": "1", "kind": "cloze", "text": TEXT, "points": points, "spec": {"gaps": gaps}}


class TestSegments:
    def test_it_cuts_the_text_at_the_gaps(self):
        assert gap_segments("A [[1]] b [[2]]") == [
            {"text": "A "},
            {"gap": 1},
            {"text": " b "},
            {"gap": 2},
        ]

    def test_a_text_without_gaps_is_one_segment(self):
        assert gap_segments("<b>x</b> [1]") == [{"text": "<b>x</b> [1]"}]

    def test_the_quiz_page_never_shows_fractions_or_feedback(self):
        shown = CLOZE.ask(cloze(), {"3": "k1"})
        assert "fraction" not in str(shown) and "At sunset" not in str(shown)
        dropdown = shown["segments"][5]["gap"]
        assert [c["chosen"] for c in dropdown["choices"]] == [True, False]


def test_a_gap_of_several_picks_without_a_display_shows_boxes():
    question = cloze()
    del question["spec"]["gaps"][3]["display"]
    shown = CLOZE.ask(question, None)
    assert shown["segments"][7]["gap"]["display"] == "vertical"


class TestShortAnswerMatching:
    @pytest.mark.parametrize(
        ("pattern", "response", "case", "matches"),
        [
            ("Berlin", " berlin ", False, True),
            ("Berlin", "berlin", True, False),
            ("Ber*", "Bern", False, True),
            ("Berlin", "Berlin!", False, False),
            (r"a\*b", "a*b", False, True),
            (r"a\*b", "axb", False, False),
            ("a.b", "axb", False, False),
        ],
    )
    def test_it_matches_as_moodle_shortanswer(self, pattern, response, case, matches):
        assert wildcard_matches(pattern, response, case_sensitive=case) is matches


class TestScoring:
    def test_every_gap_right_scores_the_points(self):
        outcome = scoring.score_question(
            cloze(), {"1": "Berlin", "2": "3.15", "3": "k1", "4": "k1 k2"}
        )
        assert (outcome.is_correct, outcome.score) == (True, 6)

    def test_gaps_count_by_weight(self):
        # Weights 1, 2, 1, 2: gap 1 half (0.5), gap 2 right (2), gap 3 wrong, gap 4 a, b, c
        # (0.5 + 0.5 - 0.5 = 0.5 → 1): (0.5 + 2 + 0 + 1) / 6 * 6 points = 3.5.
        outcome = scoring.score_question(
            cloze(), {"1": "Bern", "2": "3.14", "3": "k2", "4": "k1 k2 k3"}
        )
        assert (outcome.is_correct, outcome.score) == (False, Decimal("3.5"))
        assert outcome.feedback == "Gap 1: Almost.\nGap 3: At sunset."

    def test_a_multiple_pick_gap_never_goes_below_zero(self):
        outcome = scoring.score_question(cloze(), {"4": "k3"})
        assert outcome.score == 0

    def test_blank_gaps_score_zero(self):
        outcome = scoring.score_question(cloze(), {})
        assert (outcome.is_correct, outcome.score) == (False, 0)
        assert outcome.answer == {"1": "", "2": "", "3": "", "4": ""}

    def test_a_gap_that_is_not_a_number_scores_zero(self):
        assert scoring.score_question(cloze(), {"2": "pi"}).score == 0

    def test_it_refuses_a_part_the_question_does_not_have(self):
        with pytest.raises(InvalidAnswer):
            scoring.score_question(cloze(), {"9": "x"})

    def test_the_review_marks_each_gap(self):
        shown = CLOZE.review(cloze(), {"1": "Paris", "3": "k1"})
        gaps = [s["gap"] for s in shown["segments"] if "gap" in s]
        assert [g["is_correct"] for g in gaps] == [False, False, True, False]
        assert gaps[0]["right_answer"] == "Berlin" and gaps[2]["answer"] == "blue"
        assert gaps[1]["right_answer"] == "3.14 ± 0.01"


def errors_of(text: str, gaps: list) -> dict:
    return question_validate({"kind": "cloze", "text": text, "spec": {"gaps": gaps}})


class TestValidation:
    def test_a_good_cloze_is_valid(self):
        assert errors_of(TEXT, GAPS) == {}

    def test_every_gap_is_placed_once(self):
        errors = errors_of("Only [[1]] and [[1]] and [[7]].", GAPS[:2])
        assert errors["text"] == [
            "Place gap 1 once in the text as [[1]] (2 found).",
            "Place gap 2 once in the text as [[2]] (0 found).",
            "The text has [[7]] but spec.gaps has 2 gaps.",
        ]

    def test_it_names_the_gap_and_the_answer(self):
        gaps = [{"type": "short_answer", "answers": [{"text": " ", "fraction": "1"}]}]
        assert errors_of("[[1]]", gaps) == {
            "spec.gaps[1].answers[1].text": ["This field may not be blank."]
        }

    def test_it_refuses_an_unknown_gap_type(self):
        assert errors_of("[[1]]", [{"type": "essay"}]) == {
            "spec.gaps[1].type": ["Must be one of: short_answer, numerical, choice."]
        }

    def test_a_choice_gap_needs_a_right_choice(self):
        gap = {
            **GAPS[2],
            "choices": [{"text": "x", "fraction": "0"}, {"text": "y", "fraction": "0.5"}],
        }
        assert errors_of("[[1]]", [gap]) == {
            "spec.gaps[1].choices": ["One choice needs the fraction 1."]
        }

    def test_a_weight_is_above_zero(self):
        assert "spec.gaps[1].weight" in errors_of("[[1]]", [{**GAPS[1], "weight": "0"}])

    def test_it_needs_gaps(self):
        assert errors_of("Text", []) == {"spec.gaps": ["Give at least one gap."]}
