"""Matching that does not accept negated answers: patterns.judge, no database."""

import pytest

from lti_quiz.quiz import patterns

# The seed quiz's question 8 ("Name one way to verify an AI answer about distillation.").
SEED = [
    "source*", "document*", "paper*", "reference*", "original*",
    "expert*", "teacher*", "instructor*", "specialist*", "adult*",
    "test*", "eval*", "benchmark*", "shadow traffic", "long tail prompt*",
    "compar* with the teacher model",
]  # fmt: skip


class TestTheExamplesThatWereAcceptedWrongly:
    def test_no_source_needed_goes_to_review_because_of_no(self):
        judgement = patterns.judge(SEED, "No source needed")
        assert judgement.accepted is None
        assert judgement.reason == "Matched `source*`, but 'no' comes before it."

    def test_dont_test_blindly_goes_to_review_because_of_dont(self):
        judgement = patterns.judge(SEED, "don't test blindly")
        assert judgement.accepted is None
        assert judgement.reason == "Matched `test*`, but 'don't' comes before it."


@pytest.mark.parametrize(
    "answer",
    [
        "Check it against a trusted source.",
        "Ask an expert in model compression.",
        "Run shadow traffic on the real workload before switching.",
        "Read the original paper.",
        "Compare with the teacher model on long-tail prompts.",
        "Evaluate it on long-tail prompts from our own logs",
        "Benchmark the distilled model against the teacher",
        "Don\u2019t trust it blindly; test it on your own workload.",  # negation in its own clause
        "Not only the aggregate score but also an expert's opinion",
        "Look it up in the documentation",
        "I would rather ask my instructor",
    ],
)
def test_genuine_answers_are_accepted(answer):
    judgement = patterns.judge(SEED, answer)
    assert (judgement.accepted, judgement.reason) == (True, "")


@pytest.mark.parametrize(
    ("answer", "cue"),
    [
        ("No source needed", "no"),
        ("You do not need to test it", "not"),
        ("Never test, just ship it", "never"),
        ("Deploy it without checking a trusted source", "without"),
        ("It doesn't need an expert", "doesn't"),
        ("Trust it instead of testing", "instead of"),
        ("Use the aggregate score rather than benchmarks", "rather than"),
        ("Avoid shadow traffic, it is slow", "avoid"),
        ("dont test", "dont"),  # typed without the apostrophe
        ("Don\u2019t test it", "don't"),  # a typographic apostrophe
        ("Skip the evals", "skip"),
        ("You can't really test that", "can't"),
        ("There is nothing to test", "nothing"),
        ("None of the references", "none"),
    ],
)
def test_a_match_after_a_negation_cue_goes_to_review_naming_the_cue(answer, cue):
    judgement = patterns.judge(SEED, answer)
    assert judgement.accepted is None
    assert f"but '{cue}' comes before it" in judgement.reason


@pytest.mark.parametrize(
    ("answer", "cue"),
    [("Sources aren't needed", "aren't"), ("Tests are useless here", "useless")],
)
def test_a_match_negated_right_after_it_goes_to_review(answer, cue):
    judgement = patterns.judge(SEED, answer)
    assert judgement.accepted is None
    assert f"but '{cue}' comes after it" in judgement.reason


def test_one_negated_match_is_enough_to_send_an_answer_to_review():
    """Never auto-accept a negated match, even beside a plain one."""
    judgement = patterns.judge(SEED, "No need for an expert, run a benchmark")
    assert judgement.accepted is None
    assert "`expert*`" in judgement.reason


def test_a_negation_in_an_earlier_sentence_does_not_reach_the_match():
    assert patterns.judge(SEED, "Do not trust the output. Test it.").accepted is True


def test_a_negation_far_before_the_match_does_not_count():
    answer = "Not something to trust as it is; people who know it well, like an expert"
    assert patterns.judge(SEED, answer).accepted is True


def test_without_x_y_fails_is_left_to_review_which_is_the_safe_side():
    judgement = patterns.judge(SEED, "Without tests, regressions go unnoticed")
    assert judgement.accepted is None


def test_an_answer_that_matches_nothing_waits_for_review_as_before():
    judgement = patterns.judge(SEED, "I would think about it carefully.")
    assert (judgement.accepted, judgement.reason) == (None, "No accepted pattern matched.")


def test_a_rejected_pattern_sends_a_matching_answer_to_review():
    judgement = patterns.judge(SEED, "Compare the aggregate eval score", rejected=["aggregate"])
    assert judgement.accepted is None
    assert judgement.reason == (
        "Matched `eval*`, but also `aggregate`, which this question marks as wrong."
    )


def test_the_pattern_must_still_match_whole_words():
    assert patterns.judge(SEED, "contest the claim").accepted is None
