"""The results page's gradebook actions: send every grade again, a learner's grade history, and
the gradebook column kept in step with the quiz's title and maximum."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lti_quiz.grades.models import GradeDelivery, LineItemUpdate
from lti_quiz.lti import nrps
from lti_quiz.quiz.models import Question, Quiz
from lti_quiz.quiz.services import quiz_max_score
from tests.factories.quiz import make_quiz
from tests.factories.results import open_activity, roster_session, take_quiz
from tests.support.answer_key import SHORT_ANSWER_CORRECT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_quiz")]


@pytest.fixture(autouse=True)
def roster(monkeypatch):
    session = roster_session()
    monkeypatch.setattr(nrps, "http_session", lambda: session)
    return session


@pytest.fixture
def instructor(client, platform) -> str:
    return open_activity(client, platform, role="instructor")


def learner_submits(client, platform, sub: str) -> None:
    home = open_activity(client, platform, sub=sub)
    take_quiz(client, home, short_answer=SHORT_ANSWER_CORRECT)


def newest_pk() -> int:
    return GradeDelivery.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


class TestSendEveryGradeAgain:
    def test_it_queues_each_learners_current_score_with_a_fresh_timestamp(
        self, client, platform, student, instructor
    ):
        learner_submits(client, platform, "bob-sub")
        before = {d.user_sub: d for d in GradeDelivery.objects.all()}

        response = client.post(instructor + "results/resend-all/", {"since": newest_pk()})

        assert response.status_code == 303
        assert response["Location"].endswith("results/?done=resent-all")
        again = GradeDelivery.objects.filter(reason=GradeDelivery.Reason.RESEND_ALL)
        assert sorted(again.values_list("user_sub", flat=True)) == ["bob-sub", "student-sub-1"]
        for delivery in again:
            first = before[delivery.user_sub]
            assert delivery.timestamp > first.timestamp
            assert (delivery.score_given, delivery.score_maximum) == (
                first.score_given,
                first.score_maximum,
            )
            assert delivery.state == GradeDelivery.State.PENDING
        assert "queued to be sent again" in client.get(response["Location"]).content.decode()

    def test_a_double_click_sends_each_grade_once(self, client, platform, student, instructor):
        since = newest_pk()

        client.post(instructor + "results/resend-all/", {"since": since})
        second = client.post(instructor + "results/resend-all/", {"since": since})

        assert second["Location"].endswith("results/?done=nothing-to-resend")
        assert GradeDelivery.objects.filter(reason=GradeDelivery.Reason.RESEND_ALL).count() == 1

    def test_its_queries_do_not_grow_with_the_class(self, client, platform, student, instructor):
        def queries_to_resend_all() -> int:
            with CaptureQueriesContext(connection) as captured:
                client.post(instructor + "results/resend-all/", {"since": newest_pk()})
            return len(captured)

        with_one = queries_to_resend_all()
        for sub in ("bob-sub", "carl-sub", "dana-sub", "erin-sub"):
            learner_submits(client, platform, sub)
        with_five = queries_to_resend_all()

        assert GradeDelivery.objects.filter(reason=GradeDelivery.Reason.RESEND_ALL).count() == 6
        assert with_five == with_one

    def test_a_student_who_guesses_the_url_gets_403(self, client, student):
        response = client.post(student + "results/resend-all/", {"since": 0})

        assert response.status_code == 403
        assert GradeDelivery.objects.count() == 1

    def test_the_results_page_has_the_button_with_its_confirmation(self, client, instructor):
        html = client.get(instructor + "results/").content.decode()

        assert 'id="resend-all"' in html
        assert "Send every grade again" in html
        assert "data-confirm=" in html


class TestGradeHistory:
    def test_it_lists_every_delivery_with_the_lms_answer(self, client, student, instructor):
        first = GradeDelivery.objects.get()
        GradeDelivery.objects.filter(pk=first.pk).update(
            state="failed", answer_status=400, answer_body="User not found in course"
        )
        client.post(instructor + "results/resend/", {"delivery": first.pk})

        results = client.get(instructor + "results/").content.decode()
        assert "results/grades/?learner=student-sub-1" in results
        html = client.get(instructor + "results/grades/?learner=student-sub-1").content.decode()

        assert html.count('data-testid="delivery-') == 2
        assert "HTTP 400" in html and "User not found in course" in html
        assert "sent again by staff" in html

    def test_a_learner_with_nothing_sent_here_is_not_found(self, client, student, instructor):
        response = client.get(instructor + "results/grades/?learner=someone-else")

        assert response.status_code == 403

    def test_a_student_cannot_read_it(self, client, student):
        response = client.get(student + "results/grades/?learner=student-sub-1")

        assert response.status_code == 403


class TestColumnInStep:
    def test_nothing_is_queued_while_the_maximum_is_the_one_scores_carry(
        self, client, student, instructor
    ):
        client.get(instructor + "results/")

        assert not LineItemUpdate.objects.exists()

    def test_a_quiz_whose_maximum_changed_gets_its_column_updated_once(
        self, client, student, instructor
    ):
        quiz = Quiz.objects.default()
        question = next(q for q in quiz.ordered_questions() if q.points)
        Question.objects.filter(pk=question.pk).update(points=question.points + 4)
        new_maximum = quiz_max_score(quiz)
        assert new_maximum != GradeDelivery.objects.get().score_maximum

        html = client.get(instructor + "results/").content.decode()
        client.get(instructor + "results/")

        update = LineItemUpdate.objects.get()
        assert (update.label, update.score_maximum) == (quiz.title, new_maximum)
        assert update.state == LineItemUpdate.State.PENDING
        assert 'id="lineitem-state"' in html

    def test_a_failed_update_says_why_and_can_be_tried_again(self, client, student, instructor):
        quiz = Quiz.objects.default()
        update = LineItemUpdate.objects.create(
            resource_link=GradeDelivery.objects.get().resource_link,
            label=quiz.title,
            score_maximum=quiz_max_score(quiz),
            state="failed",
            last_error="Line item update: HTTP 412 The specified LTI link ID is not associated",
        )

        html = client.get(instructor + "results/").content.decode()
        response = client.post(instructor + "results/lineitem-retry/", {"update": update.pk})

        assert "HTTP 412 The specified LTI link ID" in html
        assert response["Location"].endswith("results/?done=lineitem-retry")
        assert LineItemUpdate.objects.latest("pk").state == LineItemUpdate.State.PENDING


class TestDeepLinkedAgain:
    def test_a_link_pointed_at_another_quiz_gets_that_quizs_title_and_maximum(
        self, client, platform
    ):
        seed = {"quiz": "distillation-tradeoffs"}
        client.get(open_activity(client, platform, role="instructor", custom=seed))
        other = make_quiz(slug="other")

        client.get(open_activity(client, platform, role="instructor", custom={"quiz": "other"}))

        update = LineItemUpdate.objects.get()
        assert (update.label, update.score_maximum) == ("Quiz other", quiz_max_score(other))
        assert update.state == LineItemUpdate.State.PENDING
