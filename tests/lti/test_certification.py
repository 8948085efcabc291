"""The launches of the 1EdTech LTI Advantage tool certification.

Known-bad launches must be refused with a page that says what is wrong (4xx, never a 500);
known-good launches must be accepted, as an instructor and as a student.
"""

import time

import pytest

from lti_quiz.lti.context import launch_context_load
from tests.support.lti_platform import DROP, INSTITUTION_ROLE, ROLE

pytestmark = pytest.mark.django_db

LTI_CLAIMS = (
    "message_type",
    "version",
    "deployment_id",
    "target_link_uri",
    "resource_link",
    "roles",
    "context",
    "ags_endpoint",
    "nrps",
    "launch_presentation",
    "custom",
)


def assert_refused(response, words: str) -> None:
    assert 400 <= response.status_code < 500, response.status_code
    page = response.content.decode()
    assert words in page, page
    assert response.get("Location") is None


class TestKnownBadLaunches:
    def test_no_kid_in_the_jwt_header(self, client, platform):
        assert_refused(platform.launch(client, headers={"kid": DROP}), "could not verify")

    def test_a_kid_the_platform_never_published(self, client, platform):
        assert_refused(
            platform.launch(client, headers={"kid": "imstester_bad"}), "could not verify"
        )

    @pytest.mark.parametrize("id_token", ["not-a-jwt", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30", ""])
    def test_something_that_is_not_a_jwt(self, client, platform, id_token):
        state, _ = platform.login(client)

        response = platform.post_launch(client, id_token, state)

        assert 400 <= response.status_code < 500
        assert "The activity could not open" in response.content.decode()

    def test_a_signed_jwt_that_is_not_an_lti_message(self, client, platform):
        state, nonce = platform.login(client)
        claims = platform.claims(nonce=nonce, **dict.fromkeys(LTI_CLAIMS, DROP))

        response = platform.post_launch(client, platform.id_token(claims), state)

        assert_refused(response, "does not say which installation")

    def test_an_lti_version_other_than_1_3_0(self, client, platform):
        assert_refused(
            platform.launch(client, version="1.2.0"), "uses LTI version 1.2.0; the quiz tool speaks"
        )

    def test_no_lti_version(self, client, platform):
        assert_refused(platform.launch(client, version=DROP), "does not say it is LTI 1.3.0")

    @pytest.mark.parametrize("field", ["iss", "aud", "nonce", "exp", "iat"])
    def test_jwt_fields_missing(self, client, platform, field):
        assert_refused(platform.launch(client, **{field: DROP}), "could not verify")

    def test_an_expired_token(self, client, platform):
        now = int(time.time())

        response = platform.launch(client, iat=now - 600, exp=now - 300)

        assert_refused(response, "The launch has expired")

    def test_a_token_issued_in_the_future(self, client, platform):
        now = int(time.time())

        response = platform.launch(client, iat=now + 600, exp=now + 900)

        assert_refused(response, "dated in the future")

    @pytest.mark.parametrize("field", ["exp", "iat"])
    def test_a_timestamp_that_is_not_a_number(self, client, platform, field):
        assert_refused(platform.launch(client, **{field: "tomorrow"}), "could not verify")

    def test_no_message_type(self, client, platform):
        assert_refused(platform.launch(client, message_type=DROP), "no message type")

    def test_no_roles_claim(self, client, platform):
        assert_refused(platform.launch(client, roles=DROP), "what your role in the course is")

    def test_no_deployment_id(self, client, platform):
        assert_refused(platform.launch(client, deployment_id=DROP), "no deployment id")

    @pytest.mark.parametrize("resource_link", [DROP, {"title": "Quiz"}, {"id": ""}])
    def test_no_resource_link_id(self, client, platform, resource_link):
        response = platform.launch(client, resource_link=resource_link)

        assert_refused(response, "which activity was opened")

    @pytest.mark.parametrize("sub", ["", DROP])
    def test_an_empty_user(self, client, platform, sub):
        assert_refused(platform.launch(client, sub=sub), "does not say who you are")


NO_NAMES = {"name": DROP, "given_name": DROP, "family_name": DROP}
KNOWN_GOOD = {
    "plain": {},
    "no PII": {**NO_NAMES, "email": DROP},
    "only email": NO_NAMES,
    "only names": {"email": DROP},
    'roles [""]': {"roles": [""]},
}


class TestKnownGoodLaunches:
    @pytest.mark.parametrize("role", ["instructor", "student"])
    @pytest.mark.parametrize("case", list(KNOWN_GOOD))
    def test_a_known_good_launch_is_accepted(self, client, platform, role, case):
        response = platform.launch(client, role=role, **KNOWN_GOOD[case])

        ctx = accepted(response)
        # roles [""] names no role at all, so it gets the learner's view.
        assert ctx.is_staff == (role == "instructor" and case != 'roles [""]')

    def test_no_pii_keeps_no_name_or_email(self, client, platform):
        ctx = accepted(platform.launch(client, **KNOWN_GOOD["no PII"]))

        assert (ctx.name, ctx.email) == ("", "")
        assert ctx.sub == "student-sub-1"

    def test_only_email(self, client, platform):
        ctx = accepted(platform.launch(client, **KNOWN_GOOD["only email"]))

        assert (ctx.name, ctx.email) == ("", "student@example.edu")

    def test_only_names(self, client, platform):
        ctx = accepted(platform.launch(client, role="instructor", **KNOWN_GOOD["only names"]))

        assert (ctx.name, ctx.email) == ("Irene Instructor", "")

    @pytest.mark.parametrize(
        ("role", "roles", "staff"),
        [
            ("instructor", ["Instructor"], True),
            ("student", ["Learner"], False),
        ],
    )
    def test_a_short_role_name(self, client, platform, role, roles, staff):
        assert accepted(platform.launch(client, role=role, roles=roles)).is_staff is staff

    @pytest.mark.parametrize(
        ("role", "roles", "staff"),
        [
            (
                "instructor",
                [ROLE + "Instructor", "http://purl.imsglobal.org/vocab/lis/v2/x#Wizard"],
                True,
            ),
            ("student", ["http://purl.imsglobal.org/vocab/lis/v2/membership#Wizard"], False),
        ],
    )
    def test_an_unknown_role_uri(self, client, platform, role, roles, staff):
        assert accepted(platform.launch(client, role=role, roles=roles)).is_staff is staff

    @pytest.mark.parametrize(
        ("role", "roles", "staff"),
        [
            (
                "instructor",
                [ROLE + "Instructor", ROLE + "ContentDeveloper", INSTITUTION_ROLE + "Faculty"],
                True,
            ),
            # As the 1EdTech reference platform sends a student with several roles.
            ("student", [ROLE + "Learner", INSTITUTION_ROLE + "Student", ROLE + "Mentor"], False),
        ],
    )
    def test_several_roles(self, client, platform, role, roles, staff):
        assert accepted(platform.launch(client, role=role, roles=roles)).is_staff is staff


def accepted(response):
    assert response.status_code == 303, response.content.decode()[:500]
    ctx = launch_context_load(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert ctx is not None
    return ctx
