"""A reviewer's full, partial or no credit with a comment (quiz.reviews), and answers that
scoring sends to review with the reason: through the services, on the database."""

from decimal import Decimal

import pytest

from lti_quiz.quiz import reviews, scoring, services
from lti_quiz.quiz.errors import InvalidReview
from lti_quiz.quiz.models import Response
from lti_quiz.quiz.signals import attempt_rescored
from tests.factories.quiz import (
    answers_from_key,
    load_seed_content,
    make_placement,
    make_quiz,
    snapshot_question,
)
from tests.support.answer_key import SHORT_ANSWER_QUESTION

pytestmark = pytest.mark.django_db
ALICE = "1:alice"


def take(placement, short: str):
    attempt = services.attempt_get_or_start(placement=placement, learner_key=ALICE)
    answers = answers_from_key(attempt, short=short)
    return services.attempt_submit(attempt_id=attempt.pk, learner_key=ALICE, answers=answers)


@pytest.fixture
def placement():
    return make_placement(make_quiz())  # two choice questions and a short answer (test*)


@pytest.fixture
def rescored():
    """The attempts rescored (each a grade sent again), in order."""
    seen: list[Decimal] = []

    def receiver(sender, attempt, **kwargs):
        seen.append(attempt.score)

    attempt_rescored.connect(receiver)
    yield seen
    attempt_rescored.disconnect(receiver)


class TestNegatedAnswersGoToReview:
    def test_scoring_sends_a_negated_match_to_review_with_the_reason(self):
        question = snapshot_question("short_answer", patterns=("test*",))
        outcome = scoring.score_question(question, "Don't test blindly")
        assert (outcome.pending, outcome.score) == (True, 0)
        assert outcome.review_reason == "Matched `test*`, but 'don't' comes before it."

    def test_scoring_reads_rejected_patterns_from_the_snapshot_when_it_has_them(self):
        question = {
            **snapshot_question("short_answer", patterns=("test*",)),
            "rejected_patterns": ["unit test*"],
        }
        assert scoring.score_question(question, "a unit test").pending

    def test_the_reason_is_stored_with_the_answer_waiting_for_review(self, placement):
        attempt = take(placement, "No test needed").attempt
        pending = attempt.responses.get(review_state=Response.ReviewState.PENDING)
        assert pending.review_reason == "Matched `test*`, but 'no' comes before it."
        assert (attempt.score, attempt.needs_review) == (2, True)

    def test_an_unmatched_answer_still_waits_for_review_with_its_reason(self, placement):
        attempt = take(placement, "ask my cat").attempt
        pending = attempt.responses.get(review_state=Response.ReviewState.PENDING)
        assert pending.review_reason == "No accepted pattern matched."


class TestPartialCredit:
    @pytest.fixture
    def pending(self, placement):
        attempt = take(placement, "Don't test it").attempt
        return attempt.responses.get(review_state=Response.ReviewState.PENDING)

    def test_half_credit_with_a_comment_updates_the_attempt_and_is_sent(self, pending, rescored):
        attempt = reviews.response_review(
            response_id=pending.pk, score=Decimal("0.5"), comment="  Half: say what to test.  "
        )
        assert (attempt.score, attempt.needs_review) == (Decimal("2.5"), False)
        pending.refresh_from_db()
        assert (pending.score, pending.is_correct, pending.review_state) == (
            Decimal("0.5"),
            False,
            "partial",
        )
        assert pending.review_comment == "Half: say what to test."
        assert rescored == [Decimal("2.5")]
        counted = services.learner_counted_result(
            placement=pending.attempt.placement, learner_key=ALICE
        )
        assert (counted.score, counted.pending_review) == (Decimal("2.5"), False)

    def test_full_and_no_credit_by_score_are_accept_and_reject(self, pending):
        reviews.response_review(response_id=pending.pk, score=Decimal(1))
        pending.refresh_from_db()
        assert (pending.review_state, pending.is_correct) == ("accepted", True)
        reviews.response_review(response_id=pending.pk, score=Decimal(0))
        pending.refresh_from_db()
        assert (pending.review_state, pending.is_correct) == ("rejected", False)

    def test_the_same_score_and_comment_twice_sends_once(self, pending, rescored):
        for _ in range(2):
            reviews.response_review(response_id=pending.pk, score=Decimal("0.5"), comment="Half.")
        assert rescored == [Decimal("2.5")]

    def test_a_changed_comment_alone_is_a_new_decision_and_sent_again(self, pending, rescored):
        reviews.response_review(response_id=pending.pk, score=Decimal("0.5"), comment="Half.")
        reviews.response_review(response_id=pending.pk, score=Decimal("0.5"), comment="Half!")
        assert rescored == [Decimal("2.5"), Decimal("2.5")]

    @pytest.mark.parametrize("score", ["-0.5", "1.5", "0.3", "NaN", "Infinity"])
    def test_a_score_off_the_questions_scale_is_refused_in_words(self, pending, score):
        with pytest.raises(InvalidReview, match=r"from 0 to 1 in steps of 0\.5"):
            reviews.response_review(response_id=pending.pk, score=Decimal(score))
        pending.refresh_from_db()
        assert pending.review_state == "pending"

    def test_an_overlong_comment_is_refused_in_words(self, pending):
        with pytest.raises(InvalidReview, match="1001 characters long; at most 1000"):
            reviews.response_review(response_id=pending.pk, accepted=True, comment="x" * 1001)

    def test_a_question_worth_odd_cents_takes_cents(self):
        assert scoring.credit_step(snapshot_question(points="1.25")) == Decimal("0.01")
        assert scoring.credit_step(snapshot_question(points="2")) == Decimal("0.5")


class TestSeedQuiz:
    """The seed quiz's short answer: genuine answers from the answer key score automatically,
    wrong and negated ones wait for review."""

    @pytest.fixture
    def question(self):
        load_seed_content()
        attempt = services.attempt_get_or_start(
            placement=services.placement_get_or_create(key="seed"), learner_key=ALICE
        )
        (asked,) = [q for q in attempt.snapshot["questions"] if q["kind"] == "short_answer"]
        assert asked["text"] == SHORT_ANSWER_QUESTION
        return asked

    def test_the_reviewer_gets_a_model_answer(self, question):
        assert "trusted source or an expert" in question["model_answer"]

    @pytest.mark.parametrize(
        "answer",
        [
            "Check it against a trusted source",
            "Ask an expert",
            "Ask the teacher",
            "Look at the documentation",
            "Read the original paper",
            "Run shadow traffic",
            "Test it on long-tail prompts",
            "Evaluate it on our workload",
            "Compare with the teacher model",
            "Run benchmarks on the long tail",
        ],
    )
    def test_genuine_answers_score_automatically(self, question, answer):
        assert scoring.score_question(question, answer).is_correct is True

    def test_an_answer_about_aggregate_evals_waits_for_review_as_the_question_marks_it_wrong(
        self, question
    ):
        outcome = scoring.score_question(question, "Compare the aggregate eval scores")
        assert outcome.pending
        assert "`aggregate*`, which this question marks as wrong" in outcome.review_reason

    @pytest.mark.parametrize(
        "answer",
        [
            "No source needed",
            "don't test blindly",
            "Trust it without asking an expert",
            "Ship it instead of testing",
            "It looks confident, so it is right",
            "Ask the AI again",
        ],
    )
    def test_wrong_and_negated_answers_wait_for_review(self, question, answer):
        outcome = scoring.score_question(question, answer)
        assert outcome.pending
        assert outcome.review_reason
