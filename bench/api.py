"""What the benchmark's API clients do: a script of a question-bank editor using
`Authorization: Token <key>` on /api/v1/. Setting up goes through the API too (a bank and its
questions are POSTed like an editor's script would); each measured step is one request, timed
like the browser's steps in bench/client.py.

Two banks: the "read" bank keeps its questions unchanged all along (listed, exported, imported
as a dry run), the "write" bank takes the created questions and the edits.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests

from bench.client import PROBE, TIMEOUT, CpuReader, Metrics, StepFailed, _expect, _timed

API = "/api/v1"
LIST_PAGE = 100
KINDS = ("single_choice", "multiple_response", "true_false", "short_answer")


def api_session(token: str) -> requests.Session:
    session = requests.Session()
    session.headers.update({"Authorization": f"Token {token}", "Accept": "application/json"})
    return session


def question_body(bank_id: int, n: int, *, prefix: str = "q") -> dict[str, Any]:
    """A realistic question: the four kinds in turn, choices with feedback, tags, a key."""
    kind = KINDS[n % len(KINDS)]
    body: dict[str, Any] = {
        "bank": bank_id,
        "key": f"{prefix}-{n:04d}",
        "kind": kind,
        "text": f"Question {n}: which statement about model distillation holds when the "
        f"student model is {n % 7 + 2} times smaller than its teacher and is evaluated on "
        "long-tail prompts rather than on the aggregate benchmark?",
        "points": str(n % 3 + 1),
        "explanation": "Aggregate scores hide long-tail regressions: compare per capability "
        "before deciding, and keep the teacher's outputs as a reference.",
        "tags": ["bench", f"week-{n % 10}", kind.replace("_", "-")],
    }
    if kind == "short_answer":
        body["patterns"] = ["long tail", "long-tail regression*", "tail"]
        return body
    if kind == "true_false":
        texts = ["True", "False"]
        correct = {n % 2}
    else:
        texts = [
            "It matches the teacher on every capability.",
            "It loses some long-tail capabilities that the aggregate score hides.",
            "It needs more parameters than the teacher.",
            "Its aggregate score always drops first.",
        ]
        correct = {1} if kind == "single_choice" else {1, 3}
    body["choices"] = [
        {
            "text": text,
            "is_correct": index in correct,
            "feedback": "Right: this is the tradeoff the matrix shows."
            if index in correct
            else "Not quite: look at the per-capability columns again.",
        }
        for index, text in enumerate(texts)
    ]
    return body


@dataclass
class PatchTarget:
    """A question one client edits again and again, and the ETag it last read."""

    question_id: int
    etag: str
    edits: int = 0


@dataclass
class ApiFixture:
    token: str
    read_bank: int = 0
    write_bank: int = 0
    read_questions: list[int] = field(default_factory=list)
    patch_targets: list[PatchTarget] = field(default_factory=list)
    export_text: str = ""
    setup: dict[str, Any] = field(default_factory=dict)


def _json(response: requests.Response, status: int, what: str) -> Any:
    return _expect(response, status, what).json()


def create_bank(session: requests.Session, base_url: str, slug: str, title: str) -> int:
    body = {"slug": slug, "title": title}
    response = session.post(f"{base_url}{API}/banks/", json=body, timeout=TIMEOUT)
    return _json(response, 201, f"POST {API}/banks/")["id"]


def create_question(
    session: requests.Session, base_url: str, body: dict[str, Any]
) -> requests.Response:
    response = session.post(f"{base_url}{API}/questions/", json=body, timeout=TIMEOUT)
    return _expect(response, 201, f"POST {API}/questions/")


def api_setup(
    base_url: str, token: str, *, questions: int, patch_targets: int, clients: int = 4
) -> ApiFixture:
    """Through the API: the read bank with `questions` questions (POSTed by `clients` threads),
    the write bank with one question per client that will edit, and the read bank's export."""
    fixture = ApiFixture(token=token)
    session = api_session(token)
    fixture.read_bank = create_bank(session, base_url, "bench-api-read", "Bench API (read)")
    fixture.write_bank = create_bank(session, base_url, "bench-api-write", "Bench API (write)")

    def post_slice(index: int) -> list[int]:
        own = api_session(token)
        return [
            create_question(own, base_url, question_body(fixture.read_bank, n)).json()["id"]
            for n in range(index, questions, clients)
        ]

    with ThreadPoolExecutor(max_workers=clients) as pool:
        created = [pk for part in pool.map(post_slice, range(clients)) for pk in part]
    fixture.read_questions = sorted(created)
    for n in range(patch_targets):
        response = create_question(
            session, base_url, question_body(fixture.write_bank, n, prefix="edited")
        )
        fixture.patch_targets.append(PatchTarget(response.json()["id"], response.headers["ETag"]))

    listed = session.get(f"{base_url}{API}/questions/?page_size={LIST_PAGE}", timeout=TIMEOUT)
    page = _json(listed, 200, f"GET {API}/questions/")
    export = session.get(
        f"{base_url}{API}/banks/{fixture.read_bank}/export/?format=json", timeout=TIMEOUT
    )
    fixture.export_text = _expect(export, 200, "export").text
    fixture.setup = {
        "questions": len(created),
        "clients": clients,
        "questions_total": page["count"],
        "list_kb": len(listed.content) / 1024,
        "export_kb": len(export.content) / 1024,
    }
    return fixture


# Measured steps: one request each ----------------------------------------------------------


def _single(
    name: str, send: Callable[[], requests.Response], cpu: CpuReader | None
) -> tuple[Metrics, requests.Response]:
    metrics: Metrics = {}
    response = _timed(metrics, name, send, cpu)
    metrics.pop(PROBE)
    return metrics, response


def api_list(session: requests.Session, base_url: str, cpu: CpuReader | None = None) -> Metrics:
    url = f"{base_url}{API}/questions/?page_size={LIST_PAGE}"
    metrics, response = _single("list", lambda: session.get(url, timeout=TIMEOUT), cpu)
    results = _json(response, 200, f"GET {API}/questions/")["results"]
    if len(results) != LIST_PAGE or "choices" not in results[0]:
        raise StepFailed(f"list: {len(results)} questions, expected {LIST_PAGE} with choices")
    return metrics


def api_retrieve(
    session: requests.Session, base_url: str, question_id: int, cpu: CpuReader | None = None
) -> Metrics:
    url = f"{base_url}{API}/questions/{question_id}/"
    metrics, response = _single("retrieve", lambda: session.get(url, timeout=TIMEOUT), cpu)
    if "ETag" not in _expect(response, 200, f"GET {API}/questions/{{id}}/").headers:
        raise StepFailed("retrieve: no ETag")
    return metrics


def api_patch(
    session: requests.Session, base_url: str, target: PatchTarget, cpu: CpuReader | None = None
) -> Metrics:
    """Change the text (a new version each time), sending the ETag last read in If-Match."""
    target.edits += 1
    url = f"{base_url}{API}/questions/{target.question_id}/"
    body = {"text": f"Edited {target.edits} times: which statement about distillation holds?"}
    headers = {"If-Match": target.etag}
    metrics, response = _single(
        "patch", lambda: session.patch(url, json=body, headers=headers, timeout=TIMEOUT), cpu
    )
    _expect(response, 200, f"PATCH {API}/questions/{{id}}/ with If-Match")
    etag = response.headers.get("ETag", "")
    if etag == target.etag:
        raise StepFailed("patch: the ETag did not change (no new version)")
    target.etag = etag
    return metrics


def api_create(
    session: requests.Session, base_url: str, body: dict[str, Any], cpu: CpuReader | None = None
) -> Metrics:
    metrics, _ = _single("create", lambda: create_question(session, base_url, body), cpu)
    return metrics


def api_export(
    session: requests.Session, base_url: str, bank_id: int, cpu: CpuReader | None = None
) -> Metrics:
    url = f"{base_url}{API}/banks/{bank_id}/export/?format=json"
    metrics, response = _single("export", lambda: session.get(url, timeout=TIMEOUT), cpu)
    _expect(response, 200, f"GET {API}/banks/{{id}}/export/?format=json")
    return metrics


def api_import_dry_run(
    session: requests.Session,
    base_url: str,
    bank_id: int,
    text: str,
    expected: int,
    cpu: CpuReader | None = None,
) -> Metrics:
    """The bank's own export back in, as a dry run: every question read, validated, compared
    with the stored one ("unchanged"), and the transaction rolled back."""
    url = f"{base_url}{API}/banks/{bank_id}/import/?format=json&dry_run=1"
    data = text.encode()
    headers = {"Content-Type": "application/json"}
    metrics, response = _single(
        "import",
        lambda: session.post(url, data=data, headers=headers, timeout=TIMEOUT),
        cpu,
    )
    totals = _json(response, 200, f"POST {API}/banks/{{id}}/import/?dry_run=1")["totals"]
    if totals.get("unchanged") != expected:
        raise StepFailed(f"import dry run: {totals}, expected {expected} unchanged")
    return metrics
