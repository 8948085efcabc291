"""What the benchmark's clients do over HTTP, like a browser would: open a page, launch the tool
from the practice LMS, take the quiz. Every step is timed on its own (seconds, by name)."""

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import requests

from tests.support.answer_key import CORRECT_OPTIONS, SHORT_ANSWER_CORRECT
from tests.support.browserless import forms_in, question_text

TIMEOUT = 30
Metrics = dict[str, float]
CpuReader = Callable[[], float | None]
PROBE = "_probe"


class StepFailed(Exception):
    """The server answered something a browser would not have carried on from."""


def _expect(response: requests.Response, status: int, what: str) -> requests.Response:
    if response.status_code != status:
        text = " ".join(response.text.split())[:300]
        raise StepFailed(f"{what}: HTTP {response.status_code}, expected {status}: {text}")
    return response


def _timed(
    metrics: Metrics, name: str, send: Callable[[], requests.Response], cpu: CpuReader | None
) -> requests.Response:
    """Send one request; record its latency as `name` and, given a reader of the server's CPU
    time (only meaningful with one client at a time), what it cost the server as `cpu:name`.
    Time spent reading the CPU counters is kept apart, in PROBE, for the totals to leave out."""
    probe_started = time.perf_counter()
    cpu_before = cpu() if cpu else None
    started = time.perf_counter()
    response = send()
    finished = time.perf_counter()
    metrics[name] = finished - started
    cpu_after = cpu() if cpu else None
    if cpu_before is not None and cpu_after is not None:
        metrics[f"cpu:{name}"] = cpu_after - cpu_before
    probe = (started - probe_started) + (time.perf_counter() - finished)
    metrics[PROBE] = metrics.get(PROBE, 0.0) + probe
    return response


def _total(metrics: Metrics, name: str, started: float) -> None:
    metrics[name] = time.perf_counter() - started - metrics.pop(PROBE, 0.0)


def _next(response: requests.Response) -> str:
    return urljoin(response.url, response.headers["Location"])


def plain_page(browser: requests.Session, base_url: str, cpu: CpuReader | None = None) -> Metrics:
    metrics: Metrics = {}
    response = _timed(metrics, "page", lambda: browser.get(f"{base_url}/", timeout=TIMEOUT), cpu)
    _expect(response, 200, "GET /")
    metrics.pop(PROBE)
    return metrics


def launch(
    browser: requests.Session, base_url: str, person_pk: int, cpu: CpuReader | None = None
) -> tuple[Metrics, str]:
    """Click the activity in the practice course ("new window" mode: the login initiation is a
    GET redirect) and follow the OIDC round trip; returns the timings and the activity URL."""
    browser.cookies.clear()  # a new browser, on a kept-alive connection
    metrics: Metrics = {}
    started = time.perf_counter()
    lms_launch = f"{base_url}/practice-lms/launch/{person_pk}/?mode=window"
    page = _timed(
        metrics,
        "lms_launch",
        lambda: browser.get(lms_launch, allow_redirects=False, timeout=TIMEOUT),
        cpu,
    )
    login_url = _next(_expect(page, 302, "practice LMS launch"))
    page = _timed(
        metrics,
        "tool_login",
        lambda: browser.get(login_url, allow_redirects=False, timeout=TIMEOUT),
        cpu,
    )
    auth_url = _next(_expect(page, 302, "tool login"))
    page = _timed(
        metrics,
        "lms_auth",
        lambda: browser.get(auth_url, allow_redirects=False, timeout=TIMEOUT),
        cpu,
    )
    forms = forms_in(_expect(page, 200, "practice LMS auth").text)
    if not forms or "id_token" not in forms[0].fields:
        raise StepFailed("practice LMS auth: no id_token form")
    launch_url, fields = urljoin(page.url, forms[0].action), forms[0].fields
    page = _timed(
        metrics,
        "tool_launch",
        lambda: browser.post(launch_url, data=fields, allow_redirects=False, timeout=TIMEOUT),
        cpu,
    )
    activity_url = _next(_expect(page, 303, "tool launch"))
    page = _timed(
        metrics,
        "activity",
        lambda: browser.get(activity_url, allow_redirects=False, timeout=TIMEOUT),
        cpu,
    )
    _expect(page, 200, "activity page")
    _total(metrics, "chain", started)
    for prefix in ("", "cpu:"):
        if f"{prefix}tool_login" in metrics:
            metrics[f"{prefix}tool"] = (
                metrics[f"{prefix}tool_login"] + metrics[f"{prefix}tool_launch"]
            )
    return metrics, activity_url


def take_quiz(
    browser: requests.Session,
    activity_url: str,
    *,
    check_result: bool,
    cpu: CpuReader | None = None,
) -> Metrics:
    """Open the quiz (starts an attempt), submit every answer correctly, open the result."""
    metrics: Metrics = {}
    started = time.perf_counter()
    quiz_url = f"{activity_url}quiz/"
    page = _timed(metrics, "quiz_page", lambda: browser.get(quiz_url, timeout=TIMEOUT), cpu)
    data = correct_answers(_expect(page, 200, "quiz page").text)
    page = _timed(
        metrics,
        "submit",
        lambda: browser.post(quiz_url, data=data, allow_redirects=False, timeout=TIMEOUT),
        cpu,
    )
    result_url = _next(_expect(page, 302, "quiz submit"))
    if check_result:
        page = _timed(metrics, "result_page", lambda: browser.get(result_url, timeout=TIMEOUT), cpu)
        if 'id="score">10/10<' not in _expect(page, 200, "result page").text:
            raise StepFailed("result page: the score is not 10/10")
    _total(metrics, "round", started)
    return metrics


def correct_answers(quiz_html: str) -> dict[str, str]:
    """The quiz form filled in from the answer key, each question found by its text."""
    [form] = forms_in(quiz_html)
    data = dict(form.fields)
    for name, options in form.options.items():
        if not name.startswith("q-"):
            continue  # a question's "Flag for later" box
        correct = CORRECT_OPTIONS[question_text(quiz_html, name)]
        data[name] = next(value for value, text in options if text == correct)
    for name in form.fields:
        if name.endswith("-text"):
            data[name] = SHORT_ANSWER_CORRECT
    return data


@dataclass
class LoadRun:
    """One bounded run: `clients` threads, each doing its share of the steps, as fast as it can."""

    clients: int
    wall_s: float = 0.0
    server_cpu_s: float | None = None  # gunicorn's CPU time during the run
    samples: list[Metrics] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def run_load(
    server_cpu: Callable[[], float | None],
    step: Callable[[Any, int, int], Metrics],
    states: Sequence[Any],
    iterations: int,
) -> LoadRun:
    """`step(state, client, iteration)` `iterations` times in each of len(states) threads;
    `server_cpu()` is read before and after."""
    run = LoadRun(clients=len(states))
    stop = threading.Event()
    lock = threading.Lock()

    def client(index: int) -> None:
        for iteration in range(iterations):
            if stop.is_set():
                return
            try:
                metrics = step(states[index], index, iteration)
            except Exception as error:  # a failed step is counted and told, never fatal
                with lock:
                    run.errors.append(f"{type(error).__name__}: {error}")
                continue
            with lock:
                run.samples.append(metrics)

    pool = ThreadPoolExecutor(max_workers=len(states))
    cpu_before = server_cpu()
    started = time.perf_counter()
    try:
        futures = [pool.submit(client, index) for index in range(len(states))]
        for future in futures:
            future.result()
        run.wall_s = time.perf_counter() - started
        cpu_after = server_cpu()
        if cpu_before is not None and cpu_after is not None:
            run.server_cpu_s = cpu_after - cpu_before
    finally:
        stop.set()  # on Ctrl-C the threads finish their current request and stop
        pool.shutdown(wait=True, cancel_futures=True)
    return run
