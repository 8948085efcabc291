"""The instructor results page: who may see it, what it shows, and what its buttons write."""

import pytest
from django.test import Client

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.lti import nrps
from lti_quiz.quiz.models import Response
from tests.factories.grades import FakeSession, reply
from tests.factories.results import (
    MEMBERSHIPS_URL,
    TOKEN_URL,
    member,
    open_activity,
    pending_response,
    roster_session,
    take_quiz,
)
from tests.support.answer_key import SHORT_ANSWER_CORRECT, SHORT_ANSWER_UNMATCHED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_quiz")]

OTHER_MEMBERSHIPS_URL = MEMBERSHIPS_URL.replace("/1/", "/2/")
OTHER_COURSE = {
    "context": {"id": "course-2", "label": "AI102", "title": "Another course"},
    "resource_link": {"id": "link-2", "title": "Quiz in course 2"},
    "nrps": {"context_memberships_url": OTHER_MEMBERSHIPS_URL, "service_versions": ["2.0"]},
}


@pytest.fixture
def roster(monkeypatch) -> FakeSession:
    """The platform's rosters: Irene (instructor), Alice and Bob (learners) in course 1;
    Olga (instructor) and Carl in course 2."""
    session = roster_session()
    course_2 = [member("olga-sub", "Olga Other", "Instructor"), member("carl-sub", "Carl Other")]
    session.on("GET", OTHER_MEMBERSHIPS_URL, reply(json_body={"members": course_2}))
    monkeypatch.setattr(nrps, "http_session", lambda: session)
    return session


@pytest.fixture
def instructor(client, platform, roster) -> str:
    """Irene's activity URL in the same course and link as Alice."""
    return open_activity(client, platform, role="instructor")


@pytest.fixture
def other_instructor(client, platform, roster) -> str:
    """Olga teaches another course; her launch is of another link (so another placement)."""
    return open_activity(client, platform, role="instructor", sub="olga-sub", **OTHER_COURSE)


class TestWhoMaySeeIt:
    def test_an_instructor_of_the_course_sees_the_results(self, client, student, instructor):
        response = client.get(instructor + "results/")

        assert response.status_code == 200
        html = response.content.decode()
        assert "Alice Student" in html
        assert "Answers waiting for review" in html
        assert "X-Frame-Options" not in response
        assert "frame-ancestors" in response["Content-Security-Policy"]

    def test_the_activity_page_links_staff_to_the_results(self, client, student, instructor):
        assert "results/" in client.get(instructor).content.decode()
        assert "results/" not in client.get(student).content.decode()

    @pytest.mark.parametrize(
        "path", ["results/", "results/export.csv", "results/resend/", "results/resend-failed/"]
    )
    def test_a_student_who_guesses_the_url_gets_403(self, client, student, path):
        send = client.post if "resend" in path else client.get

        response = send(student + path, {"delivery": GradeDelivery.objects.get().pk})

        assert response.status_code == 403
        assert "Only instructors of this course" in response.content.decode()
        assert GradeDelivery.objects.count() == 1

    def test_a_student_cannot_review_their_own_answer(self, client, student):
        response = client.post(
            student + f"results/review/{pending_response().pk}/", {"decision": "accept"}
        )

        assert response.status_code == 403
        assert pending_response().review_state == Response.ReviewState.PENDING

    def test_an_expired_launch_gets_410(self, client, db):
        for path in ("results/", "results/export.csv"):
            response = client.get(f"/lti/activity/expired-launch-id/{path}")
            assert response.status_code == 410
            assert "open the activity again" in response.content.decode()
        response = client.post("/lti/activity/expired-launch-id/results/resend-failed/")
        assert response.status_code == 410

    def test_an_instructor_of_another_course_sees_only_their_own_learners(
        self, client, student, other_instructor
    ):
        response = client.get(other_instructor + "results/")

        assert response.status_code == 200
        html = response.content.decode()
        assert "Carl Other" in html
        assert "Alice Student" not in html
        assert "student-sub-1" not in html

    def test_an_instructor_of_another_course_cannot_review_this_courses_answers(
        self, client, student, other_instructor
    ):
        response = client.post(
            other_instructor + f"results/review/{pending_response().pk}/", {"decision": "accept"}
        )

        assert response.status_code == 403
        assert "belongs to another activity" in response.content.decode()
        assert pending_response().review_state == Response.ReviewState.PENDING
        assert GradeDelivery.objects.count() == 1

    def test_an_instructor_of_another_course_cannot_resend_this_courses_scores(
        self, client, student, other_instructor
    ):
        delivery = GradeDelivery.objects.get()

        response = client.post(other_instructor + "results/resend/", {"delivery": delivery.pk})

        assert response.status_code == 403
        assert GradeDelivery.objects.count() == 1

    def test_staff_actions_need_no_cookie_csrf_token(self, platform, student, instructor):
        # Inside an LMS iframe our cookies may be dropped: the launch id is the secret.
        strict = Client(enforce_csrf_checks=True)

        response = strict.post(instructor + "results/resend-failed/")

        assert response.status_code == 303


class TestWhatItShows:
    def test_it_merges_the_roster_with_learners_who_are_not_in_it(
        self, client, platform, student, roster
    ):
        dropped = open_activity(client, platform, sub="dropped-sub", name="Dan Dropped")
        take_quiz(client, dropped, short_answer=SHORT_ANSWER_CORRECT)
        page = open_activity(client, platform, role="instructor")

        html = client.get(page + "results/").content.decode()

        assert "Bob Builder" in html  # in the roster, no attempt yet
        assert "Irene Instructor" not in html  # staff are not learners
        assert 'data-testid="learner-dropped-sub"' in html
        assert "not in the course roster" in html
        assert roster.to("GET", MEMBERSHIPS_URL)

    def test_it_shows_each_learners_counted_score_and_delivery_state(
        self, client, student, instructor
    ):
        GradeDelivery.objects.update(
            state=GradeDelivery.State.FAILED, last_error="HTTP 422: user not in course"
        )

        html = client.get(instructor + "results/").content.decode()

        counted = Response.objects.get(review_state="pending").attempt.score
        assert f"{counted:.0f} / 10" in html
        assert "pending review" in html
        assert 'data-testid="state-student-sub-1">failed<' in html
        assert "HTTP 422: user not in course" in html
        assert "Send all failed scores again (1)" in html

    def test_the_review_queue_shows_the_question_and_the_answer(self, client, student, instructor):
        html = client.get(instructor + "results/").content.decode()

        assert "Name one way to verify an AI answer about distillation." in html
        assert SHORT_ANSWER_UNMATCHED in html
        assert f'results/review/{pending_response().pk}/"' in html

    def test_the_statistics_chart_has_a_bar_per_question(self, client, student, instructor):
        html = client.get(instructor + "results/").content.decode()

        assert html.count('data-testid="bar-') == 10
        assert "<svg" in html and "100%</text>" in html

    def test_a_roster_the_platform_refuses_is_explained_and_attempts_still_show(
        self, client, platform, student, monkeypatch
    ):
        refusing = (
            FakeSession()
            .on("POST", TOKEN_URL, reply(400, json_body={"error": "invalid_scope"}))
            .on("GET", MEMBERSHIPS_URL, reply(500))
        )
        monkeypatch.setattr(nrps, "http_session", lambda: refusing)
        page = open_activity(client, platform, role="instructor")

        response = client.get(page + "results/")

        assert response.status_code == 200
        html = response.content.decode()
        assert "The course roster could not be read from the platform" in html
        assert "invalid_scope" in html
        assert 'data-testid="learner-student-sub-1"' in html


class TestActions:
    def test_resend_writes_a_newer_delivery_of_the_same_score(self, client, student, instructor):
        first = GradeDelivery.objects.get()
        GradeDelivery.objects.update(state=GradeDelivery.State.FAILED, last_error="HTTP 503")

        response = client.post(instructor + "results/resend/", {"delivery": first.pk})

        assert response.status_code == 303
        assert response["Location"].endswith("results/?done=resent")
        resend = GradeDelivery.objects.latest("timestamp")
        assert resend.pk != first.pk
        assert resend.reason == GradeDelivery.Reason.RESEND
        assert resend.timestamp > first.timestamp
        assert (resend.score_given, resend.grading_progress) == (first.score_given, "PendingManual")
        assert resend.state == GradeDelivery.State.PENDING
        assert "queued to be sent again" in client.get(response["Location"]).content.decode()

    def test_resending_an_older_delivery_is_refused_in_words(self, client, student, instructor):
        first = GradeDelivery.objects.get()
        client.post(instructor + "results/resend/", {"delivery": first.pk})

        response = client.post(instructor + "results/resend/", {"delivery": first.pk})

        assert response.status_code == 409
        assert "has a newer one" in response.content.decode()
        assert GradeDelivery.objects.count() == 2

    def test_resend_all_failed_resends_only_the_failed_ones(
        self, client, platform, student, instructor
    ):
        bob = open_activity(client, platform, sub="bob-sub")
        take_quiz(client, bob, short_answer=SHORT_ANSWER_CORRECT)
        GradeDelivery.objects.filter(user_sub="student-sub-1").update(state="failed")

        response = client.post(instructor + "results/resend-failed/")

        assert response["Location"].endswith("done=resent-failed")
        resends = GradeDelivery.objects.filter(reason=GradeDelivery.Reason.RESEND)
        assert [d.user_sub for d in resends] == ["student-sub-1"]

    def test_accepting_an_answer_sends_the_final_fully_graded_score(
        self, client, student, instructor
    ):
        before = pending_response().attempt.score

        response = client.post(
            instructor + f"results/review/{pending_response().pk}/", {"decision": "accept"}
        )

        assert response["Location"].endswith("done=accepted")
        review = GradeDelivery.objects.latest("timestamp")
        assert review.reason == GradeDelivery.Reason.REVIEW
        assert (review.score_given, review.grading_progress) == (before + 1, "FullyGraded")
        html = client.get(instructor + "results/").content.decode()
        assert "No answers are waiting for review." in html

    def test_rejecting_an_answer_sends_the_same_score_as_final(self, client, student, instructor):
        response_id = pending_response().pk
        before = Response.objects.get(pk=response_id).attempt.score

        client.post(instructor + f"results/review/{response_id}/", {"decision": "reject"})

        review = GradeDelivery.objects.latest("timestamp")
        assert (review.score_given, review.grading_progress) == (before, "FullyGraded")
        assert Response.objects.get(pk=response_id).review_state == "rejected"

    def test_the_same_decision_twice_sends_one_score(self, client, student, instructor):
        url = instructor + f"results/review/{pending_response().pk}/"

        client.post(url, {"decision": "accept"})
        client.post(url, {"decision": "accept"})

        assert GradeDelivery.objects.filter(reason=GradeDelivery.Reason.REVIEW).count() == 1

    def test_an_unknown_decision_is_refused(self, client, student, instructor):
        response = client.post(
            instructor + f"results/review/{pending_response().pk}/", {"decision": "maybe"}
        )

        assert response.status_code == 400
        assert pending_response().review_state == Response.ReviewState.PENDING


def test_a_member_listed_without_names_is_shown_by_user_id(client, platform, monkeypatch):
    bare = roster_session([member("x-sub", "", email="")])
    monkeypatch.setattr(nrps, "http_session", lambda: bare)
    page = open_activity(client, platform, role="instructor")

    html = client.get(page + "results/").content.decode()

    assert "<strong>x-sub</strong>" in html
