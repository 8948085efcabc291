"""A big import never blocks launches: while a 4.7 MB GIFT file of 5,000 questions (the most
one import takes) is imported, LTI launches and health checks keep writing to the database.

Real threads on real connections to the SQLite file, so SQLite's one write lock is what is
tested. A waiting writer gives up after the connection's busy timeout ("database is locked",
a 500): with it at 5 s here, every launch succeeding means the import never held the lock
that long at a time, although it writes far longer than that in all.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from lti_quiz.quiz.models import QuestionBank
from tests.factories.api import import_url, token_client
from tests.factories.formats import gift_file
from tests.support.lti_platform import launch_id_of

pytestmark = pytest.mark.django_db(transaction=True)

QUESTIONS = 5000
BUSY_TIMEOUT = 5


def test_launches_and_health_checks_succeed_while_a_5_mb_import_runs(
    platform, erin, physics, monkeypatch
):
    text = gift_file(QUESTIONS)
    assert len(text.encode()) > 4.5 * 2**20
    if connection.vendor == "sqlite":
        # Read when each thread opens its connection.
        monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", BUSY_TIMEOUT)
    importing = threading.Event()
    imported: list = []
    launches: list[tuple[int, int, bool]] = []
    errors: list[BaseException] = []

    def run_import() -> None:
        try:
            importing.set()
            imported.append(
                token_client(erin).post(
                    import_url(physics, format="gift"), text, content_type="text/plain"
                )
            )
        except BaseException as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    def launch_meanwhile() -> None:
        browser = Client()
        try:
            importing.wait()
            while importer.is_alive():
                launch = platform.launch(browser)
                health = browser.get("/health/")
                launches.append((launch.status_code, health.status_code, importer.is_alive()))
                if launch.status_code == 303:
                    launch_id_of(launch)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    importer = threading.Thread(target=run_import)
    launcher = threading.Thread(target=launch_meanwhile)
    importer.start()
    launcher.start()
    importer.join()
    launcher.join()

    assert errors == []
    assert imported[0].status_code == 200, imported[0].content[:500]
    assert imported[0].json()["totals"]["created"] == QUESTIONS
    assert QuestionBank.objects.get(pk=physics.pk).questions.count() == QUESTIONS
    during = [(launch, health) for launch, health, running in launches if running]
    assert len(during) >= 3, launches
    assert set(during) == {(303, 200)}, launches
