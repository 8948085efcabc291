"""The OpenAPI schema validates, and the API keeps its promises under generated input.

schemathesis reads the schema the app serves (/api/schema/) and sends, through the WSGI app
and as an editor with a token, generated requests to every operation: schema-valid ones
(positive) and schema-breaking ones (negative). Every answer must be free of 5xx and conform
to the schema: a documented status code, content type, headers and body. Path ids are drawn
from random numbers and from objects that exist (some of them protected from deletion), so
the generated requests reach real rows as well as 404s.

The run is derandomized (the same cases on every run) and bounded; it prints its figures:
    pytest tests/api/test_schemathesis.py -s
"""

import time
from collections import Counter

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lessons.services import lesson_create
from lti_quiz.api import base
from lti_quiz.quiz import bank as bank_services
from lti_quiz.quiz.services import attempt_get_or_start, attempt_submit
from tests.factories.api import make_user
from tests.factories.quiz import answers_from_key, make_bank, make_placement, make_question

POSITIVE_EXAMPLES = 25
NEGATIVE_EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]


def test_the_schema_validates_without_warnings(db, tmp_path):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document

    # The command fails on any warning drf-spectacular raises while generating (an undescribed
    # field, a view it cannot inspect).
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))

    paths = schema["paths"]
    assert {"/api/v1/questions/{id}/versions/", "/api/v1/banks/{id}/import/"} <= set(paths)
    assert "Error" in schema["components"]["schemas"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method} {path} has no summary"
            codes = set(operation["responses"])
            assert {"401", "403"} <= codes, f"{method} {path} documents no auth errors"


def test_the_schema_and_docs_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


@pytest.fixture
def wsgi_app(monkeypatch):
    # Like Django's test client: keep the test's connection (and its transaction) open
    # across requests, and never throttle the generated writes.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    monkeypatch.setattr(base.WriteThrottle, "rate", "100000/minute", raising=False)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def existing_ids(db):
    """Objects for generated requests to find; one of each kind cannot be deleted."""
    bank = make_bank()
    empty_bank = make_bank("empty", "Empty")
    questions = [
        make_question(bank, kind, key=kind.replace("_", "-"))
        for kind in ("single_choice", "multiple_response", "true_false", "short_answer")
    ]
    lesson = lesson_create(
        data={
            "slug": "optics",
            "title": "Optics",
            "summary": "Light.",
            "sections": [{"heading": "Lenses", "body": "Bend light."}],
        }
    )
    quiz = bank_services.quiz_create(
        data={
            "slug": "week-1",
            "title": "Week 1",
            "lesson": lesson.pk,
            "questions": [q.pk for q in questions],
        }
    )
    attempt = attempt_get_or_start(placement=make_placement(quiz), learner_key="1:s")
    attempt_submit(attempt_id=attempt.pk, learner_key="1:s", answers=answers_from_key(attempt))
    spare_quiz = bank_services.quiz_create(
        data={"slug": "spare", "title": "Spare", "questions": [questions[0].pk]}
    )
    return {
        "banks": [bank.pk, empty_bank.pk],
        "questions": [q.pk for q in questions],
        "lessons": [lesson.pk],
        "quizzes": [quiz.pk, spare_quiz.pk],
    }


# Ids from 1 on every database: the schema's documented examples name bank 1 and question 1,
# which then exist here. (PostgreSQL's sequences do not roll back with a test's transaction, so
# after other tests the fixture's bank would be #639 and every documented create a 400.)
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_schemathesis_finds_no_server_error_and_no_response_off_the_schema(
    db, wsgi_app, existing_ids
):
    editor = make_user("erin", editor=True)
    auth = {"Authorization": f"Token {Token.objects.create(user=editor).key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    figures: Counter = Counter()
    statuses: Counter = Counter()
    failures: list[str] = []
    started = time.monotonic()

    for result in schema.get_all_operations():
        operation = result.ok()
        figures["operations"] += 1
        resource = operation.path.split("/")[3]  # /api/v1/<resource>/...
        for mode, examples in (
            (GenerationMode.POSITIVE, POSITIVE_EXAMPLES),
            (GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES),
        ):
            strategies = [operation.as_strategy(generation_mode=mode)]
            if mode.is_positive:  # the documented examples: valid bodies that create things
                strategies += operation.get_strategies_from_examples()
            if "{id}" in operation.path:
                strategies += [
                    operation.as_strategy(generation_mode=mode, path_parameters={"id": pk})
                    for pk in existing_ids[resource]
                ]

            try:
                _fuzz(strategies, examples, mode, auth, figures, statuses)
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis raises a group
                failures.append(f"{operation.label} ({mode.value}):\n{str(exc)[:3000]}")

    seconds = time.monotonic() - started
    print(
        f"\nschemathesis: {figures['operations']} operations, "
        f"{figures['positive cases']} positive + {figures['negative cases']} negative cases, "
        f"{len(failures)} failures, {seconds:.1f} s; statuses {dict(sorted(statuses.items()))}"
    )
    assert figures["operations"] >= 20
    assert not failures, "\n\n".join(failures)
    assert not any(status >= 500 for status in statuses)
    # The generated requests reached real objects, not only 404s.
    assert statuses[200] and statuses[201] and statuses[400] and statuses[404]


def _fuzz(strategies, examples, mode, auth, figures, statuses):
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def run(case):
        figures[f"{mode.value} cases"] += 1
        response = case.call(headers=auth)
        statuses[response.status_code] += 1
        # ignored_auth re-sends without credentials: once per operation is enough.
        checks = CHECKS if mode.is_positive else CHECKS[:-1]
        case.validate_response(response, checks=checks, headers=auth)

    run()
