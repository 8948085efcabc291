"""The NRPS client: pages followed exactly as linked, tokens, errors in words, bounded paging."""

import pytest
import requests
from django.core.management import call_command

from lti_quiz.lib.http import http_session
from lti_quiz.lti.claims import MediaType, Scope
from lti_quiz.lti.models import ResourceLink
from lti_quiz.lti.nrps import PAGE_SIZE, Member, learners, memberships_fetch
from lti_quiz.lti.tokens import ServiceError
from lti_quiz.practice_lms.models import Counter, Person
from tests.factories.grades import (
    ISSUER,
    TOKEN_URL,
    FakeSession,
    form_scopes,
    registration_create,
    reply,
    token_reply,
)
from tests.factories.results import member
from tests.support.browserless import lms_launch

MEMBERSHIPS = f"{ISSUER}/api/lti/courses/7/names_and_roles?type_id=3"
PAGE_2 = f"{ISSUER}/api/lti/courses/7/names_and_roles?type_id=3&cursor=T2Zmc2V0PTI"


def page(members: list[dict], next_url: str | None = None, status: int = 200):
    headers = {"Content-Type": MediaType.MEMBERSHIP_CONTAINER}
    if next_url:
        headers["Link"] = f'<{next_url}>; rel="next", <{MEMBERSHIPS}>; rel="first"'
    return reply(status, json_body={"id": "x", "members": members}, headers=headers)


@pytest.fixture
def registration(db):
    return registration_create()


def platform(*pages_by_url: tuple[str, requests.Response]) -> FakeSession:
    session = FakeSession().on("POST", TOKEN_URL, token_reply())
    for url, answer in pages_by_url:
        session.on("GET", url, answer)
    return session


class TestPaging:
    def test_it_follows_next_links_exactly_as_given_keeping_their_case(self, registration):
        session = platform(
            (MEMBERSHIPS, page([member("a", "Ann A"), member("b", "Ben B")], next_url=PAGE_2)),
            (PAGE_2, page([member("c", "Cy C")])),
        )

        roster = memberships_fetch(registration=registration, url=MEMBERSHIPS, session=session)

        assert [m.user_id for m in roster.members] == ["a", "b", "c"]
        assert [s.url for s in session.sent if s.method == "GET"] == [MEMBERSHIPS, PAGE_2]
        assert (roster.pages, roster.complete) == (2, True)

    def test_the_first_request_asks_for_large_pages_and_next_links_keep_their_own(
        self, registration
    ):
        session = platform(
            (MEMBERSHIPS, page([member("a", "Ann A")], next_url=PAGE_2)),
            (PAGE_2, page([member("c", "Cy C")])),
        )

        memberships_fetch(registration=registration, url=MEMBERSHIPS, session=session)

        gets = [s for s in session.sent if s.method == "GET"]
        assert [s.params for s in gets] == [{"limit": str(PAGE_SIZE)}, None]

    def test_a_limit_the_platform_put_in_the_url_is_left_as_it_is(self, registration):
        url = MEMBERSHIPS + "&limit=20"
        session = platform((url, page([member("a", "Ann A")])))

        memberships_fetch(registration=registration, url=url, session=session)

        assert session.to("GET", url)[0].params is None

    def test_it_asks_for_the_membership_container_with_an_nrps_token(self, registration):
        session = platform((MEMBERSHIPS, page([member("a", "Ann A")])))

        memberships_fetch(registration=registration, url=MEMBERSHIPS, session=session)

        [get] = session.to("GET", MEMBERSHIPS)
        assert get.headers == {
            "Authorization": "Bearer token-1",
            "Accept": "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
        }
        [token_request] = session.token_requests
        assert form_scopes(token_request) == [Scope.NRPS_MEMBERSHIP_READONLY.value]

    def test_a_member_listed_on_two_pages_appears_once(self, registration):
        session = platform(
            (MEMBERSHIPS, page([member("a", "Ann A")], next_url=PAGE_2)),
            (PAGE_2, page([member("a", "Ann A"), member("b", "Ben B")])),
        )

        roster = memberships_fetch(registration=registration, url=MEMBERSHIPS, session=session)

        assert [m.user_id for m in roster.members] == ["a", "b"]

    def test_paging_stops_at_the_page_limit_and_says_the_roster_is_incomplete(self, registration):
        session = platform(
            (MEMBERSHIPS, page([member("a", "Ann A")], next_url=PAGE_2)),
            (PAGE_2, page([member("b", "Ben B")], next_url=PAGE_2 + "x")),
        )

        roster = memberships_fetch(
            registration=registration, url=MEMBERSHIPS, session=session, page_limit=2
        )

        assert (len(roster.members), roster.pages, roster.complete) == (2, 2, False)

    def test_a_next_link_back_to_a_page_already_read_ends_the_paging(self, registration):
        session = platform((MEMBERSHIPS, page([member("a", "Ann A")], next_url=MEMBERSHIPS)))

        roster = memberships_fetch(registration=registration, url=MEMBERSHIPS, session=session)

        assert (roster.pages, roster.complete) == (1, True)

    def test_entries_without_a_user_id_are_skipped_and_numeric_ids_kept(self, registration):
        members = [{"name": "Nobody"}, "junk", member("a", "Ann A"), {"user_id": 42}]
        session = platform((MEMBERSHIPS, page(members)))

        roster = memberships_fetch(registration=registration, url=MEMBERSHIPS, session=session)

        assert [m.user_id for m in roster.members] == ["a", "42"]


class TestErrors:
    def test_a_401_fetches_a_new_token_once_and_retries(self, registration):
        session = (
            FakeSession()
            .on("POST", TOKEN_URL, token_reply("old"), token_reply("new"))
            .on("GET", MEMBERSHIPS, reply(401), page([member("a", "Ann A")]))
        )

        roster = memberships_fetch(registration=registration, url=MEMBERSHIPS, session=session)

        assert [m.user_id for m in roster.members] == ["a"]
        auth = [s.headers["Authorization"] for s in session.to("GET", MEMBERSHIPS)]
        assert auth == ["Bearer old", "Bearer new"]

    @pytest.mark.parametrize(("status", "retryable"), [(500, True), (403, False), (404, False)])
    def test_a_refusal_is_a_service_error_with_the_platforms_words(
        self, registration, status, retryable
    ):
        answer = reply(status, json_body={"errors": [{"message": "course is concluded"}]})
        session = platform((MEMBERSHIPS, answer))

        with pytest.raises(ServiceError) as error:
            memberships_fetch(registration=registration, url=MEMBERSHIPS, session=session)

        assert error.value.retryable is retryable
        assert error.value.status == status
        assert "course is concluded" in error.value.message
        assert error.value.message.startswith("Course roster (NRPS) page 1:")

    def test_an_answer_that_is_not_a_membership_container_is_an_error(self, registration):
        session = platform((MEMBERSHIPS, reply(200, text="<html>Maintenance</html>")))

        with pytest.raises(ServiceError, match="not JSON"):
            memberships_fetch(registration=registration, url=MEMBERSHIPS, session=session)

    def test_a_connection_error_is_a_retryable_service_error(self, registration):
        session = platform((MEMBERSHIPS, requests.ConnectionError("refused")))

        with pytest.raises(ServiceError, match="could not connect") as error:
            memberships_fetch(registration=registration, url=MEMBERSHIPS, session=session)

        assert error.value.retryable


def test_learners_leaves_out_staff_and_deleted_members():
    role = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
    members = [
        Member(user_id="t", roles=(role + "Instructor",)),
        Member(user_id="ta", roles=(role + "TeachingAssistant",)),
        Member(user_id="s", roles=(role + "Learner",)),
        Member(user_id="gone", roles=(role + "Learner",), status="Deleted"),
        Member(user_id="no-roles"),
    ]

    assert [m.user_id for m in learners(members)] == ["s", "no-roles"]


def test_a_members_display_name_falls_back_to_names_email_then_id():
    assert Member(user_id="1", given_name="Ann", family_name="Lee").display_name == "Ann Lee"
    assert Member(user_id="1", email="a@x.edu").display_name == "a@x.edu"
    assert Member(user_id="1").display_name == "1"


class RecordingSession:
    """The real HTTP session, remembering the URLs it was asked for."""

    def __init__(self) -> None:
        self.session = http_session()
        self.requested: list[str] = []

    def request(self, method: str, url: str, **kwargs):
        response = self.session.request(method, url, **kwargs)
        self.requested.append(response.url)  # with the params added
        return response


@pytest.mark.django_db(transaction=True)
def test_the_practice_lms_roster_is_read_over_http_in_pages_of_two_with_its_cursor_intact(
    live_server,
):
    call_command("load_content", verbosity=0)
    call_command("practice_lms", "setup", "--base-url", live_server.url, verbosity=0)
    irene = Person.objects.get(email__startswith="irene")
    lms_launch(live_server.url, irene.pk)  # the launch tells the tool where the roster is
    link = ResourceLink.objects.get()
    assert "?type_id=" in link.nrps_url
    session = RecordingSession()

    roster = memberships_fetch(
        registration=link.registration, url=link.nrps_url, session=session, page_size=2
    )

    people = Person.objects.order_by("id")
    assert [m.user_id for m in roster.members] == [p.user_id for p in people]
    assert [m.display_name for m in roster.members] == [p.name for p in people]
    assert (roster.pages, roster.complete, len(roster.members)) == (2, True, 4)
    assert Counter.value_of(Counter.NRPS_CALLS) == 2
    cursor = session.requested[-1].rsplit("cursor=", 1)[1]
    assert cursor != cursor.lower()  # mixed case, followed as given (the LMS refuses it lowered)
    pages = [url for url in session.requested if "/memberships" in url]
    assert all("limit=2" in url for url in pages)

    # By default it asks for large pages: the four people come in one.
    roster = memberships_fetch(registration=link.registration, url=link.nrps_url)
    assert (roster.pages, len(roster.members)) == (1, 4)
