"""Attempts: starting, snapshots, display, submitting, limits, policies, previews, review."""

import json
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from lti_quiz.quiz import reviews, services
from lti_quiz.quiz.errors import (
    AttemptNotFound,
    AttemptNotSubmitted,
    InvalidAnswer,
    NoAttemptsLeft,
    NotReviewable,
)
from lti_quiz.quiz.models import Attempt, Choice, Question, Response
from lti_quiz.quiz.signals import attempt_rescored
from tests.factories.quiz import answers_from_key, load_seed_content, make_placement, make_quiz

ALICE = "1:alice"
BOB = "1:bob"
INSTRUCTOR = "1:instructor"

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    return make_quiz()


@pytest.fixture
def placement(quiz):
    return make_placement(quiz)


def start(placement, learner=ALICE, **kwargs):
    return services.attempt_get_or_start(placement=placement, learner_key=learner, **kwargs)


def submit(attempt, answers=None, learner=ALICE):
    answers = answers_from_key(attempt) if answers is None else answers
    return services.attempt_submit(attempt_id=attempt.pk, learner_key=learner, answers=answers)


def take(placement, learner=ALICE, *, right=True, short="a test"):
    attempt = start(placement, learner)
    return submit(attempt, answers_from_key(attempt, right=right, short=short), learner).attempt


class TestPlacement:
    def test_a_new_placement_gets_the_default_quiz(self):
        seed = load_seed_content()
        assert services.placement_get_or_create(key="lti:1:new").quiz == seed

    def test_it_returns_the_same_placement_and_follows_title_changes(self, quiz, placement):
        again = services.placement_get_or_create(key=placement.key, title="Renamed")
        assert again.pk == placement.pk
        assert again.title == "Renamed"


class TestStartingAnAttempt:
    def test_it_resumes_the_open_attempt_instead_of_starting_another(self, placement):
        assert start(placement).pk == start(placement).pk
        assert Attempt.objects.count() == 1

    def test_the_database_refuses_a_second_open_attempt(self, placement):
        attempt = start(placement)
        with pytest.raises(IntegrityError), transaction.atomic():
            Attempt.objects.create(
                placement=placement,
                quiz=attempt.quiz,
                learner_key=ALICE,
                number=2,
                max_score=1,
            )

    def test_each_learner_has_their_own_attempt(self, placement):
        assert start(placement, ALICE).pk != start(placement, BOB).pk

    def test_the_snapshot_keeps_the_answer_key(self, placement):
        snapshot = start(placement).snapshot
        assert [q["slot"] for q in snapshot["questions"]] == ["1", "2", "3"]
        assert snapshot["max_score"] == "3.00"
        assert [c["is_correct"] for c in snapshot["questions"][1]["choices"]] == [
            False,
            False,
            True,
        ]
        assert snapshot["questions"][2]["patterns"] == ["test*"]

    def test_choice_keys_are_random_and_differ_between_attempts(self, placement):
        first = take(placement)
        second = start(placement)
        first_keys = {c["key"] for q in first.snapshot["questions"] for c in q["choices"]}
        second_keys = {c["key"] for q in second.snapshot["questions"] for c in q["choices"]}
        assert not first_keys & second_keys
        assert all(len(key) == 8 and key not in ("0", "1", "2") for key in first_keys)

    def test_shuffling_asks_every_question_and_choice_once(self, monkeypatch):
        quiz = make_quiz(slug="shuffled", shuffle_questions=True, shuffle_choices=True)
        monkeypatch.setattr(services._rng, "shuffle", lambda items: items.reverse())
        attempt = start(make_placement(quiz))
        asked = [q["question_key"] for q in attempt.snapshot["questions"]]
        assert asked == ["c", "b", "a"]
        texts = [c["text"] for c in attempt.snapshot["questions"][1]["choices"]]
        assert texts == ["b option 2", "b option 1", "b option 0"]


class TestDisplay:
    def test_questions_for_display_never_carry_the_key(self, placement):
        attempt = start(placement)
        shown = json.dumps(attempt.questions_for_display(), default=str)
        for forbidden in ("is_correct", "feedback", "explanation", "patterns", "fb ", "test*"):
            assert forbidden not in shown
        assert attempt.questions_for_display()[0]["choices"][0] == {
            "key": attempt.snapshot["questions"][0]["choices"][0]["key"],
            "text": "a option 0",
            "chosen": False,  # the learner's own saved answer (DraftAnswer), never the key
        }

    def test_results_are_refused_before_submission(self, placement):
        with pytest.raises(AttemptNotSubmitted):
            start(placement).results_for_display()

    def test_results_show_each_question_marked(self, placement):
        attempt = start(placement)
        answers = answers_from_key(attempt, right=False, short="no idea")
        results = submit(attempt, answers).attempt.results_for_display()
        first, _, short = results
        assert first["is_correct"] is False
        assert [c["chosen"] for c in first["choices"]] == [False, True, False]
        assert [c["is_correct"] for c in first["choices"]] == [True, False, False]
        assert first["feedback"] == "a fb 1"
        assert first["answer_text"] == "a option 1"
        assert short["pending"] is True
        assert short["is_correct"] is None
        assert (short["answer_text"], short["explanation"]) == ("no idea", "c explained")


class TestSubmitting:
    def test_all_correct_answers_score_full_marks(self, placement):
        result = submit(start(placement))
        assert result.already_submitted is False
        assert (result.attempt.score, result.attempt.max_score) == (3, 3)
        assert result.attempt.status == Attempt.Status.SUBMITTED
        assert result.attempt.responses.count() == 3

    def test_a_second_submit_changes_nothing_and_says_so(self, placement):
        attempt = start(placement)
        submit(attempt)
        again = submit(attempt, answers_from_key(attempt, right=False))
        assert again.already_submitted is True
        assert again.attempt.score == 3
        assert Response.objects.count() == 3

    def test_someone_else_cannot_submit_my_attempt(self, placement):
        attempt = start(placement, ALICE)
        with pytest.raises(AttemptNotFound):
            submit(attempt, learner=BOB)
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.IN_PROGRESS

    def test_an_invalid_answer_leaves_the_attempt_open(self, placement):
        attempt = start(placement)
        with pytest.raises(InvalidAnswer):
            submit(attempt, {"1": ["not-a-key"]})
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.IN_PROGRESS
        assert not Response.objects.exists()

    def test_an_unmatched_short_answer_makes_the_attempt_need_review(self, placement):
        attempt = take(placement, short="ask my cat")
        assert attempt.needs_review is True
        assert attempt.score == 2

    def test_later_edits_of_a_question_do_not_change_the_attempt(self, quiz, placement):
        attempt = start(placement)
        answers = answers_from_key(attempt)
        question = Question.objects.get(key="a")
        question.text = "Edited wording"
        question.save()
        Choice.objects.filter(question=question).update(is_correct=True)
        result = submit(attempt, answers).attempt
        assert result.score == 3
        assert result.results_for_display()[0]["text"] == "Question a?"
        assert result.questions_for_display()[0]["text"] == "Question a?"


class TestAttemptsLimit:
    def test_it_refuses_a_new_attempt_once_the_limit_is_used(self):
        placement = make_placement(make_quiz(slug="twice", attempts_allowed=2))
        take(placement)
        take(placement)
        assert services.attempts_remaining(placement=placement, learner_key=ALICE) == 0
        with pytest.raises(NoAttemptsLeft):
            start(placement)
        assert start(placement, BOB).number == 1

    def test_the_placement_can_override_the_quiz_limit(self):
        placement = make_placement(make_quiz(slug="once", attempts_allowed=1), attempts_allowed=0)
        take(placement)
        take(placement)
        assert start(placement).number == 3
        assert services.attempts_remaining(placement=placement, learner_key=ALICE) is None


class TestPreviews:
    def test_previews_are_unlimited_and_never_count(self):
        placement = make_placement(make_quiz(slug="once", attempts_allowed=1))
        for _ in range(3):
            preview = start(placement, INSTRUCTOR, preview=True)
            submit(preview, learner=INSTRUCTOR)
        assert preview.is_preview
        assert services.learner_counted_result(placement=placement, learner_key=INSTRUCTOR) is None
        assert start(placement, INSTRUCTOR).is_preview is False


class TestScoringPolicies:
    @pytest.fixture
    def history(self):
        """Alice scored 1 then 3 then 2 (out of 3)."""
        quiz = make_quiz(slug="policies")

        def placement_with(policy):
            placement = make_placement(quiz, key=f"lti:1:{policy}", scoring_policy=policy)
            for wrong in (("a", "b"), (), ("c",)):
                attempt = start(placement)
                answers = answers_from_key(attempt)
                for q in attempt.snapshot["questions"]:
                    if q["question_key"] in wrong:
                        answers[q["slot"]] = "" if q["kind"] == "short_answer" else []
                submit(attempt, answers)
            return placement

        return placement_with

    @pytest.mark.parametrize(
        ("policy", "score", "number"), [("highest", 3, 2), ("latest", 2, 3), ("first", 1, 1)]
    )
    def test_the_policy_picks_the_attempt_that_counts(self, history, policy, score, number):
        result = services.learner_counted_result(placement=history(policy), learner_key=ALICE)
        assert (result.score, result.max_score, result.attempt.number) == (score, 3, number)
        assert result.pending_review is False

    def test_there_is_no_result_before_a_submission(self, placement):
        start(placement)
        assert services.learner_counted_result(placement=placement, learner_key=ALICE) is None

    def test_highest_is_pending_while_a_review_could_raise_it(self, placement):
        take(placement, short="")  # 2 of 3, nothing to review
        take(placement, short="ask my cat")  # 2 of 3 so far, 1 point waiting
        result = services.learner_counted_result(placement=placement, learner_key=ALICE)
        assert (result.score, result.attempt.number, result.pending_review) == (2, 1, True)

    def test_highest_is_not_pending_when_no_review_could_change_it(self, placement):
        take(placement)  # 3 of 3
        take(placement, short="ask my cat")
        result = services.learner_counted_result(placement=placement, learner_key=ALICE)
        assert (result.score, result.pending_review) == (3, False)


class TestReview:
    @pytest.fixture
    def pending(self, placement):
        attempt = take(placement, short="ask my cat")
        return attempt.responses.get(review_state=Response.ReviewState.PENDING)

    def test_accepting_gives_the_points_and_clears_review(self, pending, placement):
        attempt = reviews.response_review(response_id=pending.pk, accepted=True)
        assert (attempt.score, attempt.needs_review) == (3, False)
        pending.refresh_from_db()
        assert (pending.is_correct, pending.review_state) == (True, "accepted")
        result = services.learner_counted_result(placement=placement, learner_key=ALICE)
        assert (result.score, result.pending_review) == (Decimal(3), False)

    def test_rejecting_keeps_the_score_and_clears_review(self, pending):
        attempt = reviews.response_review(response_id=pending.pk, accepted=False)
        assert (attempt.score, attempt.needs_review) == (2, False)
        pending.refresh_from_db()
        assert (pending.is_correct, pending.score, pending.review_state) == (False, 0, "rejected")

    def test_a_decision_can_be_changed(self, pending):
        reviews.response_review(response_id=pending.pk, accepted=True)
        assert reviews.response_review(response_id=pending.pk, accepted=False).score == 2

    def test_the_same_decision_twice_rescores_once(self, pending):
        rescored = []

        def receiver(sender, attempt, **kwargs):
            rescored.append(attempt.pk)

        attempt_rescored.connect(receiver)
        try:
            reviews.response_review(response_id=pending.pk, accepted=True)
            reviews.response_review(response_id=pending.pk, accepted=True)
        finally:
            attempt_rescored.disconnect(receiver)
        assert rescored == [pending.attempt_id]

    def test_an_automatically_scored_answer_is_not_reviewable(self, pending):
        automatic = pending.attempt.responses.exclude(pk=pending.pk).first()
        with pytest.raises(NotReviewable):
            reviews.response_review(response_id=automatic.pk, accepted=True)

    def test_a_review_tells_the_other_rooms(self, pending):
        received = []

        def receiver(sender, attempt, **kwargs):
            received.append(attempt.score)

        attempt_rescored.connect(receiver)
        try:
            reviews.response_review(response_id=pending.pk, accepted=True)
        finally:
            attempt_rescored.disconnect(receiver)
        assert received == [3]
