"""The learner's pages at their floor (docs/performance.md): the activity, quiz and result pages
at most 6 queries to the database, the final submit at most 12 in one transaction, whatever the
number of questions; the launch read from the shared cache once (the language middleware's read
is the guard's)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lti_quiz.activity import guards
from lti_quiz.lti import middleware
from lti_quiz.lti.context import launch_context_load
from lti_quiz.quiz.models import Attempt
from tests.factories.quiz import choice_question, load_seed_content, make_quiz
from tests.factories.results import open_activity

pytestmark = pytest.mark.django_db

CACHE_TABLE = "lti_quiz_cache"  # the database cache's table (CACHES in settings)
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT")


def queries_of(client, url: str) -> tuple[list[str], list[str]]:
    """(database queries, cache reads through the database cache) of one GET."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    sql = [query["sql"] for query in captured.captured_queries]
    return [q for q in sql if CACHE_TABLE not in q], [q for q in sql if CACHE_TABLE in q]


def test_the_quiz_page_of_an_attempt_in_progress_makes_at_most_four_queries(client, platform):
    """The placement, the overrides, the attempt and its drafts: the resource link is read only
    by pages that need it (the grade line, a submit's delivery)."""
    load_seed_content()
    home = open_activity(client, platform)
    client.get(home + "quiz/")  # starts the attempt

    database, _ = queries_of(client, home + "quiz/")

    assert len(database) <= 4, "\n".join(database)
    assert not any("lti_resourcelink" in q for q in database)
    assert not any("quiz_draftanswer" in q and "MAX(" in q for q in database)


def test_a_page_reads_its_launch_from_the_cache_once(client, platform, monkeypatch):
    load_seed_content()
    home = open_activity(client, platform)
    client.get(home + "quiz/")
    reads = []

    def counted(launch_id: str):
        reads.append(launch_id)
        return launch_context_load(launch_id)

    monkeypatch.setattr(guards, "launch_context_load", counted)
    monkeypatch.setattr(middleware, "launch_context_load", counted)
    assert client.get(home + "quiz/").status_code == 200

    assert len(reads) == 1


def test_the_submit_writes_everything_in_one_transaction(client, platform):
    """Every write of the submit (attempt, responses, drafts, grade delivery) sits inside one
    outermost atomic block: one commit in production (the test's own transaction makes it a
    savepoint here)."""
    load_seed_content()
    home = open_activity(client, platform)
    page = client.get(home + "quiz/").content.decode()
    attempt = re.search(r'name="attempt" value="(\d+)"', page)[1]
    with CaptureQueriesContext(connection) as queries:
        client.post(home + "quiz/", {"attempt": attempt})
    depth, blocks, writes_outside = 0, 0, 0
    for statement in (q["sql"] for q in queries.captured_queries):
        verb = statement.split()[0]
        if verb == "SAVEPOINT":
            blocks += depth == 0
            depth += 1
        elif verb == "RELEASE" or (verb == "ROLLBACK" and "SAVEPOINT" in statement):
            depth -= 1
        elif verb in ("INSERT", "UPDATE", "DELETE") and depth == 0 and CACHE_TABLE not in statement:
            writes_outside += 1
    assert blocks == 1
    assert writes_outside == 0


def submit_statements(client, platform, *, questions: int) -> list[str]:
    """The SQL a learner's final submit of a quiz of `questions` (one page, every question
    answered) makes, cache reads and transaction control left out."""
    home, data = quiz_started(client, platform, questions=questions)
    with CaptureQueriesContext(connection) as captured:
        assert client.post(home + "quiz/", data).status_code == 302
    sql = [query["sql"] for query in captured.captured_queries]
    return [q for q in sql if CACHE_TABLE not in q and not q.startswith(TRANSACTION_CONTROL)]


def quiz_started(client, platform, *, questions: int) -> tuple[str, dict]:
    """A learner's activity URL for a quiz of `questions`, the attempt started, and the form
    that answers every question on one page."""
    make_quiz(slug=f"q{questions}", questions=[choice_question(f"q{n}") for n in range(questions)])
    home = open_activity(
        client,
        platform,
        sub=f"learner-{questions}",
        custom={"quiz": f"q{questions}"},
        resource_link={"id": f"link-{questions}", "title": f"Quiz of {questions}"},
    )
    page = client.get(home + "quiz/")
    assert page.status_code == 200, page.content.decode()[:2000]
    attempt = Attempt.objects.get(learner_key__endswith=f"learner-{questions}")
    assert len(attempt.snapshot["questions"]) == questions
    data = {
        "attempt": attempt.pk,
        "shown": " ".join(q["slot"] for q in attempt.snapshot["questions"]),
    }
    for question in attempt.snapshot["questions"]:
        data[f"q-{question['slot']}"] = [question["choices"][0]["key"]]
    return home, data


def test_a_submit_makes_at_most_twelve_queries_whatever_the_number_of_questions(client, platform):
    load_seed_content()
    ten = submit_statements(client, platform, questions=10)
    thirty = submit_statements(client, platform, questions=30)

    assert len(ten) <= 12, "\n".join(ten)
    assert len(thirty) == len(ten), "\n".join(thirty)
    assert sum(q.startswith('INSERT INTO "quiz_response"') for q in thirty) == 1
    assert any("django_tasks_database_dbtaskresult" in q for q in ten)  # queued within
    assert sum("quiz_learneroverride" in q for q in ten) == 1  # the guard's read, used again


def test_the_activity_page_makes_at_most_six_queries_before_and_after_an_attempt(client, platform):
    load_seed_content()
    home = open_activity(client, platform)
    client.get(home)  # the first visit creates the placement

    before, _ = queries_of(client, home)
    page = client.get(home + "quiz/").content.decode()
    attempt = re.search(r'name="attempt" value="(\d+)"', page)[1]
    client.post(home + "quiz/", {"attempt": attempt})
    after, _ = queries_of(client, home)

    assert len(before) <= 6, "\n".join(before)
    assert len(after) <= 6, "\n".join(after)


def test_the_activity_and_result_pages_make_the_same_queries_for_10_questions_or_30(
    client, platform
):
    load_seed_content()
    counts = {}
    for questions in (10, 30):
        home, data = quiz_started(client, platform, questions=questions)
        client.post(home + "quiz/", data)
        activity_page, _ = queries_of(client, home)
        result_page, _ = queries_of(client, home + "attempts/1/")
        counts[questions] = (len(activity_page), len(result_page))
        assert len(activity_page) <= 6, "\n".join(activity_page)
        assert len(result_page) <= 6, "\n".join(result_page)

    assert counts[10] == counts[30]


def test_starting_an_attempt_reads_the_overrides_once_and_no_earlier_snapshot(client, platform):
    load_seed_content()
    home = open_activity(client, platform)
    client.get(home)

    database, _ = queries_of(client, home + "quiz/")  # starts the attempt

    assert sum("quiz_learneroverride" in q for q in database) == 1, "\n".join(database)
    counting = [q for q in database if q.startswith("SELECT") and 'FROM "quiz_attempt"' in q]
    assert not any('"quiz_attempt"."snapshot"' in q for q in counting[1:]), "\n".join(counting)
