"""The results CSV export: its columns, and cells a spreadsheet would run as formulas."""

import csv
import io

import pytest

from lti_quiz.activity.results import CSV_COLUMNS, csv_safe
from lti_quiz.grades.models import GradeDelivery
from lti_quiz.lti import nrps
from tests.factories.quiz import load_seed_content
from tests.factories.results import member, open_activity, roster_session, take_quiz
from tests.support.answer_key import SHORT_ANSWER_UNMATCHED

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = {
    "eq-sub": '=HYPERLINK("https://evil.example","click")',
    "plus-sub": "+1+2",
    "minus-sub": "-3+4",
    "at-sub": "@SUM(A1:A2)",
    "comma-sub": 'Smith, "Jo"',
}


@pytest.fixture
def exported(client, platform, monkeypatch) -> list[dict[str, str]]:
    load_seed_content()
    members = [member("student-sub-1", "Alice Student")] + [
        member(sub, name, email=f"{sub}@example.edu") for sub, name in HOSTILE_NAMES.items()
    ]
    session = roster_session(members)
    monkeypatch.setattr(nrps, "http_session", lambda: session)
    alice = open_activity(client, platform)
    take_quiz(client, alice, short_answer=SHORT_ANSWER_UNMATCHED)
    GradeDelivery.objects.update(state="failed", last_error="=cmd|' /C calc'!A0")
    instructor = open_activity(client, platform, role="instructor")

    response = client.get(instructor + "results/export.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="results-')
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_it_has_one_row_per_learner_with_the_documented_columns(exported):
    assert list(exported[0]) == CSV_COLUMNS
    assert len(exported) == 1 + len(HOSTILE_NAMES)


def test_a_learners_row_carries_score_review_and_delivery(exported):
    alice = next(row for row in exported if row["user_id"] == "student-sub-1")

    assert alice["name"] == "Alice Student"
    assert alice["in_roster"] == "yes"
    assert alice["attempts_submitted"] == "1"
    assert (alice["counted_score"], alice["max_score"]) == ("9", "10")
    assert alice["review_pending"] == "yes"
    assert alice["grade_delivery"] == "failed"
    assert alice["grade_delivery_error"] == "'=cmd|' /C calc'!A0"
    assert alice["last_submitted_at"].startswith("20")


def test_cells_that_start_like_a_formula_are_prefixed_with_a_quote(exported):
    names = {row["user_id"]: row["name"] for row in exported}

    assert names["eq-sub"] == "'" + HOSTILE_NAMES["eq-sub"]
    assert names["plus-sub"] == "'+1+2"
    assert names["minus-sub"] == "'-3+4"
    assert names["at-sub"] == "'@SUM(A1:A2)"


def test_commas_and_quotes_survive_the_round_trip(exported):
    assert next(r["name"] for r in exported if r["user_id"] == "comma-sub") == 'Smith, "Jo"'


def test_a_learner_without_attempts_has_empty_score_cells(exported):
    row = next(r for r in exported if r["user_id"] == "plus-sub")

    assert (row["attempts_submitted"], row["counted_score"], row["grade_delivery"]) == ("0", "", "")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1", "'=1"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=1", "a=1"), (None, ""), (7, "7")],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected
