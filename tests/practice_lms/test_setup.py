"""Setting the practice LMS up, its system check, and the pages a person sees."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from lti_quiz.lti.models import Registration
from lti_quiz.practice_lms.checks import practice_lms_in_production
from lti_quiz.practice_lms.models import (
    Course,
    FailureSwitch,
    LineItem,
    Person,
    PlatformKey,
    ResourceLink,
    Score,
    ToolRecord,
)

pytestmark = pytest.mark.django_db


def setup(*extra) -> str:
    out = StringIO()
    call_command("practice_lms", "setup", *extra, stdout=out)
    return out.getvalue()


def registered_platforms() -> list[str]:
    out = StringIO()
    call_command("lti_platform", "list", stdout=out)
    return [line for line in out.getvalue().splitlines()[1:] if line.strip()]


class TestSetupCommand:
    def test_it_creates_the_course_its_people_key_and_tool_record(self):
        setup("--base-url", "http://localhost:8000/")

        course = Course.objects.get()
        assert [(p.name, p.role) for p in course.people.all()] == [
            ("Irene Instructor", "instructor"),
            ("Alice Anders", "student"),
            ("Bob Brennan", "student"),
            ("Chandra Chowdhury", "student"),
        ]
        link = ResourceLink.objects.get()
        assert link.title == "Distillation Tradeoffs quiz"
        assert LineItem.objects.get().score_maximum == Decimal(10)
        assert PlatformKey.objects.count() == 1
        tool = ToolRecord.objects.get()
        assert (tool.client_id, tool.login_url, tool.launch_url, tool.jwks_url) == (
            "practice-lms-client",
            "http://localhost:8000/lti/login/",
            "http://localhost:8000/lti/launch/",
            "http://localhost:8000/lti/jwks/",
        )
        assert tool.redirect_uri_list == ["http://localhost:8000/lti/launch/"]
        assert link.tool == tool

    def test_it_registers_the_platform_with_the_tool(self):
        setup("--base-url", "http://localhost:8000", "--client-id", "my-client")

        [row] = registered_platforms()
        assert "http://localhost:8000/practice-lms " in f"{row} "
        assert "my-client" in row
        assert "http://localhost:8000/practice-lms/jwks/" in row

    @pytest.mark.parametrize(
        ("base_url", "other_names"),
        [
            ("http://localhost:8000", ["http://127.0.0.1:8000"]),
            ("http://127.0.0.1:8001", ["http://localhost:8001"]),
            ("http://[::1]:8000", []),
            ("https://lms.example.edu", []),
        ],
    )
    def test_the_tool_may_be_framed_by_the_other_names_of_a_loopback_base_url(
        self, base_url, other_names
    ):
        setup("--base-url", base_url)
        setup("--base-url", base_url)

        assert Registration.objects.get().frame_origins.split() == other_names

    def test_running_it_again_changes_nothing_and_duplicates_nothing(self):
        setup("--base-url", "http://localhost:8000")
        user_ids = list(Person.objects.values_list("user_id", flat=True))
        kid = PlatformKey.objects.get().kid

        setup("--base-url", "http://localhost:8000")

        assert Course.objects.count() == 1
        assert list(Person.objects.values_list("user_id", flat=True)) == user_ids
        assert ResourceLink.objects.count() == 1
        assert LineItem.objects.count() == 1
        assert ToolRecord.objects.count() == 1
        assert FailureSwitch.objects.count() == 1
        assert PlatformKey.objects.get().kid == kid
        assert len(registered_platforms()) == 1

    def test_running_it_with_a_new_base_url_updates_the_tool_record(self):
        setup("--base-url", "http://localhost:8000")

        setup("--base-url", "http://127.0.0.1:9000")

        assert ToolRecord.objects.get().login_url == "http://127.0.0.1:9000/lti/login/"

    @pytest.mark.parametrize("base_url", ["localhost:8000", "ftp://host", "http://host/path"])
    def test_it_refuses_a_base_url_that_is_not_a_scheme_and_host(self, base_url):
        with pytest.raises(CommandError, match="--base-url must be a scheme and host"):
            setup("--base-url", base_url)

    def test_rotate_key_makes_a_new_signing_key_and_keeps_the_old_one_published(self, client):
        setup("--base-url", "http://localhost:8000")
        old = PlatformKey.objects.get().kid

        call_command("practice_lms", "rotate-key", stdout=StringIO())

        assert PlatformKey.objects.signing().kid != old
        kids = {key["kid"] for key in client.get("/practice-lms/jwks/").json()["keys"]}
        assert kids == set(PlatformKey.objects.values_list("kid", flat=True))
        assert len(kids) == 2


class TestSystemCheck:
    @override_settings(PRACTICE_LMS=True, DEBUG=False)
    def test_it_warns_when_the_practice_lms_is_on_without_debug(self):
        assert [m.id for m in practice_lms_in_production(None)] == ["practice_lms.W001"]

    @override_settings(PRACTICE_LMS=True, DEBUG=True)
    def test_it_is_quiet_in_development(self):
        assert practice_lms_in_production(None) == []

    @override_settings(PRACTICE_LMS=True, DEBUG=False)
    def test_the_check_is_registered(self):
        assert "practice_lms.W001" in [message.id for message in run_checks()]


class TestPages:
    def test_the_course_page_lists_people_with_both_launch_buttons(self, client, course):
        response = client.get("/practice-lms/")

        html = response.content.decode()
        assert response.status_code == 200
        assert course.title in html
        for person in course.people.all():
            assert person.name in html
            assert f'href="/practice-lms/?launch={person.pk}#tool-heading"' in html
            assert f'href="/practice-lms/launch/{person.pk}/?mode=window"' in html
        assert 'action="/practice-lms/failure-switch/"' in html

    def test_the_course_page_warns_at_another_host_only_when_no_base_url_is_stored(
        self, client, course
    ):
        stored = client.get("/practice-lms/", HTTP_HOST="127.0.0.1")
        Course.objects.update(base_url="")
        same = client.get("/practice-lms/")
        other = client.get("/practice-lms/", HTTP_HOST="127.0.0.1")

        assert 'data-testid="host-mismatch"' not in stored.content.decode()
        assert 'data-testid="host-mismatch"' not in same.content.decode()
        assert "but the practice LMS was set up for testserver" in other.content.decode()

    @pytest.mark.parametrize(
        "model",
        [
            "platformkey",
            "toolrecord",
            "course",
            "resourcelink",
            "lineitem",
            "score",
            "failureswitch",
            "counter",
            "accesstoken",
            "launchrequest",
        ],
    )
    def test_the_admin_lists_every_model(self, admin_client, course, model):
        response = admin_client.get(f"/admin/practice_lms/{model}/")

        assert response.status_code == 200

    def test_the_admin_never_shows_the_platform_private_key(self, admin_client, course):
        key = PlatformKey.objects.get()

        response = admin_client.get(f"/admin/practice_lms/platformkey/{key.pk}/change/")

        assert response.status_code == 200
        assert "PRIVATE KEY" not in response.content.decode()

    def test_the_course_page_says_how_to_set_up_when_nothing_is(self, client):
        response = client.get("/practice-lms/")

        assert response.status_code == 503
        assert "practice_lms setup --base-url" in response.content.decode()

    def test_the_gradebook_shows_the_latest_score_and_the_count(
        self, client, line_item, student, other_student
    ):
        for given, moment in ((4, "2026-03-01T10:00:00.000Z"), (10, "2026-03-01T10:05:00.000Z")):
            score_keep(line_item, student, given, moment)

        html = client.get("/practice-lms/gradebook/").content.decode()

        row = html.split(f'data-user-id="{student.user_id}"')[1].split("</tr>")[0]
        assert f'data-testid="score-{student.pk}">10/10<' in row
        assert "FullyGraded" in row and "2026-03-01T10:05:00.000Z" in row
        assert f'data-testid="count-{student.pk}-{LineItem.objects.get().pk}">2 received<' in row
        other_row = html.split(f'data-user-id="{other_student.user_id}"')[1].split("</tr>")[0]
        assert "no score yet" in other_row

    def test_the_return_url_brings_the_person_back_to_the_course(self, client, course):
        response = client.get("/practice-lms/return/?person=1", follow=True)

        assert response.redirect_chain[-1][0] == "/practice-lms/"
        assert "You are back in the course." in response.content.decode()

    def test_scored_counts_people_with_a_score_not_scores(
        self, client, line_item, student, other_student
    ):
        assert client.get("/practice-lms/scored.json").json() == {"people_scored": 0}
        for given, moment in ((4, "2026-03-01T10:00:00.000Z"), (10, "2026-03-01T10:05:00.000Z")):
            score_keep(line_item, student, given, moment)

        assert client.get("/practice-lms/scored.json").json() == {"people_scored": 1}

    def test_the_state_shows_counters_and_the_switch(self, client, course):
        FailureSwitch.objects.filter(course=course).update(status=429, remaining=2)

        state = client.get("/practice-lms/state.json").json()

        assert state["failure_switch"] == {"status": 429, "remaining": 2, "injected": 0}
        assert state["counters"]["token_requests"] == 0
        assert state["scores"] == []


def score_keep(line_item, person, given: int, moment: str) -> Score:
    """A score of `given`/10 the gradebook kept, as the AGS endpoint stores one."""
    return Score.objects.create(
        line_item=line_item,
        person=person,
        score_given=given,
        score_maximum=10,
        activity_progress="Completed",
        grading_progress="FullyGraded",
        timestamp=timezone.datetime.fromisoformat(moment),
        timestamp_text=moment,
        body={},
    )
