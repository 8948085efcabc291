"""`manage.py api_editor`: the README's first step for an API user works on a fresh database."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from lti_quiz.api.permissions import EDITOR_GROUP
from tests.factories.api import token_client

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("api_editor", *args, stdout=out)
    return out.getvalue().splitlines()


def test_it_creates_an_editor_whose_printed_token_opens_the_api():
    lines = run("erin", "--email", "erin@example.edu")

    erin = User.objects.get(username="erin")
    assert lines[0] == "Created erin, a question-bank editor. API token:"
    assert lines[1] == Token.objects.get(user=erin).key
    assert erin.groups.filter(name=EDITOR_GROUP).exists()
    assert not erin.has_usable_password()
    assert token_client(erin).get("/api/v1/banks/").status_code == 200


def test_running_it_again_prints_the_same_token():
    first = run("erin")[1]

    again = run("erin")

    assert again[0] == "Found erin, a question-bank editor. API token:"
    assert again[1] == first


def test_an_existing_user_joins_the_group():
    User.objects.create_user("frank", password="pw")

    run("frank")

    assert User.objects.get(username="frank").groups.filter(name=EDITOR_GROUP).exists()


def test_a_deactivated_user_is_refused():
    User.objects.create_user("gone", is_active=False)

    with pytest.raises(CommandError, match="deactivated"):
        run("gone")
