"""A line item PUT on the practice LMS, by Moodle's rules and by Canvas's
(practice_lms/lineitems.py): what a tool that sends only the members it changes gets from each."""

import json

import pytest

from lti_quiz.practice_lms import vocab
from lti_quiz.practice_lms.models import Course, ResourceLink
from tests.factories.practice_lms import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def item_url(course, tool, line_item) -> str:
    line_item.tag = "lti-quiz"
    line_item.resource_id = "distillation"
    line_item.save()
    return f"/practice-lms/ags/{course.pk}/lineitems/{line_item.pk}/lineitem?type_id={tool.pk}"


def behave_like(course, family: str) -> None:
    Course.objects.filter(pk=course.pk).update(behaves_like=family)


def put(client, tool, url: str, body: dict):
    return client.put(
        url,
        json.dumps(body),
        content_type=vocab.MEDIA_LINEITEM,
        **bearer(tool, vocab.SCOPE_LINEITEM),
    )


def whole_item(client, tool, url: str) -> dict:
    return client.get(url, **bearer(tool, vocab.SCOPE_LINEITEM)).json()


class TestMoodle:
    def test_a_put_without_the_label_is_refused_with_400(self, client, course, tool, item_url):
        behave_like(course, "moodle")

        response = put(client, tool, item_url, {"scoreMaximum": 20})

        assert response.status_code == 400
        assert "label and scoreMaximum are required" in response.content.decode()

    def test_members_left_out_are_cleared(self, client, course, tool, line_item, item_url):
        behave_like(course, "moodle")

        response = put(client, tool, item_url, {"label": "Renamed", "scoreMaximum": 20})

        assert response.status_code == 200
        line_item.refresh_from_db()
        assert (line_item.label, line_item.score_maximum) == ("Renamed", 20)
        assert (line_item.tag, line_item.resource_id) == ("", "")

    def test_the_whole_item_sent_back_keeps_them(self, client, course, tool, line_item, item_url):
        behave_like(course, "moodle")
        body = {**whole_item(client, tool, item_url), "label": "Renamed", "scoreMaximum": 20}

        assert put(client, tool, item_url, body).status_code == 200

        line_item.refresh_from_db()
        assert (line_item.tag, line_item.resource_id) == ("lti-quiz", "distillation")

    def test_a_link_that_is_not_one_of_the_courses_is_refused_with_403(
        self, client, course, tool, item_url
    ):
        behave_like(course, "moodle")
        body = {**whole_item(client, tool, item_url), "resourceLinkId": "not-a-link-here"}

        assert put(client, tool, item_url, body).status_code == 403


class TestCanvas:
    def test_only_the_members_sent_change(self, client, course, tool, line_item, item_url):
        behave_like(course, "canvas")

        response = put(client, tool, item_url, {"scoreMaximum": 20})

        assert response.status_code == 200
        line_item.refresh_from_db()
        assert line_item.score_maximum == 20
        assert (line_item.label, line_item.tag, line_item.resource_id) == (
            response.json()["label"],
            "lti-quiz",
            "distillation",
        )

    def test_another_links_id_is_refused_with_412(self, client, course, tool, item_url):
        behave_like(course, "canvas")
        other = ResourceLink.objects.create(course=course, slug="other", title="Other")
        body = {**whole_item(client, tool, item_url), "resourceLinkId": other.resource_link_id}

        response = put(client, tool, item_url, body)

        assert response.status_code == 412
        assert "not associated with the line item" in response.content.decode()


class TestGradebook:
    def test_it_shows_a_column_per_line_item(self, client, course, line_item):
        second = course.line_items.create(label="Second quiz", score_maximum=5)

        html = client.get("/practice-lms/gradebook/").content.decode()

        assert f'data-testid="column-{line_item.pk}"' in html
        assert f'data-testid="column-{second.pk}"' in html
        assert "Second quiz" in html and "(out of 5)" in html
