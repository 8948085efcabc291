"""Formulas of calculated questions: Moodle's syntax evaluated safely, texts with their
wildcards and embedded formulas, and answers shown as Moodle shows them."""

import math

import pytest

from lti_quiz.quiz.kinds.calculated import _interval, answer_shown, spec_problems, substitute
from lti_quiz.quiz.kinds.formula import FormulaError, check, evaluate, wildcards


class TestEvaluate:
    @pytest.mark.parametrize(
        ("formula", "values", "expected"),
        [
            ("0.5*{m}*{v}*{v}", {"m": "2.5", "v": "4"}, 20.0),
            ("{a} + {b} / 2", {"a": 1, "b": 3}, 2.5),
            ("sqrt({a}) + pow(2, 3)", {"a": "16"}, 12.0),
            ("2 ** 10", {}, 1024.0),
            ("-{a} % 3", {"a": 7}, math.fmod(-7, 3)),
            ("sin(pi() / 2)", {}, 1.0),
            ("log(100, 10) + log10(1000)", {}, 5.0),
            ("max({a}, {b}, 4)", {"a": 1, "b": 9}, 9.0),
        ],
    )
    def test_it_computes_moodles_formulas(self, formula, values, expected):
        assert evaluate(formula, values) == pytest.approx(expected)

    @pytest.mark.parametrize(
        ("formula", "message"),
        [
            ("__import__('os').system('true')", "Only numbers"),
            ("{a}.real", "Only numbers"),
            ("open('x')", "Only numbers"),
            ("{a} ^ 2", "Use ** or pow()"),
            ("2 **", "is not a formula"),
            ("9 ** 9999", "A power above 1000"),
            ("{missing} + 1", "{missing} has no values"),
            ("1 / 0", "cannot be computed"),
            ("sqrt(-1)", "cannot be computed"),
        ],
    )
    def test_it_refuses_anything_else_in_words(self, formula, message):
        with pytest.raises(FormulaError) as raised:
            evaluate(formula, {"a": 2})
        assert message in str(raised.value)

    def test_check_names_a_wildcard_without_a_dataset_and_forgives_a_division_by_zero(self):
        assert check("{a} / {b}", {"a"}) == "{b} has no dataset."
        assert check("1 / ({a} - 1.5)", {"a"}) is None
        assert wildcards("{a} * {b} + {a}") == ["a", "b"]


class TestTexts:
    def test_wildcards_and_embedded_formulas_are_replaced(self):
        text = "A {m} kg ball at {v} m/s has {=0.5*{m}*{v}*{v}} J; {unknown} stays."
        assert substitute(text, {"m": "2", "v": "3"}) == (
            "A 2 kg ball at 3 m/s has 9 J; {unknown} stays."
        )

    @pytest.mark.parametrize(
        ("value", "length", "fmt", "shown"),
        [
            (20.456, 2, "decimals", "20.46"),
            (20.456, 0, "decimals", "20"),
            (20456.7, 3, "significant", "20500"),
            (0.0012345, 2, "significant", "0.0012"),
        ],
    )
    def test_answers_are_shown_as_moodle_formats_them(self, value, length, fmt, shown):
        assert answer_shown(value, length=length, answer_format=fmt) == shown


class TestTolerances:
    def test_relative_nominal_and_geometric_as_moodle_computes_them(self):
        assert _interval(200.0, {"tolerance": "0.01", "tolerance_type": "relative"}) == (
            pytest.approx(198.0),
            pytest.approx(202.0),
        )
        assert _interval(70.0, {"tolerance": "0.1", "tolerance_type": "nominal"}) == (
            pytest.approx(69.9),
            pytest.approx(70.1),
        )
        low, high = _interval(-50.0, {"tolerance": "0.25", "tolerance_type": "geometric"})
        assert (low, high) == (pytest.approx(-62.5), pytest.approx(-40.0))


class TestSpec:
    SPEC = {
        "answers": [{"formula": "{f}*{d}", "tolerance": "0.1", "fraction": "1"}],
        "datasets": [{"name": "f", "values": ["20"]}, {"name": "d", "values": ["3.5"]}],
    }

    def test_a_valid_spec_has_no_problems(self):
        assert spec_problems(self.SPEC) == []

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"datasets": []}, "datasets: give at least one dataset."),
            ({"datasets": [{"name": "f", "values": ["20"]}]}, "answers[1].formula: {d} has no"),
            ({"datasets": [{"name": "1f", "values": ["1"]}]}, "datasets[1].name: letters"),
            ({"datasets": [{"name": "f", "values": ["x"]}]}, "datasets[1].values: numbers"),
            ({"answers": [{"formula": "{f}", "fraction": "0.5"}]}, "one answer must give full"),
            ({"answers": [{"formula": "{f}", "tolerance": "-1"}]}, "tolerance: a number, 0"),
            ({"answers": [{"formula": "{f}", "tolerance_type": "x"}]}, "tolerance_type: one of"),
            ({"answers": [{"formula": "{f}", "answer_length": 12}]}, "answer_length: a whole"),
        ],
    )
    def test_each_problem_is_named(self, change, message):
        problems = spec_problems({**self.SPEC, **change})
        assert any(message in problem for problem in problems), problems
