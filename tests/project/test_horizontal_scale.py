"""Horizontal scale, shown: two web processes and two grade workers on one database and one
shared cache, as a deployment behind a load balancer runs them (docs/operations.md).

Runs in both of .ci/run's passes: on PostgreSQL + Redis, and in plain `make test` on the
SQLite file and the database cache (the same code paths: every process shares the database
and the cache). Marked `scale` to run alone: `pytest -m scale`.
"""

import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest
import requests
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.practice_lms.models import Person
from tests.factories.grades import delivery_create
from tests.support.browserless import forms_in
from tests.support.moodle_scores import manage_env

pytestmark = [pytest.mark.scale, pytest.mark.django_db(transaction=True)]

HOST = "127.0.0.1"
START_SECONDS = 90
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _env(**extra: str) -> dict[str, str]:
    # A short HTTP timeout makes the lease 8 s; the sweep looks every second.
    return manage_env(
        DEBUG="0",
        PRACTICE_LMS="1",
        ALLOWED_HOSTS=HOST,
        HTTP_TIMEOUT="2",
        GRADES_SWEEP_SECONDS="1",
        LOG_FORMAT="plain",
        **extra,
    )


class WebProcess:
    def __init__(self) -> None:
        self.url = f"http://{HOST}:{_free_port()}"
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "lti_quiz.wsgi",
                "--bind",
                urlsplit(self.url).netloc,
                "--workers",
                "1",
                "--threads",
                "2",
            ],
            cwd=settings.BASE_DIR,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def wait_until_serving(self) -> None:
        give_up = time.monotonic() + START_SECONDS
        while time.monotonic() < give_up:
            assert self.process.poll() is None, "gunicorn exited"
            try:
                if requests.get(f"{self.url}/health/", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.url} did not answer within {START_SECONDS} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Worker:
    """A long-running `manage.py db_worker`; its django-tasks worker id read from its log."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--no-reload"],
            cwd=settings.BASE_DIR,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.worker_id = ""
        give_up = time.monotonic() + START_SECONDS
        assert self.process.stderr is not None
        while not self.worker_id and time.monotonic() < give_up:
            line = self.process.stderr.readline()
            if not line:
                raise AssertionError("the worker exited before starting")
            found = re.search(r"Starting worker worker_id=(\S+)", line)
            if found:
                self.worker_id = found.group(1).split("-")[0]  # its threads add "-<n>"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


@pytest.fixture
def two_web_processes():
    call_command("load_content", verbosity=0)
    first, second = WebProcess(), WebProcess()
    try:
        call_command("practice_lms", "setup", "--base-url", first.url, verbosity=0)
        first.wait_until_serving()
        second.wait_until_serving()
        yield first, second
    finally:
        first.stop()
        second.stop()


def _on(url: str, web: WebProcess) -> str:
    """The same URL on another web process (what a load balancer may do)."""
    parts = urlsplit(url)
    return urlunsplit((*urlsplit(web.url)[:2], parts.path, parts.query, parts.fragment))


def test_a_launch_started_on_one_web_process_completes_on_the_other_and_its_nonce_is_spent_on_both(
    two_web_processes,
):
    first, second = two_web_processes
    student = Person.objects.filter(role=Person.Role.STUDENT).order_by("pk").first()
    browser = requests.Session()

    page = browser.get(
        f"{first.url}/practice-lms/launch/{student.pk}/?mode=window", allow_redirects=False
    )
    login = urljoin(page.url, page.headers["Location"])
    assert urlsplit(login).netloc == urlsplit(first.url).netloc
    page = browser.get(login, allow_redirects=False)  # OIDC login on the first process
    assert page.status_code == 302
    page = browser.get(urljoin(page.url, page.headers["Location"]), allow_redirects=False)
    [form] = forms_in(page.text)
    launch_url = urljoin(page.url, form.action)

    on_second = browser.post(_on(launch_url, second), data=form.fields, allow_redirects=False)
    assert on_second.status_code == 303  # completed on the second process
    activity = browser.get(urljoin(on_second.url, on_second.headers["Location"]))
    assert activity.status_code == 200

    replayed = browser.post(_on(launch_url, first), data=form.fields, allow_redirects=False)
    assert replayed.status_code == 403  # the nonce spent on the second is spent on the first


def _running_worker_id() -> str:
    give_up = time.monotonic() + START_SECONDS
    while time.monotonic() < give_up:
        running = DBTaskResult.objects.running().exclude(worker_ids=[]).first()
        if running is not None:
            return running.worker_ids[-1]
        time.sleep(0.1)
    raise AssertionError("no task running")


def test_two_workers_send_each_delivery_once_and_one_killed_mid_send_loses_nothing(
    fake_platform,
    moodle_link,
):
    workers = [Worker(), Worker()]
    try:
        with transaction.atomic():
            deliveries = [delivery_create(moodle_link, user_sub=f"learner-{n}") for n in range(8)]
        _wait_sent(deliveries)
        # Each delivery sent by exactly one worker: one POST each, nothing twice.
        assert fake_platform.score_posts == len(deliveries)
        assert sorted(s["body"]["userId"] for s in fake_platform.scores) == sorted(
            d.user_sub for d in deliveries
        )

        fake_platform.hold_next_score = True
        with transaction.atomic():
            held = delivery_create(moodle_link, user_sub="held-learner")
        assert fake_platform.holding.wait(timeout=START_SECONDS), "no worker sent the score"
        sending = _running_worker_id()
        # A worker's threads claim as `<its id>-<n>` (db_worker --threads).
        [killed] = [w for w in workers if sending.split("-")[0] == w.worker_id]
        killed.process.send_signal(signal.SIGKILL)  # while the platform holds the request open
        killed.process.wait(timeout=30)

        _wait_sent([held])  # the other worker takes it over when the dead one's lease ends
    finally:
        for worker in workers:
            worker.stop()

    held_scores = [s for s in fake_platform.scores if s["body"]["userId"] == "held-learner"]
    assert len(held_scores) == 1  # the platform kept it once (the resend was its duplicate)
    assert len(fake_platform.scores) == len(deliveries) + 1


def _wait_sent(deliveries: list[GradeDelivery]) -> None:
    give_up = time.monotonic() + START_SECONDS
    pks = [d.pk for d in deliveries]
    while time.monotonic() < give_up:
        states = set(GradeDelivery.objects.filter(pk__in=pks).values_list("state", flat=True))
        if states == {GradeDelivery.State.SENT}:
            return
        time.sleep(0.2)
    raise AssertionError(f"deliveries still {states}")
