"""Scoring and patterns: pure functions, no database."""

from decimal import Decimal

import pytest

from lti_quiz.quiz import patterns, scoring
from lti_quiz.quiz.errors import InvalidAnswer
from tests.factories.quiz import snapshot_question


class TestSingleChoice:
    def test_the_correct_key_scores_the_points(self):
        outcome = scoring.score_question(snapshot_question(points="2"), ["k1"])
        assert outcome.is_correct is True
        assert outcome.score == Decimal(2)
        assert outcome.feedback == "fb k1"

    def test_a_wrong_key_scores_zero_with_its_feedback(self):
        outcome = scoring.score_question(snapshot_question(), ["k2"])
        assert (outcome.is_correct, outcome.score, outcome.feedback) == (False, 0, "fb k2")

    def test_no_answer_scores_zero(self):
        outcome = scoring.score_question(snapshot_question(), [])
        assert (outcome.is_correct, outcome.score) == (False, 0)

    def test_a_single_key_may_come_as_a_string(self):
        assert scoring.score_question(snapshot_question(), "k1").is_correct is True

    def test_it_refuses_two_keys(self):
        with pytest.raises(InvalidAnswer):
            scoring.score_question(snapshot_question(), ["k1", "k2"])

    def test_it_refuses_a_key_the_question_does_not_have(self):
        with pytest.raises(InvalidAnswer):
            scoring.score_question(snapshot_question(), ["guess"])


class TestMultipleResponse:
    @pytest.fixture
    def question(self):
        return snapshot_question("multiple_response", correct=("k1", "k3"))

    def test_exactly_the_correct_keys_score_the_points(self, question):
        outcome = scoring.score_question(question, ["k3", "k1"])
        assert (outcome.is_correct, outcome.score) == (True, 1)

    def test_a_missing_key_scores_nothing(self, question):
        assert scoring.score_question(question, ["k1"]).score == 0

    def test_an_extra_key_scores_nothing(self, question):
        assert scoring.score_question(question, ["k1", "k2", "k3"]).score == 0

    def test_it_refuses_the_same_key_twice(self, question):
        with pytest.raises(InvalidAnswer):
            scoring.score_question(question, ["k1", "k1"])


class TestTrueFalse:
    def test_it_scores_like_a_single_choice(self):
        question = snapshot_question("true_false", keys=("t", "f"), correct=("f",))
        assert scoring.score_question(question, ["f"]).is_correct is True
        assert scoring.score_question(question, ["t"]).is_correct is False


class TestShortAnswer:
    @pytest.fixture
    def question(self):
        return snapshot_question("short_answer", patterns=("source*", "shadow traffic"))

    def test_a_matching_answer_is_correct(self, question):
        outcome = scoring.score_question(question, "  Check the SOURCES ")
        assert (outcome.is_correct, outcome.score, outcome.answer) == (True, 1, "Check the SOURCES")

    def test_a_non_matching_answer_waits_for_review_instead_of_being_wrong(self, question):
        outcome = scoring.score_question(question, "Think about it carefully")
        assert outcome.is_correct is None
        assert outcome.pending
        assert outcome.score == 0

    def test_a_blank_answer_is_wrong_without_review(self, question):
        outcome = scoring.score_question(question, "   ")
        assert (outcome.is_correct, outcome.pending) == (False, False)

    def test_a_form_list_of_one_value_is_read_as_text(self, question):
        assert scoring.score_question(question, ["shadow-traffic"]).is_correct is True

    def test_it_refuses_an_overlong_answer(self, question):
        with pytest.raises(InvalidAnswer):
            scoring.score_question(question, "source " * 400)


class TestScoreAnswers:
    def test_it_scores_every_slot_and_totals_decided_points(self):
        snapshot = {
            "questions": [
                snapshot_question(slot="1"),
                snapshot_question("short_answer", patterns=("expert",), slot="2"),
                snapshot_question(slot="3"),
            ]
        }
        outcomes = scoring.score_answers(snapshot, {"1": ["k1"], "2": "my cat"})
        assert outcomes["3"].is_correct is False  # unanswered
        assert scoring.total(outcomes) == (Decimal(1), True)

    def test_it_refuses_an_answer_for_a_question_not_asked(self):
        with pytest.raises(InvalidAnswer):
            scoring.score_answers({"questions": [snapshot_question()]}, {"99": ["k1"]})


class TestPatterns:
    @pytest.mark.parametrize(
        ("pattern", "text"),
        [
            ("test*", "I would TEST it"),
            ("test*", "testing on my data"),
            ("long tail prompt*", "write Long-Tail prompts"),
            ("shadow traffic", "run shadow\ttraffic"),
            ("compar* with the teacher model", "Comparing with the teacher model"),
        ],
    )
    def test_it_matches_whole_words_in_any_case(self, pattern, text):
        assert patterns.matches(pattern, text)

    @pytest.mark.parametrize(
        ("pattern", "text"),
        [("test*", "the latest one"), ("source*", "a resource"), ("eval", "evaluation")],
    )
    def test_it_does_not_match_inside_other_words(self, pattern, text):
        assert not patterns.matches(pattern, text)

    @pytest.mark.parametrize("pattern", ["", "   ", "a.*b", "(test)", "te*st"])
    def test_it_refuses_patterns_that_are_not_words(self, pattern):
        with pytest.raises(ValueError):
            patterns.validate(pattern)
