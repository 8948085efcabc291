"""Calculated questions, calculated multiple choice and random short-answer matching: each
attempt gets its own numbers (or short answers) and keeps a plain question the numerical,
choice or matching kind then asks and scores."""

import random
from decimal import Decimal

import pytest

from lti_quiz.quiz import scoring
from lti_quiz.quiz.bank import question_create
from lti_quiz.quiz.errors import QuizError
from lti_quiz.quiz.question_format import question_validate
from lti_quiz.quiz.snapshots import _question
from tests.factories.quiz import make_bank, question_payload

pytestmark = pytest.mark.django_db

WORK = {
    "answers": [
        {
            "formula": "{f}*{d}",
            "tolerance": "0.01",
            "tolerance_type": "relative",
            "fraction": "1",
            "feedback": "W = {f} N x {d} m.",
            "answer_length": 1,
            "answer_format": "decimals",
        },
        {"formula": "{f}+{d}", "tolerance": "0", "tolerance_type": "nominal", "fraction": "0.5"},
    ],
    "datasets": [
        {"name": "f", "values": ["20", "40"]},
        {"name": "d", "values": ["3.5", "2"]},
    ],
    "units": [{"unit": "J", "multiplier": "1"}],
    "unit_handling": "optional",
}


def asked(question, seed: int = 1) -> dict:
    return _question(question, slot="1", shuffle=True, rng=random.Random(seed))


def calculated(**fields):
    bank = make_bank()
    data = question_payload(
        "calculated", text="A force of {f} N moves a box {d} m: the work?", choices=[], spec=WORK
    )
    return question_create(bank=bank, data={**data, **fields})


class TestCalculated:
    def test_each_attempt_keeps_a_numerical_question_with_its_item_computed(self):
        snapshot = asked(calculated())
        item = snapshot["calculated"]["item"]
        f, d = {1: (20, 3.5), 2: (40, 2)}[item]

        assert snapshot["kind"] == "numerical"
        assert snapshot["text"] == f"A force of {f:g} N moves a box {d:g} m: the work?"
        right = snapshot["spec"]["answers"][0]
        assert Decimal(right["value"]) == Decimal(str(f * d))
        # relative tolerance: 1% of the answer, absolute in the snapshot
        assert Decimal(right["tolerance"]) == Decimal(str(f * d)) / 100
        assert right["feedback"] == f"W = {f:g} N x {d:g} m."

    def test_the_numerical_kind_scores_it_units_and_partial_answers_included(self):
        snapshot = asked(calculated())
        f, d = (float(v) for v in snapshot["calculated"]["values"].values())

        right = scoring.score_question(snapshot, f"{f * d * 1.005:g} J")
        partly = scoring.score_question(snapshot, f"{f + d:g}")
        wrong = scoring.score_question(snapshot, f"{f * d * 1.05:g}")

        assert (right.is_correct, right.score) == (True, Decimal("2.00"))
        assert (partly.is_correct, partly.score) == (False, Decimal("1.00"))
        assert wrong.score == 0

    def test_attempts_get_different_items(self):
        question = calculated()
        items = {asked(question, seed)["calculated"]["item"] for seed in range(20)}
        assert items == {1, 2}

    def test_a_formula_without_a_dataset_is_refused_with_its_name(self):
        spec = {**WORK, "answers": [{"formula": "{f}*{mass}", "fraction": "1"}]}
        data = question_payload("calculated", choices=[], spec=spec)

        errors = question_validate(data)

        assert any("{mass} has no dataset." in e for e in errors["spec"]), errors


class TestCalculatedChoice:
    SPEC = {
        "choices": [
            {"text": "{={w}/{t}} W", "fraction": "1", "feedback": "Work per time."},
            {"text": "{={w}*{t}} W", "fraction": "0", "answer_length": 0},
        ],
        "datasets": [{"name": "w", "values": ["600"]}, {"name": "t", "values": ["12"]}],
        "single": True,
        "shuffle": True,
    }

    def test_options_are_computed_and_the_choice_kind_scores_them(self):
        bank = make_bank()
        data = question_payload(
            "calculated_choice", text="{w} J in {t} s: the power?", choices=[], spec=self.SPEC
        )
        snapshot = asked(question_create(bank=bank, data=data))

        assert snapshot["kind"] == "single_choice"
        assert snapshot["text"] == "600 J in 12 s: the power?"
        texts = {c["text"]: c for c in snapshot["choices"]}
        assert set(texts) == {"50.00 W", "7200 W"}
        outcome = scoring.score_question(snapshot, [texts["50.00 W"]["key"]])
        assert (outcome.is_correct, outcome.feedback) == (True, "Work per time.")

    def test_a_single_answer_question_needs_a_full_marks_option(self):
        spec = {**self.SPEC, "choices": [{**c, "fraction": "0"} for c in self.SPEC["choices"]]}
        errors = question_validate(question_payload("calculated_choice", choices=[], spec=spec))
        assert any("one choice must give full marks" in e for e in errors["spec"])


class TestRandomMatching:
    def short(self, bank, key, text, answer, tags):
        data = question_payload(
            "short_answer",
            key=key,
            text=text,
            patterns=[],
            model_answer="",
            tags=tags,
            spec={"answers": [{"text": answer, "fraction": "1", "feedback": ""}]},
        )
        return question_create(bank=bank, data=data)

    def test_it_draws_short_answers_of_its_category_into_a_matching_question(self):
        bank = make_bank()
        self.short(bank, "p", "Energy per time", "power", ["cat.energy"])
        self.short(bank, "e", "Stored by position", "potential energy", ["cat.energy"])
        self.short(bank, "x", "Unit of force", "newton", ["cat.forces"])
        data = question_payload(
            "random_matching", choices=[], spec={"choose": 2}, tags=["cat.energy"]
        )
        snapshot = asked(question_create(bank=bank, data=data))

        assert snapshot["kind"] == "matching"
        pairs = {p["prompt"]: p["answer"] for p in snapshot["spec"]["pairs"]}
        assert pairs == {"Energy per time": "power", "Stored by position": "potential energy"}

    def test_too_few_short_answers_is_a_clear_error(self):
        bank = make_bank()
        self.short(bank, "p", "Energy per time", "power", ["cat.energy"])
        data = question_payload(
            "random_matching", choices=[], spec={"choose": 3}, tags=["cat.energy"]
        )
        question = question_create(bank=bank, data=data)

        with pytest.raises(QuizError, match="needs 3 short-answer questions"):
            asked(question)
