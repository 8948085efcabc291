"""End to end over real HTTP with the practice LMS: a student submits, the grade reaches the
gradebook, and the instructor's "Review submission" there opens that student's attempt in the
tool (an LtiSubmissionReviewRequest with for_user, resource link and AGS line item)."""

import re

import pytest
import requests
from django.template.defaultfilters import floatformat

from lti_quiz.practice_lms.models import LaunchRequest
from lti_quiz.quiz.models import Attempt
from tests.factories.practice_lms import person
from tests.factories.results import deliver_grades, lms_take_quiz
from tests.support.answer_key import SHORT_ANSWER_CORRECT
from tests.support.browserless import forms_in, lms_launch, submit

pytestmark = pytest.mark.django_db(transaction=True)


def open_review(lms: str, href: str) -> requests.Response:
    """Follow the gradebook's link as the instructor's browser: login, id_token, the page."""
    browser = requests.Session()
    page = browser.get(lms + href, timeout=30)
    while forms := forms_in(page.text):
        if "id_token" not in forms[0].fields and "iss" not in forms[0].fields:
            break
        page = submit(browser, page, forms[0], forms[0].fields)
    return page


def test_the_instructor_reviews_a_students_submission_from_the_gradebook(lms):
    alice, bob = person("alice"), person("bob")
    browser, home = lms_launch(lms, alice.pk)
    lms_take_quiz(browser, home, short_answer=SHORT_ANSWER_CORRECT, wrong=2)
    deliver_grades()
    attempt = Attempt.objects.get(is_preview=False)

    gradebook = requests.get(f"{lms}/practice-lms/gradebook/", timeout=30).text
    # Only a student with a score has the button.
    assert f'data-testid="review-{bob.pk}"' not in gradebook
    href = re.search(rf'data-testid="review-{alice.pk}" href="([^"]+)"', gradebook)[1]
    page = open_review(lms, href)

    assert page.status_code == 200, page.text
    assert page.url.endswith("/submission/")
    assert f"Submission of {alice.name}" in page.text
    score = f"{floatformat(attempt.score, '-2')}/{floatformat(attempt.max_score, '-2')}"
    assert f'id="counted-score">{score}<' in page.text
    assert attempt.score < attempt.max_score  # two questions answered wrong, shown as such
    assert page.text.count("Not correct") == 2
    assert SHORT_ANSWER_CORRECT in page.text
    launch = LaunchRequest.objects.get(message_type=LaunchRequest.MessageType.SUBMISSION_REVIEW)
    assert (launch.person, launch.for_person) == (person("irene"), alice)
    assert launch.id_tokens_issued == 1
