"""Builders for the API tests: users with tokens and clients that send them.

Named people: alice is staff, erin is in the "question bank editor" group, sam is a signed-up
user with neither (what a student account would be).
"""

from typing import Any

from django.contrib.auth.models import Group, User
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lti_quiz.api.permissions import EDITOR_GROUP
from lti_quiz.quiz.models import Question, QuestionBank
from tests.factories.quiz import question_payload


def make_user(username: str, *, staff: bool = False, editor: bool = False) -> User:
    user = User.objects.create_user(username, f"{username}@example.com", "pw", is_staff=staff)
    if editor:
        user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


def token_client(user: User | None) -> APIClient:
    """A client sending `Authorization: Token <key>` for `user` (anonymous when None)."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def error_of(response: Any) -> dict:
    """The `error` object of an API error response, checked for the one format."""
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"status", "code", "message", "fields"}, error
    assert error["status"] == response.status_code
    assert isinstance(error["message"], str) and error["message"]
    return error


# -- /api/v1/questions/ ----------------------------------------------------------------------


def questions_url() -> str:
    return reverse("api:question-list")


def question_url(question: Question | int) -> str:
    return reverse("api:question-detail", args=[getattr(question, "pk", question)])


def import_url(bank: QuestionBank, **params: str) -> str:
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"{reverse('api:bank-import', args=[bank.pk])}?{query}"


def question_post(client: APIClient, bank: QuestionBank, **fields: Any) -> Any:
    """Create a question through the API from `question_payload(**fields)`."""
    return client.post(
        questions_url(), {"bank": bank.pk, **question_payload(**fields)}, format="json"
    )
