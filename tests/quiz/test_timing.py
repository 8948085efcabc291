"""When a learner may take a quiz, enforced on the server: the time limit with its grace for the
network, open and close dates, attempts allowed, and what an instructor grants one learner."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from lti_quiz.quiz import services
from lti_quiz.quiz.drafts import attempt_draft_save
from lti_quiz.quiz.errors import (
    AttemptTimeUp,
    NoAttemptsLeft,
    QuizClosed,
    QuizNotOpenYet,
)
from lti_quiz.quiz.placement_rules import (
    InvalidRules,
    learner_override_parse,
    learner_override_set,
    placement_rules_set,
    rules_parse,
)
from lti_quiz.quiz.timing import attempt_deadline, attempt_is_overdue, learner_standing
from tests.factories.quiz import answers_from_key, make_placement, make_quiz

ALICE = "1:alice"
BOB = "1:bob"
START = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement():
    """Ten minutes per attempt, two attempts."""
    return make_placement(make_quiz(attempts_allowed=2), time_limit_minutes=10)


def start(placement, learner=ALICE, **kwargs):
    return services.attempt_get_or_start(placement=placement, learner_key=learner, **kwargs)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def first_choice_slots(attempt) -> list[str]:
    return [q["slot"] for q in attempt.snapshot["questions"] if q["choices"]]


class TestDeadline:
    def test_it_is_the_start_plus_the_limit_plus_the_learners_extra_time(self, placement):
        with at(START):
            attempt = start(placement)
        assert attempt_deadline(attempt=attempt) == START + timedelta(minutes=10)

        learner_override_set(placement=placement, learner_key=ALICE, extra_minutes=5)
        assert attempt_deadline(attempt=attempt) == START + timedelta(minutes=15)

    def test_it_is_never_later_than_the_close_date_personal_or_not(self, placement):
        placement_rules_set(placement=placement, rules={"closes_at": START + timedelta(minutes=4)})
        with at(START):
            attempt = start(placement)
        assert attempt_deadline(attempt=attempt) == START + timedelta(minutes=4)

        learner_override_set(
            placement=placement, learner_key=ALICE, closes_at=START + timedelta(minutes=7)
        )
        assert attempt_deadline(attempt=attempt) == START + timedelta(minutes=7)

    def test_an_untimed_attempt_without_a_close_date_has_none(self):
        placement = make_placement(make_quiz())
        assert attempt_deadline(attempt=start(placement)) is None
        assert not attempt_is_overdue(attempt=start(placement), now=START + timedelta(days=999))


class TestTimeLimit:
    @pytest.fixture(autouse=True)
    def _grace(self, settings):
        settings.QUIZ_DEADLINE_GRACE_SECONDS = 30

    def test_a_submit_within_the_grace_counts_what_was_posted(self, placement):
        with at(START):
            attempt = start(placement)
        with at(START + timedelta(minutes=10, seconds=25)):
            result = services.attempt_submit(
                attempt_id=attempt.pk, learner_key=ALICE, answers=answers_from_key(attempt)
            )
        assert result.attempt.score == 3
        assert not result.after_deadline

    def test_after_the_grace_only_the_answers_saved_by_the_deadline_count(self, placement):
        with at(START):
            attempt = start(placement)
        right = answers_from_key(attempt)
        a, b = first_choice_slots(attempt)
        with at(START + timedelta(minutes=9)):
            attempt_draft_save(
                attempt_id=attempt.pk,
                learner_key=ALICE,
                placement=placement,
                answers={a: right[a]},
                flags={},
            )
        with at(START + timedelta(minutes=10, seconds=31)):
            assert attempt_is_overdue(attempt=attempt)
            result = services.attempt_submit(
                attempt_id=attempt.pk, learner_key=ALICE, answers=right
            )
        assert result.after_deadline
        assert result.attempt.score == 1  # the one answer saved in time, not the three posted
        answered = {r.slot: r.answer for r in result.attempt.responses.all()}
        assert answered[a] == right[a] and answered[b] == []

    def test_saves_are_refused_after_the_deadline(self, placement):
        with at(START):
            attempt = start(placement)
        slot = first_choice_slots(attempt)[0]
        with at(START + timedelta(minutes=10, seconds=1)), pytest.raises(AttemptTimeUp):
            attempt_draft_save(
                attempt_id=attempt.pk,
                learner_key=ALICE,
                placement=placement,
                answers={slot: []},
                flags={},
            )

    def test_extra_time_moves_the_deadline_for_that_learner_only(self, placement):
        learner_override_set(placement=placement, learner_key=ALICE, extra_minutes=20)
        with at(START):
            alices, bobs = start(placement), start(placement, BOB)
        later = START + timedelta(minutes=15)
        assert not attempt_is_overdue(attempt=alices, now=later)
        assert attempt_is_overdue(attempt=bobs, now=later)


class TestOpenAndCloseDates:
    @pytest.fixture
    def dated(self, placement):
        return placement_rules_set(
            placement=placement,
            rules={"opens_at": START, "closes_at": START + timedelta(days=7)},
        )

    def test_no_attempt_starts_before_the_open_date(self, dated):
        with at(START - timedelta(minutes=1)), pytest.raises(QuizNotOpenYet):
            start(dated)
        with at(START):
            assert start(dated).number == 1

    def test_no_attempt_starts_after_the_close_date_and_no_save_is_taken(self, dated):
        with at(START + timedelta(days=7, minutes=-20)):
            attempt = start(dated)
        slot = first_choice_slots(attempt)[0]
        with at(START + timedelta(days=7)):
            with pytest.raises(QuizClosed):
                start(dated, BOB)
            with pytest.raises(AttemptTimeUp):
                attempt_draft_save(
                    attempt_id=attempt.pk,
                    learner_key=ALICE,
                    placement=dated,
                    answers={slot: []},
                    flags={},
                )

    def test_a_personal_close_date_keeps_it_open_for_that_learner(self, dated):
        learner_override_set(
            placement=dated, learner_key=ALICE, closes_at=START + timedelta(days=9)
        )
        with at(START + timedelta(days=8)):
            assert start(dated).number == 1
            with pytest.raises(QuizClosed):
                start(dated, BOB)

    def test_staff_preview_any_time(self, dated):
        with at(START - timedelta(days=1)):
            assert start(dated, "1:irene", preview=True).is_preview

    def test_the_open_date_must_come_before_the_close_date(self, dated):
        with pytest.raises(InvalidRules):
            placement_rules_set(placement=dated, rules={"opens_at": START + timedelta(days=8)})


class TestAttemptsAllowed:
    def take(self, placement, learner=ALICE):
        attempt = start(placement, learner)
        services.attempt_submit(
            attempt_id=attempt.pk, learner_key=learner, answers=answers_from_key(attempt)
        )

    def test_the_limit_is_enforced_and_an_extra_attempt_lifts_it_for_one_learner(self, placement):
        self.take(placement)
        self.take(placement)
        with pytest.raises(NoAttemptsLeft):
            start(placement)

        learner_override_set(placement=placement, learner_key=ALICE, extra_attempts=1)
        assert learner_standing(placement=placement, learner_key=ALICE).remaining == 1
        assert start(placement).number == 3
        assert learner_standing(placement=placement, learner_key=BOB).remaining == 2

    def test_no_attempt_is_left_while_the_last_one_is_still_open(self, placement):
        self.take(placement)
        start(placement)
        standing = learner_standing(placement=placement, learner_key=ALICE)
        assert standing.remaining == 0
        assert not standing.no_attempt_left  # the correct answers wait for the last submit

    def test_a_removed_override_gives_the_placements_settings_back(self, placement):
        learner_override_set(placement=placement, learner_key=ALICE, extra_attempts=3)
        assert learner_override_set(placement=placement, learner_key=ALICE) is None
        assert learner_standing(placement=placement, learner_key=ALICE).remaining == 2


class TestParsing:
    def test_rules_come_as_text_and_empty_means_default_or_none(self):
        assert rules_parse(
            {
                "review_correct": "never",
                "review_score": "",
                "time_limit": "45",
                "opens_at": "2026-09-01T08:00",
                "closes_at": "",
                "unrelated": "x",
            }
        ) == {
            "review_correct": "never",
            "review_score": "",
            "time_limit_minutes": 45,
            "opens_at": datetime(2026, 9, 1, 8, 0, tzinfo=UTC),
            "closes_at": None,
        }

    @pytest.mark.parametrize(
        ("values", "field"),
        [
            ({"review_marks": "sometimes"}, "review_marks"),
            ({"time_limit": "0"}, "time_limit"),
            ({"time_limit": "ten"}, "time_limit"),
            ({"opens_at": "next monday"}, "opens_at"),
            ({"opens_at": "2026-09-02T08:00", "closes_at": "2026-09-01T08:00"}, "closes_at"),
        ],
    )
    def test_a_bad_rule_is_named(self, values, field):
        with pytest.raises(InvalidRules) as refused:
            rules_parse(values)
        assert list(refused.value.errors) == [field]

    def test_an_override_form_with_a_negative_number_is_refused(self):
        with pytest.raises(InvalidRules) as refused:
            learner_override_parse({"extra_attempts": "-1", "extra_minutes": "10"})
        assert list(refused.value.errors) == ["extra_attempts"]
