"""Numerical questions: reading numbers, tolerance, units, validation. No database."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from lti_quiz.quiz import scoring
from lti_quiz.quiz.kinds.numbers import number_parse, number_split
from lti_quiz.quiz.question_format import question_validate
from lti_quiz.quiz.statistics import question_statistics


def numerical(spec: dict, points: str = "2") -> dict:
    return {"slot": "1", "kind": "numerical", "text": "g?", "points": points, "spec": spec}


GRAVITY = {
    "answers": [
        {"value": "9.81", "tolerance": "0.05", "fraction": "1", "feedback": "Yes."},
        {"value": "10", "tolerance": "0.5", "fraction": "0.5", "feedback": "Roughly."},
        {"value": "*", "fraction": "0", "feedback": "No."},
    ],
    "units": [{"unit": "m/s²", "multiplier": "1"}, {"unit": "cm/s²", "multiplier": "100"}],
    "unit_handling": "required",
    "unit_penalty": "0.25",
}


class TestReadingNumbers:
    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("9.81", "9.81"),
            (" -2 ", "-2"),
            ("+.5", "0.5"),
            ("1,5", "1.5"),
            ("3e2", "300"),
            ("\u22124", "-4"),
        ],
    )
    def test_it_reads_a_number(self, text, value):
        assert number_parse(text) == Decimal(value)

    @pytest.mark.parametrize("text", ["", "nine", "1.2.3", "1 000", "inf", "NaN", "0x10"])
    def test_it_refuses_what_is_not_a_number(self, text):
        assert number_parse(text) is None

    def test_it_splits_the_number_from_its_unit(self):
        assert number_split("981 cm/s²") == (Decimal(981), "cm/s²")
        assert number_split("$ 5", units_left=True) == (Decimal(5), "$")


class TestScoring:
    def test_a_number_within_the_tolerance_scores_the_points(self):
        outcome = scoring.score_question(numerical(GRAVITY), "9.85 m/s²")
        assert (outcome.is_correct, outcome.score, outcome.feedback) == (True, 2, "Yes.")

    def test_the_tolerance_edge_is_inside(self):
        assert scoring.score_question(numerical(GRAVITY), "9.76 m/s²").is_correct is True

    def test_the_first_matching_answer_counts(self):
        # 9.9 is outside 9.81 ± 0.05 and inside 10 ± 0.5: half of 2 points.
        outcome = scoring.score_question(numerical(GRAVITY), "9.9 m/s²")
        assert (outcome.is_correct, outcome.score, outcome.feedback) == (False, 1, "Roughly.")

    def test_the_catch_all_matches_any_other_number(self):
        outcome = scoring.score_question(numerical(GRAVITY), "42 m/s²")
        assert (outcome.score, outcome.feedback) == (0, "No.")

    def test_another_unit_is_converted_by_its_multiplier(self):
        # 981 cm/s² / 100 = 9.81 m/s².
        assert scoring.score_question(numerical(GRAVITY), "981 cm/s²").is_correct is True

    def test_a_missing_unit_loses_the_unit_penalty(self):
        # 2 points * (1 - 0.25) = 1.5.
        outcome = scoring.score_question(numerical(GRAVITY), "9.81")
        assert (outcome.is_correct, outcome.score) == (False, Decimal("1.5"))

    def test_a_penalty_of_the_response_grade_scales_with_the_answer(self):
        spec = {**GRAVITY, "unit_grading": "response"}
        # The half answer: 0.5 - 0.25 * 0.5 = 0.375 of 2 points.
        assert scoring.score_question(numerical(spec), "10").score == Decimal("0.75")

    def test_an_unknown_unit_when_units_are_optional_scores_zero(self):
        spec = {**GRAVITY, "unit_handling": "optional"}
        assert scoring.score_question(numerical(spec), "9.81 kg").score == 0
        assert scoring.score_question(numerical(spec), "9.81").is_correct is True

    def test_a_unit_when_there_are_none_makes_the_answer_unreadable(self):
        spec = {"answers": [{"value": "3", "tolerance": "0", "fraction": "1"}]}
        assert scoring.score_question(numerical(spec), "3 m").score == 0
        assert scoring.score_question(numerical(spec), "3").is_correct is True

    def test_words_score_zero_without_an_error(self):
        outcome = scoring.score_question(numerical(GRAVITY), "about ten")
        assert (outcome.is_correct, outcome.score, outcome.answer) == (False, 0, "about ten")

    def test_a_comma_is_a_decimal_separator(self):
        assert scoring.score_question(numerical(GRAVITY), "9,81 m/s²").is_correct is True

    def test_the_score_is_rounded_to_the_cent(self):
        spec = {"answers": [{"value": "1", "tolerance": "0", "fraction": "0.333333"}]}
        assert scoring.score_question(numerical(spec, points="1"), "1").score == Decimal("0.33")


def errors_of(spec: dict) -> dict:
    return question_validate({"kind": "numerical", "text": "How much?", "spec": spec})


class TestValidation:
    def test_a_good_spec_is_valid(self):
        assert errors_of(GRAVITY) == {}

    def test_it_needs_an_answer(self):
        assert errors_of({}) == {"spec.answers": ["Give at least one answer."]}

    def test_it_names_the_answer_whose_value_is_not_a_number(self):
        errors = errors_of({"answers": [{"value": "x", "fraction": "1"}]})
        assert errors["spec.answers[1].value"] == ['A number, or "*" for any number.']

    def test_it_needs_a_full_credit_answer(self):
        errors = errors_of({"answers": [{"value": "1", "fraction": "0.5"}]})
        assert errors["spec.answers"] == ["One answer needs the fraction 1 (full credit)."]

    def test_it_refuses_a_negative_tolerance_and_a_fraction_above_one(self):
        errors = errors_of({"answers": [{"value": "1", "tolerance": "-1", "fraction": "2"}]})
        assert "spec.answers[1].tolerance" in errors
        assert "spec.answers[1].fraction" in errors

    def test_the_first_unit_has_multiplier_one(self):
        spec = {**GRAVITY, "units": [{"unit": "cm", "multiplier": "100"}]}
        assert "spec.units[1].multiplier" in errors_of(spec)

    def test_required_units_need_a_unit(self):
        assert errors_of({**GRAVITY, "units": []}) == {
            "spec.units": ["Unit handling required needs at least one unit."]
        }

    def test_it_refuses_choices(self):
        errors = question_validate(
            {"kind": "numerical", "text": "?", "spec": GRAVITY, "choices": [{"text": "a"}]}
        )
        assert errors == {"choices": ["A numerical question has no choices."]}


class TestStatistics:
    def test_full_credit_counts_as_correct_and_partial_credit_does_not(self):
        question = {**numerical(GRAVITY), "question_id": 7, "choices": []}
        attempts = [
            ({"questions": [question]}, [SimpleNamespace(slot="1", **outcome)])
            for outcome in (
                {"answer": "9.81 m/s²", "is_correct": True, "review_state": "auto"},
                {"answer": "9.81", "is_correct": False, "review_state": "auto"},  # unit penalty
                {"answer": "ten", "is_correct": False, "review_state": "auto"},
            )
        ]
        (stats,) = question_statistics(attempts)
        assert (stats.asked, stats.correct, stats.percent_correct) == (3, 1, 33)
