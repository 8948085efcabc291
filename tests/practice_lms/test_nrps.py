"""NRPS on the practice LMS: small pages linked with rel="next" and a case-sensitive cursor."""

import re

import pytest

from lti_quiz.practice_lms import vocab
from lti_quiz.practice_lms.models import Person
from tests.factories.practice_lms import ISSUER, bearer

pytestmark = pytest.mark.django_db


def next_link(response) -> str | None:
    match = re.fullmatch(r'<([^>]+)>; rel="next"', response.get("Link", ""))
    return match[1] if match else None


def relative(url: str) -> str:
    return url.removeprefix("http://testserver")


class TestMemberships:
    def first_url(self, course, tool) -> str:
        return f"/practice-lms/nrps/{course.pk}/memberships?type_id={tool.pk}"

    def test_it_pages_two_members_at_a_time_with_next_links(self, client, course, tool):
        headers = bearer(tool, vocab.SCOPE_MEMBERSHIP)

        pages = []
        url = self.first_url(course, tool)
        while url:
            response = client.get(relative(url), **headers)
            assert response.status_code == 200, response.content
            assert response["Content-Type"] == vocab.MEDIA_MEMBERSHIP_CONTAINER
            pages.append(response.json())
            url = next_link(response)

        assert [len(page["members"]) for page in pages] == [2, 2]
        members = [member for page in pages for member in page["members"]]
        assert [m["user_id"] for m in members] == [p.user_id for p in course.people.all()]
        assert all(page["context"]["id"] == course.context_id for page in pages)

    def test_the_next_link_keeps_the_query_and_has_a_mixed_case_cursor(self, client, course, tool):
        response = client.get(self.first_url(course, tool), **bearer(tool, vocab.SCOPE_MEMBERSHIP))

        url = next_link(response)
        assert url.startswith(f"{ISSUER}/nrps/{course.pk}/memberships?type_id={tool.pk}&cursor=")
        cursor = url.rsplit("cursor=", 1)[1]
        assert cursor != cursor.lower() and cursor != cursor.upper()

    def test_a_lowercased_cursor_is_refused(self, client, course, tool):
        headers = bearer(tool, vocab.SCOPE_MEMBERSHIP)
        url = next_link(client.get(self.first_url(course, tool), **headers))

        response = client.get(relative(url.lower()), **headers)

        assert response.status_code == 400
        assert "Cursors are case-sensitive" in response.json()["error"]

    def test_limit_sets_the_page_size(self, client, course, tool):
        response = client.get(
            f"{self.first_url(course, tool)}&limit=10", **bearer(tool, vocab.SCOPE_MEMBERSHIP)
        )

        assert len(response.json()["members"]) == 4
        assert next_link(response) is None

    def test_a_limit_above_the_largest_page_is_lowered_to_it_as_canvas_does(
        self, client, course, tool
    ):
        Person.objects.bulk_create(
            Person(course=course, name=f"S {n}", email=f"s{n}@example.edu", role="student")
            for n in range(56)
        )
        headers = bearer(tool, vocab.SCOPE_MEMBERSHIP)

        first = client.get(f"{self.first_url(course, tool)}&limit=1000", **headers)
        second = client.get(relative(next_link(first)), **headers)

        assert first.status_code == 200
        assert [len(first.json()["members"]), len(second.json()["members"])] == [50, 10]
        assert next_link(second) is None

    def test_a_limit_that_is_not_a_positive_number_is_refused_in_words(self, client, course, tool):
        response = client.get(
            f"{self.first_url(course, tool)}&limit=0", **bearer(tool, vocab.SCOPE_MEMBERSHIP)
        )

        assert response.status_code == 400
        assert "limit must be a whole number" in response.json()["error"]

    def test_members_carry_names_email_and_context_roles(self, client, course, tool):
        response = client.get(
            f"{self.first_url(course, tool)}&limit=10", **bearer(tool, vocab.SCOPE_MEMBERSHIP)
        )

        instructor = course.people.get(role=Person.Role.INSTRUCTOR)
        first = response.json()["members"][0]
        assert first == {
            "status": "Active",
            "user_id": instructor.user_id,
            "name": instructor.name,
            "given_name": instructor.given_name,
            "family_name": instructor.family_name,
            "email": instructor.email,
            "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"],
        }

    def test_the_role_filter_keeps_only_learners(self, client, course, tool):
        response = client.get(
            f"{self.first_url(course, tool)}&limit=10&role=Learner",
            **bearer(tool, vocab.SCOPE_MEMBERSHIP),
        )

        assert len(response.json()["members"]) == 3

    def test_it_needs_the_membership_scope(self, client, course, tool):
        response = client.get(self.first_url(course, tool), **bearer(tool, vocab.SCOPE_SCORE))

        assert response.status_code == 403

    def test_it_needs_an_access_token(self, client, course, tool):
        response = client.get(self.first_url(course, tool))

        assert response.status_code == 401
