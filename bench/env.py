"""The servers a benchmark runs against: a throwaway database (SQLite file or a PostgreSQL
database of its own), a Redis key prefix of its own, the project under gunicorn, and the grade
worker. Everything it starts or creates is stopped and removed by `close()`, also after errors.

Only 127.0.0.1 is used. The developer's db.sqlite3 and Redis keys are never touched.
"""

import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import typing as t
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
HOST = "127.0.0.1"
BENCH_DATABASE = f"bench_lti_quiz_{os.getpid()}"
BENCH_KEY_PREFIX = f"lti-quiz-bench-{os.getpid()}"
STUDENT_EMAIL_DOMAIN = "bench.practice-lms.test"
API_EDITOR = "bench-editor"
# The API's write throttle (120/minute per user by default) would stop the bench's one editor
# after two seconds: a rate it never reaches. The throttle still runs (and costs) on each write.
API_WRITE_THROTTLE = "1000000/minute"
COMMAND_TIMEOUT = 300
KEEP_ALIVE_SECONDS = "30"
# How long gunicorn may take to answer its first GET /, and each try of it.
SERVER_START_TIMEOUT = float(os.environ.get("BENCH_START_TIMEOUT") or 60)
READINESS_REQUEST_TIMEOUT = 5


class BenchSetupError(Exception):
    """The environment could not be set up; the message says what to check."""


@dataclass(frozen=True)
class Backends:
    database_url: str
    database_label: str
    redis_url: str  # "" = database cache
    cache_label: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def ended_children_cpu_seconds() -> float:
    """CPU time of this process's children that ended and were waited for (manage.py commands,
    the spike's Locust run)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _stop(process: subprocess.Popen, grace: float = 10.0) -> None:
    """Stop a process started in its own session, with all its children (gunicorn workers)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)
    except ProcessLookupError:
        pass


class BenchEnvironment:
    """Use as a context manager; `start()` prepares the database and the web server."""

    def __init__(self, *, redis_db: int, conn_max_age: str | None = None) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="lti-quiz-bench-"))
        self.redis_db = redis_db
        self.conn_max_age = conn_max_age
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.server: subprocess.Popen | None = None
        self._server_pids: list[int] = []
        self.server_log = self.tmp / "gunicorn.log"
        self._postgres_admin_url = ""
        self._database_created = False
        try:
            self.backends = self._choose_backends()
        except BenchSetupError:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise

    def __enter__(self) -> "BenchEnvironment":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Backends ---------------------------------------------------------------------------------

    def _choose_backends(self) -> Backends:
        database_url = os.environ.get("DATABASE_URL", "")
        scheme = urlsplit(database_url).scheme
        if not database_url or scheme == "sqlite":
            # Never the developer's file: a fresh one in the temporary directory.
            database_url, database_label = f"sqlite:///{self.tmp / 'bench.sqlite3'}", "SQLite"
        elif scheme in ("postgres", "postgresql", "pgsql"):
            # Connect to the given database only to create and drop one of our own.
            self._postgres_admin_url = database_url
            database_url, database_label = (
                _with_path(database_url, f"/{BENCH_DATABASE}"),
                "PostgreSQL",
            )
        else:
            raise BenchSetupError(f"DATABASE_URL scheme {scheme!r}: only SQLite and PostgreSQL.")
        redis_url = os.environ.get("REDIS_URL", "")
        if not redis_url:
            return Backends(database_url, database_label, "", "database cache")
        if urlsplit(redis_url).scheme not in ("redis", "rediss"):
            raise BenchSetupError(
                "REDIS_URL must be redis://host:port/ (a database number is set)."
            )
        # A database number and a key prefix of our own: the developer's cache entries are
        # never read, overwritten or deleted.
        return Backends(
            database_url, database_label, _with_path(redis_url, f"/{self.redis_db}"), "Redis"
        )

    def _create_database(self) -> None:
        if not self._postgres_admin_url:
            return
        import psycopg

        try:
            with psycopg.connect(self._postgres_admin_url, autocommit=True) as connection:
                # Left over only if a bench with this process id was killed with SIGKILL.
                connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
                connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
        except psycopg.Error as error:
            raise BenchSetupError(f"Cannot create the PostgreSQL database: {error}") from error
        self._database_created = True

    def _drop_database(self) -> None:
        if not self._database_created:
            return
        import psycopg

        try:
            with psycopg.connect(self._postgres_admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
        except psycopg.Error as error:
            print(f"bench: could not drop database {BENCH_DATABASE}: {error}", file=sys.stderr)

    def _delete_cache_keys(self) -> None:
        if not self.backends.redis_url:
            return
        import redis

        client = redis.Redis.from_url(self.backends.redis_url)
        try:
            keys = list(client.scan_iter(match=f"{BENCH_KEY_PREFIX}:*", count=1000))
            if keys:
                client.delete(*keys)
        except redis.RedisError as error:
            print(
                f"bench: could not delete the {BENCH_KEY_PREFIX}:* keys: {error}", file=sys.stderr
            )
        finally:
            client.close()

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.backends.database_url,
            PRACTICE_LMS="1",
            DEBUG="0",
            SECRET_KEY=os.environ.get("SECRET_KEY") or "bench-only-secret-key-" + "x" * 30,
            ALLOWED_HOSTS=f"{HOST},localhost",
            CACHE_KEY_PREFIX=BENCH_KEY_PREFIX,
            API_WRITE_THROTTLE=API_WRITE_THROTTLE,
            PYTHONUNBUFFERED="1",
        )
        env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py and wsgi.py set the project's
        if self.backends.redis_url:
            env["REDIS_URL"] = self.backends.redis_url
        else:
            env.pop("REDIS_URL", None)
        if self.conn_max_age is not None:
            env["DB_CONN_MAX_AGE"] = self.conn_max_age
        return env

    # Commands and servers ---------------------------------------------------------------------

    def manage(self, *args: str, timeout: float = COMMAND_TIMEOUT) -> str:
        """Run a management command against the bench database; returns its stdout."""
        process = subprocess.Popen(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as error:
            _stop(process)
            raise BenchSetupError(f"manage.py {' '.join(args)} took over {timeout} s") from error
        except BaseException:
            # Ctrl-C: the child runs in its own session and did not get the signal.
            _stop(process)
            raise
        if process.returncode != 0:
            raise BenchSetupError(
                f"manage.py {' '.join(args)} failed ({process.returncode}):\n{stderr[-3000:]}"
            )
        return stdout

    def start(self, *, workers: int, threads: int) -> None:
        if not Path(GUNICORN).exists():
            raise BenchSetupError(f"{GUNICORN} not found: run `make install` first.")
        self._create_database()
        self.manage("migrate", "--noinput", "--verbosity", "0")
        self.manage("createcachetable")
        self.manage("load_content", "--verbosity", "0")
        self.manage("practice_lms", "setup", "--base-url", self.base_url)
        with open(self.server_log, "w") as log:
            self.server = subprocess.Popen(
                [
                    GUNICORN,
                    "lti_quiz.wsgi",
                    "--bind",
                    f"{HOST}:{self.port}",
                    "--workers",
                    str(workers),
                    "--threads",
                    str(threads),
                    # As `make serve` runs it (docs/operations.md): gunicorn's default of 2 s
                    # closed kept-alive connections that a starved worker had not polled in time,
                    # and clients sending their next request on them saw it dropped.
                    "--keep-alive",
                    KEEP_ALIVE_SECONDS,
                ],
                cwd=ROOT,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_serving()

    def _wait_until_serving(self) -> None:
        """Until GET / answers 200. On a loaded machine the first requests may time out or be
        refused while the workers import the project: any request error means "not yet"."""
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        last_problem = "no answer yet"
        while time.monotonic() < deadline:
            assert self.server is not None
            if self.server.poll() is not None:
                raise BenchSetupError(f"gunicorn exited:\n{self.server_log_tail()}")
            try:
                response = requests.get(f"{self.base_url}/", timeout=READINESS_REQUEST_TIMEOUT)
            except requests.RequestException as error:
                last_problem = f"{type(error).__name__}: {error}"
            else:
                if response.status_code == 200:
                    return
                last_problem = f"GET / answered HTTP {response.status_code}"
            time.sleep(0.2)
        raise BenchSetupError(
            f"gunicorn did not answer GET / with 200 within {SERVER_START_TIMEOUT:.0f} s "
            f"(last: {last_problem}). A slow or busy machine? Set BENCH_START_TIMEOUT=<seconds> "
            f"to wait longer. gunicorn's last lines:\n{self.server_log_tail()}"
        )

    def settings_in_force(self) -> dict[str, t.Any]:
        """What the servers run with, read from the project's settings in the servers'
        environment (the same module gunicorn loaded), not guessed from this process's."""
        code = """
import json
from django.conf import settings
database = settings.DATABASES["default"]
print(json.dumps({
    "db_conn_max_age": database["CONN_MAX_AGE"],
    "db_engine": database["ENGINE"].rsplit(".", 1)[-1],
    "cache_backend": settings.CACHES["default"]["BACKEND"],
    "debug": settings.DEBUG,
}))
"""
        return json.loads(self.manage("shell", "--no-imports", "-c", code).strip().splitlines()[-1])

    def server_log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.server_log.read_text().splitlines()[-lines:])
        except OSError:
            return ""

    def server_cpu_seconds(self) -> float | None:
        """CPU time used so far by gunicorn and its workers, None off Linux. Read from each
        thread's schedstat (nanoseconds; /proc/<pid>/stat counts in 10 ms ticks, too coarse for
        one request). The database and Redis servers are other processes: not counted."""
        if self.server is None or not Path(f"/proc/{self.server.pid}/task").exists():
            return None
        if self._server_pids:
            try:
                return self._threads_cpu_ns(self._server_pids) / 1e9
            except (OSError, ValueError, IndexError):
                pass  # a worker or a thread ended: look again
        self._server_pids = [self.server.pid, *self._children_of(self.server.pid)]
        return self._threads_cpu_ns(self._server_pids) / 1e9

    @staticmethod
    def _children_of(pid: int) -> list[int]:
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    children.append(int(stat.parent.name))
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile
        return children

    @staticmethod
    def _threads_cpu_ns(pids: list[int]) -> int:
        total = 0
        for pid in pids:
            for task in Path(f"/proc/{pid}/task").iterdir():
                total += int((task / "schedstat").read_text().split()[0])
        return total

    def add_students(self, count: int) -> list[int]:
        """Enrol `count` bench students in the practice course and return their pks: distinct
        learners, so no grade delivery supersedes another."""
        code = f"""
import json
from lti_quiz.practice_lms.models import Course, Person
course = Course.objects.order_by("id").first()
for n in range({count}):
    Person.objects.update_or_create(
        course=course, email=f"student{{n:04d}}@{STUDENT_EMAIL_DOMAIN}",
        defaults=dict(given_name="Bench", family_name=f"Student {{n}}",
                      name=f"Bench Student {{n}}", role=Person.Role.STUDENT, position=100 + n))
bench = Person.objects.filter(course=course, email__endswith="@{STUDENT_EMAIL_DOMAIN}")
print(json.dumps(list(bench.order_by("position").values_list("pk", flat=True))))
"""
        return json.loads(self.manage("shell", "--no-imports", "-c", code).strip().splitlines()[-1])

    def add_api_editor(self) -> str:
        """A user in the "question bank editor" group (not staff: what a script's account
        would be) and its DRF token; returns the token's key."""
        code = f"""
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from lti_quiz.api.permissions import EDITOR_GROUP
user, _ = User.objects.get_or_create(
    username="{API_EDITOR}", defaults=dict(email="{API_EDITOR}@{STUDENT_EMAIL_DOMAIN}"))
user.groups.add(Group.objects.get(name=EDITOR_GROUP))
print(Token.objects.get_or_create(user=user)[0].key)
"""
        return self.manage("shell", "--no-imports", "-c", code).strip().splitlines()[-1]

    def api_query_counts(self, *, token: str, read_bank: int, write_bank: int) -> dict[str, int]:
        """SQL queries per API request, counted in-process with Django's test client (same
        settings, same database; the cache's queries too when it is the database cache)."""
        code = f"""
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from bench.api import question_body
client = Client(HTTP_AUTHORIZATION="Token {token}", SERVER_NAME="{HOST}")
def count(method, url, status=200, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    return len(queries), response
counts = {{}}
for size in (10, 50, 100):
    counts[f"list_{{size}}"], _ = count("get", f"/api/v1/questions/?page_size={{size}}")
counts["create"], created = count(
    "post", "/api/v1/questions/", 201, content_type="application/json",
    data=question_body({write_bank}, 0, prefix="counted"))
question = created.json()["id"]
counts["retrieve"], _ = count("get", f"/api/v1/questions/{{question}}/")
counts["patch"], _ = count(
    "patch", f"/api/v1/questions/{{question}}/", content_type="application/json",
    data={{"text": "Counted: which statement holds?"}}, headers={{"If-Match": created["ETag"]}})
counts["export"], export = count("get", "/api/v1/banks/{read_bank}/export/?format=json")
counts["import"], _ = count(
    "post", "/api/v1/banks/{read_bank}/import/?format=json&dry_run=1",
    content_type="application/json", data=export.content)
print(json.dumps(counts))
"""
        return json.loads(self.manage("shell", "--no-imports", "-c", code).strip().splitlines()[-1])

    def run_worker(self, *, timeout: float) -> tuple[float, float]:
        """Run `db_worker --batch` until the queue is empty; returns its wall time and CPU time
        (user + system) in seconds."""
        args = ["db_worker", "--batch", "--no-startup-delay", "--no-reload", "--verbosity", "0"]
        cpu_before = ended_children_cpu_seconds()
        started = time.perf_counter()
        self.manage(*args, timeout=timeout)
        return time.perf_counter() - started, ended_children_cpu_seconds() - cpu_before

    def lms_state(self) -> dict:
        return requests.get(f"{self.base_url}/practice-lms/state.json", timeout=30).json()

    def lms_people_scored(self) -> int:
        """How many people have a score in the practice gradebook (one COUNT on its side)."""
        url = f"{self.base_url}/practice-lms/scored.json"
        return requests.get(url, timeout=30).json()["people_scored"]

    def close(self) -> None:
        if self.server is not None:
            _stop(self.server)
        self._drop_database()
        self._delete_cache_keys()
        shutil.rmtree(self.tmp, ignore_errors=True)
