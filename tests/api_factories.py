"""Builders for the API tests: users with tokens and clients that send them.

Named people: alice is staff, erin is in the "question bank editor" group, sam is a signed-up
user with neither (what a student account would be).
"""

from typing import Any

from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lti_quiz.api.permissions import EDITOR_GROUP


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
