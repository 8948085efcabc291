"""Test helpers for the grades and AGS tests: a scripted platform session and model factories.

FakeSession stands in for `requests.Session`: it records every request and answers from a
script per (method, url). Its answers are real `requests.Response` objects, so the code under
test reads status, headers, `Link` and JSON exactly as it would from a platform.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import requests
from requests.structures import CaseInsensitiveDict

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.grades.services import grade_delivery_create
from lti_quiz.lti.ags import scores_url
from lti_quiz.lti.claims import Scope
from lti_quiz.lti.models import Registration, ResourceLink

ISSUER = "https://canvas.example.edu"
CLIENT_ID = "10000000000042"
TOKEN_URL = "https://canvas.example.edu/login/oauth2/token"
LINEITEMS_URL = "https://canvas.example.edu/api/lti/courses/7/line_items"
LINEITEM_URL = f"{LINEITEMS_URL}/31"
ALL_AGS_SCOPES = [
    Scope.AGS_LINEITEM.value,
    Scope.AGS_LINEITEM_READONLY.value,
    Scope.AGS_RESULT_READONLY.value,
    Scope.AGS_SCORE.value,
]


def reply(
    status: int = 200,
    *,
    json_body: object = None,
    text: str = "",
    headers: dict[str, str] | None = None,
    reason: str = "",
) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.reason = reason or {200: "OK", 201: "Created"}.get(status, "")
    response.headers = CaseInsensitiveDict(headers or {})
    if json_body is not None:
        text = json.dumps(json_body)
        response.headers.setdefault("Content-Type", "application/json")
    response._content = text.encode()
    response.encoding = "utf-8"
    return response


def token_reply(token: str = "token-1", expires_in: int = 3600) -> requests.Response:
    return reply(
        json_body={"access_token": token, "token_type": "Bearer", "expires_in": expires_in}
    )


@dataclass
class Sent:
    method: str
    url: str
    headers: dict[str, str]
    data: object
    params: dict[str, str] | None = None

    def json(self) -> object:
        assert isinstance(self.data, str)
        return json.loads(self.data)

    @property
    def form(self) -> dict[str, str]:
        assert isinstance(self.data, dict)
        return self.data


@dataclass
class FakeSession:
    """Answers each (method, url) from its script in order; the last answer repeats."""

    script: dict[tuple[str, str], list] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)

    def on(self, method: str, url: str, *answers: requests.Response | Exception) -> "FakeSession":
        self.script.setdefault((method, url), []).extend(answers)
        return self

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        self.sent.append(
            Sent(
                method,
                url,
                dict(kwargs.get("headers") or {}),
                kwargs.get("data"),
                kwargs.get("params"),
            )
        )
        answers = self.script.get((method, url))
        if not answers:
            raise AssertionError(f"unexpected request {method} {url}")
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        answer.url = url
        return answer

    def to(self, method: str, url: str) -> list[Sent]:
        return [sent for sent in self.sent if sent.method == method and sent.url == url]

    @property
    def token_requests(self) -> list[Sent]:
        return self.to("POST", TOKEN_URL)


def platform(
    *answers: requests.Response | Exception, lineitem_url: str = LINEITEM_URL
) -> FakeSession:
    """A platform that issues tokens and answers score POSTs with `answers` (default: 200)."""
    session = FakeSession().on("POST", TOKEN_URL, token_reply())
    return session.on("POST", scores_url(lineitem_url), *(answers or (reply(200),)))


def scores_sent(session: FakeSession, lineitem_url: str = LINEITEM_URL) -> list[Sent]:
    return session.to("POST", scores_url(lineitem_url))


def registration_create(**fields) -> Registration:
    values: dict[str, Any] = {
        "name": "Canvas test",
        "issuer": ISSUER,
        "client_id": CLIENT_ID,
        "auth_login_url": f"{ISSUER}/api/lti/authorize_redirect",
        "auth_token_url": TOKEN_URL,
        "key_set_url": f"{ISSUER}/api/lti/security/jwks",
    }
    values.update(fields)
    return Registration.objects.create(**values)


def resource_link_create(registration: Registration, **fields) -> ResourceLink:
    values: dict[str, Any] = {
        "registration": registration,
        "deployment_id": "1",
        "resource_link_id": "link-abc",
        "title": "Distillation Tradeoffs quiz",
        "lineitem_url": LINEITEM_URL,
        "lineitems_url": LINEITEMS_URL,
        "ags_scopes": ALL_AGS_SCOPES,
    }
    values.update(fields)
    return ResourceLink.objects.create(**values)


def delivery_create(
    resource_link: ResourceLink, user_sub: str = "alice-sub", **fields
) -> GradeDelivery:
    values: dict[str, Any] = {
        "resource_link": resource_link,
        "user_sub": user_sub,
        "score_given": Decimal("8"),
        "score_maximum": Decimal("10"),
        "activity_progress": "Completed",
        "grading_progress": "FullyGraded",
        "attempt_id": 1,
    }
    values.update(fields)
    return grade_delivery_create(**values)


def form_scopes(sent: Sent) -> list[str]:
    return sent.form["scope"].split(" ")


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(url.split("?", 1)[1]) if "?" in url else {}
