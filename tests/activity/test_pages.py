"""The pages after a launch: lesson, quiz, result; who is graded; what a review sends."""

import re

import pytest

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.quiz.models import Attempt, Placement, Response
from lti_quiz.quiz.reviews import response_review
from tests.factories.results import open_activity
from tests.support.answer_key import SHORT_ANSWER_UNMATCHED
from tests.support.lti_platform import DROP

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_quiz")]


def submit_first_choices(client, home_url: str, *, short_answer: str) -> tuple[object, Attempt]:
    """Answer the first choice of every choice question, `short_answer` to the others, submit."""
    page = client.get(home_url + "quiz/").content.decode()
    attempt = Attempt.objects.get(pk=re.search(r'name="attempt" value="(\d+)"', page)[1])
    data: dict[str, object] = {"attempt": attempt.pk}
    for question in attempt.questions_for_display():
        if question["kind"] == "short_answer":
            data[f"q-{question['slot']}-text"] = short_answer
        else:
            data[f"q-{question['slot']}"] = question["choices"][0]["key"]
    return client.post(home_url + "quiz/", data), attempt


def test_the_activity_page_shows_the_lesson_and_may_be_framed_by_the_platform(client, platform):
    home = client.get(open_activity(client, platform))

    assert home.status_code == 200
    html = home.content.decode()
    assert "Distillation Tradeoffs: When Smaller Models Quietly Lose" in html
    assert "Start the quiz" in html
    assert "X-Frame-Options" not in home
    assert platform.issuer in home["Content-Security-Policy"]


def test_a_launch_without_grade_service_still_works_and_says_it_is_not_graded(client, platform):
    home_url = open_activity(client, platform, ags_endpoint=DROP)

    assert "not graded in your course" in client.get(home_url).content.decode()
    response, _ = submit_first_choices(client, home_url, short_answer="test it")
    assert response.status_code == 302
    assert GradeDelivery.objects.count() == 0


def test_a_student_submission_writes_one_grade_delivery_for_the_counted_score(client, platform):
    home_url = open_activity(client, platform)

    response, attempt = submit_first_choices(
        client, home_url, short_answer="compare with the teacher model"
    )

    attempt.refresh_from_db()
    delivery = GradeDelivery.objects.get()
    assert (delivery.user_sub, delivery.score_given) == ("student-sub-1", attempt.score)
    assert (delivery.activity_progress, delivery.grading_progress) == ("Completed", "FullyGraded")
    assert client.get(response["Location"]).status_code == 200


def test_the_result_page_can_ask_where_the_score_is(client, platform):
    home_url = open_activity(client, platform)
    submit_first_choices(client, home_url, short_answer="test it")

    assert client.get(home_url + "grade/").json() == {"state": "pending"}
    GradeDelivery.objects.update(state=GradeDelivery.State.FAILED)
    assert client.get(home_url + "grade/").json() == {"state": "failed"}


def test_a_script_asking_an_expired_launch_for_the_score_gets_json_not_a_page(client, db):
    response = client.get("/lti/activity/no-such-launch/grade/", HTTP_ACCEPT="application/json")

    assert response.status_code == 410
    assert response["Content-Type"] == "application/json"
    assert "Go back to your course" in response.json()["error"]
    assert response.json()["code"] == "gone"


def test_an_instructor_review_sends_the_final_fully_graded_score(client, platform):
    home_url = open_activity(client, platform)
    _, attempt = submit_first_choices(client, home_url, short_answer=SHORT_ANSWER_UNMATCHED)
    pending = Response.objects.get(attempt=attempt, review_state=Response.ReviewState.PENDING)
    assert GradeDelivery.objects.get().grading_progress == "PendingManual"

    response_review(response_id=pending.pk, accepted=True)

    review = GradeDelivery.objects.order_by("-timestamp").first()
    attempt.refresh_from_db()
    assert review.reason == GradeDelivery.Reason.REVIEW
    assert (review.score_given, review.grading_progress) == (attempt.score, "FullyGraded")


def test_a_staff_preview_is_never_graded(client, platform):
    home_url = open_activity(client, platform, role="instructor")
    assert "Preview the quiz" in client.get(home_url).content.decode()

    submit_first_choices(client, home_url, short_answer="test it")

    assert Attempt.objects.get().is_preview
    assert GradeDelivery.objects.count() == 0


def test_an_unknown_launch_id_gets_a_page_that_says_to_open_the_activity_again(client, db):
    response = client.get("/lti/activity/not-a-launch/")

    assert response.status_code == 410
    assert "open the activity again" in response.content.decode()


def test_a_student_cannot_submit_someone_elses_attempt(client, platform):
    home_url = open_activity(client, platform)
    _, attempt = submit_first_choices(client, home_url, short_answer="test")
    other_home = open_activity(client, platform, sub="someone-else")

    response = client.post(other_home + "quiz/", {"attempt": attempt.pk})

    # The same status the API gives the same error (AttemptNotFound: 404).
    assert response.status_code == 404
    assert "does not exist or is not yours" in response.content.decode()
    assert GradeDelivery.objects.count() == 1


def test_a_tampered_form_gets_a_clear_error_not_a_crash(client, platform):
    home_url = open_activity(client, platform)

    response = client.post(home_url + "quiz/", {"attempt": "abc"})

    assert response.status_code == 400
    assert "Reload the page" in response.content.decode()


def test_each_resource_link_is_its_own_placement_with_its_own_attempts(client, platform):
    section_b = open_activity(client, platform, resource_link={"id": "b", "title": "Quiz, B"})
    section_c = open_activity(client, platform, resource_link={"id": "c", "title": "Quiz, C"})

    submit_first_choices(client, section_b, short_answer="test it")
    page_c = client.get(section_c).content.decode()

    assert sorted(Placement.objects.values_list("title", flat=True)) == ["Quiz, B", "Quiz, C"]
    assert "Start the quiz" in page_c  # section B's attempt does not count in section C
