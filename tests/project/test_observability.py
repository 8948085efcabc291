"""Request ids, JSON logs, /metrics and the delivery queue in /health/ (docs/operations.md)."""

import datetime as dt
import json
import logging
import re

import pytest
from django.utils import timezone

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.grades.services import grade_delivery_send
from lti_quiz.lib.jsonlog import JsonFormatter
from lti_quiz.lib.request_id import RequestIdFilter, bound_request_id
from tests.factories.grades import (
    delivery_create,
    registration_create,
    resource_link_create,
)
from tests.factories.grades import platform as platform_session
from tests.factories.quiz import load_seed_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(db):
    return resource_link_create(registration_create())


def test_a_well_formed_incoming_request_id_is_kept_and_sent_back(client):
    response = client.get("/health/", headers={"X-Request-ID": "lb-7f3a9c2e-0001"})

    assert response["X-Request-ID"] == "lb-7f3a9c2e-0001"


@pytest.mark.parametrize("header", ["", "short", "has space in it", "x" * 65, "new\nline-abcdef"])
def test_a_missing_or_malformed_request_id_is_replaced_by_a_new_one(client, header):
    response = client.get("/health/", headers={"X-Request-ID": header})

    assert response["X-Request-ID"] != header
    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"] != client.get("/health/")["X-Request-ID"]


def _json_line(message: str, *args: object, **extra: object) -> dict:
    record = logging.LogRecord("lti_quiz.grades", logging.INFO, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    RequestIdFilter().filter(record)
    return json.loads(JsonFormatter().format(record))


def test_a_json_log_line_has_the_fields_a_collector_expects_and_the_extra_ones():
    with bound_request_id("req-0123456789"):
        line = _json_line("Delivery #%s sent", 42, delivery_id=42, platform=object())

    assert line["level"] == "INFO"
    assert line["logger"] == "lti_quiz.grades"
    assert line["message"] == "Delivery #42 sent"
    assert line["request_id"] == "req-0123456789"
    assert line["delivery_id"] == 42
    assert isinstance(line["platform"], str)  # what JSON cannot hold is written as text
    assert dt.datetime.fromisoformat(line["time"]).tzinfo is not None


def test_a_json_log_line_outside_a_request_has_an_empty_request_id_and_carries_the_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))

    assert line["request_id"] == ""
    assert "ValueError: boom" in line["exception"]


def test_the_request_id_of_the_request_that_queued_a_delivery_follows_it_into_the_worker(
    link, caplog
):
    with bound_request_id("submit-request-000001"):
        delivery = delivery_create(link)
    assert delivery.request_id == "submit-request-000001"

    caplog.set_level(logging.INFO, logger="lti_quiz.grades")
    grade_delivery_send(
        delivery_id=delivery.pk, session=platform_session()
    )  # a worker: no request bound

    sent_lines = [r for r in caplog.records if "sent on attempt" in r.getMessage()]
    assert sent_lines
    RequestIdFilter().filter(sent_lines[0])
    assert sent_lines[0].request_id == "submit-request-000001"


def test_health_reports_the_queue_depth_and_the_age_of_the_oldest_pending_delivery(link, client):
    old = delivery_create(link, user_sub="alice")
    delivery_create(link, user_sub="bob")
    GradeDelivery.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(seconds=90)
    )
    delivery_create(link, user_sub="carol")
    GradeDelivery.objects.filter(user_sub="carol").update(
        state=GradeDelivery.State.SENT, sent_at=timezone.now()
    )

    body = client.get("/health/").json()

    assert body["queue_depth"] == 2
    assert 90 <= body["oldest_pending_seconds"] < 3600


def test_metrics_are_off_when_neither_a_token_nor_addresses_are_set(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []

    assert client.get("/metrics").status_code == 404


def test_metrics_refuse_a_wrong_token_and_an_address_not_allowed(client, settings):
    import ipaddress

    settings.METRICS_TOKEN = "scrape-secret"
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]

    assert client.get("/metrics").status_code == 403
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-it"})
    assert wrong.status_code == 403
    allowed = client.get("/metrics", REMOTE_ADDR="10.1.2.3")
    assert allowed.status_code == 200


def test_metrics_with_the_token_report_latency_by_view_and_the_delivery_queue(
    client, settings, link
):
    settings.METRICS_TOKEN = "scrape-secret"
    delivery_create(link, user_sub="alice")
    client.get("/health/")

    response = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret"})

    assert response.status_code == 200
    text = response.content.decode()
    assert 'lti_quiz_request_seconds_count{method="GET",view="health"}' in text
    assert 'lti_quiz_grade_deliveries{state="pending"} 1.0' in text
    assert 'lti_quiz_grade_deliveries{state="sent"} 0.0' in text
    assert "lti_quiz_grade_queue_depth 1.0" in text
    assert "lti_quiz_grade_oldest_pending_seconds" in text
    assert "lti_quiz_launches_total" in text
    assert "lti_quiz_submits_total" in text


def test_django_s_line_about_a_refused_request_carries_the_request_s_id(client, settings, caplog):
    settings.METRICS_TOKEN = "scrape-secret"

    response = client.get("/metrics", headers={"X-Request-ID": "refused-0000001"})

    assert response.status_code == 403
    [line] = [r for r in caplog.records if r.name == "django.request"]
    RequestIdFilter().filter(line)
    assert line.request_id == "refused-0000001"


def test_a_launch_s_request_id_follows_its_pages_into_the_grade_delivery_and_the_worker(
    client, platform, caplog
):
    load_seed_content()
    state, nonce = platform.login(client)
    token = platform.id_token(platform.claims(nonce=nonce))
    launched = platform.post_launch(client, token, state, HTTP_X_REQUEST_ID="launch-request-0001")
    home = launched["Location"]

    page = client.get(home + "quiz/", HTTP_X_REQUEST_ID="quiz-page-request-01")
    attempt = re.search(r'name="attempt" value="(\d+)"', page.content.decode())[1]
    client.post(home + "quiz/", {"attempt": attempt}, HTTP_X_REQUEST_ID="submit-request-0001")

    delivery = GradeDelivery.objects.get()
    assert (delivery.request_id, delivery.launch_request_id) == (
        "submit-request-0001",
        "launch-request-0001",
    )
    caplog.set_level(logging.INFO, logger="lti_quiz.grades")
    # A worker, no request bound; the platform of this launch is not one the fake session
    # knows, so the send fails: what matters is the ids its log line carries.
    grade_delivery_send(delivery_id=delivery.pk, session=platform_session())
    worker_line = next(r for r in caplog.records if f"Delivery #{delivery.pk}" in r.getMessage())
    RequestIdFilter().filter(worker_line)
    line = json.loads(JsonFormatter().format(worker_line))
    assert line["request_id"] == "submit-request-0001"
    assert line["launch_request_id"] == "launch-request-0001"


def test_a_page_of_a_launch_logs_the_launch_s_request_id_beside_its_own(client, platform, caplog):
    load_seed_content()
    state, nonce = platform.login(client)
    token = platform.id_token(platform.claims(nonce=nonce))
    launched = platform.post_launch(client, token, state, HTTP_X_REQUEST_ID="launch-request-0002")
    caplog.set_level(logging.WARNING, logger="django.request")

    client.post(
        launched["Location"] + "quiz/save/",
        "not json",
        content_type="application/json",
        HTTP_X_REQUEST_ID="save-request-00001",
    )

    [refused] = [r for r in caplog.records if r.name == "django.request"]
    RequestIdFilter().filter(refused)
    assert refused.request_id == "save-request-00001"
    assert refused.launch_request_id == "launch-request-0002"
