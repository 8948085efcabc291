"""The line item update (AGS 2.0 §3.2.6: PUT the whole line item) and the LMS's answers kept on
deliveries and updates, with a scripted platform session."""

from decimal import Decimal

import pytest
from django.utils import timezone

from lti_quiz.grades.lineitems import (
    lineitem_update_create,
    lineitem_update_send,
)
from lti_quiz.grades.models import GradeDelivery, LineItemUpdate
from lti_quiz.grades.services import grade_delivery_send
from lti_quiz.grades.sweep import lineitem_updates_resume
from lti_quiz.lti.ags import AgsClient, ServiceError
from lti_quiz.lti.claims import Scope
from tests.factories.grades import (
    LINEITEM_URL,
    LINEITEMS_URL,
    TOKEN_URL,
    FakeSession,
    delivery_create,
    platform,
    reply,
    token_reply,
)

pytestmark = pytest.mark.django_db

CANVAS_ITEM = {
    "id": LINEITEM_URL,
    "label": "Old title",
    "scoreMaximum": 10,
    "resourceLinkId": "link-abc",
    "resourceId": "distillation",
    "tag": "lti-quiz",
    "startDateTime": "2026-03-01T00:00:00Z",
    "https://canvas.instructure.com/lti/submission_type": {"type": "external_tool"},
}


def lms(*put_answers) -> FakeSession:
    session = FakeSession().on("POST", TOKEN_URL, token_reply())
    session.on("GET", LINEITEM_URL, reply(json_body=CANVAS_ITEM))
    return session.on("PUT", LINEITEM_URL, *(put_answers or (reply(json_body=CANVAS_ITEM),)))


class TestLineitemUpdate:
    def test_it_puts_the_whole_line_item_back_with_only_label_and_maximum_changed(self, link):
        session = lms()
        client = AgsClient(registration=link.registration, scopes=link.ags_scopes, session=session)

        answer = client.lineitem_update(
            lineitem_url=LINEITEM_URL, label="New title", score_maximum=Decimal("12.5")
        )

        (put,) = session.to("PUT", LINEITEM_URL)
        assert put.headers["Content-Type"] == "application/vnd.ims.lis.v2.lineitem+json"
        assert put.json() == {**CANVAS_ITEM, "label": "New title", "scoreMaximum": 12.5}
        assert answer.status == 200

    def test_without_the_lineitem_scope_it_refuses_before_asking_the_platform(self, link):
        session = lms()
        client = AgsClient(
            registration=link.registration, scopes=[Scope.AGS_SCORE.value], session=session
        )

        with pytest.raises(ServiceError) as refused:
            client.lineitem_update(
                lineitem_url=LINEITEM_URL, label="New title", score_maximum=Decimal(12)
            )

        assert not refused.value.retryable
        assert "lineitem scope" in refused.value.message
        assert session.sent == []


class TestLineitemUpdateSend:
    def test_it_sends_the_update_and_keeps_the_platforms_answer(self, link):
        update = lineitem_update_create(
            resource_link=link, label="New title", score_maximum=Decimal(12)
        )

        lineitem_update_send(update_id=update.pk, session=lms())

        update.refresh_from_db()
        assert update.state == LineItemUpdate.State.SENT
        assert update.sent_at is not None
        assert update.answer_status == 200
        assert '"label": "Old title"' in update.answer_body  # Canvas echoes the item

    def test_a_refusal_fails_at_once_with_the_platforms_words(self, link):
        refusal = reply(
            412,
            json_body={"errors": {"message": "Tool does not have permission to view line_item"}},
        )
        update = lineitem_update_create(
            resource_link=link, label="New title", score_maximum=Decimal(12)
        )

        lineitem_update_send(update_id=update.pk, session=lms(refusal))

        update.refresh_from_db()
        assert update.state == LineItemUpdate.State.FAILED
        assert update.answer_status == 412
        assert "Tool does not have permission to view line_item" in update.last_error

    def test_a_platform_that_is_down_gets_the_update_later(self, link):
        update = lineitem_update_create(
            resource_link=link, label="New title", score_maximum=Decimal(12)
        )

        before = timezone.now()

        lineitem_update_send(update_id=update.pk, session=lms(reply(503, text="Down")))

        update.refresh_from_db()
        assert update.state == LineItemUpdate.State.PENDING
        assert update.next_attempt_at > before
        assert update.answer_status == 503
        assert "Down" in update.last_error

    def test_a_newer_update_supersedes_an_unsent_older_one(self, link):
        older = lineitem_update_create(resource_link=link, label="A", score_maximum=Decimal(10))
        newer = lineitem_update_create(resource_link=link, label="B", score_maximum=Decimal(12))

        lineitem_update_send(update_id=older.pk, session=lms())

        older.refresh_from_db()
        assert older.state == LineItemUpdate.State.SUPERSEDED
        assert f"#{newer.pk}" in older.last_error
        assert lineitem_update_send(update_id=newer.pk, session=lms()).state == "sent"

    def test_a_link_whose_line_item_is_not_there_yet_gets_one_created_with_them(self, link):
        link.lineitem_url = ""
        link.save()
        session = FakeSession().on("POST", TOKEN_URL, token_reply())
        session.on("GET", f"{LINEITEMS_URL}?resource_link_id=link-abc", reply(json_body=[]))
        session.on("POST", LINEITEMS_URL, reply(201, json_body={**CANVAS_ITEM, "label": "B"}))
        update = lineitem_update_create(resource_link=link, label="B", score_maximum=Decimal(12))

        lineitem_update_send(update_id=update.pk, session=session)

        (created,) = session.to("POST", LINEITEMS_URL)
        assert created.json()["label"] == "B" and created.json()["scoreMaximum"] == 12
        update.refresh_from_db()
        assert (update.state, update.answer_status) == ("sent", 201)


class TestDeliveryAnswers:
    def test_a_sent_delivery_keeps_the_platforms_status_and_body(self, link):
        delivery = delivery_create(link)

        grade_delivery_send(
            delivery_id=delivery.pk, session=platform(reply(200, json_body={"resultUrl": "r/1"}))
        )

        delivery.refresh_from_db()
        assert delivery.state == GradeDelivery.State.SENT
        assert delivery.answer_status == 200
        assert delivery.answer_body == '{"resultUrl": "r/1"}'

    def test_a_refused_delivery_keeps_the_status_and_the_platforms_words(self, link):
        delivery = delivery_create(link)

        grade_delivery_send(
            delivery_id=delivery.pk,
            session=platform(reply(400, text="User not found in course or is not a student")),
        )

        delivery.refresh_from_db()
        assert delivery.state == GradeDelivery.State.FAILED
        assert delivery.answer_status == 400
        assert "User not found in course" in delivery.answer_body


class TestSweep:
    def test_an_update_whose_task_was_lost_is_queued_again(self, link):
        update = lineitem_update_create(resource_link=link, label="B", score_maximum=Decimal(12))
        LineItemUpdate.objects.filter(pk=update.pk).update(task_id="lost")

        assert lineitem_updates_resume() == [update.pk]

        update.refresh_from_db()
        assert update.task_id != "lost"
