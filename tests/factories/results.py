"""Helpers for the instructor results tests: launches through the test platform, a quiz taken
through the tool's own pages, and a scripted NRPS roster the tool reads through a fake session."""

import re

import requests
from django.core.management import call_command

from lti_quiz.quiz.models import Attempt, Response
from tests.factories.grades import FakeSession, reply, token_reply

ISSUER = "https://lms.example.edu"  # tests.support.lti_platform.TestPlatform's default issuer
TOKEN_URL = f"{ISSUER}/token"
MEMBERSHIPS_URL = f"{ISSUER}/courses/1/memberships"
ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def member(sub: str, name: str, role: str = "Learner", **extra) -> dict:
    first, _, last = name.partition(" ")
    return {
        "status": "Active",
        "user_id": sub,
        "name": name,
        "given_name": first,
        "family_name": last,
        "email": f"{first.lower()}@example.edu",
        "roles": [ROLE + role],
        **extra,
    }


COURSE_MEMBERS = [
    member("instructor-sub-1", "Irene Instructor", "Instructor"),
    member("student-sub-1", "Alice Student"),
    member("bob-sub", "Bob Builder"),
]


def roster_session(members: list[dict] | None = None, *, url: str = MEMBERSHIPS_URL) -> FakeSession:
    """A platform that issues tokens and lists `members` (default: COURSE_MEMBERS) on one page."""
    body = {"id": url, "context": {"id": "course-1"}, "members": members or COURSE_MEMBERS}
    return (
        FakeSession()
        .on("POST", TOKEN_URL, token_reply())
        .on("GET", url, reply(json_body=body, headers={"Content-Type": "x"}))
    )


def open_activity(client, platform, **claims) -> str:
    """Launch and return the activity page's URL (it carries the launch id)."""
    response = platform.launch(client, **claims)
    assert response.status_code == 303, response.content.decode()[:300]
    return response["Location"]


def pending_response() -> Response:
    """The one answer waiting for an instructor's review."""
    return Response.objects.get(review_state=Response.ReviewState.PENDING)


def take_quiz(client, home_url: str, *, short_answer: str, right: bool = True) -> Attempt:
    """Answer every choice question right (or wrong: the first wrong choice) and submit."""
    page = client.get(home_url + "quiz/").content.decode()
    attempt = Attempt.objects.get(pk=re.search(r'name="attempt" value="(\d+)"', page)[1])
    data: dict[str, object] = {"attempt": attempt.pk}
    for question in attempt.snapshot["questions"]:
        slot = question["slot"]
        if question["kind"] == "short_answer":
            data[f"q-{slot}-text"] = short_answer
        else:
            keys = [c["key"] for c in question["choices"] if c["is_correct"] == right]
            data[f"q-{slot}"] = keys if right else keys[:1]
    response = client.post(home_url + "quiz/", data)
    assert response.status_code == 302, response.content.decode()[:300]
    attempt.refresh_from_db()
    return attempt


# -- over real HTTP, against the practice LMS (live_server) ------------------------------------


def lms_take_quiz(
    browser: requests.Session, home: requests.Response, *, short_answer: str, wrong: int = 0
):
    """Answer the choice questions right (from the attempt's own key), except the first
    `wrong` of them in authoring order (the first wrong option), and submit."""
    quiz = browser.get(home.url + "quiz/", timeout=30)
    attempt = Attempt.objects.get(pk=re.search(r'name="attempt" value="(\d+)"', quiz.text)[1])
    data: dict[str, object] = {"attempt": attempt.pk}
    # Authoring order, so that "the first two wrong" means the same questions in every attempt.
    questions = sorted(attempt.snapshot["questions"], key=lambda q: q["question_id"])
    choice_questions = [q for q in questions if q["kind"] != "short_answer"]
    for question in questions:
        slot = question["slot"]
        if question["kind"] == "short_answer":
            data[f"q-{slot}-text"] = short_answer
        elif question in choice_questions[:wrong]:
            wrong_choices = [c for c in question["choices"] if not c["is_correct"]]
            first = min(wrong_choices, key=lambda c: c["choice_id"])
            data[f"q-{slot}"] = [first["key"]]
        else:
            data[f"q-{slot}"] = [c["key"] for c in question["choices"] if c["is_correct"]]
    result = browser.post(home.url + "quiz/", data=data, timeout=30)
    assert result.status_code == 200, result.text
    return result


def deliver_grades() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def lms_scores(lms_url: str) -> list[dict]:
    return requests.get(f"{lms_url}/practice-lms/state.json", timeout=30).json()["scores"]
