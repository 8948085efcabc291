import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import requests

from lti_quiz.lti.ags import (
    CANVAS_SUBMISSION,
    LINEITEM_TAG,
    Score,
    ServiceError,
    score_body,
    score_publish,
    scores_url,
)
from tests.factories.grades import (
    LINEITEM_URL,
    TOKEN_URL,
    FakeSession,
    platform,
    query_of,
    registration_create,
    reply,
    resource_link_create,
    scores_sent,
    token_reply,
)

WHEN = dt.datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=dt.UTC)
MOODLE_LINEITEMS = "https://moodle.example.edu/mod/lti/services.php/2/lineitems?type_id=3"
MOODLE_LINEITEM = "https://moodle.example.edu/mod/lti/services.php/2/lineitems/5/lineitem?type_id=3"
OTHER_LINEITEM = "https://moodle.example.edu/mod/lti/services.php/2/lineitems/6/lineitem?type_id=3"


def a_score(**fields) -> Score:
    values: dict[str, Any] = {
        "user_id": "alice-sub",
        "score_given": Decimal("7.5"),
        "score_maximum": Decimal("10"),
        "activity_progress": "Completed",
        "grading_progress": "FullyGraded",
        "timestamp": WHEN,
    }
    values.update(fields)
    return Score(**values)


class TestScoreBody:
    def test_it_has_the_score_fields_and_a_millisecond_timestamp_with_an_offset(self):
        body = score_body(a_score())

        assert body["userId"] == "alice-sub"
        assert body["scoreGiven"] == 7.5
        assert body["scoreMaximum"] == 10
        assert body["activityProgress"] == "Completed"
        assert body["gradingProgress"] == "FullyGraded"
        assert body["timestamp"] == "2026-03-02T09:30:15.123+00:00"

    def test_a_timestamp_in_another_zone_is_sent_in_utc(self):
        paris = dt.timezone(dt.timedelta(hours=1))

        body = score_body(a_score(timestamp=dt.datetime(2026, 3, 2, 10, 0, tzinfo=paris)))

        assert body["timestamp"] == "2026-03-02T09:00:00.000+00:00"

    def test_it_leaves_out_score_given_only_when_there_is_no_score(self):
        assert "scoreGiven" not in score_body(a_score(score_given=None))
        assert score_body(a_score(score_given=Decimal("0")))["scoreGiven"] == 0

    def test_a_score_pending_manual_review_carries_the_automatically_scored_part(self):
        body = score_body(a_score(score_given=Decimal("6"), grading_progress="PendingManual"))

        assert body["gradingProgress"] == "PendingManual"
        assert body["scoreGiven"] == 6

    def test_a_submission_is_a_new_canvas_submission_dated_when_it_was_submitted(self):
        body = score_body(a_score(new_submission=True, submitted_at=WHEN))

        assert body[CANVAS_SUBMISSION] == {
            "new_submission": True,
            "submitted_at": "2026-03-02T09:30:15.123+00:00",
        }

    def test_a_regrade_does_not_count_as_another_canvas_submission(self):
        assert score_body(a_score())[CANVAS_SUBMISSION] == {"new_submission": False}


@pytest.mark.parametrize(
    ("lineitem", "expected"),
    [
        (LINEITEM_URL, f"{LINEITEM_URL}/scores"),
        (f"{LINEITEM_URL}/", f"{LINEITEM_URL}/scores"),
        (
            MOODLE_LINEITEM,
            "https://moodle.example.edu/mod/lti/services.php/2/lineitems/5/lineitem/scores?type_id=3",
        ),
    ],
)
def test_the_scores_url_is_the_line_item_path_plus_scores_before_any_query(lineitem, expected):
    assert scores_url(lineitem) == expected


@pytest.mark.django_db
class TestScorePublish:
    @pytest.fixture
    def canvas_link(self):
        return resource_link_create(registration_create())

    def test_it_posts_the_score_with_the_score_media_type_and_a_bearer_token(self, canvas_link):
        session = platform()

        score_publish(resource_link=canvas_link, score=a_score(), session=session)

        (sent,) = scores_sent(session)
        assert sent.headers["Content-Type"] == "application/vnd.ims.lis.v1.score+json"
        assert sent.headers["Authorization"] == "Bearer token-1"
        assert sent.json() == score_body(a_score())

    def test_it_inserts_scores_before_the_query_string_of_a_moodle_line_item(self, canvas_link):
        canvas_link.lineitem_url = MOODLE_LINEITEM
        moodle_scores = "https://moodle.example.edu/mod/lti/services.php/2/lineitems/5/lineitem/scores?type_id=3"
        session = (
            FakeSession().on("POST", TOKEN_URL, token_reply()).on("POST", moodle_scores, reply())
        )

        score_publish(resource_link=canvas_link, score=a_score(), session=session)

        assert [sent.url for sent in session.sent] == [TOKEN_URL, moodle_scores]

    def test_two_scores_need_one_token_request(self, canvas_link):
        session = platform()

        score_publish(resource_link=canvas_link, score=a_score(), session=session)
        score_publish(resource_link=canvas_link, score=a_score(user_id="bob-sub"), session=session)

        assert len(scores_sent(session)) == 2
        assert len(session.token_requests) == 1

    def test_a_401_drops_the_cached_token_and_tries_once_more_with_a_new_one(self, canvas_link):
        session = FakeSession().on("POST", TOKEN_URL, token_reply("stale"), token_reply("fresh"))
        session.on("POST", f"{LINEITEM_URL}/scores", reply(401), reply(200))

        score_publish(resource_link=canvas_link, score=a_score(), session=session)

        tokens = [sent.headers["Authorization"] for sent in scores_sent(session)]
        assert tokens == ["Bearer stale", "Bearer fresh"]

    def test_a_second_401_is_final(self, canvas_link):
        session = platform(reply(401, text="Invalid access token"))

        with pytest.raises(ServiceError) as caught:
            score_publish(resource_link=canvas_link, score=a_score(), session=session)

        assert not caught.value.retryable
        assert len(scores_sent(session)) == 2
        assert "Invalid access token" in caught.value.message

    @pytest.mark.parametrize(
        ("answer", "retry_after"),
        [
            (reply(503, text="Service Unavailable"), None),
            (reply(502), None),
            (reply(429, headers={"Retry-After": "120"}), 120),
            (reply(403, text="403 Forbidden (Rate Limit Exceeded)"), None),
            (requests.ReadTimeout("read timed out"), None),
            (requests.ConnectionError("connection reset"), None),
        ],
        ids=["503", "502", "429-retry-after", "canvas-throttle", "timeout", "connection-error"],
    )
    def test_a_platform_down_or_busy_is_worth_retrying(self, canvas_link, answer, retry_after):
        with pytest.raises(ServiceError) as caught:
            score_publish(resource_link=canvas_link, score=a_score(), session=platform(answer))

        assert caught.value.retryable
        assert caught.value.retry_after == retry_after

    @pytest.mark.parametrize("status", [400, 404, 409, 412, 422])
    def test_a_refused_score_is_final_and_keeps_the_platform_message(self, canvas_link, status):
        answer = reply(
            status,
            json_body={"errors": {"type": "bad_request", "message": "User not found in course"}},
        )

        with pytest.raises(ServiceError) as caught:
            score_publish(resource_link=canvas_link, score=a_score(), session=platform(answer))

        assert not caught.value.retryable
        assert caught.value.status == status
        assert "User not found in course" in caught.value.message

    def test_a_long_platform_message_is_trimmed(self, canvas_link):
        answer = reply(422, text="x" * 5000)

        with pytest.raises(ServiceError) as caught:
            score_publish(resource_link=canvas_link, score=a_score(), session=platform(answer))

        assert len(caught.value.message) < 600

    def test_without_the_score_scope_nothing_is_sent(self, canvas_link):
        canvas_link.ags_scopes = ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"]
        session = FakeSession()

        with pytest.raises(ServiceError, match="score scope") as caught:
            score_publish(resource_link=canvas_link, score=a_score(), session=session)

        assert not caught.value.retryable
        assert session.sent == []

    def test_without_any_line_item_url_nothing_is_sent(self, canvas_link):
        canvas_link.lineitem_url = canvas_link.lineitems_url = ""
        session = FakeSession()

        with pytest.raises(ServiceError, match="no line item") as caught:
            score_publish(resource_link=canvas_link, score=a_score(), session=session)

        assert not caught.value.retryable
        assert session.sent == []


@pytest.mark.django_db
class TestLineItemFromLineItems:
    """Only `lineitems` in the claim (AGS §3.1; a certification case): find or create it."""

    @pytest.fixture
    def moodle_link(self):
        return resource_link_create(
            registration_create(),
            lineitem_url="",
            lineitems_url=MOODLE_LINEITEMS,
            resource_link_id="17",
        )

    def lookup_url(self, page_query: str = "") -> str:
        return f"{MOODLE_LINEITEMS}&resource_link_id=17{page_query}"

    def test_it_finds_the_line_item_of_the_resource_link(self, moodle_link):
        other = {
            "id": "https://moodle.example.edu/li/4?type_id=3",
            "resourceLinkId": "99",
            "tag": LINEITEM_TAG,
        }
        ours = {"id": MOODLE_LINEITEM, "resourceLinkId": "17", "label": "Quiz"}
        session = platform(lineitem_url=MOODLE_LINEITEM)
        session.on("GET", self.lookup_url(), reply(json_body=[other, ours]))
        moodle_scores = scores_url(MOODLE_LINEITEM)

        score_publish(resource_link=moodle_link, score=a_score(), session=session)

        (lookup,) = session.to("GET", self.lookup_url())
        assert query_of(lookup.url) == {"type_id": ["3"], "resource_link_id": ["17"]}
        assert lookup.headers["Accept"] == "application/vnd.ims.lis.v2.lineitemcontainer+json"
        assert len(session.to("POST", moodle_scores)) == 1

    @pytest.mark.parametrize("tag", [LINEITEM_TAG, "quiz-score"])
    def test_it_prefers_the_line_item_tagged_as_ours_even_with_the_earlier_tag(
        self, moodle_link, tag
    ):
        someone_elses = {"id": OTHER_LINEITEM, "resourceLinkId": "17", "tag": "attendance"}
        ours = {"id": MOODLE_LINEITEM, "resourceLinkId": "17", "tag": tag}
        session = platform(lineitem_url=MOODLE_LINEITEM)
        session.on("GET", self.lookup_url(), reply(json_body=[someone_elses, ours]))

        score_publish(resource_link=moodle_link, score=a_score(), session=session)

        assert len(session.to("POST", scores_url(MOODLE_LINEITEM))) == 1
        assert session.to("POST", scores_url(OTHER_LINEITEM)) == []

    def test_it_follows_next_page_links_keeping_their_case(self, moodle_link):
        next_page = (
            "https://moodle.example.edu/mod/lti/services.php/2/lineitems?type_id=3&cursor=AbCdEf"
        )
        ours = {"id": MOODLE_LINEITEM, "resourceLinkId": "17"}
        session = platform(lineitem_url=MOODLE_LINEITEM)
        session.on(
            "GET",
            self.lookup_url(),
            reply(json_body=[], headers={"Link": f'<{next_page}>; rel="next"'}),
        )
        session.on("GET", next_page, reply(json_body=[ours]))

        score_publish(resource_link=moodle_link, score=a_score(), session=session)

        assert len(session.to("GET", next_page)) == 1
        assert len(session.to("POST", scores_url(MOODLE_LINEITEM))) == 1

    def test_it_creates_the_line_item_when_there_is_none(self, moodle_link):
        created = "https://moodle.example.edu/mod/lti/services.php/2/lineitems/8/lineitem?type_id=3"
        session = platform(lineitem_url=created)
        session.on("GET", self.lookup_url(), reply(json_body=[]))
        session.on(
            "POST", MOODLE_LINEITEMS, reply(201, json_body={"id": created, "resourceLinkId": "17"})
        )

        score_publish(resource_link=moodle_link, score=a_score(), session=session)

        (creation,) = session.to("POST", MOODLE_LINEITEMS)
        assert creation.headers["Content-Type"] == "application/vnd.ims.lis.v2.lineitem+json"
        assert creation.json() == {
            "scoreMaximum": 10,
            "label": "Distillation Tradeoffs quiz",
            "resourceLinkId": "17",
            "tag": LINEITEM_TAG,
        }
        assert len(session.to("POST", scores_url(created))) == 1

    def test_the_line_item_found_is_remembered_for_the_next_score(self, moodle_link):
        session = platform(lineitem_url=MOODLE_LINEITEM)
        session.on(
            "GET",
            self.lookup_url(),
            reply(json_body=[{"id": MOODLE_LINEITEM, "resourceLinkId": "17"}]),
        )

        score_publish(resource_link=moodle_link, score=a_score(), session=session)
        score_publish(resource_link=moodle_link, score=a_score(user_id="bob-sub"), session=session)

        assert len(session.to("GET", self.lookup_url())) == 1
        assert len(session.to("POST", scores_url(MOODLE_LINEITEM))) == 2

    def test_a_deleted_line_item_is_looked_up_again_next_time(self, moodle_link):
        session = platform(reply(404), reply(200), lineitem_url=MOODLE_LINEITEM)
        session.on(
            "GET",
            self.lookup_url(),
            reply(json_body=[{"id": MOODLE_LINEITEM, "resourceLinkId": "17"}]),
        )

        with pytest.raises(ServiceError):
            score_publish(resource_link=moodle_link, score=a_score(), session=session)
        score_publish(resource_link=moodle_link, score=a_score(), session=session)

        assert len(session.to("GET", self.lookup_url())) == 2

    def test_without_the_lineitem_scope_it_cannot_create_one_and_says_so(self, moodle_link):
        moodle_link.ags_scopes = [
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/score",
        ]
        session = platform()
        session.on("GET", self.lookup_url(), reply(json_body=[]))

        with pytest.raises(ServiceError, match="lineitem scope") as caught:
            score_publish(resource_link=moodle_link, score=a_score(), session=session)

        assert not caught.value.retryable
        assert session.to("POST", MOODLE_LINEITEMS) == []
