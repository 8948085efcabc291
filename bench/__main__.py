"""Benchmarks over real HTTP: `make bench` (`make bench BENCH_ARGS=--quick` for a short run).

Starts the project under gunicorn against a throwaway database (SQLite, or PostgreSQL when
DATABASE_URL is set; Redis on its own database number when REDIS_URL is set), then measures:

1. a plain Django page (`/`);
2. an LTI launch driven like a browser from the practice LMS: the whole chain and the tool's
   part of it (login + id_token POST);
3. taking the quiz: the quiz page, the answers' POST, the result page;
4. grade delivery: N submitted attempts, one `db_worker --batch` delivering them all;
5. the question-bank API (/api/v1/, `Authorization: Token`, an editor-group user): listing 100
   questions with their choices, retrieving one, a PATCH with If-Match (a new version),
   creating a question, exporting a bank of 100+ questions as JSON and importing that export
   as a dry run. The bank is built through the API itself; the SQL queries each request makes
   are counted once (Django's test client against the same database);
6. importing a GIFT file of thousands of questions (5,000, 4.7 MB; 2,000 with --quick) as a
   dry run, as new questions and again all changed: ms and SQL queries per question, and
   /health/ meanwhile (`bench/imports.py`);
7. a course of 1,000 learners (100 with --quick) who sat the quiz through the practice LMS: the
   instructor's Results page (paged, filtered, sorted), its CSV, the item analysis and the
   responses exports, timed one at a time (`bench/course.py`).

Each measurement is a fixed number of steps at each client concurrency, run once to warm up and
then repeated; the table shows medians over the repeats and ratios ("x page") to the plain page
at the same concurrency. "CPU ms" is gunicorn's CPU time per step, read from /proc: per request
only with one client (with several, requests overlap), and without the database server's share.
Nothing is asserted: the figures are printed and written to bench-results/latest.json (and a
copy named after the time and backends). The client runs on the same machine as the server, so
on a small machine the two share the CPUs: compare CPU ms more than requests per second.
"""

import argparse
import itertools
import json
import os
import platform
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

import requests

from bench import api, client, course, imports
from bench.env import ROOT, BenchEnvironment, BenchSetupError
from bench.report import aggregate, print_report

WORKERS, THREADS = 2, 4
SCENARIOS = ("launch", "deliveries", "quiz", "api", "imports", "course")


@dataclass(frozen=True)
class Plan:
    name: str
    repeats: int
    clients: tuple[int, ...]
    plain_requests: int  # per concurrency level and repeat
    launches: int
    quiz_rounds: int
    deliveries: int  # distinct students, one delivery each per repeat
    api_questions: int  # in the bank that is listed, exported and imported (100 or more)
    api_lists: int  # GET of 100 questions, per concurrency level and repeat
    api_requests: int  # retrieves, PATCHes and creates, each
    api_files: int  # exports and import dry runs, each
    import_questions: int  # in the big GIFT file imported (dry run, new, changed) per repeat
    course_learners: int  # in the course whose staff pages are timed


FULL = Plan("full", repeats=5, clients=(1, 4), plain_requests=200, launches=60, quiz_rounds=60,
            deliveries=100, api_questions=120, api_lists=40, api_requests=100,
            api_files=12, import_questions=5000, course_learners=1000)  # fmt: skip
QUICK = Plan("quick", repeats=3, clients=(1, 4), plain_requests=40, launches=12, quiz_rounds=12,
             deliveries=12, api_questions=110, api_lists=8, api_requests=16,
             api_files=4, import_questions=2000, course_learners=100)  # fmt: skip


class Bench:
    def __init__(self, env: BenchEnvironment, plan: Plan, students: list[int]) -> None:
        self.env = env
        self.plan = plan
        self.students = students
        self.base_url = env.base_url

    def _student(self, n: int) -> int:
        return self.students[n % len(self.students)]

    def _sessions(self, clients: int) -> list[requests.Session]:
        return [requests.Session() for _ in range(clients)]

    def _cpu_per_request(self, clients: int) -> client.CpuReader | None:
        """The server's CPU time can be pinned on one request only when one is in flight."""
        return self.env.server_cpu_seconds if clients == 1 else None

    def _repeat(
        self, run_once: Any, clients: int, total: int, warm_up: int = 4
    ) -> list[client.LoadRun]:
        run_once(clients, max(clients, warm_up))  # warm-up, discarded
        return [run_once(clients, total) for _ in range(self.plan.repeats)]

    def plain(self) -> dict[int, list[client.LoadRun]]:
        def run_once(clients: int, total: int) -> client.LoadRun:
            cpu = self._cpu_per_request(clients)
            return client.run_load(
                self.env.server_cpu_seconds,
                lambda browser, _c, _i: client.plain_page(browser, self.base_url, cpu),
                self._sessions(clients),
                total // clients,
            )

        return {c: self._repeat(run_once, c, self.plan.plain_requests) for c in self.plan.clients}

    def launches(self) -> dict[int, list[client.LoadRun]]:
        def run_once(clients: int, total: int) -> client.LoadRun:
            per_client = total // clients
            cpu = self._cpu_per_request(clients)

            def step(browser: requests.Session, index: int, iteration: int) -> client.Metrics:
                person = self._student(index * per_client + iteration)
                return client.launch(browser, self.base_url, person, cpu)[0]

            return client.run_load(
                self.env.server_cpu_seconds, step, self._sessions(clients), per_client
            )

        return {c: self._repeat(run_once, c, self.plan.launches) for c in self.plan.clients}

    def quiz(self) -> dict[int, list[client.LoadRun]]:
        """Each client launches once (not timed), then takes the quiz again and again."""
        first_student = 0

        def run_once(clients: int, total: int) -> client.LoadRun:
            nonlocal first_student
            states = []
            for browser in self._sessions(clients):
                person = self._student(first_student)
                states.append((browser, client.launch(browser, self.base_url, person)[1]))
                first_student += 1
            cpu = self._cpu_per_request(clients)
            return client.run_load(
                self.env.server_cpu_seconds,
                lambda state, _c, _i: client.take_quiz(*state, check_result=True, cpu=cpu),
                states,
                total // clients,
            )

        return {c: self._repeat(run_once, c, self.plan.quiz_rounds) for c in self.plan.clients}

    def api(self, fixture: api.ApiFixture) -> dict[str, dict[int, list[client.LoadRun]]]:
        """Each API operation on its own: `clients` token-authenticated sessions, one request a
        step. Edits and creations go to the write bank; the read bank never changes."""
        new_keys = itertools.count(1)
        reads = fixture.read_questions

        def steps(name: str) -> Any:
            def step(state: Any, index: int, iteration: int, cpu: Any) -> client.Metrics:
                session = state[0]
                if name == "list":
                    return api.api_list(session, self.base_url, cpu)
                if name == "retrieve":
                    question = reads[(index * 7919 + iteration) % len(reads)]
                    return api.api_retrieve(session, self.base_url, question, cpu)
                if name == "patch":
                    return api.api_patch(session, self.base_url, state[1], cpu)
                if name == "create":
                    body = api.question_body(fixture.write_bank, next(new_keys), prefix="new")
                    return api.api_create(session, self.base_url, body, cpu)
                if name == "export":
                    return api.api_export(session, self.base_url, fixture.read_bank, cpu)
                return api.api_import_dry_run(
                    session, self.base_url, fixture.read_bank, fixture.export_text, len(reads), cpu
                )

            return step

        def measure(name: str, total: int, warm_up: int) -> dict[int, list[client.LoadRun]]:
            step = steps(name)

            def run_once(clients: int, total: int) -> client.LoadRun:
                cpu = self._cpu_per_request(clients)
                # Each client edits a question of its own: its ETag stays its own to know.
                states = [
                    (api.api_session(fixture.token), fixture.patch_targets[index])
                    for index in range(clients)
                ]
                return client.run_load(
                    self.env.server_cpu_seconds,
                    lambda state, index, iteration: step(state, index, iteration, cpu),
                    states,
                    total // clients,
                )

            return {c: self._repeat(run_once, c, total, warm_up) for c in self.plan.clients}

        plan = self.plan
        return {
            "api_list": measure("list", plan.api_lists, 4),
            "api_retrieve": measure("retrieve", plan.api_requests, 4),
            "api_patch": measure("patch", plan.api_requests, 4),
            "api_create": measure("create", plan.api_requests, 4),
            "api_export": measure("export", plan.api_files, 1),
            "api_import": measure("import", plan.api_files, 1),
        }

    def deliveries(self) -> list[dict[str, Any]]:
        """Per repeat: every bench student submits once, then one worker sends them all."""
        runs = []
        timeout = max(120.0, self.plan.deliveries * 2.0)
        for _ in range(self.plan.repeats):
            # An empty queue first: what starting and stopping the worker costs.
            startup_s, startup_cpu_s = self.env.run_worker(timeout=timeout)
            prepared = self._submit_once_each(clients=4)
            before = self.env.lms_state()
            server_cpu_before = self.env.server_cpu_seconds()
            worker_s, worker_cpu_s = self.env.run_worker(timeout=timeout)
            server_cpu_after = self.env.server_cpu_seconds()
            after = self.env.lms_state()
            delivered = len(after["scores"]) - len(before["scores"])
            runs.append(
                {
                    "submitted": len(prepared.samples),
                    "errors": prepared.errors,
                    "delivered": delivered,
                    "worker_s": worker_s,
                    "startup_s": startup_s,
                    "worker_cpu_s": worker_cpu_s,
                    "startup_cpu_s": startup_cpu_s,
                    # The practice LMS's side: token and score endpoints in gunicorn.
                    "server_cpu_s": server_cpu_after - server_cpu_before
                    if server_cpu_before is not None and server_cpu_after is not None
                    else None,
                    "token_requests": after["counters"]["token_requests"]
                    - before["counters"]["token_requests"],
                    "score_calls": after["counters"]["score_calls"]
                    - before["counters"]["score_calls"],
                    "tokens_issued_total": after["tokens_issued"],
                }
            )
        return runs

    def _submit_once_each(self, *, clients: int) -> client.LoadRun:
        per_client = -(-len(self.students) // clients)

        def step(browser: requests.Session, index: int, iteration: int) -> client.Metrics:
            n = index * per_client + iteration
            if n >= len(self.students):
                return {}
            activity_url = client.launch(browser, self.base_url, self.students[n])[1]
            return client.take_quiz(browser, activity_url, check_result=False)

        run = client.run_load(
            self.env.server_cpu_seconds, step, self._sessions(clients), per_client
        )
        run.samples = [sample for sample in run.samples if sample]
        return run


def bench_api(env: BenchEnvironment, bench: Bench, plan: Plan) -> dict[str, Any]:
    token = env.add_api_editor()
    started = time.perf_counter()
    fixture = api.api_setup(
        env.base_url, token, questions=plan.api_questions, patch_targets=max(plan.clients)
    )
    setup = {**fixture.setup, "setup_s": time.perf_counter() - started}
    raw: dict[str, Any] = bench.api(fixture)
    setup["queries"] = env.api_query_counts(
        token=token, read_bank=fixture.read_bank, write_bank=fixture.write_bank
    )
    raw["api_setup"] = setup
    return raw


def git_commit() -> str:
    try:
        output = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return ""
    return output.stdout.strip()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Benchmarks over real HTTP (see bench/__main__.py)."
    )
    parser.add_argument("--quick", action="store_true", help="a small run (under a minute)")
    parser.add_argument("--repeats", type=int, help="runs of each measurement (default 5; 3 quick)")
    parser.add_argument("--clients", help="client concurrency levels, comma-separated (1,4)")
    parser.add_argument(
        "--redis-db", type=int, default=14, help="Redis database number when REDIS_URL is set"
    )
    parser.add_argument(
        "--conn-max-age",
        help="DB_CONN_MAX_AGE for the servers (default: the environment's, else settings.py's)",
    )
    parser.add_argument(
        "--only",
        help=f"measure only these, comma-separated ({','.join(SCENARIOS)}); the plain page always",
    )
    parser.add_argument("--output", default="bench-results/latest.json", help="JSON results file")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    only = set(args.only.split(",")) if args.only else set(SCENARIOS)
    if only - set(SCENARIOS):
        print(f"bench: --only takes {','.join(SCENARIOS)}", file=sys.stderr)
        return 2
    plan = QUICK if args.quick else FULL
    changes: dict[str, Any] = {}
    if args.repeats:
        changes["repeats"] = args.repeats
    if args.clients:
        changes["clients"] = tuple(int(c) for c in args.clients.split(","))
    plan = Plan(**{**asdict(plan), **changes})
    # `kill` (SIGTERM) unwinds like Ctrl-C, so the servers and the database are cleaned up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    started = time.perf_counter()
    try:
        with BenchEnvironment(redis_db=args.redis_db, conn_max_age=args.conn_max_age) as env:
            env.start(workers=WORKERS, threads=THREADS)
            in_force = env.settings_in_force()
            bench = Bench(env, plan, env.add_students(plan.deliveries))
            # The plain page always: every other figure is also given as a ratio to it.
            raw: dict[str, Any] = {"plain": bench.plain()}
            if "launch" in only:
                raw["launch"] = bench.launches()
            if "deliveries" in only:
                raw["deliveries"] = bench.deliveries()
            if "quiz" in only:
                raw["quiz"] = bench.quiz()
            if "api" in only:
                raw.update(bench_api(env, bench, plan))
            if "imports" in only:
                raw["import_large"] = imports.run(
                    env, env.add_api_editor(), count=plan.import_questions, repeats=plan.repeats
                )
            course_pages = None
            if "course" in only:
                course_pages = course.course_run(env, plan.course_learners)
            server_log = env.server_log_tail(20)
            meta: dict[str, Any] = {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "commit": git_commit(),
                "database": env.backends.database_label,
                "cache": env.backends.cache_label,
                # Read from the servers' own settings: what was in force, not what was asked.
                "db_conn_max_age": in_force["db_conn_max_age"],
                "cache_backend": in_force["cache_backend"],
                "debug": in_force["debug"],
                "gunicorn": f"{WORKERS} workers x {THREADS} threads",
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "django": version("django"),
                "plan": asdict(plan),
            }
    except (BenchSetupError, client.StepFailed) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    except requests.RequestException as error:
        # Outside the measured steps (which count their failures): setting up, reading the
        # practice LMS's counters. The servers are stopped and the database is gone.
        print(
            f"bench: the server did not answer a set-up request ({type(error).__name__}: "
            f"{error}); a slow or busy machine? Try again, or with --quick.",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("bench: interrupted; the servers are stopped and the bench database is gone.")
        return 130
    results = aggregate(raw)
    meta["duration_s"] = round(time.perf_counter() - started, 1)
    errors = print_report(meta, results)
    if "import_large" in raw:
        results["import_large"] = imports.summarize(raw["import_large"])
        print()
        errors += imports.print_report(results["import_large"], plan.repeats)
    if course_pages is not None:
        results["course"] = course_pages
        course.print_table(course_pages["learners"], course_pages["states"], course_pages["pages"])
        errors += course_pages["states"].get("failed", 0)
    output = ROOT / args.output
    # latest.json is overwritten by the next run; a copy named after the run stays to compare.
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    backends = f"{meta['database']}-{meta['cache']}".lower().replace(" ", "-")
    archive = output.with_name(f"{stamp}-{backends}-{plan.name}.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    for path in (output, archive):
        path.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    print(f"\nWritten to {output} and {archive.name} ({meta['duration_s']} s in all).")
    if errors:
        print(f"{errors} step(s) failed; gunicorn's last lines:\n{server_log}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
