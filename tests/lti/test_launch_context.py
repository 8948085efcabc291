"""What a launch records: the launch context, roles, and claims of odd types or values."""

import time

import pytest
import time_machine
from django.core.cache import cache

from lti_quiz.lti.context import (
    launch_context_load,
    roles_are_staff,
)
from tests.support.lti_platform import DROP, ROLE, context_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": 42},
        {"aud": [42]},
        {"iss": ["https://lms.example.edu"]},
        {"iat": "soon"},
        {"exp": "later"},
        {"nonce": 7},
        {"sub": 12345},
        {"sub": "x" * 256},
        {"roles": "Learner"},
        {"roles": [None]},
        {"resource_link": "link-1"},
        {"resource_link": {"id": 7}},
        {"resource_link": {"id": "y" * 256}},
        {"deployment_id": ["deployment-1"]},
        {"message_type": 1},
        {"context": ["course-1"], "custom": "x", "ags_endpoint": "x", "nrps": [1]},
        {"launch_presentation": {"return_url": "javascript:alert(1)"}, "name": 3, "email": {}},
    ],
    ids=lambda claims: ",".join(claims),
)
def test_strange_claim_types_never_cause_a_server_error(client, platform, claims):
    response = platform.launch(client, **claims)

    assert response.status_code in (303, 400, 403), response.content.decode()[:500]


def test_strange_values_in_optional_claims_are_dropped(client, platform):
    ctx = context_of(
        platform.launch(
            client,
            context=["course-1"],
            custom={"n": 3},
            launch_presentation={"return_url": "javascript:alert(1)"},
            name=3,
            email={},
        )
    )

    assert ctx.context_id == ""
    assert ctx.custom == {"n": "3"}
    assert ctx.return_url == ""
    assert ctx.name == "Alice Student"
    assert ctx.email == ""


class TestRoles:
    @pytest.mark.parametrize(
        "roles",
        [
            [ROLE + "Instructor"],
            ["Instructor"],
            ["TeachingAssistant"],
            [ROLE + "ContentDeveloper"],
            [ROLE + "Administrator"],
            ["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"],
            ["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"],
            ["http://purl.imsglobal.org/vocab/lis/v2/system/person#SysAdmin"],
            [ROLE + "Mentor"],
        ],
    )
    def test_teaching_roles_are_staff(self, roles):
        assert roles_are_staff(roles)

    @pytest.mark.parametrize(
        "roles",
        [
            [],
            [""],
            ["Learner"],
            [ROLE + "Learner"],
            ["http://purl.imsglobal.org/vocab/lis/v2/membership/Learner#Instructor"],
            ["http://example.com/roles#Instructor"],
            [ROLE + "Learner", ROLE + "Mentor"],
            # A teacher elsewhere (Canvas adds institution roles) is a learner in this course.
            [
                ROLE + "Learner",
                "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor",
            ],
            ["http://purl.imsglobal.org/vocab/lis/v2/system/person#User"],
        ],
    )
    def test_other_roles_are_learners(self, roles):
        assert not roles_are_staff(roles)


class TestLaunchContextStorage:
    def test_an_unknown_launch_id_has_no_context(self, db):
        assert launch_context_load("no-such-launch") is None
        assert launch_context_load("") is None

    def test_a_context_survives_the_cache_round_trip(self, client, platform):
        ctx = context_of(platform.launch(client))

        assert launch_context_load(ctx.launch_id) == ctx
        assert isinstance(ctx.roles, tuple)

    def test_a_context_saved_by_another_version_is_ignored(self, client, platform):
        ctx = context_of(platform.launch(client))
        cache.set(f"lti:launch:{ctx.launch_id}", {"launch_id": ctx.launch_id, "old_field": 1})

        assert launch_context_load(ctx.launch_id) is None

    def test_a_context_expires_after_the_launch_lifetime(self, client, platform, settings):
        settings.LTI_LAUNCH_LIFETIME = 60
        ctx = context_of(platform.launch(client))

        with time_machine.travel(time.time() + 61):
            assert launch_context_load(ctx.launch_id) is None

    def test_a_launch_without_claim_data_falls_back_to_the_parts_of_the_name(
        self, client, platform
    ):
        ctx = context_of(platform.launch(client, name=DROP, family_name=DROP))

        assert ctx.name == "Alice"
