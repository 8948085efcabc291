"""AGS on the practice LMS: line items, and scores validated the way Moodle validates them."""

import json

import pytest

from lti_quiz.practice_lms import vocab
from lti_quiz.practice_lms.models import Counter, FailureSwitch, LineItem, Score
from tests.factories.practice_lms import ISSUER, bearer

pytestmark = pytest.mark.django_db


def scores_url(line_item, tool, query=None) -> str:
    query = f"type_id={tool.pk}" if query is None else query
    return (
        f"/practice-lms/ags/{line_item.course_id}/lineitems/{line_item.pk}/lineitem/scores?{query}"
    )


def score_body(person, **overrides) -> dict:
    body = {
        "userId": person.user_id if person else None,
        "scoreGiven": 8,
        "scoreMaximum": 10,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": "2026-03-01T10:00:00.123+00:00",
    }
    body.update(overrides)
    return {name: value for name, value in body.items() if value is not None}


def post_score(client, line_item, tool, body, *, headers=None, content_type=vocab.MEDIA_SCORE):
    headers = bearer(tool, vocab.SCOPE_SCORE) if headers is None else headers
    return client.post(
        scores_url(line_item, tool), json.dumps(body), content_type=content_type, **headers
    )


class TestScores:
    def test_it_records_a_valid_score(self, client, line_item, tool, student):
        response = post_score(client, line_item, tool, score_body(student))

        assert response.status_code == 200, response.content
        score = Score.objects.get()
        assert (score.person, score.score_given, score.score_maximum) == (student, 8, 10)
        assert (score.activity_progress, score.grading_progress) == ("Completed", "FullyGraded")
        assert score.timestamp_text == "2026-03-01T10:00:00.123+00:00"
        assert score.body == score_body(student)
        assert Counter.value_of(Counter.SCORE_CALLS) == 1

    def test_it_accepts_a_newer_timestamp_for_the_same_user(self, client, line_item, tool, student):
        post_score(client, line_item, tool, score_body(student))

        response = post_score(
            client, line_item, tool, score_body(student, timestamp="2026-03-01T10:00:00.124Z")
        )

        assert response.status_code == 200
        assert Score.objects.count() == 2

    def test_it_refuses_an_equal_timestamp_with_409_like_moodle(
        self, client, line_item, tool, student
    ):
        post_score(client, line_item, tool, score_body(student))

        response = post_score(client, line_item, tool, score_body(student, scoreGiven=9))

        assert response.status_code == 409
        assert "earlier timestamp" in response.json()["error"]
        assert Score.objects.count() == 1

    def test_it_refuses_an_older_timestamp_with_409(self, client, line_item, tool, student):
        post_score(client, line_item, tool, score_body(student))

        response = post_score(
            client, line_item, tool, score_body(student, timestamp="2026-03-01T11:59:00+02:00")
        )

        assert response.status_code == 409

    def test_timestamps_are_kept_per_user(self, client, line_item, tool, student, other_student):
        post_score(client, line_item, tool, score_body(student))

        response = post_score(client, line_item, tool, score_body(other_student))

        assert response.status_code == 200

    def test_it_refuses_an_unknown_user_with_400(self, client, line_item, tool):
        response = post_score(client, line_item, tool, score_body(None, userId="nobody"))

        assert response.status_code == 400
        assert "'nobody' is not a student of this course" in response.json()["error"]

    def test_it_refuses_a_score_for_the_instructor_with_400(
        self, client, line_item, tool, instructor
    ):
        response = post_score(client, line_item, tool, score_body(instructor))

        assert response.status_code == 400
        assert not Score.objects.exists()

    def test_it_requires_an_access_token(self, client, line_item, tool, student):
        response = post_score(client, line_item, tool, score_body(student), headers={})

        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert not Score.objects.exists()

    def test_it_refuses_an_unknown_access_token(self, client, line_item, tool, student):
        headers = {"HTTP_AUTHORIZATION": "Bearer made-up"}

        response = post_score(client, line_item, tool, score_body(student), headers=headers)

        assert response.status_code == 401

    def test_it_refuses_an_expired_access_token(
        self, client, line_item, tool, student, time_machine
    ):
        time_machine.move_to("2026-03-01T10:00:00Z", tick=False)
        headers = bearer(tool, vocab.SCOPE_SCORE)
        time_machine.move_to("2026-03-01T11:00:01Z", tick=False)

        response = post_score(client, line_item, tool, score_body(student), headers=headers)

        assert response.status_code == 401
        assert "expired" in response.json()["error"]

    def test_it_refuses_a_token_without_the_score_scope(self, client, line_item, tool, student):
        headers = bearer(tool, vocab.SCOPE_LINEITEM)

        response = post_score(client, line_item, tool, score_body(student), headers=headers)

        assert response.status_code == 403

    def test_it_refuses_the_wrong_content_type(self, client, line_item, tool, student):
        response = post_score(
            client, line_item, tool, score_body(student), content_type="application/json"
        )

        assert response.status_code == 415
        assert vocab.MEDIA_SCORE in response.json()["error"]

    def test_it_accepts_a_charset_on_the_content_type(self, client, line_item, tool, student):
        response = post_score(
            client,
            line_item,
            tool,
            score_body(student),
            content_type=f"{vocab.MEDIA_SCORE}; charset=utf-8",
        )

        assert response.status_code == 200

    def test_a_scores_url_without_the_type_id_query_is_refused(
        self, client, line_item, tool, student
    ):
        response = client.post(
            scores_url(line_item, tool, query=""),
            json.dumps(score_body(student)),
            content_type=vocab.MEDIA_SCORE,
            **bearer(tool, vocab.SCOPE_SCORE),
        )

        assert response.status_code == 403
        assert (
            "insert path segments (like /scores) before its query string"
            in response.json()["error"]
        )

    def test_scores_appended_after_the_query_string_hit_the_line_item_and_fail(
        self, client, line_item, tool, student
    ):
        url = f"/practice-lms/ags/{line_item.course_id}/lineitems/{line_item.pk}/lineitem"
        response = client.post(
            f"{url}?type_id={tool.pk}/scores",
            json.dumps(score_body(student)),
            content_type=vocab.MEDIA_SCORE,
            **bearer(tool, vocab.SCOPE_SCORE),
        )

        assert response.status_code == 405
        assert "with /scores inserted before the query string" in response.json()["error"]
        assert not Score.objects.exists()

    @pytest.mark.parametrize(
        ("overrides", "words"),
        [
            ({"scoreGiven": 11}, "more than scoreMaximum"),
            ({"scoreGiven": -1}, "0 or more"),
            ({"scoreGiven": "eight"}, "must be a number"),
            ({"scoreMaximum": None}, "scoreMaximum is required"),
            ({"scoreMaximum": 0}, "more than 0"),
            ({"timestamp": None}, "timestamp is missing"),
            ({"timestamp": "2026-03-01T10:00:00"}, "time zone"),
            ({"timestamp": "yesterday"}, "ISO 8601"),
            ({"activityProgress": "Done"}, "activityProgress"),
            ({"gradingProgress": None}, "gradingProgress is missing"),
            ({"userId": None}, "userId is missing"),
        ],
    )
    def test_it_refuses_an_invalid_score_body(
        self, client, line_item, tool, student, overrides, words
    ):
        response = post_score(client, line_item, tool, score_body(student, **overrides))

        assert response.status_code == 400
        assert words in response.json()["error"]

    def test_a_score_without_score_given_is_recorded_as_progress(
        self, client, line_item, tool, student
    ):
        body = score_body(
            student, scoreGiven=None, scoreMaximum=None, gradingProgress="PendingManual"
        )

        response = post_score(client, line_item, tool, body)

        assert response.status_code == 200
        assert Score.objects.get().score_given is None


class TestFailureSwitch:
    def test_it_answers_503_for_the_next_n_calls_then_accepts(
        self, client, line_item, tool, student
    ):
        FailureSwitch.objects.filter(course=line_item.course).update(status=503, remaining=3)

        statuses = []
        for second in range(4):
            body = score_body(student, timestamp=f"2026-03-01T10:00:0{second}.000Z")
            response = post_score(client, line_item, tool, body)
            statuses.append(response.status_code)
            if response.status_code == 503:
                assert response["Retry-After"] == "1"

        assert statuses == [503, 503, 503, 200]
        assert Score.objects.count() == 1
        switch = FailureSwitch.objects.get()
        assert (switch.remaining, switch.injected) == (0, 3)
        assert Counter.value_of(Counter.SCORE_CALLS) == 4

    def test_it_can_answer_429(self, client, line_item, tool, student):
        FailureSwitch.objects.filter(course=line_item.course).update(status=429, remaining=1)

        response = post_score(client, line_item, tool, score_body(student))

        assert response.status_code == 429
        assert response["Retry-After"] == "1"
        assert not Score.objects.exists()

    def test_the_course_page_form_sets_the_switch(self, client, line_item):
        response = client.post("/practice-lms/failure-switch/", {"status": "429", "count": "2"})

        assert response.status_code == 302
        switch = FailureSwitch.objects.get()
        assert (switch.status, switch.remaining) == (429, 2)

    def test_the_course_page_form_refuses_a_status_it_does_not_offer(self, client, line_item):
        client.post("/practice-lms/failure-switch/", {"status": "500", "count": "2"})

        assert FailureSwitch.objects.get().remaining == 0


class TestLineItems:
    def lineitems_url(self, course, tool, query="") -> str:
        return f"/practice-lms/ags/{course.pk}/lineitems?type_id={tool.pk}{query}"

    def test_it_lists_the_line_items_of_a_resource_link(self, client, course, tool, line_item):
        link = course.resource_links.get()
        LineItem.objects.create(course=course, label="Unlinked", score_maximum=5)

        response = client.get(
            self.lineitems_url(course, tool, f"&resource_link_id={link.resource_link_id}"),
            **bearer(tool, vocab.SCOPE_LINEITEM_READONLY),
        )

        assert response.status_code == 200
        assert response["Content-Type"] == vocab.MEDIA_LINEITEM_CONTAINER
        assert response.json() == [
            {
                "id": (
                    f"{ISSUER}/ags/{course.pk}/lineitems/{line_item.pk}/lineitem?type_id={tool.pk}"
                ),
                "label": "Distillation Tradeoffs quiz",
                "scoreMaximum": 10,
                "tag": "quiz",
                "resourceId": "",
                "resourceLinkId": link.resource_link_id,
            }
        ]

    def test_it_creates_a_line_item_for_a_resource_link(self, client, course, tool, line_item):
        link = course.resource_links.get()
        body = {
            "label": "Quiz, second try",
            "scoreMaximum": 10,
            "resourceLinkId": link.resource_link_id,
            "tag": "retake",
        }

        response = client.post(
            self.lineitems_url(course, tool),
            json.dumps(body),
            content_type=vocab.MEDIA_LINEITEM,
            **bearer(tool, vocab.SCOPE_LINEITEM),
        )

        assert response.status_code == 201, response.content
        created = LineItem.objects.get(tag="retake")
        assert response.json()["id"].endswith(f"/lineitems/{created.pk}/lineitem?type_id={tool.pk}")
        assert created.resource_link == link

    def test_creating_needs_the_lineitem_scope(self, client, course, tool):
        response = client.post(
            self.lineitems_url(course, tool),
            json.dumps({"label": "x", "scoreMaximum": 1}),
            content_type=vocab.MEDIA_LINEITEM,
            **bearer(tool, vocab.SCOPE_LINEITEM_READONLY),
        )

        assert response.status_code == 403

    def test_it_reads_and_updates_one_line_item(self, client, course, tool, line_item):
        url = f"/practice-lms/ags/{course.pk}/lineitems/{line_item.pk}/lineitem?type_id={tool.pk}"
        headers = bearer(tool, vocab.SCOPE_LINEITEM)

        read = client.get(url, **headers)
        updated = client.put(
            url,
            json.dumps({**read.json(), "scoreMaximum": 20}),
            content_type=vocab.MEDIA_LINEITEM,
            **headers,
        )

        assert read.json()["scoreMaximum"] == 10
        assert updated.status_code == 200
        line_item.refresh_from_db()
        assert line_item.score_maximum == 20

    def test_an_unknown_line_item_is_404(self, client, course, tool):
        url = f"/practice-lms/ags/{course.pk}/lineitems/9999/lineitem?type_id={tool.pk}"

        response = client.get(url, **bearer(tool, vocab.SCOPE_LINEITEM))

        assert response.status_code == 404

    def test_results_show_the_latest_score_per_user(self, client, line_item, tool, student):
        post_score(client, line_item, tool, score_body(student, scoreGiven=4))
        post_score(
            client,
            line_item,
            tool,
            score_body(student, scoreGiven=9, timestamp="2026-03-02T00:00:00Z"),
        )
        url = (
            f"/practice-lms/ags/{line_item.course_id}/lineitems/{line_item.pk}/lineitem/results"
            f"?type_id={tool.pk}"
        )

        response = client.get(url, **bearer(tool, vocab.SCOPE_RESULT_READONLY))

        assert [(r["userId"], r["resultScore"]) for r in response.json()] == [(student.user_id, 9)]
