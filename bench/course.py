"""A course at scale: N learners sit the quiz through the practice LMS, then the instructor's
Results page, its filtered and sorted views, the summary CSV and the item analysis are timed.

`python -m bench.course` (`make bench-course`) runs on a database of its own, with gunicorn, as
`make bench` does (whose "course" part is this, 1,000 learners; 100 with --quick), and prints
median ms, server CPU ms and the page's size per request.
`python -m bench.course --base-url http://localhost:8000` (`make demo-large`) seeds the course
of a running `make run` instead, so an instructor can open the practice LMS and look at it.

Every learner goes through the real pages over HTTP (launch, quiz, submit): the rows are the
ones a class writes, with their snapshots, responses and grade deliveries. Learners are spread
over the states the Results page filters by: most submit (a few with an answer left for review),
some leave an attempt open, some never start.
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from urllib.parse import urljoin

import requests

from bench import client
from bench.env import PYTHON, ROOT, STUDENT_EMAIL_DOMAIN, BenchEnvironment, BenchSetupError
from tests.support.answer_key import SHORT_ANSWER_CORRECT, SHORT_ANSWER_UNMATCHED
from tests.support.browserless import forms_in

TIMEOUT = 60
THREADS = 4
REPEATS = 5
INSTRUCTOR_EMAIL = "irene.instructor@practice-lms.test"
# Short answers: one the key accepts, one it cannot judge (waits for an instructor), a blank.
SHORT_ANSWERS = (SHORT_ANSWER_CORRECT, SHORT_ANSWER_UNMATCHED, "")

ENROL = """
import json
from lti_quiz.practice_lms.models import Course, Person
course = Course.objects.order_by("id").first()
have = set(Person.objects.filter(course=course, email__startswith="learner",
                                 email__endswith="@{domain}").values_list("email", flat=True))
Person.objects.bulk_create([
    Person(course=course, email=f"learner{{n:04d}}@{domain}", given_name="Learner",
           family_name=f"{{n:04d}}", name=f"Learner {{n:04d}}", role=Person.Role.STUDENT,
           position=10_000 + n)
    for n in range({count}) if f"learner{{n:04d}}@{domain}" not in have
])
people = Person.objects.filter(course=course, email__startswith="learner",
                               email__endswith="@{domain}").order_by("position")
teacher = Person.objects.get(course=course, email="{teacher}")
print(json.dumps({{"students": list(people.values_list("pk", flat=True))[:{count}],
                  "instructor": teacher.pk}}))
"""


def enrol(manage: Callable[..., str], count: int) -> tuple[list[int], int]:
    """`count` learners in the practice course (kept if there already), apart from the students
    `make bench`'s other parts enrol; their pks and the instructor's."""
    code = ENROL.format(domain=STUDENT_EMAIL_DOMAIN, count=count, teacher=INSTRUCTOR_EMAIL)

    found = json.loads(manage("shell", "--no-imports", "-c", code).strip().splitlines()[-1])
    return found["students"], found["instructor"]


def sit(browser: requests.Session, base_url: str, person: int, rng: random.Random) -> str:
    """One learner: ~10% never start, ~10% leave their attempt open, the rest submit with
    answers picked at random (so the class has a spread of scores). Returns the state."""
    roll = rng.random()
    if roll < 0.10:
        return "not started"
    _, activity_url = client.launch(browser, base_url, person)
    quiz_url = f"{activity_url}quiz/"
    page = browser.get(quiz_url, timeout=TIMEOUT)
    if roll < 0.20:
        return "in progress"
    [form] = forms_in(page.text)
    data = dict(form.fields)
    for name, options in form.options.items():
        if name.startswith("q-") and options:
            right = client.correct_answers(page.text).get(name)
            data[name] = right if right and rng.random() < 0.7 else rng.choice(options)[0]
    for name in form.fields:
        if name.endswith("-text"):
            data[name] = rng.choice(SHORT_ANSWERS)
    response = browser.post(quiz_url, data=data, allow_redirects=False, timeout=TIMEOUT)
    if response.status_code != 302:
        raise client.StepFailed(f"submit: HTTP {response.status_code}")
    return "submitted"


def seed(base_url: str, students: list[int], *, seed_value: int = 7) -> dict[str, int]:
    """Every student sits (THREADS at a time); counts by state."""
    counts: dict[str, int] = {}
    errors: list[str] = []
    rngs = [random.Random(seed_value + n) for n in range(THREADS)]

    def step(browser: requests.Session, index: int, iteration: int) -> client.Metrics:
        person = students[iteration * THREADS + index]
        state = sit(browser, base_url, person, rngs[index])
        counts[state] = counts.get(state, 0) + 1
        return {}

    per_thread = len(students) // THREADS
    run = client.run_load(
        lambda: None, step, [requests.Session() for _ in range(THREADS)], per_thread
    )
    errors.extend(run.errors)
    if errors:
        counts["failed"] = len(errors)
    return counts


def instructor_results_url(base_url: str, instructor: int) -> str:
    browser = requests.Session()
    _, activity_url = client.launch(browser, base_url, instructor)
    return urljoin(activity_url, "results/")


PAGES = (
    ("Results page, first 50", ""),
    ("Results, submitted only, page 2", "?filter=submitted&page=2"),
    ("Results, sorted by score", "?sort=score&order=desc"),
    ("Summary CSV", "export.csv"),
    ("Item analysis page", "analysis/"),
    ("Responses export (CSV)", "analysis/export/responses/?format=csv"),
    ("Responses export (XLSX)", "analysis/export/responses/?format=xlsx"),
)


def time_pages(results_url: str, cpu: Callable[[], float | None]) -> list[dict]:
    browser = requests.Session()
    rows = []
    for label, tail in PAGES:
        url = results_url + tail
        walls, cpus, size = [], [], 0
        browser.get(url, timeout=TIMEOUT)  # warm-up (the roster is read from the LMS once)
        for _ in range(REPEATS):
            cpu_before, started = cpu(), time.perf_counter()
            response = browser.get(url, timeout=TIMEOUT)
            walls.append((time.perf_counter() - started) * 1000)
            cpu_after = cpu()
            if cpu_before is not None and cpu_after is not None:
                cpus.append((cpu_after - cpu_before) * 1000)
            if response.status_code != 200:
                raise client.StepFailed(f"{label}: HTTP {response.status_code}")
            size = len(response.content)
        rows.append(
            {
                "label": label,
                "median_ms": statistics.median(walls),
                "cpu_ms": statistics.median(cpus) if cpus else None,
                "kb": size / 1024,
            }
        )
    return rows


def print_table(learners: int, counts: dict[str, int], rows: list[dict]) -> None:
    states = ", ".join(f"{count} {state}" for state, count in sorted(counts.items()))
    print(f"\nA course of {learners} learners ({states}), 1 client, medians of {REPEATS}:\n")
    print("| request | median ms | server CPU ms | size KB |")
    print("| --- | ---: | ---: | ---: |")
    for row in rows:
        cpu = f"{row['cpu_ms']:.0f}" if row["cpu_ms"] is not None else "n/a"
        print(f"| {row['label']} | {row['median_ms']:.0f} | {cpu} | {row['kb']:.0f} |")


def course_run(env: BenchEnvironment, learners: int) -> dict:
    """Seed a course of `learners` on a started bench environment and time its staff pages."""
    learners = max(learners - learners % THREADS, THREADS)
    students, instructor = enrol(env.manage, learners)
    started = time.perf_counter()
    counts = seed(env.base_url, students)
    seed_s = time.perf_counter() - started
    url = instructor_results_url(env.base_url, instructor)
    return {
        "learners": learners,
        "states": counts,
        "seed_s": round(seed_s, 1),
        "pages": time_pages(url, env.server_cpu_seconds),
    }


def _manage_default(*args: str) -> str:
    """manage.py against the project's own database (`make run`'s)."""
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument(
        "--base-url", help="seed the course of this running server (make run) instead"
    )
    args = parser.parse_args(argv)
    learners = max(args.learners - args.learners % THREADS, THREADS)
    try:
        if args.base_url:
            students, instructor = enrol(_manage_default, learners)
            counts = seed(args.base_url.rstrip("/"), students)
            url = instructor_results_url(args.base_url.rstrip("/"), instructor)
            print_table(learners, counts, time_pages(url, lambda: None))
            print(f"\nOpen the practice LMS as Irene Instructor: {args.base_url}/practice-lms/")
            return 0
        with BenchEnvironment(redis_db=14) as env:
            env.start(workers=2, threads=4)
            found = course_run(env, learners)
            print(f"seeded in {found['seed_s']:.0f} s")
            print_table(found["learners"], found["states"], found["pages"])
            return 0
    except (BenchSetupError, client.StepFailed, requests.RequestException) as error:
        print(f"bench.course: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
