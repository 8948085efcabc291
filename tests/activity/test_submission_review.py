"""Submission review (LtiSubmissionReviewRequest): an instructor opens a learner's submission from
the LMS gradebook and sees that learner's attempts; nobody else does."""

import pytest
from django.template.defaultfilters import floatformat

from lti_quiz.lti.claims import MessageType
from lti_quiz.lti.context import launch_context_load
from lti_quiz.lti.models import ResourceLink
from lti_quiz.quiz.models import Attempt, Response
from tests.factories.results import open_activity, pending_response, take_quiz
from tests.support.answer_key import SHORT_ANSWER_CORRECT, SHORT_ANSWER_UNMATCHED
from tests.support.lti_platform import DROP, ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_quiz")]

ALICE = {"user_id": "student-sub-1", "name": "Alice Student", "roles": ROLES["student"]}


def review_launch(client, platform, *, role: str = "instructor", **claims):
    claims.setdefault("message_type", MessageType.SUBMISSION_REVIEW.value)
    claims.setdefault("for_user", ALICE)
    return platform.launch(client, role=role, **claims)


@pytest.fixture
def instructor(client, platform, student) -> str:
    """The submission page Irene reaches from the gradebook's "review" on Alice's row."""
    response = review_launch(client, platform)
    assert response.status_code == 303, response.content.decode()[:300]
    return response["Location"]


class TestTheLaunch:
    def test_a_staff_review_launch_lands_on_the_submission_page_with_the_learner_kept(
        self, client, platform, student
    ):
        response = review_launch(client, platform)

        assert response.status_code == 303
        location = response["Location"]
        assert location.startswith("/lti/activity/") and location.endswith("/submission/")
        context = launch_context_load(location.split("/")[3])
        assert context is not None
        assert (context.for_user_id, context.for_user_name) == ("student-sub-1", "Alice Student")
        assert context.message_type == MessageType.SUBMISSION_REVIEW

    def test_a_learners_review_launch_is_refused_with_403(self, client, platform, student):
        response = review_launch(client, platform, role="student")

        assert response.status_code == 403
        assert "Only instructors of this course" in response.content.decode()

    def test_a_review_launch_without_for_user_is_refused_with_400(self, client, platform):
        response = review_launch(client, platform, for_user=DROP)

        assert response.status_code == 400
        assert "did not say whose" in response.content.decode()

    def test_a_review_launch_with_a_for_user_without_user_id_is_refused(self, client, platform):
        response = review_launch(client, platform, for_user={"name": "Alice Student"})

        assert response.status_code == 400

    def test_a_review_launch_without_resource_link_is_refused(self, client, platform):
        response = review_launch(client, platform, resource_link=DROP)

        assert response.status_code == 400
        assert "of which activity" in response.content.decode()

    def test_a_review_launch_without_nrps_keeps_the_links_roster_url(
        self, client, platform, student
    ):
        before = ResourceLink.objects.get().nrps_url
        assert before

        review_launch(client, platform, nrps=DROP)

        assert ResourceLink.objects.get().nrps_url == before

    def test_a_plain_launch_still_opens_the_activity_home(self, client, platform):
        location = open_activity(client, platform, role="instructor")

        assert not location.endswith("/submission/")
        assert launch_context_load(location.split("/")[3]).for_user_id == ""


class TestThePage:
    def test_the_instructor_sees_the_learners_attempt_and_answers(self, client, instructor):
        response = client.get(instructor)

        assert response.status_code == 200
        html = response.content.decode()
        attempt = Attempt.objects.get(is_preview=False)
        assert "Submission of Alice Student" in html
        assert f'id="attempt-{attempt.number}"' in html
        score = f"{floatformat(attempt.score, '-2')}/{floatformat(attempt.max_score, '-2')}"
        assert f'id="counted-score">{score}<' in html
        assert SHORT_ANSWER_UNMATCHED in html
        assert "Waiting for review" in html
        assert f'data-testid="review-{pending_response().pk}"' in html
        assert 'data-testid="counted"' in html
        assert "X-Frame-Options" not in response
        assert "frame-ancestors" in response["Content-Security-Policy"]

    def test_the_counted_attempt_comes_first(self, client, platform, student):
        # Alice takes a second, better attempt; the default policy counts the highest.
        take_quiz(client, student, short_answer=SHORT_ANSWER_CORRECT)
        first, second = Attempt.objects.filter(is_preview=False).order_by("number")
        assert second.score > first.score
        page = client.get(review_launch(client, platform)["Location"]).content.decode()

        assert page.index('id="attempt-2"') < page.index('id="attempt-1"')
        assert page.index('data-testid="counted"') < page.index('id="attempt-1"')

    def test_an_unknown_learner_has_a_page_saying_there_are_no_attempts(
        self, client, platform, student
    ):
        stranger = {"user_id": "nobody-sub", "name": "Nora Nobody"}
        response = client.get(review_launch(client, platform, for_user=stranger)["Location"])

        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="no-attempts"' in html
        assert "Nora Nobody has not submitted an attempt" in html
        assert SHORT_ANSWER_UNMATCHED not in html

    def test_the_instructors_own_preview_is_not_shown_as_the_learners(self, client, platform):
        irene = {"user_id": "instructor-sub-1", "name": "Irene Instructor"}
        home = open_activity(client, platform, role="instructor")
        take_quiz(client, home, short_answer=SHORT_ANSWER_CORRECT)  # a preview
        html = client.get(review_launch(client, platform, for_user=irene)["Location"]).content

        assert b'id="no-attempts"' in html

    def test_a_learners_activity_launch_id_cannot_open_the_page(self, client, student):
        response = client.get(student + "submission/")

        assert response.status_code == 403

    def test_a_plain_staff_launch_has_no_learner_to_show(self, client, platform):
        home = open_activity(client, platform, role="instructor")

        response = client.get(home + "submission/")

        assert response.status_code == 400
        assert "did not name a student" in response.content.decode()

    def test_an_expired_launch_gets_410(self, client, platform):
        response = client.get("/lti/activity/not-a-launch/submission/")

        assert response.status_code == 410


class TestReviewFromThePage:
    def test_accepting_marks_the_answer_and_returns_to_the_submission(self, client, instructor):
        pending = pending_response()

        response = client.post(f"{instructor}review/{pending.pk}/", {"decision": "accept"})

        assert response.status_code == 303
        assert response["Location"] == f"{instructor}?done=accepted"
        pending.refresh_from_db()
        assert pending.review_state == Response.ReviewState.ACCEPTED
        page = client.get(response["Location"]).content.decode()
        assert "Answer accepted" in page
        assert "Accepted by a reviewer" in page

    def test_rejecting_marks_the_answer_rejected(self, client, instructor):
        pending = pending_response()

        client.post(f"{instructor}review/{pending.pk}/", {"decision": "reject"})

        pending.refresh_from_db()
        assert pending.review_state == Response.ReviewState.REJECTED

    def test_another_learners_answer_cannot_be_decided_from_this_page(
        self, client, platform, student
    ):
        bob = {"user_id": "bob-sub", "name": "Bob Builder"}
        page = review_launch(client, platform, for_user=bob)["Location"]
        pending = pending_response()  # Alice's

        response = client.post(f"{page}review/{pending.pk}/", {"decision": "accept"})

        assert response.status_code == 403
        pending.refresh_from_db()
        assert pending.review_state == Response.ReviewState.PENDING

    def test_a_learner_cannot_post_a_decision(self, client, student):
        pending = pending_response()

        response = client.post(f"{student}submission/review/{pending.pk}/", {"decision": "accept"})

        assert response.status_code == 403
        pending.refresh_from_db()
        assert pending.review_state == Response.ReviewState.PENDING

    def test_a_decision_other_than_accept_or_reject_is_refused(self, client, instructor):
        response = client.post(f"{instructor}review/{pending_response().pk}/", {"decision": "x"})

        assert response.status_code == 400
