"""/api/v1/quizzes/{id}/analysis/ and /responses/: the item analysis and the responses export
for the API's users, learners by opaque key, in a constant number of queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from lti_quiz.quiz.services import attempt_get_or_start, attempt_submit
from tests.factories.api import error_of, make_user, token_client
from tests.factories.quiz import answers_from_key, make_placement, make_quiz

pytestmark = pytest.mark.django_db

HOSTILE = "=1+2 test"  # a short answer that matches test* and starts like a formula


def take(placement, learner: str, *, right: bool, short: str = "a test") -> None:
    attempt = attempt_get_or_start(placement=placement, learner_key=learner)
    attempt_submit(
        attempt_id=attempt.pk,
        learner_key=learner,
        answers=answers_from_key(attempt, right=right, short=short),
    )


@pytest.fixture
def quiz():
    quiz = make_quiz()
    here = make_placement(quiz, key="lti:1:link-1")
    there = make_placement(quiz, key="lti:1:link-2")
    take(here, "1:ann", right=True, short=HOSTILE)
    take(here, "1:bob", right=False)
    take(here, "1:bob", right=True)  # bob's second attempt
    take(there, "1:cy", right=False)
    return quiz


@pytest.fixture
def staff_client(db):
    """Stan is staff: he may read learners' answers."""
    return token_client(make_user("stan", staff=True))


def url(quiz, what: str, query: str = "") -> str:
    return f"/api/v1/quizzes/{quiz.pk}/{what}/" + (f"?{query}" if query else "")


def test_the_analysis_reads_the_first_attempts_of_every_placement(editor_client, quiz):
    response = editor_client.get(url(quiz, "analysis"))

    assert response.status_code == 200
    body = response.json()
    assert body["attempts"] == 3
    assert [item["position"] for item in body["items"]] == [1, 2, 3]
    first = body["items"][0]
    assert first["facility"] == pytest.approx(1 / 3)
    assert {"text", "share", "top_share", "bottom_share", "flag"} <= set(first["options"][0])
    assert body["items"][2]["kind"] == "short_answer"
    assert body["items"][2]["options"] == []  # options are for choice questions only


def test_all_attempts_and_one_placement_can_be_chosen(editor_client, quiz):
    everything = editor_client.get(url(quiz, "analysis", "attempts=all")).json()
    here = editor_client.get(url(quiz, "analysis", "attempts=all&placement=lti:1:link-1")).json()
    highest = editor_client.get(url(quiz, "analysis", "attempts=highest")).json()

    assert (everything["attempts"], here["attempts"]) == (4, 3)
    assert highest["items"][0]["facility"] == pytest.approx(2 / 3)


def test_a_bad_attempts_choice_or_placement_is_a_clear_error(editor_client, quiz):
    bad = editor_client.get(url(quiz, "analysis", "attempts=best"))
    missing = editor_client.get(url(quiz, "analysis", "placement=lti:9:nowhere"))

    assert bad.status_code == 400 and "attempts" in error_of(bad)["fields"]
    assert missing.status_code == 404
    assert error_of(missing)["message"] == "This quiz has no placement with that key."


def test_responses_come_as_json_rows_by_opaque_learner_key(staff_client, quiz):
    response = staff_client.get(url(quiz, "responses"))

    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 4 * 3  # four attempts of three questions
    assert {row["learner"] for row in rows} == {"1:ann", "1:bob", "1:cy"}
    assert any(row["answer"] == HOSTILE for row in rows)  # JSON is data, not a spreadsheet


def test_responses_as_csv_and_xlsx_are_formula_safe(staff_client, quiz):
    as_csv = staff_client.get(url(quiz, "responses", "format=csv"))
    as_xlsx = staff_client.get(url(quiz, "responses", "format=xlsx"))

    assert as_csv["Content-Disposition"].startswith('attachment; filename="responses-quiz-')
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert any(row["answer"] == "'" + HOSTILE for row in rows)
    sheet = load_workbook(io.BytesIO(as_xlsx.content))["responses"]
    answers = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'" + HOSTILE in answers


def test_an_unknown_format_is_a_400(staff_client, quiz):
    response = staff_client.get(url(quiz, "responses", "format=pdf"))

    assert response.status_code == 400
    assert "format" in error_of(response)["fields"]


def test_only_the_apis_users_may_read_them(quiz):
    anonymous = token_client(None).get(url(quiz, "responses"))
    learner = token_client(make_user("lee")).get(url(quiz, "analysis"))

    assert anonymous.status_code == 401
    assert learner.status_code == 403


def test_learners_answers_are_for_staff_and_not_for_question_bank_editors(
    editor_client, staff_client, quiz
):
    assert editor_client.get(url(quiz, "responses")).status_code == 403
    assert editor_client.get(url(quiz, "analysis")).status_code == 200
    assert staff_client.get(url(quiz, "responses")).status_code == 200


def test_the_queries_do_not_grow_with_the_class(staff_client, quiz):
    def count(what: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(url(quiz, what)).status_code == 200
        return len(captured)

    few = (count("analysis"), count("responses"))
    placement = make_placement(quiz, key="lti:1:link-1")
    for n in range(8):
        take(placement, f"1:more-{n}", right=n % 2 == 0)

    assert (count("analysis"), count("responses")) == few
