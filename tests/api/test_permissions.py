"""Who may use the API: staff and the "question bank editor" group; 401 and 403 for the rest."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

from lessons.services import lesson_create
from lti_quiz.api import base
from lti_quiz.api.groups import editor_group_sync
from lti_quiz.api.permissions import EDITOR_GROUP
from lti_quiz.quiz import bank as bank_services
from tests.factories.api import error_of, make_user, token_client
from tests.factories.quiz import make_bank, make_question, question_payload

LESSON = {
    "slug": "optics",
    "title": "Optics",
    "summary": "Light.",
    "sections": [{"heading": "Lenses", "body": "Bend *light*."}],
}


@pytest.fixture
def people(db):
    return {
        "anonymous": None,
        "sam": make_user("sam"),  # signed up, neither staff nor editor: a student account
        "erin": make_user("erin", editor=True),
        "alice": make_user("alice", staff=True),
    }


@pytest.fixture
def resources(db):
    """Per resource: an existing object's id, a body to create one, a PATCH body."""
    physics = make_bank()
    question = make_question(physics, key="existing")
    lesson = lesson_create(data={**LESSON, "slug": "existing-lesson"})
    quiz = bank_services.quiz_create(
        data={"slug": "existing-quiz", "title": "Quiz", "questions": [question.pk]}
    )
    counter = iter(range(1000))

    def fresh_slug(prefix):
        return f"{prefix}-{next(counter)}"

    return {
        "bank": (
            physics.pk,
            lambda: {"slug": fresh_slug("bank"), "title": "Bank"},
            {"title": "Renamed"},
        ),
        "question": (
            question.pk,
            lambda: {"bank": physics.pk, **question_payload(key=fresh_slug("q"))},
            {"text": "Changed?"},
        ),
        "lesson": (
            lesson.pk,
            lambda: {**LESSON, "slug": fresh_slug("lesson")},
            {"title": "Renamed"},
        ),
        "quiz": (
            quiz.pk,
            lambda: {"slug": fresh_slug("quiz"), "title": "Q", "questions": [question.pk]},
            {"title": "Renamed"},
        ),
    }


def call(client, operation, basename, resource):
    pk, create_body, patch_body = resource
    if operation == "list":
        return client.get(reverse(f"api:{basename}-list"))
    if operation == "create":
        return client.post(reverse(f"api:{basename}-list"), create_body(), format="json")
    url = reverse(f"api:{basename}-detail", args=[pk])
    if operation == "retrieve":
        return client.get(url)
    if operation == "update":
        return client.patch(url, patch_body, format="json")
    # delete: create a throwaway object first, so what other operations use stays.
    created = client.post(reverse(f"api:{basename}-list"), create_body(), format="json")
    new_pk = created.json().get("id", pk) if created.status_code == 201 else pk
    return client.delete(reverse(f"api:{basename}-detail", args=[new_pk]))


OPERATIONS = ["list", "retrieve", "create", "update", "delete"]
BASENAMES = ["bank", "question", "lesson", "quiz"]
EXPECTED = {"list": 200, "retrieve": 200, "create": 201, "update": 200, "delete": 204}


@pytest.mark.parametrize("basename", BASENAMES)
@pytest.mark.parametrize("operation", OPERATIONS)
class TestPermissionMatrix:
    def test_anonymous_requests_get_401_with_the_token_challenge(
        self, people, resources, operation, basename
    ):
        response = call(token_client(None), operation, basename, resources[basename])

        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert error_of(response)["code"] == "not_authenticated"

    def test_sam_who_is_neither_staff_nor_editor_gets_403(
        self, people, resources, operation, basename
    ):
        response = call(token_client(people["sam"]), operation, basename, resources[basename])

        assert response.status_code == 403
        assert error_of(response)["code"] == "permission_denied"

    @pytest.mark.parametrize("who", ["erin", "alice"])
    def test_editors_and_staff_may(self, people, resources, operation, basename, who):
        response = call(token_client(people[who]), operation, basename, resources[basename])

        assert response.status_code == EXPECTED[operation], response.content


class TestAuthentication:
    def test_a_wrong_token_is_401(self, people):
        client = token_client(None)
        client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

        response = client.get(reverse("api:bank-list"))

        assert response.status_code == 401
        assert error_of(response)["code"] == "authentication_failed"

    def test_an_inactive_editor_is_refused(self, people):
        erin = people["erin"]
        client = token_client(erin)
        erin.is_active = False
        erin.save()

        response = client.get(reverse("api:bank-list"))

        assert response.status_code == 401

    @pytest.mark.parametrize("basename", BASENAMES)
    def test_staff_may_use_the_browsable_api_with_a_session(
        self, client, people, resources, basename
    ):
        client.force_login(people["alice"])
        pk = resources[basename][0]

        listed = client.get(reverse(f"api:{basename}-list"), HTTP_ACCEPT="text/html")
        shown = client.get(reverse(f"api:{basename}-detail", args=[pk]), HTTP_ACCEPT="text/html")

        assert (listed.status_code, shown.status_code) == (200, 200)
        assert b"<html" in shown.content
        # The raw-data form holds the object as a body to PUT back (no output-only fields).
        form = shown.content.decode().split('name="_content"', 1)[1].split("</textarea>")[0]
        assert "&quot;title&quot;" in form or "&quot;text&quot;" in form
        assert "&quot;id&quot;" not in form

    def test_a_session_without_the_right_gets_403(self, client, people):
        client.force_login(people["sam"])

        response = client.get(reverse("api:question-list"))

        assert response.status_code == 403

    def test_drf_create_token_makes_a_working_token(self, people):
        out = StringIO()
        call_command("drf_create_token", "erin", stdout=out)

        key = Token.objects.get(user=people["erin"]).key
        assert key in out.getvalue()
        client = token_client(None)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.get(reverse("api:bank-list")).status_code == 200


class TestEditorGroup:
    def test_migrate_creates_the_group_with_the_bank_permissions(self, db):
        group = Group.objects.get(name=EDITOR_GROUP)
        codenames = set(group.permissions.values_list("codename", flat=True))

        assert {"add_question", "change_question", "delete_question", "view_question"} <= codenames
        assert {"change_quiz", "change_lesson", "change_choice", "add_questionbank"} <= codenames
        assert "view_questionversion" in codenames
        assert "change_questionversion" not in codenames  # history is written by the services
        assert not codenames & {"view_attempt", "view_response", "change_placement"}

    def test_syncing_again_keeps_what_an_administrator_granted(self, db):
        group = Group.objects.get(name=EDITOR_GROUP)
        extra = Permission.objects.get(codename="view_attempt")
        group.permissions.add(extra)
        before = group.permissions.count()

        editor_group_sync()

        assert group.permissions.count() == before


class TestThrottling:
    def test_writes_are_throttled_and_reads_are_not(self, people, monkeypatch):
        monkeypatch.setattr(base.WriteThrottle, "rate", "2/minute", raising=False)
        client = token_client(people["erin"])
        url = reverse("api:bank-list")

        statuses = [
            client.post(url, {"slug": f"b{n}", "title": "B"}, format="json").status_code
            for n in range(3)
        ]
        throttled = client.post(url, {"slug": "b9", "title": "B"}, format="json")

        assert statuses == [201, 201, 429]
        assert error_of(throttled)["code"] == "throttled"
        assert int(throttled["Retry-After"]) > 0
        assert all(client.get(url).status_code == 200 for _ in range(5))

    def test_each_user_has_their_own_allowance(self, people, monkeypatch):
        monkeypatch.setattr(base.WriteThrottle, "rate", "1/minute", raising=False)
        url = reverse("api:bank-list")
        token_client(people["erin"]).post(url, {"slug": "e", "title": "E"}, format="json")

        response = token_client(people["alice"]).post(
            url, {"slug": "a", "title": "A"}, format="json"
        )

        assert response.status_code == 201
