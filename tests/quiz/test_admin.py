"""Django admin for the quiz and lesson models: pages open, and reviews rescore attempts."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lessons.models import Lesson
from lti_quiz.quiz import services
from lti_quiz.quiz.models import (
    Attempt,
    Placement,
    Question,
    QuestionBank,
    Quiz,
    Response,
)
from tests.factories.quiz import answers_from_key, load_seed_content, make_placement, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_response():
    placement = make_placement(make_quiz())
    attempt = services.attempt_get_or_start(placement=placement, learner_key="1:alice")
    services.attempt_submit(
        attempt_id=attempt.pk,
        learner_key="1:alice",
        answers=answers_from_key(attempt, short="ask my cat"),
    )
    return Response.objects.get(review_state=Response.ReviewState.PENDING)


# Choices and patterns have no pages of their own: they are edited inline on their question.
@pytest.mark.parametrize(
    "model", [Lesson, QuestionBank, Question, Quiz, Placement, Attempt, Response]
)
def test_every_admin_page_opens(admin_client, pending_response, model):
    load_seed_content()
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    change = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change", args=[model.objects.first().pk]
    )
    assert admin_client.get(change).status_code == 200


def test_the_accept_action_rescores_the_attempt(admin_client, pending_response):
    url = reverse("admin:quiz_response_changelist")
    response = admin_client.post(
        url, {"action": "accept_responses", "_selected_action": [pending_response.pk]}
    )
    assert response.status_code == 302
    attempt = Attempt.objects.get()
    assert (attempt.score, attempt.needs_review) == (3, False)


def test_a_response_page_shows_what_the_reviewer_weighs_it_against(admin_client):
    load_seed_content()
    placement = services.placement_get_or_create(key="seed")
    attempt = services.attempt_get_or_start(placement=placement, learner_key="1:alice")
    services.attempt_submit(
        attempt_id=attempt.pk,
        learner_key="1:alice",
        answers=answers_from_key(attempt, short="No source needed"),
    )
    pending = Response.objects.get(review_state=Response.ReviewState.PENDING)

    html = admin_client.get(reverse("admin:quiz_response_change", args=[pending.pk])).content

    page = html.decode()
    assert "trusted source or an expert" in page  # the model answer
    assert "source*, document*" in page
    assert "Matched `source*`, but &#x27;no&#x27; comes before it." in page


def test_the_question_form_refuses_a_rejected_pattern_that_is_not_words():
    load_seed_content()
    question = Question.objects.get(key="q8")
    question.rejected_patterns = ["aggregate*", "a+b"]

    with pytest.raises(ValidationError, match="'a\\+b': use letters and digits"):
        question.clean()
