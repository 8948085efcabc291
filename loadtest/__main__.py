"""`make spike`: the exam spike against the production process layout, and its figures.

On a PostgreSQL database and a Redis key prefix of its own (created and removed here, via
bench/env.py), with gunicorn (--web-workers x --web-threads) and --grade-workers grade workers
of --grade-threads threads (`manage.py db_worker --threads`), the practice LMS as the platform:
Locust (headless) starts --students students evenly over --seconds, each launching, answering,
submitting and opening the result once (loadtest/locustfile.py). Then it waits for the practice
gradebook to hold every grade and prints: the window over which the students began (a run whose
students came faster than asked does not count), errors, p50/p95 of each request, the time from
the last submit until every grade was in the gradebook, the exactly-once check (scores per
learner) and the token requests.
Exit status: 0 when the run met every target of docs/operations.md, 1 when not, 2 when it could
not run.
"""

import argparse
import collections
import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import bench.env
from bench.env import (
    PYTHON,
    ROOT,
    BenchEnvironment,
    BenchSetupError,
    _stop,
    ended_children_cpu_seconds,
)

REDIS_DB = 13
GRADE_WAIT_SECONDS = 120
REQUESTS = (
    "lms_launch",
    "tool_login",
    "lms_auth",
    "tool_launch",
    "activity",
    "quiz_page",
    "submit",
    "result_page",
)
# The targets of the exam spike (issue 11): p95 of each request, seconds for every grade.
P95_TARGET_MS = 500
GRADE_DELAY_TARGET_S = 10
# The students' arrivals must span at least this share of --seconds for the run to count.
ARRIVAL_TOLERANCE = 0.9


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make spike", description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=4)
    parser.add_argument("--grade-workers", type=int, default=1)
    parser.add_argument(
        "--grade-threads",
        type=int,
        default=int(os.environ.get("GRADE_WORKER_THREADS", "4")),
        help="tasks each grade worker runs at once (db_worker --threads; GRADE_WORKER_THREADS)",
    )
    return parser.parse_args()


def _machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return f"{os.cpu_count()} cores {model} ({platform.system()}), load {load:.1f} at start"


def _start_grade_workers(env: BenchEnvironment, count: int, threads: int) -> list[subprocess.Popen]:
    workers = []
    for number in range(count):
        log = open(env.tmp / f"grade-worker-{number}.log", "w")  # noqa: SIM115 (kept open)
        workers.append(
            subprocess.Popen(
                [PYTHON, "manage.py", "db_worker", "--no-reload", "--threads", str(threads)],
                cwd=ROOT,
                env={**env.env(), "LOG_FORMAT": "json"},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return workers


KEY_SETS_CACHED = """
from lti_quiz.lti.models import Registration
from lti_quiz.lti.storage import jwks_seconds_left
urls = Registration.objects.active().values_list("key_set_url", flat=True)
print(all(jwks_seconds_left(url) > 0 for url in urls))
"""


def _wait_for_key_sets(env: BenchEnvironment, seconds: float = 60) -> None:
    """Until the workers' first sweep has the platform's key set in the shared cache: on exam
    day the workers have been running for a while (docs/operations.md); the spike measures the
    exam, not a worker's boot."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if env.manage("shell", "--no-imports", "-c", KEY_SETS_CACHED).strip().endswith("True"):
            return
        time.sleep(1)
    raise BenchSetupError("the grade workers did not fetch the platform's key set within a minute")


def _run_locust(env: BenchEnvironment, students: list[int], seconds: float) -> Path:
    (env.tmp / "students.json").write_text(json.dumps(students))
    rate = max(len(students) / seconds, 0.1)
    command = [
        PYTHON,
        "-m",
        "locust",
        "-f",
        str(ROOT / "loadtest" / "locustfile.py"),
        "--headless",
        "--users",
        str(len(students)),
        "--spawn-rate",
        f"{rate:.3f}",
        "--run-time",
        f"{int(seconds) + 180}s",
        "--host",
        env.base_url,
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    locust_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SPIKE_STUDENTS_FILE": str(env.tmp / "students.json"),
        "SPIKE_RESULT_FILE": str(env.tmp / "outcome.json"),
    }
    with open(env.tmp / "locust.log", "w") as log:
        # Exit status 1 only says some request failed: the figures below tell which.
        subprocess.run(command, cwd=ROOT, env=locust_env, stdout=log, stderr=subprocess.STDOUT)
    return env.tmp


def arrived_as_asked(arrival: float, *, seconds: float, students: int) -> bool:
    """Whether the students began over (nearly) the window asked: Locust's ramp makes up for
    users that stopped, so a driver bug shows as students arriving faster than asked. The
    last of n students evenly spread over `seconds` begins at seconds * (1 - 1/n)."""
    return arrival >= ARRIVAL_TOLERANCE * seconds * (1 - 1 / max(students, 1))


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def main() -> int:
    options = _arguments()
    # A database and key prefix of the spike's own (the bench's helpers read these names).
    bench.env.BENCH_DATABASE = f"spike_lti_quiz_{os.getpid()}"
    bench.env.BENCH_KEY_PREFIX = f"lti-quiz-spike-{os.getpid()}"
    machine = _machine()
    started_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    workers: list[subprocess.Popen] = []
    try:
        with BenchEnvironment(redis_db=REDIS_DB) as env:
            try:
                env.start(workers=options.web_workers, threads=options.web_threads)
                students = env.add_students(options.students)
                before = env.lms_state()
                workers = _start_grade_workers(env, options.grade_workers, options.grade_threads)
                _wait_for_key_sets(env)
                cpu_before = (
                    env.server_cpu_seconds(),
                    _machine_busy_seconds(),
                    ended_children_cpu_seconds(),
                )
                folder = _run_locust(env, students, options.seconds)
                cpu = (
                    _minus(env.server_cpu_seconds(), cpu_before[0]),
                    _minus(_machine_busy_seconds(), cpu_before[1]),
                    # Locust's: the setup's commands ended before it, the servers still run.
                    ended_children_cpu_seconds() - cpu_before[2],
                )
                outcome = json.loads((folder / "outcome.json").read_text())
                scores, all_in_at = _wait_for_grades(env, before, outcome["submitted"])
                after = env.lms_state()
            finally:
                for worker in workers:
                    _stop(worker)
    except BenchSetupError as error:
        print(f"make spike: {error}", file=sys.stderr)
        return 2
    return _report(options, machine, started_at, outcome, scores, all_in_at, before, after, cpu)


def _machine_busy_seconds() -> float | None:
    """CPU seconds every process of the machine spent so far (servers, database, Redis, the
    load driver), from /proc/stat; None off Linux."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _minus(after: float | None, before: float | None) -> float | None:
    return after - before if after is not None and before is not None else None


def _wait_for_grades(
    env: BenchEnvironment, before: dict, submitted: int
) -> tuple[list[dict], float | None]:
    """Polls the gradebook's count of people with a score (cheap) until every submit has one,
    then reads the scores once, for the exactly-once check."""
    known = len(before["scores"])
    people_before = len({score["user_id"] for score in before["scores"]})
    deadline = time.monotonic() + GRADE_WAIT_SECONDS
    all_in_at = None
    while time.monotonic() <= deadline:
        if env.lms_people_scored() >= people_before + submitted:
            all_in_at = time.time()
            break
        time.sleep(0.2)
    return env.lms_state()["scores"][known:], all_in_at


def _report(options, machine, started_at, outcome, scores, all_in_at, before, after, cpu) -> int:
    per_learner = collections.Counter(score["user_id"] for score in scores)
    twice = sum(1 for count in per_learner.values() if count > 1)
    missing = outcome["submitted"] - len(per_learner)
    tokens = after["counters"]["token_requests"] - before["counters"]["token_requests"]
    failures = sum(outcome["request_errors"].values())
    delay = all_in_at - outcome["last_submit"] if all_in_at is not None else None

    print()
    print(
        f"Exam spike, {started_at}: {options.students} students in {options.seconds:g} s, "
        f"gunicorn {options.web_workers}x{options.web_threads}, "
        f"{options.grade_workers} grade worker(s) x {options.grade_threads} threads, "
        f"PostgreSQL + Redis; {machine}"
    )
    print()
    print("| request | count | errors | p50 ms | p95 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    worst_p95 = 0.0
    for name in REQUESTS:
        times = outcome["times_ms"].get(name, [])
        p50, p95 = percentile(times, 0.50), percentile(times, 0.95)
        worst_p95 = max(worst_p95, p95)
        errors = outcome["request_errors"].get(name, 0)
        print(f"| {name} | {len(times)} | {errors} | {p50:.0f} | {p95:.0f} |")
    print()
    arrival = outcome["last_start"] - outcome["first_start"]
    as_asked = arrived_as_asked(arrival, seconds=options.seconds, students=options.students)
    print(
        f"students began over {arrival:.1f} s (the first to the last)"
        + ("" if as_asked else f": faster than the {options.seconds:g} s asked, not a valid run")
    )
    print(
        f"students finished: {outcome['finished']} of {options.students}, "
        f"failed: {outcome['failed']}, request errors: {failures}"
    )
    for error in collections.Counter(outcome["errors"]).most_common(5):
        print(f"  {error[1]} x {error[0]}")
    print(
        "every grade in the gradebook: "
        + (
            f"{delay:.2f} s after the last submit"
            if delay is not None
            else f"NOT within {GRADE_WAIT_SECONDS} s ({len(per_learner)} of {outcome['submitted']})"
        )
    )
    print(
        f"exactly once: {len(per_learner)} learners with a score, {twice} with more than one, "
        f"{max(missing, 0)} submits without one"
    )
    print(f"token requests: {tokens}")
    # Sizing (README): what one student cost, so a run that queued still says how many students
    # per minute a core can serve.
    web_cpu, machine_cpu, driver_cpu = cpu
    finished = max(outcome["finished"], 1)
    if web_cpu is not None and machine_cpu is not None:
        # On exam day the browsers are elsewhere: the servers' share is what a core must carry.
        servers_cpu = max(machine_cpu - driver_cpu, 1e-9)
        print(
            f"CPU per student: {1000 * web_cpu / finished:.0f} ms in gunicorn (the tool and the "
            f"practice LMS), {1000 * machine_cpu / finished:.0f} ms on the whole machine, of "
            f"which {1000 * driver_cpu / finished:.0f} ms Locust's and "
            f"{1000 * servers_cpu / finished:.0f} ms the servers' (gunicorn, PostgreSQL, Redis, "
            f"the grade worker); at the servers' cost one core serves "
            f"{60 * finished / servers_cpu:.0f} students per minute"
        )
    met = (
        as_asked
        and failures == 0
        and outcome["failed"] == 0
        and worst_p95 < P95_TARGET_MS
        and delay is not None
        and delay <= GRADE_DELAY_TARGET_S
        and twice == 0
        and missing == 0
        and tokens <= 1
    )
    print(
        f"targets (0 errors, p95 < {P95_TARGET_MS} ms, grades within "
        f"{GRADE_DELAY_TARGET_S} s, exactly once, <= 1 token request): "
        + ("met" if met else "NOT met")
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
