"""Reviewing a short answer from the results page and the submission page: the reviewer sees the
model answer, the accepted patterns and why the answer waits; gives full, partial or no credit
with a comment; the learner sees the comment and the gradebook gets the new score."""

from decimal import Decimal

import pytest

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.lti import nrps
from lti_quiz.lti.claims import MessageType
from lti_quiz.quiz.models import Placement, Response, ReviewScores
from tests.factories.results import open_activity, pending_response, roster_session, take_quiz
from tests.support.lti_platform import ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_quiz")]

NEGATED = "No source needed, the model is confident"
ALICE = {"user_id": "student-sub-1", "name": "Alice Student", "roles": ROLES["student"]}


@pytest.fixture
def alice(client, platform) -> str:
    """Alice's activity URL; her short answer says 'no source', which waits for review."""
    home = open_activity(client, platform)
    take_quiz(client, home, short_answer=NEGATED)
    return home


@pytest.fixture
def instructor(client, platform, monkeypatch, alice) -> str:
    monkeypatch.setattr(nrps, "http_session", roster_session)
    return open_activity(client, platform, role="instructor")


@pytest.fixture
def gradebook_review(client, platform, alice) -> str:
    """The submission page Irene opens from the gradebook's review of Alice's row."""
    response = platform.launch(
        client,
        role="instructor",
        message_type=MessageType.SUBMISSION_REVIEW.value,
        for_user=ALICE,
    )
    assert response.status_code == 303, response.content.decode()[:300]
    return response["Location"]


class TestWhatTheReviewerSees:
    def test_the_results_queue_shows_model_answer_patterns_and_reason(self, client, instructor):
        html = client.get(instructor + "results/").content.decode()

        assert NEGATED in html
        assert "trusted source or an expert" in html  # the model answer
        assert "<code>source*</code>" in html and "<code>shadow traffic</code>" in html
        assert '<dd data-testid="rejected-patterns"><code>aggregate*</code></dd>' in html
        assert "Matched `source*`, but &#x27;no&#x27; comes before it." in html
        assert 'step="0.5"' in html and 'max="1.00"' in html

    def test_the_submission_page_shows_them_too(self, client, gradebook_review):
        html = client.get(gradebook_review).content.decode()

        assert 'data-testid="model-answer"' in html
        assert "<code>test*</code>" in html
        assert "Matched `source*`, but &#x27;no&#x27; comes before it." in html


class TestPartialCreditFromTheResultsPage:
    def test_half_credit_with_a_comment_rescores_and_resends_the_grade(self, client, instructor):
        pending = pending_response()
        before = pending.attempt.score

        response = client.post(
            f"{instructor}results/review/{pending.pk}/",
            {"decision": "score", "score": "0.5", "comment": "A source is exactly what is needed."},
        )

        assert response.status_code == 303
        assert response["Location"].endswith("done=scored")
        pending.refresh_from_db()
        assert (pending.review_state, pending.score) == ("partial", Decimal("0.5"))
        assert pending.attempt.score == before + Decimal("0.5")
        sent = GradeDelivery.objects.latest("timestamp")
        assert sent.reason == GradeDelivery.Reason.REVIEW
        assert (sent.score_given, sent.grading_progress) == (before + Decimal("0.5"), "FullyGraded")

    def test_the_learner_sees_the_comment_and_the_partial_score(self, client, instructor, alice):
        pending = pending_response()
        client.post(
            f"{instructor}results/review/{pending.pk}/",
            {"decision": "score", "score": "0,5", "comment": "Say which source, & why."},
        )

        html = client.get(alice + "attempts/1/").content.decode()

        assert "Your instructor's comment:" in html
        assert "Say which source, &amp; why." in html  # plain text, escaped
        assert "Partly correct" in html
        assert "0.50 / 1" in html

    def test_the_same_decision_twice_sends_once_and_a_changed_one_sends_again(
        self, client, instructor
    ):
        url = f"{instructor}results/review/{pending_response().pk}/"
        form = {"decision": "score", "score": "0.5", "comment": "Half."}

        client.post(url, form)
        client.post(url, form)
        assert GradeDelivery.objects.filter(reason="review").count() == 1

        client.post(url, {**form, "score": "1"})
        assert GradeDelivery.objects.filter(reason="review").count() == 2
        assert GradeDelivery.objects.latest("timestamp").score_given == (
            Response.objects.get(slot=pending_slot()).attempt.score
        )

    def test_a_score_marked_pending_becomes_final_with_the_partial_credit(self, client, instructor):
        Placement.objects.update(review_scores=ReviewScores.MARKED_PENDING)
        pending = pending_response()
        before = pending.attempt.score

        client.post(
            f"{instructor}results/review/{pending.pk}/", {"decision": "score", "score": "0.5"}
        )

        sent = GradeDelivery.objects.latest("timestamp")
        assert (sent.score_given, sent.grading_progress) == (
            before + Decimal("0.5"),
            "FullyGraded",
        )


class TestRefusals:
    @pytest.mark.parametrize(
        ("form", "message"),
        [
            ({"decision": "score", "score": "lots"}, "is not a number"),
            ({"decision": "score", "score": ""}, "Type the score to give"),
            ({"decision": "score", "score": "2"}, "from 0 to 1 in steps of 0.5"),
            ({"decision": "score", "score": "-1"}, "from 0 to 1 in steps of 0.5"),
            ({"decision": "score", "score": "0.25"}, "from 0 to 1 in steps of 0.5"),
            ({"decision": "score", "score": "nan"}, "must be a number"),
            ({"decision": "accept", "comment": "x" * 1001}, "at most 1000 fit"),
        ],
    )
    def test_a_bad_review_is_refused_with_400_and_a_message(
        self, client, instructor, form, message
    ):
        response = client.post(f"{instructor}results/review/{pending_response().pk}/", form)

        assert response.status_code == 400
        assert message in response.content.decode()
        assert Response.objects.filter(review_state="pending").count() == 1
        assert not GradeDelivery.objects.filter(reason="review").exists()

    def test_the_submission_page_refuses_the_same_way(self, client, gradebook_review):
        response = client.post(
            f"{gradebook_review}review/{pending_response().pk}/",
            {"decision": "score", "score": "5"},
        )
        assert response.status_code == 400
        assert "from 0 to 1 in steps of 0.5" in response.content.decode()


def test_the_submission_page_gives_partial_credit_and_shows_it(client, gradebook_review):
    pending = pending_response()

    client.post(
        f"{gradebook_review}review/{pending.pk}/",
        {"decision": "score", "score": "0.5", "comment": "Name the source."},
    )

    html = client.get(gradebook_review).content.decode()
    assert "Partial credit from a reviewer" in html
    assert 'value="0.50"' in html and "Name the source.</textarea>" in html
    assert GradeDelivery.objects.latest("timestamp").reason == "review"


def pending_slot() -> str:
    return Response.objects.exclude(review_state="auto").get().slot
