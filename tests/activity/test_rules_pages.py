"""Review rules, timing and exceptions as the pages apply them: the result page shows and hides
what the rules say, timed attempts are closed by whichever page touches them after the grace,
the picker and the results page set the rules, and an instructor grants one learner more."""

import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.lti import nrps
from lti_quiz.quiz.models import Attempt, LearnerOverride, Placement
from tests.factories.results import open_activity, roster_session, take_quiz
from tests.support.answer_key import SHORT_ANSWER_CORRECT
from tests.support.deep_linking import choose, picker_url, posted_jwt, verified
from tests.support.lti_platform import launch_id_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_quiz")]

CORRECT_TAG = '<span class="tag">correct</span>'
# The marks themselves, not the words: a choice's feedback may say "confidence is not correctness".
WRONG_TAG = '<span class="tag">not correct</span>'
WRONG_MARK = "<strong>Not correct</strong>"


@pytest.fixture
def roster(monkeypatch):
    session = roster_session()
    monkeypatch.setattr(nrps, "http_session", lambda: session)
    return session


@pytest.fixture
def home(client, platform) -> str:
    """Alice's activity URL, opened once (so its placement exists), before any attempt."""
    url = open_activity(client, platform)
    assert client.get(url).status_code == 200
    return url


def configure(**fields) -> Placement:
    Placement.objects.update(**fields)
    return Placement.objects.get()


def result_of(client, home: str, *, right: bool) -> str:
    attempt = take_quiz(client, home, short_answer=SHORT_ANSWER_CORRECT, right=right)
    return client.get(f"{home}attempts/{attempt.number}/").content.decode()


def start_attempt(client, home: str) -> Attempt:
    page = client.get(home + "quiz/").content.decode()
    return Attempt.objects.get(pk=re.search(r'name="attempt" value="(\d+)"', page)[1])


class TestTheResultPage:
    def test_it_shows_the_percentage_the_counted_attempt_the_history_and_try_again(
        self, client, home
    ):
        configure(attempts_allowed=3, scoring_policy="highest")
        result_of(client, home, right=False)
        page = result_of(client, home, right=True)

        assert '<span id="score">10/10</span>' in page
        assert 'id="percent">(100%)' in page
        assert "Your highest-scoring attempt counts." in page
        assert "This is the attempt that counts." in page
        assert 'data-testid="history-1"' in page and 'data-testid="history-2"' in page
        assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT[^"]+">[^<]+ UTC</time>', page)
        assert 'id="try-again"' in page and "1 attempt left" in page

        first = client.get(f"{home}attempts/1/").content.decode()
        assert "The attempt that counts is attempt 2 (10/10)." in first

    def test_no_try_again_once_the_attempts_are_used(self, client, home):
        configure(attempts_allowed=1)
        page = result_of(client, home, right=True)
        assert 'id="try-again"' not in page
        assert "You have used all your attempts." in page
        refused = client.get(home + "quiz/")
        assert refused.status_code == 409
        assert "used all the attempts" in refused.content.decode()

    def test_by_default_the_correct_answers_wait_for_the_last_attempt(self, client, home):
        configure(attempts_allowed=2)
        first = result_of(client, home, right=False)
        assert CORRECT_TAG not in first
        assert WRONG_TAG in first  # the marks show at once
        assert 'id="correct-hidden"' in first

        last = result_of(client, home, right=False)
        assert CORRECT_TAG in last
        assert 'id="correct-hidden"' not in last
        # ...and on the first attempt's page too, now that no attempt is left.
        assert CORRECT_TAG in client.get(f"{home}attempts/1/").content.decode()

    def test_a_score_shown_never_is_on_no_learner_page(self, client, home):
        configure(review_score="never")
        page = result_of(client, home, right=True)

        assert 'id="score"' not in page and "10/10" not in page
        assert "Your score reached the gradebook." in page
        assert 'id="score-hidden"' in page
        home_page = client.get(home).content.decode()
        assert "10 / 10" not in home_page and "counted score" not in home_page

    def test_feedback_shown_never_hides_every_explanation(self, client, home):
        configure(review_feedback="never")
        attempt = take_quiz(client, home, short_answer=SHORT_ANSWER_CORRECT, right=False)
        page = client.get(f"{home}attempts/{attempt.number}/").content.decode()

        explanations = [q["explanation"] for q in attempt.snapshot["questions"] if q["explanation"]]
        assert explanations
        assert not any(text in page for text in explanations)

    def test_marks_shown_after_the_close_date_are_hidden_before_it(self, client, home):
        configure(review_marks="after_close", closes_at=timezone.now() + timedelta(days=1))
        page = result_of(client, home, right=False)
        assert WRONG_TAG not in page and WRONG_MARK not in page

        configure(closes_at=timezone.now() - timedelta(seconds=1))
        page = client.get(f"{home}attempts/1/").content.decode()
        assert WRONG_MARK in page


class TestTiming:
    def test_the_quiz_page_counts_down_to_the_servers_deadline(self, client, home):
        configure(time_limit_minutes=20)
        page = client.get(home + "quiz/").content.decode()
        attempt = Attempt.objects.get()

        deadline = attempt.started_at + timedelta(minutes=20)
        assert f'data-deadline="{int(deadline.timestamp())}"' in page
        assert 'role="timer"' in page and "countdown.js" in page

    def test_an_untimed_quiz_has_no_countdown(self, client, home):
        assert 'id="countdown"' not in client.get(home + "quiz/").content.decode()

    def test_a_final_submit_after_the_grace_scores_the_saved_answers_and_says_so(
        self, client, home
    ):
        configure(time_limit_minutes=5)
        attempt = start_attempt(client, home)
        Attempt.objects.filter(pk=attempt.pk).update(
            started_at=timezone.now() - timedelta(minutes=6)
        )
        posted = {"attempt": attempt.pk}
        for question in attempt.snapshot["questions"]:
            if question["choices"]:
                right = [c["key"] for c in question["choices"] if c["is_correct"]]
                posted[f"q-{question['slot']}"] = right

        response = client.post(home + "quiz/", posted)

        assert response.status_code == 302
        attempt.refresh_from_db()
        assert attempt.is_submitted and attempt.score == 0
        assert 'id="time-up"' in client.get(response["Location"]).content.decode()

    def test_a_save_after_the_deadline_is_refused_in_json(self, client, home):
        configure(time_limit_minutes=5)
        attempt = start_attempt(client, home)
        Attempt.objects.filter(pk=attempt.pk).update(
            started_at=timezone.now() - timedelta(minutes=5, seconds=1)
        )
        response = client.post(
            home + "quiz/save/",
            json.dumps({"attempt": attempt.pk, "answers": {}}),
            content_type="application/json",
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 409
        assert "time for this attempt is up" in response.json()["error"]

    def test_an_overdue_attempt_is_submitted_and_graded_when_the_learner_comes_back(
        self, client, home
    ):
        configure(time_limit_minutes=5)
        attempt = start_attempt(client, home)
        Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - timedelta(hours=1))

        page = client.get(home).content.decode()

        attempt.refresh_from_db()
        assert attempt.is_submitted
        assert GradeDelivery.objects.get().score_given == 0
        assert "Attempt 1" in page and "Continue the quiz" not in page
        result = client.get(f"{home}attempts/1/").content.decode()
        assert "5 minutes" in result  # it ended at its deadline, not when she came back
        assert 'id="time-up"' in result

    def test_the_quiz_page_shows_the_result_of_an_attempt_that_ran_out_not_a_new_one(
        self, client, home
    ):
        configure(time_limit_minutes=5)
        attempt = start_attempt(client, home)
        Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - timedelta(hours=1))

        response = client.get(home + "quiz/")

        assert response.status_code == 302
        assert response["Location"].endswith("/attempts/1/")
        assert Attempt.objects.get().is_submitted  # and no second attempt was started
        assert client.get(home + "quiz/").status_code == 200  # a new one when asked again

    def test_an_overdue_attempt_is_submitted_when_an_instructor_opens_the_results(
        self, client, platform, home, roster
    ):
        configure(time_limit_minutes=5)
        attempt = start_attempt(client, home)
        Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - timedelta(hours=1))

        instructor = open_activity(client, platform, role="instructor")
        assert client.get(instructor + "results/").status_code == 200

        attempt.refresh_from_db()
        assert attempt.is_submitted
        assert GradeDelivery.objects.filter(user_sub="student-sub-1").count() == 1

    def test_before_the_open_date_the_quiz_cannot_start_and_the_page_says_when(self, client, home):
        opens = timezone.now() + timedelta(days=2)
        configure(opens_at=opens)

        page = client.get(home).content.decode()
        assert 'id="not-open"' in page and "Start the quiz" not in page
        # The time as local_time writes it: the UTC instant, for local_times.js to relabel.
        assert f'<time datetime="{opens.isoformat().replace("+00:00", "Z")}">' in page
        refused = client.get(home + "quiz/")
        assert refused.status_code == 409
        assert "not open yet" in refused.content.decode()

    def test_after_the_close_date_no_attempt_starts(self, client, home):
        configure(closes_at=timezone.now() - timedelta(minutes=1))
        assert 'id="closed"' in client.get(home).content.decode()
        assert client.get(home + "quiz/").status_code == 409


class TestInstructorSettings:
    def test_the_results_page_changes_the_review_rules_and_timing(
        self, client, platform, home, roster
    ):
        instructor = open_activity(client, platform, role="instructor")
        page = client.get(instructor + "results/").content.decode()
        assert 'id="review-rules"' in page

        response = client.post(
            instructor + "results/settings/",
            {
                "rules": "1",
                "review_score": "immediately",
                "review_marks": "after_last_attempt",
                "review_correct": "never",
                "review_feedback": "after_close",
                "time_limit": "30",
                "opens_at": "",
                "closes_at": "2026-12-31T23:00",
            },
        )

        assert response.status_code == 303
        placement = Placement.objects.get()
        assert (placement.review_marks, placement.review_correct) == ("after_last_attempt", "never")
        assert placement.time_limit_minutes == 30
        assert placement.closes_at.isoformat() == "2026-12-31T23:00:00+00:00"
        assert "review rules and timing apply" in client.get(response["Location"]).content.decode()

    def test_a_bad_time_limit_is_refused_with_words(self, client, platform, home, roster):
        instructor = open_activity(client, platform, role="instructor")
        response = client.post(instructor + "results/settings/", {"rules": "1", "time_limit": "-5"})
        assert response.status_code == 400
        assert "whole number of minutes" in response.content.decode()

    def test_a_student_cannot_change_them(self, client, home):
        response = client.post(home + "results/settings/", {"rules": "1", "time_limit": "1"})
        assert response.status_code == 403
        assert Placement.objects.get().time_limit_minutes is None

    def test_an_instructor_grants_one_learner_an_extra_attempt_and_time(
        self, client, platform, home, roster
    ):
        configure(attempts_allowed=1)
        take_quiz(client, home, short_answer=SHORT_ANSWER_CORRECT)
        assert "You have used all your attempts." in client.get(home).content.decode()

        instructor = open_activity(client, platform, role="instructor")
        form = client.get(instructor + "results/learner/?learner=student-sub-1")
        assert form.status_code == 200 and "Exceptions for Alice Student" in form.content.decode()
        saved = client.post(
            instructor + "results/learner/",
            {"learner": "student-sub-1", "extra_attempts": "1", "extra_minutes": "15"},
        )

        assert saved.status_code == 303
        override = LearnerOverride.objects.get()
        assert (override.extra_attempts, override.extra_minutes) == (1, 15)
        results = client.get(saved["Location"]).content.decode()
        assert 'data-testid="override-student-sub-1"' in results
        assert "Try again" in client.get(home).content.decode()

    def test_a_learner_not_on_the_page_cannot_be_granted_anything(
        self, client, platform, home, roster
    ):
        instructor = open_activity(client, platform, role="instructor")
        response = client.post(
            instructor + "results/learner/", {"learner": "nobody", "extra_attempts": "5"}
        )
        assert response.status_code == 403
        assert not LearnerOverride.objects.exists()


class TestThePicker:
    def test_the_rules_travel_as_custom_parameters_and_apply_on_launch(self, client, platform):
        url = picker_url(client, platform)
        assert 'name="review_correct"' in client.get(url).content.decode()

        response = choose(
            client,
            url,
            review_correct="after_close",
            review_feedback="never",
            time_limit="15",
            closes_at="2027-01-31T12:00",
        )
        _, token = posted_jwt(response)
        [item] = verified(token, platform)[
            "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
        ]
        custom = item["custom"]
        assert custom["review_correct"] == "after_close"
        assert custom["time_limit"] == "15" and custom["closes_at"] == "2027-01-31T12:00"
        assert "opens_at" not in custom  # empty: not sent

        client.get(f"/lti/activity/{launch_id_of(platform.launch(client, custom=custom))}/")
        placement = Placement.objects.get()
        assert (placement.review_correct, placement.review_feedback) == ("after_close", "never")
        assert placement.time_limit_minutes == 15
        assert placement.closes_at.isoformat() == "2027-01-31T12:00:00+00:00"

    def test_a_bad_time_limit_is_refused_on_the_picker(self, client, platform):
        response = choose(client, picker_url(client, platform), time_limit="0")
        assert response.status_code == 400
        assert "whole number of minutes" in response.content.decode()

    def test_a_junk_custom_rule_is_ignored_and_the_others_apply(self, client, platform):
        custom = {"review_score": "whenever", "time_limit": "20"}
        client.get(f"/lti/activity/{launch_id_of(platform.launch(client, custom=custom))}/")
        placement = Placement.objects.get()
        assert (placement.review_score, placement.time_limit_minutes) == ("", 20)


def test_the_sweep_command_submits_overdue_attempts_nobody_came_back_to(client, home):
    configure(time_limit_minutes=5)
    overdue = start_attempt(client, home)
    Attempt.objects.filter(pk=overdue.pk).update(started_at=timezone.now() - timedelta(hours=1))
    out = StringIO()

    call_command("close_overdue_attempts", stdout=out)

    overdue.refresh_from_db()
    assert overdue.is_submitted
    assert GradeDelivery.objects.get().user_sub == "student-sub-1"
    assert out.getvalue().strip() == "Submitted 1 overdue attempt."
