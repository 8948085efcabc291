"""A tiny Moodle-like platform on 127.0.0.1 for tests that run real worker processes: its token
endpoint and one line item's score endpoint, answering scores the way Moodle does (409 for a
timestamp not in a later second); and `manage.py` run as a child process on the test database."""

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit

import jwt
from django.conf import settings
from django.db import connection

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
        # hold_scores: hold that many scores the same way, to see how many a worker sends at once.
        self.hold_scores = 0
        self.held_at_once = 0
        self.most_held_at_once = 0
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
                        hold = platform.hold_next_score or platform.hold_scores > 0
                        platform.hold_next_score = False
                        platform.hold_scores = max(platform.hold_scores - 1, 0)
                        if hold:
                            platform.held_at_once += 1
                            platform.most_held_at_once = max(
                                platform.most_held_at_once, platform.held_at_once
                            )
                    if hold:
                        platform.holding.set()
                        platform.release.wait(timeout=120)
                        with platform.lock:
                            platform.held_at_once -= 1
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
