"""How an import uses the database: a dry run only reads, a real import writes in short
batches of bulk statements, and the queries do not grow with the questions."""

import json
import logging

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from lti_quiz.api.formats import bank_import, importing
from lti_quiz.quiz.bank import question_create, question_update, questions_write
from lti_quiz.quiz.models import Question, QuestionVersion
from tests.factories.formats import empty_bank, json_file

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT", "BEGIN")


def statements(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"].lstrip().upper() for query in queries.captured_queries]


def savepoints(queries: CaptureQueriesContext) -> int:
    """Transactions opened (the test runs inside one, so each atomic block is a savepoint)."""
    return sum(sql.startswith("SAVEPOINT") for sql in statements(queries))


def import_counting(bank, text, *, dry_run=False, user=None):
    with CaptureQueriesContext(connection) as queries:
        report = bank_import(bank=bank, text=text, fmt="json", dry_run=dry_run, user=user)
    assert report.error is None, report.error
    return report, queries


class TestDryRun:
    def test_it_only_reads_new_changed_and_unchanged_questions_alike(self):
        bank = empty_bank()
        bank_import(bank=bank, text=json_file(6), fmt="json", dry_run=False)
        text = json.loads(json_file(9))
        for question in text["questions"][:3]:
            question["text"] += " (edited)"

        report, queries = import_counting(bank, json.dumps(text), dry_run=True)

        assert report.totals == {**report.totals, "created": 3, "updated": 3, "unchanged": 3}
        assert statements(queries) and all(sql.startswith("SELECT") for sql in statements(queries))
        assert not [sql for sql in statements(queries) if sql.startswith(WRITES)]


class TestBatches:
    def test_a_real_import_writes_each_batch_in_a_transaction_of_its_own(self, monkeypatch):
        monkeypatch.setattr(importing, "BATCH", 10)
        bank = empty_bank()

        report, queries = import_counting(bank, json_file(25))

        assert report.totals["created"] == 25 == bank.questions.count()
        assert savepoints(queries) == 3

    def test_only_what_changed_is_written(self, monkeypatch):
        monkeypatch.setattr(importing, "BATCH", 10)
        bank = empty_bank()
        bank_import(bank=bank, text=json_file(25), fmt="json", dry_run=False)
        text = json.loads(json_file(25))
        text["questions"][24]["text"] = "Changed."

        report, queries = import_counting(bank, json.dumps(text))

        assert report.totals["updated"] == 1 and report.totals["unchanged"] == 24
        assert savepoints(queries) == 1

    def test_the_queries_do_not_grow_with_the_questions(self):
        # Django sends up to 999 parameters in one SQLite statement, one per column of each row
        # (some 50 questions): within that, 10 and 45 questions take the very same statements.
        counts = {}
        for count in (10, 45):
            bank = empty_bank(f"size-{count}")
            _, created = import_counting(bank, json_file(count))
            _, updated = import_counting(
                bank, json_file(count, text="Changed {n}?", choices=2, explanation="Why.")
            )
            _, unchanged = import_counting(bank, json_file(count, text="Changed {n}?"))
            counts[count] = (len(created), len(updated), len(unchanged))

        assert counts[10] == counts[45]

    def test_a_thousand_questions_take_fewer_than_a_hundred_queries(self):
        bank = empty_bank()

        _, created = import_counting(bank, json_file(1000, choices=4))
        _, updated = import_counting(bank, json_file(1000, text="Changed {n}?", choices=3))

        assert len(created) < 100 and len(updated) < 100
        assert bank.questions.filter(version=2).count() == 1000


class TestWrites:
    def test_an_update_keeps_choice_ids_and_writes_a_version_by_its_importer(self, erin):
        bank = empty_bank()
        bank_import(bank=bank, text=json_file(2, choices=3), fmt="json", dry_run=False)
        first, second = bank.questions.order_by("key")
        ids = {q.key: [c.pk for c in q.choices.all()] for q in (first, second)}
        text = json.loads(json_file(2, choices=3))
        text["questions"][0]["choices"] = text["questions"][0]["choices"][:2]
        text["questions"][0]["choices"][1]["feedback"] = "New feedback."
        text["questions"][1]["choices"].append({"text": "Choice 3", "is_correct": False})
        text["questions"][1]["tags"] = ["added"]

        report = bank_import(bank=bank, text=json.dumps(text), fmt="json", dry_run=False, user=erin)

        assert [q.action for q in report.questions] == ["updated", "updated"]
        first, second = bank.questions.order_by("key")
        assert [c.pk for c in first.choices.all()] == ids["q0000"][:2]
        assert first.choices.get(position=1).feedback == "New feedback."
        assert [c.pk for c in second.choices.all()][:3] == ids["q0001"]
        assert second.choices.count() == 4 and second.tags == ["added"]
        assert (first.version, second.version) == (2, 2)
        version = second.versions.get(number=2)
        assert version.changed_fields == ["tags", "choices"] and version.changed_by == erin
        assert version.content["choices"][3]["text"] == "Choice 3"

    def test_a_new_question_gets_its_first_version(self, erin):
        bank = empty_bank()

        bank_import(bank=bank, text=json_file(1), fmt="json", dry_run=False, user=erin)

        version = QuestionVersion.objects.get(question__bank=bank)
        assert (version.number, version.changed_by) == (1, erin)
        assert version.content["text"] == "Question 0?" and "choices" in version.changed_fields


class TestConcurrentChanges:
    def test_a_question_edited_after_it_was_read_is_updated_on_top_of_that_edit(self, monkeypatch):
        bank = empty_bank()
        bank_import(bank=bank, text=json_file(3), fmt="json", dry_run=False)

        def edit_meanwhile(**kwargs):
            question = Question.objects.get(bank=bank, key="q0000")
            question_update(question=question, data={"explanation": "Edited meanwhile."})
            monkeypatch.setattr(importing, "questions_write", questions_write)
            return questions_write(**kwargs)

        monkeypatch.setattr(importing, "questions_write", edit_meanwhile)
        text = json.dumps(
            {"questions": [{"key": f"q000{n}", "text": f"New {n}?"} for n in range(3)]}
        )

        report = bank_import(bank=bank, text=text, fmt="json", dry_run=False)

        assert [q.action for q in report.questions] == ["updated"] * 3
        edited = bank.questions.get(key="q0000")
        assert (edited.text, edited.explanation, edited.version) == (
            "New 0?",
            "Edited meanwhile.",
            3,
        )
        assert bank.questions.get(key="q0002").version == 2

    def test_a_key_created_after_it_was_read_becomes_an_update(self, monkeypatch):
        bank = empty_bank()

        def create_meanwhile(**kwargs):
            question_create(
                bank=bank, data=json.loads(json_file(2, text="Made {n}?"))["questions"][1]
            )
            monkeypatch.setattr(importing, "questions_write", questions_write)
            return questions_write(**kwargs)

        monkeypatch.setattr(importing, "questions_write", create_meanwhile)

        report = bank_import(bank=bank, text=json_file(3), fmt="json", dry_run=False)

        assert [q.action for q in report.questions] == ["created", "updated", "created"]
        assert bank.questions.get(key="q0001").text == "Question 1?"

    def test_a_batch_the_database_refuses_is_reported_and_the_others_are_kept(
        self, monkeypatch, caplog
    ):
        monkeypatch.setattr(importing, "BATCH", 2)
        calls = []

        def fail_the_second(**kwargs):
            calls.append(kwargs)
            if len(calls) == 2:
                raise DatabaseError("disk I/O error")
            return questions_write(**kwargs)

        monkeypatch.setattr(importing, "questions_write", fail_the_second)
        bank = empty_bank()

        report = bank_import(bank=bank, text=json_file(5), fmt="json", dry_run=False)

        actions = [q.action for q in report.questions]
        assert actions == ["created", "created", "invalid", "invalid", "created"]
        assert report.questions[2].errors == {"question": ["The question could not be saved."]}
        assert sorted(bank.questions.values_list("key", flat=True)) == ["q0000", "q0001", "q0004"]
        assert any(r.levelno == logging.ERROR for r in caplog.records)
