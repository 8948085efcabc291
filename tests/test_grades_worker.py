"""Deliveries survive process restarts: a separate `manage.py db_worker` process, started the way
`make run` starts it, sends what the test process queued, over real HTTP to a tiny platform."""

import json
import os
import subprocess
import sys
import threading
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
from tests.grades_factories import delivery_create, registration_create, resource_link_create

SCORES_PATH = "/mod/lti/services.php/2/lineitems/5/lineitem/scores"


class FakePlatform:
    """Token endpoint and one line item's score endpoint on 127.0.0.1, recording what it gets."""

    def __init__(self, tool_public_key_pem: str) -> None:
        self.tool_public_key_pem = tool_public_key_pem
        self.scores: list[dict] = []
        self.token_requests = 0
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
                    platform.scores.append(
                        {
                            "content_type": self.headers["Content-Type"],
                            "authorization": self.headers["Authorization"],
                            "body": json.loads(raw),
                        }
                    )
                    self.answer(200, {})
                else:
                    self.answer(404, {"error": f"no such endpoint {self.path}"})

            def answer(self, status: int, body: dict) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def lineitem_url(self) -> str:
        return f"{self.base_url}{SCORES_PATH.removesuffix('/scores')}?type_id=3"


@pytest.fixture
def fake_platform():
    platform = FakePlatform(active_tool_key().public_key_pem)
    platform.thread.start()
    yield platform
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


def manage(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url(), "NO_PROXY": "127.0.0.1"}
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
