"""Partial credit on choice answers: each option's fraction, the multiple-response rules
(all or nothing, per option), and what validation refuses. Values worked out by hand."""

from decimal import Decimal

import pytest

from lti_quiz.quiz import scoring
from lti_quiz.quiz.question_format import question_validate
from tests.factories.quiz import question_payload


def question(kind: str, options: list[tuple[bool, str | None]], **spec: str) -> dict:
    """A snapshot question of `options` (correct, fraction) with keys k1, k2...; 2 points."""
    return {
        "slot": "1",
        "kind": kind,
        "text": "Question?",
        "points": "2",
        "spec": spec,
        "choices": [
            {"key": f"k{n}", "text": f"t{n}", "is_correct": right, "fraction": fraction,
             "feedback": ""}
            for n, (right, fraction) in enumerate(options, start=1)
        ],
    }  # fmt: skip


class TestSingleChoice:
    options = [(True, None), (False, "0.5"), (False, "-0.5"), (False, None)]

    def test_a_partly_right_option_earns_its_share_and_is_not_correct(self):
        outcome = scoring.score_question(question("single_choice", self.options), ["k2"])
        assert (outcome.score, outcome.is_correct) == (Decimal("1.00"), False)

    def test_the_right_option_earns_everything(self):
        outcome = scoring.score_question(question("single_choice", self.options), ["k1"])
        assert (outcome.score, outcome.is_correct) == (Decimal(2), True)

    def test_a_negative_option_scores_zero_not_below(self):
        outcome = scoring.score_question(question("single_choice", self.options), ["k3"])
        assert (outcome.score, outcome.is_correct) == (0, False)

    def test_a_third_rounds_to_cents(self):
        options = [(True, None), (False, "0.3333333")]
        outcome = scoring.score_question(question("single_choice", options), ["k2"])
        assert outcome.score == Decimal("0.67")  # 2 x 0.3333333 = 0.6666666

    def test_true_false_scores_a_fraction_the_same_way(self):
        options = [(True, None), (False, "0.25")]
        assert scoring.score_question(question("true_false", options), ["k2"]).score == Decimal(
            "0.50"
        )


class TestMultipleResponse:
    # Three right options of four (R = 3).
    options = [(True, None), (True, None), (True, None), (False, None)]

    def test_all_or_nothing_is_the_default(self):
        q = question("multiple_response", self.options)
        assert scoring.score_question(q, ["k1", "k2"]).score == 0
        assert scoring.score_question(q, ["k1", "k2", "k3"]).score == 2

    def test_per_option_adds_a_third_per_right_option(self):
        q = question("multiple_response", self.options, scoring="per_option")
        outcome = scoring.score_question(q, ["k1", "k2"])
        assert (outcome.score, outcome.is_correct) == (Decimal("1.33"), False)

    def test_per_option_a_wrong_tick_takes_a_third_away(self):
        q = question("multiple_response", self.options, scoring="per_option")
        # 1/3 + 1/3 + 1/3 - 1/3 = 2/3 of 2 points.
        outcome = scoring.score_question(q, ["k1", "k2", "k3", "k4"])
        assert (outcome.score, outcome.is_correct) == (Decimal("1.33"), False)

    def test_per_option_never_goes_below_zero(self):
        q = question("multiple_response", self.options, scoring="per_option")
        assert scoring.score_question(q, ["k4"]).score == 0

    def test_per_option_every_right_option_alone_is_correct(self):
        q = question("multiple_response", self.options, scoring="per_option")
        outcome = scoring.score_question(q, ["k3", "k2", "k1"])
        assert (outcome.score, outcome.is_correct) == (Decimal(2), True)

    def test_per_option_with_moodle_sevenths_of_percent_adds_up_to_the_whole(self):
        third, penalty = "0.3333333", "-1"
        options = [(True, third), (True, third), (True, third), (False, penalty)]
        q = question("multiple_response", options, scoring="per_option")
        assert scoring.score_question(q, ["k1", "k2", "k3"]).score == 2
        assert scoring.score_question(q, ["k1", "k2", "k3", "k4"]).score == 0

    def test_per_option_uses_given_fractions(self):
        options = [(True, "0.75"), (True, "0.25"), (False, "-0.5")]
        q = question("multiple_response", options, scoring="per_option")
        assert scoring.score_question(q, ["k1", "k3"]).score == Decimal("0.50")  # 0.25 x 2


def errors_of(kind: str, **fields) -> list[str]:
    return question_validate(question_payload(kind, **fields)).get("choices", []) + (
        question_validate(question_payload(kind, **fields)).get("spec", [])
    )


class TestValidation:
    def test_a_single_choice_takes_a_partly_right_option(self):
        choices = [
            {"text": "a", "is_correct": True},
            {"text": "b", "is_correct": False, "fraction": "0.5"},
        ]
        assert question_validate(question_payload("single_choice", choices=choices)) == {}

    def test_a_wrong_option_worth_everything_is_refused(self):
        choices = [
            {"text": "a", "is_correct": True},
            {"text": "b", "is_correct": False, "fraction": "1"},
        ]
        assert errors_of("single_choice", choices=choices) == [
            "Choice 2 fraction: only the correct choice is worth 1; a partly right one is "
            "worth less."
        ]

    def test_the_correct_option_worth_less_than_everything_is_refused(self):
        choices = [
            {"text": "a", "is_correct": True, "fraction": "0.5"},
            {"text": "b", "is_correct": False},
        ]
        assert errors_of("single_choice", choices=choices) == [
            "Choice 1 fraction: the correct choice is worth 1 (the whole points)."
        ]

    def test_an_unknown_scoring_rule_is_named(self):
        assert errors_of("multiple_response", spec={"scoring": "generous"}) == [
            "spec.scoring: must be 'all_or_nothing' or 'per_option'."
        ]

    def test_an_unknown_setting_is_named(self):
        errors = errors_of("multiple_response", spec={"penalty": 1})
        assert errors == ["spec.penalty: unknown setting."]

    def test_all_or_nothing_takes_no_fractions(self):
        choices = [
            {"text": "a", "is_correct": True, "fraction": "0.5"},
            {"text": "b", "is_correct": True, "fraction": "0.5"},
            {"text": "c", "is_correct": False},
        ]
        assert errors_of("multiple_response", choices=choices)[0].startswith(
            "Choice 1 fraction: an all-or-nothing multiple response has no fractions"
        )

    def test_per_option_right_fractions_must_add_up_to_one(self):
        choices = [
            {"text": "a", "is_correct": True, "fraction": "0.5"},
            {"text": "b", "is_correct": True, "fraction": "0.25"},
            {"text": "c", "is_correct": False, "fraction": "-1"},
        ]
        assert errors_of("multiple_response", choices=choices, spec={"scoring": "per_option"}) == [
            "The right choices' fractions add up to 0.75, not 1."
        ]

    def test_per_option_a_wrong_option_cannot_earn(self):
        choices = [
            {"text": "a", "is_correct": True},
            {"text": "b", "is_correct": False, "fraction": "0.5"},
        ]
        assert "Choice 2 fraction: a wrong choice is worth 0 or less (a penalty)." in errors_of(
            "multiple_response", choices=choices, spec={"scoring": "per_option"}
        )

    @pytest.mark.parametrize("kind", ["single_choice", "true_false"])
    def test_single_pick_kinds_take_no_spec(self, kind):
        assert question_validate(question_payload(kind, spec={"scoring": "per_option"}))["spec"]
