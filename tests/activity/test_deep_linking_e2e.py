"""Deep linking end to end over real HTTP: the practice LMS's instructor adds the quiz with one
attempt, the LMS creates the link and its line item, and a student's launch of that link gets
one attempt (1EdTech tool certification: a deep linking request, then a launch of the returned
link)."""

import jwt
import pytest
import requests

from lti_quiz.practice_lms.models import LaunchRequest, LineItem, Person, ResourceLink
from lti_quiz.quiz.models import Placement
from tests.support.answer_key import SHORT_ANSWER_CORRECT
from tests.support.browserless import answer_quiz, forms_in, submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def instructor(lms) -> Person:
    return Person.objects.get(role=Person.Role.INSTRUCTOR)


@pytest.fixture
def student(lms) -> Person:
    return Person.objects.filter(role=Person.Role.STUDENT).order_by("position", "id").first()


def follow_launch(browser: requests.Session, page: requests.Response) -> requests.Response:
    """Auto-submit the platform's and the tool's launch forms, as a browser's script would."""
    while forms := forms_in(page.text):
        if "id_token" not in forms[0].fields and "iss" not in forms[0].fields:
            break
        page = submit(browser, page, forms[0], forms[0].fields)
    return page


def picker(lms: str, instructor: Person) -> tuple[requests.Session, requests.Response]:
    browser = requests.Session()
    page = browser.get(f"{lms}/practice-lms/deep-link/{instructor.pk}/", timeout=30)
    page = follow_launch(browser, page)
    assert page.status_code == 200, page.text
    assert "/lti/deep-link/" in page.url
    return browser, page


# The picker's form as an instructor fills it in: one attempt, highest counts, no shuffling.
PICKER_CHOICES = {
    "quiz": "distillation-tradeoffs",
    "attempts_allowed": "1",
    "scoring_policy": "highest",
    "shuffle_choices": "false",
    "review_scores": "marked_pending",
    "one_question_per_page": "false",
}


def deep_link(lms: str, instructor: Person, **values: str) -> requests.Response:
    browser, page = picker(lms, instructor)
    answer = browser.post(page.url, data={**PICKER_CHOICES, **values}, timeout=30)
    [form] = forms_in(answer.text)
    assert form.action == f"{lms}/practice-lms/deep-link/return/"
    return submit(browser, answer, form, form.fields)


def test_the_deep_linked_quiz_allows_its_student_exactly_one_attempt(lms, instructor, student):
    course = deep_link(lms, instructor, attempts_allowed="1")

    assert course.status_code == 200, course.text
    assert course.url == f"{lms}/practice-lms/"
    link = ResourceLink.objects.latest("id")
    assert f"Added “{link.title}” to the course." in course.text
    assert f'data-testid="added-link-{link.pk}"' in course.text
    assert link.custom == PICKER_CHOICES
    line_item = LineItem.objects.get(resource_link=link)
    assert (line_item.score_maximum, line_item.tag, line_item.resource_id) == (
        10,
        "lti-quiz",
        "distillation-tradeoffs",
    )

    browser = requests.Session()
    page = browser.get(
        f"{lms}/practice-lms/launch/{student.pk}/?mode=window&link={link.pk}", timeout=30
    )
    home = follow_launch(browser, page)
    assert "/lti/activity/" in home.url, home.text
    assert "Start the quiz" in home.text
    result, _, _ = answer_quiz(browser, home, short_answer=SHORT_ANSWER_CORRECT)
    assert 'id="score">10/10<' in result.text

    again = browser.get(home.url, timeout=30)
    assert "You have used all your attempts." in again.text
    assert "Start the quiz" not in again.text and "Try again" not in again.text
    placement = Placement.objects.get(attempts__isnull=False)
    assert placement.attempts_limit == 1


def test_the_lms_advertises_deep_linking_in_its_openid_configuration(lms):
    config = requests.get(f"{lms}/practice-lms/.well-known/openid-configuration", timeout=30)

    platform = config.json()["https://purl.imsglobal.org/spec/lti-platform-configuration"]
    assert "LtiDeepLinkingRequest" in platform["messages_supported"]


def test_a_replayed_deep_linking_response_is_refused(lms, instructor):
    browser, page = picker(lms, instructor)
    answer = browser.post(page.url, data=PICKER_CHOICES, timeout=30)
    [form] = forms_in(answer.text)
    links_before = ResourceLink.objects.count()

    first = submit(browser, answer, form, form.fields)
    replay = submit(browser, answer, form, form.fields)

    assert first.status_code == 200
    assert replay.status_code == 400
    assert "already answered" in replay.text
    assert ResourceLink.objects.count() == links_before + 1


def test_a_response_whose_data_does_not_echo_the_request_is_refused(lms, instructor):
    browser, page = picker(lms, instructor)
    LaunchRequest.objects.filter(message_type="LtiDeepLinkingRequest").update(
        deep_link_data="something-else"
    )
    answer = browser.post(page.url, data=PICKER_CHOICES, timeout=30)
    [form] = forms_in(answer.text)

    refused = submit(browser, answer, form, form.fields)

    assert refused.status_code == 400
    assert "does not echo any deep linking request" in refused.text
    claims = jwt.decode(form.fields["JWT"], options={"verify_signature": False})
    assert claims["aud"] == f"{lms}/practice-lms"


def test_only_an_instructor_can_start_deep_linking(lms, student):
    response = requests.get(f"{lms}/practice-lms/deep-link/{student.pk}/", timeout=30)

    assert response.status_code == 403
    assert "Only instructors can add activities." in response.text
