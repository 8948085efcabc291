import datetime as dt
import logging
from decimal import Decimal

import pytest
import requests
import time_machine
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.grades.services import (
    ResendRefused,
    grade_delivery_resend,
    grade_delivery_send,
)
from lti_quiz.grades.tasks import deliver_grade
from lti_quiz.lti.ags import CANVAS_SUBMISSION, scores_url
from tests.factories.grades import (
    LINEITEM_URL,
    TOKEN_URL,
    FakeSession,
    delivery_create,
    platform,
    reply,
    scores_sent,
    token_reply,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=dt.UTC)
State = GradeDelivery.State


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def queued_tasks(delivery: GradeDelivery) -> list[DBTaskResult]:
    return [
        task
        for task in DBTaskResult.objects.filter(task_path="lti_quiz.grades.tasks.deliver_grade")
        if task.args_kwargs["args"] == [delivery.pk]
    ]


class TestCreate:
    def test_the_timestamp_is_now_in_whole_milliseconds(self, link, clock):
        delivery = delivery_create(link)

        assert delivery.timestamp == START.replace(microsecond=123000)

    def test_a_learners_scores_within_one_second_get_timestamps_in_later_seconds(self, link, clock):
        # Moodle compares timestamps to the second: the same second would be refused (409).
        first = delivery_create(link)
        second = delivery_create(link, reason="review")
        third = delivery_create(link, reason="review")

        assert first.timestamp == START.replace(microsecond=123000)
        assert second.timestamp == START.replace(microsecond=0) + dt.timedelta(seconds=1)
        assert third.timestamp == START.replace(microsecond=0) + dt.timedelta(seconds=2)

    def test_a_score_in_a_later_second_keeps_its_own_time(self, link, clock):
        first = delivery_create(link)
        clock.shift(dt.timedelta(seconds=3))
        second = delivery_create(link, reason="review")

        assert second.timestamp == first.timestamp + dt.timedelta(seconds=3)

    def test_other_learners_keep_their_own_timestamps(self, link, clock):
        alice = delivery_create(link, user_sub="alice-sub")
        bob = delivery_create(link, user_sub="bob-sub")

        assert alice.timestamp == bob.timestamp

    def test_the_task_is_written_in_the_callers_transaction_with_the_delivery(
        self, link, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
            delivery = delivery_create(link)
            (task,) = queued_tasks(delivery)  # there before the commit, in the same transaction

        assert callbacks == []  # nothing left to run after the commit
        delivery.refresh_from_db()
        assert delivery.task_id == str(task.id)

    def test_nothing_is_queued_when_the_submit_transaction_rolls_back(
        self, link, django_capture_on_commit_callbacks
    ):
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            delivery_create(link)
            raise RuntimeError("the submit failed")

        assert callbacks == []
        assert not GradeDelivery.objects.exists()
        assert not DBTaskResult.objects.exists()

    def test_a_newer_score_supersedes_the_older_unsent_one(self, link):
        first = delivery_create(link, score_given=Decimal("4"))
        sent_before = delivery_create(link, user_sub="bob-sub")
        sent_before_state = GradeDelivery.objects.filter(pk=sent_before.pk)
        sent_before_state.update(state=State.SENT, sent_at=sent_before.created_at)

        second = delivery_create(link, score_given=Decimal("9"))

        first.refresh_from_db()
        assert first.state == State.SUPERSEDED
        assert f"#{second.pk}" in first.last_error
        assert second.state == State.PENDING
        assert sent_before_state.get().state == State.SENT


class TestSend:
    def test_it_sends_the_score_and_records_it(self, link):
        delivery = delivery_create(link, score_given=Decimal("7.5"))
        session = platform()

        delivery = grade_delivery_send(delivery_id=delivery.pk, session=session)

        assert delivery.state == State.SENT
        assert delivery.attempts == 1
        assert delivery.sent_at is not None
        assert delivery.sending_until is None
        (sent,) = scores_sent(session)
        body = sent.json()
        assert body["userId"] == "alice-sub"
        assert body["scoreGiven"] == 7.5
        assert body["scoreMaximum"] == 10
        assert body["activityProgress"] == "Completed"
        assert body["gradingProgress"] == "FullyGraded"
        assert body[CANVAS_SUBMISSION]["new_submission"] is True
        assert body[CANVAS_SUBMISSION]["submitted_at"] == body["timestamp"]

    def test_two_deliveries_share_one_token_request(self, link):
        alice = delivery_create(link, user_sub="alice-sub")
        bob = delivery_create(link, user_sub="bob-sub")
        session = platform()

        grade_delivery_send(delivery_id=alice.pk, session=session)
        grade_delivery_send(delivery_id=bob.pk, session=session)

        assert len(scores_sent(session)) == 2
        assert len(session.token_requests) == 1

    @pytest.mark.parametrize(
        "answer",
        [reply(503), reply(429), requests.ConnectTimeout("connect timed out")],
        ids=["503", "429", "timeout"],
    )
    def test_a_platform_that_is_down_gets_the_score_later_with_growing_waits(
        self, link, clock, answer, django_capture_on_commit_callbacks
    ):
        delivery = delivery_create(link)
        first_task = delivery.task_id  # queued with the delivery, to run at once
        session = platform(answer)
        waits = []

        for attempt in (1, 2, 3):
            with django_capture_on_commit_callbacks(execute=True):
                delivery = grade_delivery_send(delivery_id=delivery.pk, session=session)
            assert delivery.state == State.PENDING
            assert delivery.attempts == attempt
            waits.append(delivery.next_attempt_at - dt.datetime.now(dt.UTC))
            # The retry is queued for when it is due, not run right away.
            retries = [t.run_after for t in queued_tasks(delivery) if str(t.id) != first_task]
            assert max(retries) == delivery.next_attempt_at
            clock.move_to(delivery.next_attempt_at)

        assert dt.timedelta(0) < waits[0] < waits[1] < waits[2]
        assert len(scores_sent(session)) == 3
        assert delivery.last_error

    def test_it_waits_at_least_as_long_as_retry_after_says(self, link, clock, settings):
        settings.GRADES_RETRY_BASE_SECONDS = 1
        delivery = delivery_create(link)

        delivery = grade_delivery_send(
            delivery_id=delivery.pk, session=platform(reply(429, headers={"Retry-After": "900"}))
        )

        assert delivery.next_attempt_at >= START + dt.timedelta(seconds=900)

    def test_a_delivery_is_not_sent_again_before_it_is_due(self, link, clock):
        delivery = delivery_create(link)
        session = platform(reply(503), reply(200))
        grade_delivery_send(delivery_id=delivery.pk, session=session)

        grade_delivery_send(delivery_id=delivery.pk, session=session)

        assert len(scores_sent(session)) == 1

    def test_a_refused_score_fails_at_once_with_the_platform_message(
        self, link, django_capture_on_commit_callbacks
    ):
        delivery = delivery_create(link)
        answer = reply(
            422, json_body={"errors": {"message": "User not found in course or is not a student"}}
        )

        with django_capture_on_commit_callbacks() as retries_queued:
            delivery = grade_delivery_send(delivery_id=delivery.pk, session=platform(answer))

        assert delivery.state == State.FAILED
        assert delivery.attempts == 1
        assert "422" in delivery.last_error
        assert "User not found in course or is not a student" in delivery.last_error
        assert retries_queued == []

    def test_a_token_url_answering_404_is_retried_with_the_backoff(self, link, clock):
        # Moodle's token.php answers 404 (an HTML exception page) while it cannot fetch our
        # key set: it passes, so the grade must wait and try again, not fail.
        delivery = delivery_create(link)
        page = "<html><head><title>Error</title></head><body><p>Not found</p></body></html>"
        session = FakeSession().on(
            "POST",
            TOKEN_URL,
            reply(404, text=page, headers={"Content-Type": "text/html"}),
            token_reply(),
        )
        session.on("POST", scores_url(LINEITEM_URL), reply(200))

        delivery = grade_delivery_send(delivery_id=delivery.pk, session=session)
        assert delivery.state == State.PENDING
        assert delivery.last_error.endswith("HTTP 404: Error: Not found")
        clock.move_to(delivery.next_attempt_at)
        delivery = grade_delivery_send(delivery_id=delivery.pk, session=session)

        assert delivery.state == State.SENT
        assert len(scores_sent(session)) == 1

    def test_refused_credentials_fail_after_one_confirmation_try(self, link, clock):
        delivery = delivery_create(link)
        refused = reply(401, json_body={"error": "invalid_client"}, reason="Unauthorized")
        session = FakeSession().on("POST", TOKEN_URL, refused)

        delivery = grade_delivery_send(delivery_id=delivery.pk, session=session)
        assert delivery.state == State.PENDING
        assert delivery.next_attempt_at == START + dt.timedelta(seconds=60)
        clock.move_to(delivery.next_attempt_at)
        delivery = grade_delivery_send(delivery_id=delivery.pk, session=session)

        assert delivery.state == State.FAILED
        assert delivery.attempts == 2
        assert "refused our credentials (invalid_client)" in delivery.last_error
        assert len(session.token_requests) == 2

    def test_every_failed_try_is_logged_as_a_warning_with_the_platforms_words(
        self, link, clock, caplog
    ):
        delivery = delivery_create(link)
        session = platform(reply(503, text="Down for maintenance"), reply(422, text="No such user"))

        with caplog.at_level(logging.INFO, logger="lti_quiz.grades"):
            delivery = grade_delivery_send(delivery_id=delivery.pk, session=session)
            clock.move_to(delivery.next_attempt_at)
            grade_delivery_send(delivery_id=delivery.pk, session=session)

        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert any("attempt 1 failed" in w and "Down for maintenance" in w for w in warnings)
        assert any("attempt 2 failed" in w and "No such user" in w for w in warnings)
        assert any("failed for good" in w for w in warnings)
        assert all(r.exc_info is None for r in caplog.records)

    def test_it_gives_up_after_the_last_allowed_attempt(self, link, clock, settings):
        settings.GRADES_MAX_ATTEMPTS = 3
        delivery = delivery_create(link)
        session = platform(reply(503, text="Service Unavailable"))

        for _ in range(3):
            delivery = grade_delivery_send(delivery_id=delivery.pk, session=session)
            clock.move_to(delivery.next_attempt_at)

        assert delivery.state == State.FAILED
        assert delivery.attempts == 3
        assert delivery.last_error.startswith("Gave up after 3 attempts")
        assert "503" in delivery.last_error

    def test_a_superseded_delivery_is_never_sent(self, link):
        older = delivery_create(link, score_given=Decimal("4"))
        newer = delivery_create(link, score_given=Decimal("9"))
        session = platform()

        assert grade_delivery_send(delivery_id=older.pk, session=session).state == State.SUPERSEDED
        grade_delivery_send(delivery_id=newer.pk, session=session)

        assert [sent.json()["scoreGiven"] for sent in scores_sent(session)] == [9]

    def test_an_older_delivery_still_pending_yields_to_a_newer_one(self, link):
        older = delivery_create(link, score_given=Decimal("4"))
        newer = delivery_create(link, score_given=Decimal("9"))
        # As if the older one had been claimed for a retry before the newer one was written.
        GradeDelivery.objects.filter(pk=older.pk).update(state=State.PENDING)
        session = platform()

        older = grade_delivery_send(delivery_id=older.pk, session=session)

        assert older.state == State.SUPERSEDED
        assert f"#{newer.pk}" in older.last_error
        assert scores_sent(session) == []

    def test_running_the_task_twice_sends_once(self, link, monkeypatch):
        delivery = delivery_create(link)
        session = platform()
        monkeypatch.setattr("lti_quiz.grades.services.kept_http_session", lambda **_: session)

        assert deliver_grade.call(delivery.pk) == State.SENT
        assert deliver_grade.call(delivery.pk) == State.SENT

        assert len(scores_sent(session)) == 1

    def test_a_delivery_claimed_by_another_worker_is_left_alone(self, link, clock):
        delivery = delivery_create(link)
        GradeDelivery.objects.filter(pk=delivery.pk).update(
            attempts=1, sending_until=START + dt.timedelta(minutes=2)
        )
        session = platform()

        delivery = grade_delivery_send(delivery_id=delivery.pk, session=session)

        assert delivery.state == State.PENDING
        assert scores_sent(session) == []

    def test_a_delivery_whose_worker_died_is_sent_once_its_lease_expires(self, link, clock):
        delivery = delivery_create(link)
        GradeDelivery.objects.filter(pk=delivery.pk).update(
            attempts=1, sending_until=START + dt.timedelta(minutes=2)
        )
        clock.move_to(START + dt.timedelta(minutes=3))
        session = platform()

        delivery = grade_delivery_send(delivery_id=delivery.pk, session=session)

        assert delivery.state == State.SENT
        assert delivery.attempts == 2
        assert len(scores_sent(session)) == 1

    def test_a_409_on_a_retry_means_an_earlier_try_got_through(self, link, clock):
        delivery = delivery_create(link)
        session = platform(
            requests.ReadTimeout("read timed out"), reply(409, text="Refusing score")
        )
        delivery = grade_delivery_send(delivery_id=delivery.pk, session=session)
        clock.move_to(delivery.next_attempt_at)

        delivery = grade_delivery_send(delivery_id=delivery.pk, session=session)

        assert delivery.state == State.SENT
        assert "already holds this score" in delivery.last_error

    def test_a_409_on_the_first_try_is_a_failure(self, link):
        delivery = delivery_create(link)

        delivery = grade_delivery_send(delivery_id=delivery.pk, session=platform(reply(409)))

        assert delivery.state == State.FAILED

    def test_an_unexpected_error_counts_as_a_failed_try_and_releases_the_claim(
        self, link, monkeypatch
    ):
        delivery = delivery_create(link)

        def broken(**kwargs):
            raise KeyError("surprise")

        monkeypatch.setattr("lti_quiz.grades.services.score_publish", broken)

        delivery = grade_delivery_send(delivery_id=delivery.pk, session=platform())

        assert delivery.state == State.PENDING
        assert delivery.sending_until is None
        assert "surprise" in delivery.last_error

    def test_a_task_that_runs_early_comes_back_when_the_delivery_is_due(self, link, clock):
        delivery = delivery_create(link)
        later = START + dt.timedelta(minutes=5)
        GradeDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=later)
        session = platform()

        grade_delivery_send(delivery_id=delivery.pk, session=session)

        assert scores_sent(session) == []
        assert later in [task.run_after for task in queued_tasks(delivery)]


class TestResend:
    def test_it_writes_a_new_delivery_with_the_same_score_and_a_newer_timestamp(self, link, clock):
        failed = delivery_create(link, score_given=Decimal("6"), grading_progress="PendingManual")
        GradeDelivery.objects.filter(pk=failed.pk).update(state=State.FAILED, last_error="HTTP 422")

        again = grade_delivery_resend(delivery_id=failed.pk)

        assert again.pk != failed.pk
        assert again.reason == GradeDelivery.Reason.RESEND
        assert again.state == State.PENDING
        assert (again.score_given, again.grading_progress) == (Decimal("6"), "PendingManual")
        assert again.timestamp > failed.timestamp
        assert again.as_score().new_submission is False

    def test_it_refuses_to_send_an_older_score_over_a_newer_one(self, link):
        older = delivery_create(link, score_given=Decimal("4"))
        delivery_create(link, score_given=Decimal("9"))

        with pytest.raises(ResendRefused):
            grade_delivery_resend(delivery_id=older.pk)
