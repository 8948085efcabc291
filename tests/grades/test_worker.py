"""Deliveries survive process restarts: a separate `manage.py db_worker` process, started the way
`make run` starts it, sends what the test process queued, over real HTTP to a tiny platform that
answers scores the way Moodle does (409 for a timestamp not in a later second)."""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit

import jwt
import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.lti.keys import active_tool_key
from tests.factories.grades import delivery_create, registration_create, resource_link_create

SCORES_PATH = "/mod/lti/services.php/2/lineitems/5/lineitem/scores"


class FakePlatform:
    """Token endpoint and one line item's score endpoint on 127.0.0.1, recording what it gets."""

    def __init__(self, tool_public_key_pem: str) -> None:
        self.tool_public_key_pem = tool_public_key_pem
        self.scores: list[dict] = []  # the scores kept (refused ones are not)
        self.score_posts = 0
        self.token_requests = 0
        # hold_next_score: keep the next score (as Moodle has saved it) but answer only when
        # `release` is set, like a platform slow to finish its request.
        self.hold_next_score = False
        self.holding = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length).decode()
                url = urlsplit(self.path)
                if url.path == "/token":
                    platform.token_requests += 1
                    assertion = parse_qs(raw)["client_assertion"][0]
                    # Only a correctly signed assertion addressed to this URL gets a token.
                    jwt.decode(
                        assertion,
                        platform.tool_public_key_pem,
                        algorithms=["RS256"],
                        audience=f"{platform.base_url}/token",
                    )
                    self.answer(200, {"access_token": "worker-token", "expires_in": 3600})
                elif url.path == SCORES_PATH and url.query == "type_id=3":
                    body = json.loads(raw)
                    with platform.lock:
                        platform.score_posts += 1
                        if platform.holds_a_newer_score(body):
                            self.answer(409, {"error": "Refusing score with an earlier timestamp"})
                            return
                        platform.scores.append(
                            {
                                "content_type": self.headers["Content-Type"],
                                "authorization": self.headers["Authorization"],
                                "body": body,
                            }
                        )
                        hold, platform.hold_next_score = platform.hold_next_score, False
                    if hold:
                        platform.holding.set()
                        platform.release.wait(timeout=120)
                    self.answer(200, {})
                else:
                    self.answer(404, {"error": f"no such endpoint {self.path}"})

            def answer(self, status: int, body: dict) -> None:
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the worker that asked was killed while we held the request

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def holds_a_newer_score(self, body: dict) -> bool:
        """Moodle's rule: it keeps a Unix time, and refuses a score not in a later second."""

        def second(score: dict) -> int:
            return int(dt.datetime.fromisoformat(score["timestamp"]).timestamp())

        return any(
            kept["body"]["userId"] == body["userId"] and second(kept["body"]) >= second(body)
            for kept in self.scores
        )

    @property
    def lineitem_url(self) -> str:
        return f"{self.base_url}{SCORES_PATH.removesuffix('/scores')}?type_id=3"


@pytest.fixture
def fake_platform():
    platform = FakePlatform(active_tool_key().public_key_pem)
    platform.thread.start()
    yield platform
    platform.release.set()
    platform.server.shutdown()
    platform.server.server_close()


@pytest.fixture
def moodle_link(fake_platform):
    registration = registration_create(
        issuer="https://moodle.example.edu", auth_token_url=f"{fake_platform.base_url}/token"
    )
    return resource_link_create(
        registration, lineitem_url=fake_platform.lineitem_url, lineitems_url=""
    )


def database_url() -> str:
    """The test database, as DATABASE_URL for a child process (SQLite file or PostgreSQL)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{host}/{db['NAME']}"


def manage_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url(), "NO_PROXY": "127.0.0.1", **extra}


def manage(*args: str) -> subprocess.CompletedProcess:
    env = manage_env()
    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def run_worker() -> None:
    manage("db_worker", "--batch", "--no-startup-delay", "--no-reload")


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_sends_the_delivery_queued_with_the_attempt(fake_platform, moodle_link):
    with transaction.atomic():  # the submit transaction
        delivery = delivery_create(moodle_link)

    run_worker()

    delivery.refresh_from_db()
    assert delivery.state == GradeDelivery.State.SENT
    (score,) = fake_platform.scores
    assert score["content_type"] == "application/vnd.ims.lis.v1.score+json"
    assert score["authorization"] == "Bearer worker-token"
    assert score["body"]["userId"] == "alice-sub"
    assert score["body"]["scoreGiven"] == 8
    assert score["body"]["gradingProgress"] == "FullyGraded"


@pytest.mark.django_db(transaction=True)
def test_a_delivery_survives_a_worker_killed_mid_send(fake_platform, moodle_link):
    with transaction.atomic():
        delivery = delivery_create(moodle_link)
    # What kill -9 during the POST leaves behind: the task RUNNING for ever, the row claimed
    # by a lease that has since expired.
    (task,) = DBTaskResult.objects.all()
    task.claim("killed-worker")
    GradeDelivery.objects.filter(pk=delivery.pk).update(
        attempts=1, sending_until=timezone.now() - timezone.timedelta(seconds=1)
    )

    run_worker()  # a restarted worker alone finds nothing to run
    delivery.refresh_from_db()
    assert delivery.state == GradeDelivery.State.PENDING
    assert fake_platform.scores == []

    manage("grades_resume")
    run_worker()

    delivery.refresh_from_db()
    assert delivery.state == GradeDelivery.State.SENT
    assert delivery.attempts == 2
    assert len(fake_platform.scores) == 1
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.RUNNING


def start_worker() -> subprocess.Popen:
    """A long-running worker, as `make run` starts one; short timeouts keep the test short:
    a 2 s HTTP_TIMEOUT makes the lease 8 s, and the sweep looks every second."""
    return subprocess.Popen(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--no-reload"],
        cwd=settings.BASE_DIR,
        env=manage_env(HTTP_TIMEOUT="2", GRADES_SWEEP_SECONDS="1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_state(delivery: GradeDelivery, state: str, *, seconds: float) -> GradeDelivery:
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        delivery.refresh_from_db()
        if delivery.state == state:
            return delivery
        time.sleep(0.2)
    raise AssertionError(f"delivery #{delivery.pk} still {delivery.state} after {seconds} s")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_is_healed_by_the_next_worker_alone(fake_platform, moodle_link):
    fake_platform.hold_next_score = True
    with transaction.atomic():
        delivery = delivery_create(moodle_link)
    first = start_worker()
    try:
        assert fake_platform.holding.wait(timeout=60), "the worker never sent the score"
        first.send_signal(signal.SIGKILL)  # while the platform holds the request open
        first.wait(timeout=30)
    finally:
        first.kill()
    delivery.refresh_from_db()
    assert delivery.state == GradeDelivery.State.PENDING
    assert delivery.sending_until is not None  # the dead worker's claim

    second = start_worker()  # nobody runs grades_resume: the worker heals it by itself
    try:
        delivery = wait_for_state(delivery, GradeDelivery.State.SENT, seconds=60)
    finally:
        second.terminate()
        _, errors = second.communicate(timeout=30)

    # The platform had kept the first send; the second was refused as a duplicate (409),
    # which on a retry means "already there": the gradebook got the grade exactly once.
    assert len(fake_platform.scores) == 1
    assert fake_platform.score_posts == 2
    assert delivery.attempts == 2
    assert delivery.last_error.startswith("Counted as sent")
    assert "Queued 1 stranded grade deliveries again" in errors


def test_db_worker_is_the_grades_apps_command_with_the_sweep():
    # Every way of starting a worker runs the sweep only if `db_worker` resolves to ours.
    from django.core.management import get_commands

    assert get_commands()["db_worker"] == "lti_quiz.grades"
