"""The big-import benchmark: a GIFT file of thousands of questions (5,000 in the full run: the
most one import takes by default, 4.7 MB) POSTed to /api/v1/banks/{id}/import/ as a dry run,
as new questions, and again with every question changed. It reports milliseconds and SQL
queries per question, and how /health/ (which writes to the cache, the database on SQLite)
fares while the real imports run: an import that held the write lock would make it wait or
fail ("database is locked").

Each repeat imports into a bank of its own; the queries are counted once, in-process with
Django's test client against the same database (like `BenchEnvironment.api_query_counts`).
"""

import json
import statistics
import threading
import time
from typing import Any

import requests

from bench import api
from bench.client import StepFailed, _expect
from bench.env import HOST, BenchEnvironment
from bench.report import p95

KINDS = ("dry_run", "created", "updated")
HEALTH_EVERY = 0.05  # seconds between two /health/ requests during the real imports
IMPORT_TIMEOUT = 600


# In every question's text (`tests.factories.formats.gift_file`), nowhere else.
WORDS, NEW_WORDS = "which statement about", "which claim about"


def changed(text: str) -> str:
    """The same file with every question's text changed: re-imported, each is "updated"."""
    return text.replace(WORDS, NEW_WORDS)


def make_file(env: BenchEnvironment, count: int) -> str:
    path = env.tmp / f"import-{count}-gift.txt"
    code = f"""
from tests.factories.formats import gift_file
open({str(path)!r}, "w", encoding="utf-8").write(gift_file({count}))
"""
    env.manage("shell", "--no-imports", "-c", code)
    return path.read_text(encoding="utf-8")


class HealthProbe:
    """GET /health/ every HEALTH_EVERY seconds in a thread, until the `with` block ends."""

    def __init__(self, base_url: str) -> None:
        self.url = f"{base_url}/health/"
        self.latencies: list[float] = []
        self.failed = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "HealthProbe":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        session = requests.Session()
        while not self._stop.is_set():
            started = time.perf_counter()
            try:
                ok = session.get(self.url, timeout=api.TIMEOUT).status_code == 200
            except requests.RequestException:
                ok = False
            self.latencies.append(time.perf_counter() - started)
            self.failed += not ok
            self._stop.wait(HEALTH_EVERY)


def _post(session: requests.Session, url: str, data: bytes, action: str, count: int) -> float:
    started = time.perf_counter()
    response = session.post(
        url, data=data, headers={"Content-Type": "text/plain"}, timeout=IMPORT_TIMEOUT
    )
    elapsed = time.perf_counter() - started
    totals = _expect(response, 200, f"import ({action})").json()["totals"]
    if totals.get(action) != count:
        raise StepFailed(f"import: {totals}, expected {count} {action}")
    return elapsed


def run(env: BenchEnvironment, token: str, *, count: int, repeats: int) -> dict[str, Any]:
    text = make_file(env, count)
    data, edited = text.encode(), changed(text).encode()
    session = api.api_session(token)
    base = env.base_url
    runs: list[dict[str, Any]] = []
    for repeat in range(repeats):
        bank = api.create_bank(session, base, f"bench-import-{repeat}", "Bench import")
        url = f"{base}{api.API}/banks/{bank}/import/?format=gift"
        seconds = {"dry_run": _post(session, f"{url}&dry_run=1", data, "created", count)}
        with HealthProbe(base) as health:
            seconds["created"] = _post(session, url, data, "created", count)
            seconds["updated"] = _post(session, url, edited, "updated", count)
        runs.append(
            {
                "seconds": seconds,
                "health": {
                    "requests": len(health.latencies),
                    "failed": health.failed,
                    "max_ms": max(health.latencies, default=0) * 1000,
                    "p95_ms": p95(health.latencies) * 1000 if health.latencies else None,
                },
            }
        )
    return {
        "questions": count,
        "mb": len(data) / 2**20,
        "runs": runs,
        "queries": query_counts(env, token, count),
    }


def query_counts(env: BenchEnvironment, token: str, count: int) -> dict[str, int]:
    """SQL queries of each kind of import of the same file, counted in-process."""
    path = env.tmp / f"import-{count}-gift.txt"
    code = f"""
import json
from django.db import connection
from django.test import Client
from lti_quiz.quiz.models import QuestionBank
client = Client(HTTP_AUTHORIZATION="Token {token}", SERVER_NAME="{HOST}")
bank = QuestionBank.objects.create(slug="bench-import-counted", title="Counted")
text = open({str(path)!r}, encoding="utf-8").read()
edited = text.replace({WORDS!r}, {NEW_WORDS!r})
url = f"/api/v1/banks/{{bank.pk}}/import/?format=gift"
counts = {{}}
for kind, suffix, body in (("dry_run", "&dry_run=1", text), ("created", "", text),
                           ("updated", "", edited)):
    executed = [0]
    def count(execute, sql, params, many, context):
        executed[0] += 1
        return execute(sql, params, many, context)
    with connection.execute_wrapper(count):
        response = client.post(url + suffix, body, content_type="text/plain")
    assert response.status_code == 200, response.content[:300]
    counts[kind] = executed[0]
print(json.dumps(counts))
"""
    output = env.manage("shell", "--no-imports", "-c", code)
    return json.loads(output.strip().splitlines()[-1])


def summarize(raw: dict[str, Any]) -> dict[str, Any]:
    count = raw["questions"]
    summary: dict[str, Any] = {"questions": count, "mb": raw["mb"], "kinds": {}}
    for kind in KINDS:
        seconds = statistics.median(run["seconds"][kind] for run in raw["runs"])
        summary["kinds"][kind] = {
            "median_s": seconds,
            "ms_per_question": seconds * 1000 / count,
            "queries": raw["queries"][kind],
            "queries_per_question": raw["queries"][kind] / count,
        }
    health = [run["health"] for run in raw["runs"]]
    summary["health"] = {
        "requests": sum(h["requests"] for h in health),
        "failed": sum(h["failed"] for h in health),
        "max_ms": max(h["max_ms"] for h in health),
        "p95_ms": statistics.median(h["p95_ms"] for h in health if h["p95_ms"] is not None),
    }
    summary["runs"] = raw["runs"]
    return summary


def print_report(summary: dict[str, Any], repeats: int) -> int:
    """Print the table; returns how many health checks failed meanwhile."""
    print(
        f"Import of a GIFT file of {summary['questions']} questions "
        f"({summary['mb']:.1f} MB), medians of {repeats} runs"
    )
    print(f"{'':28} {'total s':>8} {'ms/question':>12} {'queries':>8} {'queries/question':>17}")
    labels = {
        "dry_run": "dry run (all new)",
        "created": "import: all new",
        "updated": "import again: all changed",
    }
    for kind, label in labels.items():
        row = summary["kinds"][kind]
        print(
            f"{label:28} {row['median_s']:>8.2f} {row['ms_per_question']:>12.3f} "
            f"{row['queries']:>8} {row['queries_per_question']:>17.3f}"
        )
    health = summary["health"]
    print(
        f"  /health/ during the real imports: {health['requests']} requests, "
        f"{health['failed']} failed, p95 {health['p95_ms']:.0f} ms, max {health['max_ms']:.0f} ms"
    )
    return int(health["failed"])
