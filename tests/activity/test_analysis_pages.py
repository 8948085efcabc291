"""The instructor's item analysis page and its exports, over launches of the test platform."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from lti_quiz.quiz.models import Attempt
from tests.factories.quiz import load_seed_content
from tests.factories.results import open_activity, take_quiz
from tests.support.answer_key import SHORT_ANSWER_CORRECT

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("https://evil.example","click")'


def learners(client, platform, count: int, *, start: int = 0, link: str = "link-1") -> None:
    """`count` learners submit once: every other one answers the choice questions wrong."""
    for n in range(start, start + count):
        home = open_activity(
            client, platform, sub=f"learner-{n}", resource_link={"id": link, "title": link}
        )
        take_quiz(
            client, home, short_answer=HOSTILE if n == 0 else SHORT_ANSWER_CORRECT, right=n % 2 == 0
        )


@pytest.fixture
def instructor(client, platform) -> str:
    load_seed_content()
    learners(client, platform, 4)
    return open_activity(client, platform, role="instructor")


def test_the_results_page_links_to_the_analysis(client, instructor):
    page = client.get(instructor + "results/").content.decode()

    assert 'id="analysis-link"' in page
    assert "results/analysis/" in page


def test_the_page_shows_the_quiz_figures_the_charts_and_their_tables(client, instructor):
    response = client.get(instructor + "results/analysis/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "4 attempts analysed" in page
    assert 'data-testid="figures"' in page
    assert "Reliability (" in page
    for chart in ("distribution", "facility", "discrimination"):
        assert f'data-testid="{chart}"' in page
    assert 'id="items-table"' in page and 'id="distribution-table"' in page
    # Two learners chose a wrong option on every choice question, two the right one.
    assert "50%" in page


def test_a_learner_cannot_open_the_analysis(client, platform, instructor):
    student = open_activity(client, platform, sub="learner-0")

    response = client.get(student + "results/analysis/")

    assert response.status_code == 403


@pytest.mark.parametrize(
    "query", ["attempts=best", "scope=everywhere", "format=pdf", "format=xlsx&attempts=x"]
)
def test_a_bad_choice_is_a_400_with_a_sentence(client, instructor, query):
    url = instructor + "results/analysis/"
    if query.startswith("format"):
        url += "export/responses/"

    response = client.get(f"{url}?{query}")

    assert response.status_code == 400
    assert "Choose" in response.content.decode()


def test_an_unknown_export_is_a_400(client, instructor):
    response = client.get(instructor + "results/analysis/export/grades/?format=csv")

    assert response.status_code == 400


def test_the_course_scope_takes_in_the_quiz_placed_on_another_link(client, platform, instructor):
    learners(client, platform, 2, start=10, link="link-2")

    here = client.get(instructor + "results/analysis/?attempts=all&scope=placement")
    course = client.get(instructor + "results/analysis/?attempts=all&scope=course")

    assert "4 attempts analysed" in here.content.decode()
    assert "6 attempts analysed" in course.content.decode()
    assert "2 placements" in course.content.decode()


def export(client, instructor: str, what: str, fmt: str = "csv"):
    response = client.get(f"{instructor}results/analysis/export/{what}/?format={fmt}")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith(f'attachment; filename="{what}-')
    return response


def read_csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_responses_export_has_a_row_per_learner_and_question_formula_safe(client, instructor):
    rows = read_csv(export(client, instructor, "responses"))
    asked = sum(len(a.snapshot["questions"]) for a in Attempt.objects.filter(status="submitted"))

    assert len(rows) == asked
    assert {row["learner"] for row in rows} == {f"learner-{n}" for n in range(4)}
    hostile = next(row for row in rows if row["answer"].startswith("'="))
    assert hostile["answer"] == "'" + HOSTILE
    assert all(row["answered_at"].startswith("20") for row in rows)


def test_the_attempts_export_says_duration_and_which_attempt_counts(client, instructor):
    rows = read_csv(export(client, instructor, "attempts"))

    assert len(rows) == 4
    assert all(row["counted"] == "yes" for row in rows)
    assert all(int(row["duration_seconds"]) >= 0 for row in rows)
    assert all(row["status"] == "submitted" for row in rows)


def test_the_xlsx_exports_keep_formulas_as_text(client, instructor):
    response = export(client, instructor, "responses", "xlsx")
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for row in book["responses"].iter_rows() for cell in row]

    hostile = [cell for cell in cells if str(cell.value).startswith("'=")]
    assert hostile and all(cell.data_type == "s" for cell in hostile)
    assert not any(cell.data_type == "f" for cell in cells)


def test_the_analysis_export_has_the_items_and_the_quiz_sheets(client, instructor):
    rows = read_csv(export(client, instructor, "analysis"))
    book = load_workbook(io.BytesIO(export(client, instructor, "analysis", "xlsx").content))

    assert rows and {"facility", "discrimination", "flag"} <= set(rows[0])
    assert book.sheetnames == ["items", "quiz"]
    assert book["quiz"]["A2"].value == 4


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_and_the_exports_take_as_many_queries_for_two_or_eight_learners(client, platform):
    load_seed_content()
    learners(client, platform, 2)
    instructor = open_activity(client, platform, role="instructor")
    urls = [
        instructor + "results/analysis/?scope=course",
        *(
            instructor + f"results/analysis/export/{w}/?format=xlsx"
            for w in ("responses", "attempts", "analysis")
        ),
    ]
    few = [queries(client, url) for url in urls]
    learners(client, platform, 6, start=2)
    instructor = open_activity(client, platform, role="instructor")
    urls = [
        url.replace(
            url.split("/activity/")[1].split("/")[0],
            instructor.split("/activity/")[1].split("/")[0],
        )
        for url in urls
    ]

    assert [queries(client, url) for url in urls] == few


def test_before_any_submission_the_page_says_so_and_draws_nothing(client, platform):
    load_seed_content()
    instructor = open_activity(client, platform, role="instructor")

    page = client.get(instructor + "results/analysis/").content.decode()

    assert 'id="nothing"' in page
    assert "<svg" not in page


def test_the_page_speaks_the_launchs_language(client, platform, instructor):
    spanish = open_activity(
        client, platform, role="instructor", launch_presentation={"locale": "es"}
    )

    page = client.get(spanish + "results/analysis/").content.decode()

    assert "Análisis de preguntas" in page
    assert "Fiabilidad (" in page
