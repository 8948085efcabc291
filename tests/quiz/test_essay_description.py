"""Essays (always a person's to mark, word limits as advice) and descriptions (a text between
questions: no score, no answer, never drawn)."""

from decimal import Decimal

import pytest

from lti_quiz.quiz import scoring
from lti_quiz.quiz.drafts import _answer_problem
from lti_quiz.quiz.kinds.essay import ESSAY, word_count
from lti_quiz.quiz.question_format import question_validate
from tests.factories.quiz import question_payload

WHOLE = "a whole number of words from 1, or null for no limit."
FORMATS = "must be one of: plain, monospaced."


def essay(**spec) -> dict:
    return {"slot": "1", "kind": "essay", "text": "Discuss.", "points": "5", "spec": spec}


def essay_payload(**fields) -> dict:
    return question_payload(
        "essay", **{"choices": [], "model_answer": "Mentions both sides.", **fields}
    )


class TestEssayScoring:
    def test_an_essay_always_waits_for_a_person(self):
        outcome = scoring.score_question(essay(), "  Distillation trades accuracy for size. ")
        assert outcome.pending
        assert outcome.score == 0
        assert outcome.answer == "Distillation trades accuracy for size."
        assert outcome.review_reason == "An essay is marked by a person."

    def test_a_blank_essay_waits_too(self):
        assert scoring.score_question(essay(), "").pending

    def test_an_essay_over_its_limit_is_kept_and_the_reviewer_told_by_how_much(self):
        outcome = scoring.score_question(essay(max_words=3), "one two three four five")
        assert outcome.answer == "one two three four five"
        assert outcome.review_reason == (
            "An essay is marked by a person. It has 5 words; at most 3 are asked for."
        )

    def test_an_essay_under_its_minimum_says_so(self):
        outcome = scoring.score_question(essay(min_words=10), "too short")
        assert outcome.review_reason.endswith("It has 2 words; at least 10 are asked for.")

    def test_words_count_as_moodle_counts_them(self):
        assert word_count("Don't   stop—the model's size, 2 x_y!") == 7
        assert word_count("  ") == 0

    def test_the_quiz_page_starts_from_the_template_until_the_learner_writes(self):
        question = essay(response_template="Claim:\nEvidence:")
        assert ESSAY.ask(question, None)["answer_text"] == "Claim:\nEvidence:"
        assert ESSAY.ask(question, "")["answer_text"] == ""


class TestEssayValidation:
    def test_a_complete_essay_is_valid(self):
        spec = {"min_words": 50, "max_words": 300, "response_template": "Claim:",
                "response_format": "plain"}  # fmt: skip
        assert question_validate(essay_payload(spec=spec)) == {}

    @pytest.mark.parametrize(
        ("spec", "message"),
        [
            ({"max_words": 0}, f"spec.max_words: {WHOLE}"),
            ({"min_words": "ten"}, f"spec.min_words: {WHOLE}"),
            ({"min_words": 20, "max_words": 10}, "spec.min_words: more than spec.max_words."),
            ({"response_format": "editor"}, f"spec.response_format: {FORMATS}"),
            ({"response_template": 3}, "spec.response_template: must be a string."),
            ({"words": 3}, "spec.words: unknown setting."),
        ],
    )
    def test_a_wrong_setting_is_named(self, spec, message):
        assert question_validate(essay_payload(spec=spec))["spec"] == [message]

    def test_an_essay_has_no_choices(self):
        errors = question_validate(
            essay_payload(choices=[{"text": "a", "is_correct": True}, {"text": "b"}])
        )
        assert errors["choices"] == ["An essay question has no choices."]


class TestDescription:
    def test_a_description_scores_nothing(self):
        payload = question_payload("description", choices=[], points="0")
        assert question_validate(payload) == {}
        payload["points"] = "1"
        assert question_validate(payload)["points"] == [
            "A description scores nothing: its points are 0."
        ]

    def test_a_description_takes_no_draft(self):
        assert _answer_problem({"kind": "description", "slot": "2"}, "hello")

    def test_scoring_leaves_a_description_out(self):
        snapshot = {
            "questions": [
                {"slot": "1", "kind": "description", "text": "Read this.", "points": "0"},
                essay() | {"slot": "2"},
            ]
        }
        outcomes = scoring.score_answers(snapshot, {"2": "An answer."})
        assert list(outcomes) == ["2"]
        assert scoring.total(outcomes) == (Decimal(0), True)


@pytest.mark.django_db
class TestDraws:
    @pytest.fixture
    def bank_(self):
        from lti_quiz.quiz import bank
        from tests.factories.text_kinds import description_payload

        physics = bank.bank_create(slug="physics", title="Physics")
        bank.question_create(bank=physics, data=description_payload(key="intro", tags=["unit"]))
        bank.question_create(bank=physics, data=question_payload(key="q1", tags=["unit"]))
        return physics

    def test_a_draw_never_picks_a_description(self, bank_):
        import random

        from lti_quiz.quiz.quizzes import quiz_create
        from lti_quiz.quiz.snapshots import snapshot_take

        quiz = quiz_create(
            data={"slug": "drawn", "title": "Drawn", "draw": {"bank": bank_.pk, "count": 1}}
        )
        for seed in range(5):
            snapshot = snapshot_take(quiz=quiz, rng=random.Random(seed))
            assert [q["kind"] for q in snapshot["questions"]] == ["single_choice"]

    def test_a_draw_counts_no_description_as_available(self, bank_):
        from lti_quiz.quiz.errors import InvalidData
        from lti_quiz.quiz.quizzes import quiz_create

        with pytest.raises(InvalidData) as refused:
            draw = {"bank": bank_.pk, "count": 2}
            quiz_create(data={"slug": "drawn", "title": "Drawn", "draw": draw})
        assert "only 1 active questions" in str(refused.value.errors)
