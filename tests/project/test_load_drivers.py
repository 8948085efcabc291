"""`make bench` and `make spike` answer the quiz page as a student reading it would. A change to
the page's markup once left them finding no question text (every simulated student failed with
a KeyError), and no test noticed: this one takes the quiz with their answers."""

import pytest

from bench import course as course_bench
from bench.client import correct_answers
from bench.env import STUDENT_EMAIL_DOMAIN
from lti_quiz.practice_lms.models import Course, Person
from lti_quiz.quiz.models import Attempt
from tests.factories.practice_lms import person
from tests.factories.quiz import load_seed_content
from tests.factories.results import open_activity


@pytest.mark.django_db
def test_the_load_drivers_answer_the_seed_quiz_right_from_its_page(client, platform):
    load_seed_content()
    home = open_activity(client, platform)
    page = client.get(home + "quiz/")

    answers = correct_answers(page.content.decode())
    response = client.post(home + "quiz/", answers)

    assert response.status_code == 302
    attempt = Attempt.objects.get()
    assert attempt.score == attempt.max_score > 0


@pytest.mark.django_db(transaction=True)
def test_the_course_seeder_sits_a_class_and_the_instructor_s_pages_answer_for_it(lms):
    course = Course.objects.order_by("id").first()
    students = [
        Person.objects.create(
            course=course,
            email=f"student{n:04d}@{STUDENT_EMAIL_DOMAIN}",
            given_name="Student",
            family_name=f"{n:04d}",
            name=f"Student {n:04d}",
            role=Person.Role.STUDENT,
            position=100 + n,
        ).pk
        for n in range(8)
    ]

    counts = course_bench.seed(lms, students, seed_value=1)
    url = course_bench.instructor_results_url(lms, person("irene").pk)
    rows = course_bench.time_pages(url, lambda: None)

    assert "failed" not in counts and sum(counts.values()) == 8
    submitted = Attempt.objects.filter(status=Attempt.Status.SUBMITTED, is_preview=False)
    assert submitted.count() == counts.get("submitted", 0) > 0
    assert [row["label"] for row in rows] == [label for label, _ in course_bench.PAGES]
