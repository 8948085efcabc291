"""One Locust user = one student sitting the exam once, as a browser would: click the activity
in the practice LMS ("new window" launch), follow the OIDC round trip, open the activity and the
quiz, answer every question, submit, open the result. Then the user stops; when every student
has finished, the run ends.

Started by `python -m loadtest` (make spike), which sets SPIKE_STUDENTS_FILE (the practice
LMS's person ids, one per user) and SPIKE_RESULT_FILE (where the submit times are written).
"""

import json
import os
import time
from pathlib import Path
from urllib.parse import urljoin

import gevent
from locust import events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

from bench.client import correct_answers
from tests.support.browserless import forms_in

STUDENTS: list[int] = json.loads(Path(os.environ["SPIKE_STUDENTS_FILE"]).read_text())
RESULT_FILE = os.environ["SPIKE_RESULT_FILE"]
TIMEOUT = 60
PARKED_SECONDS = 24 * 3600  # longer than any run: the runner quits when every student is done

_next_student = iter(STUDENTS)
outcome: dict = {
    "submitted": 0,
    "finished": 0,
    "failed": 0,
    "last_submit": 0.0,
    "first_start": 0.0,  # when the first and the last student began: the arrival window
    "last_start": 0.0,
    "errors": [],
    "times_ms": {},  # request name -> every response time (ms), for exact percentiles
    "request_errors": {},  # request name -> failed requests
}


class StepFailed(Exception):
    pass


class Student(FastHttpUser):
    # geventhttpclient rather than requests: the load driver shares the machine with the servers,
    # and FastHttpUser spends several times less CPU per request (Locust's own advice for load
    # generation at this rate), so more of the two cores go to what is measured.
    network_timeout = TIMEOUT
    connection_timeout = TIMEOUT
    # Each user does its one sitting at once, then stays parked instead of stopping: Locust's
    # ramp counts the users still running and spawns new ones to make up for any that stopped,
    # so users that ended after their sitting made students arrive faster than the spawn rate
    # (300 "in 60 s" all began within 19 s). Parked, the arrival rate is the spawn rate.
    sat = False

    def wait_time(self) -> float:
        return PARKED_SECONDS if self.sat else 0

    def _get(self, url: str, name: str, status: int, **kwargs):
        return self._send("get", url, name, status, **kwargs)

    def _send(self, method: str, url: str, name: str, status: int, **kwargs):
        with getattr(self.client, method)(
            url, name=name, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if response.status_code != status:
                text = " ".join((response.text or "").split())[:200]
                if response.status_code == 0:  # no answer: the connection failed or timed out
                    text = f"{type(response.error).__name__}: {response.error}"[:200]
                message = f"{name}: HTTP {response.status_code}, expected {status}: {text}"
                response.failure(message)
                raise StepFailed(message)
            response.success()
            return response

    @staticmethod
    def _location(response) -> str:
        return urljoin(response.url, response.headers["Location"])

    @task
    def sit_the_exam(self) -> None:
        person = next(_next_student, None)
        if person is None:
            raise StopUser()
        self.sat = True
        now = time.time()
        outcome["first_start"] = outcome["first_start"] or now
        outcome["last_start"] = now
        try:
            self._sit(person)
        except StepFailed as error:
            outcome["failed"] += 1
            outcome["errors"].append(str(error))
        except Exception as error:  # a connection error or a page without its form
            outcome["failed"] += 1
            outcome["errors"].append(f"{type(error).__name__}: {error}")
        else:
            outcome["finished"] += 1
        if outcome["finished"] + outcome["failed"] >= len(STUDENTS):
            gevent.spawn(self.environment.runner.quit)

    def _sit(self, person: int) -> None:
        page = self._get(f"/practice-lms/launch/{person}/?mode=window", "lms_launch", 302)
        page = self._get(self._location(page), "tool_login", 302)
        page = self._get(self._location(page), "lms_auth", 200)
        forms = forms_in(page.text)
        if not forms or "id_token" not in forms[0].fields:
            raise StepFailed("lms_auth: no id_token form")
        launch_url = urljoin(page.url, forms[0].action)
        page = self._send("post", launch_url, "tool_launch", 303, data=forms[0].fields)
        activity_url = self._location(page)
        self._get(activity_url, "activity", 200)
        quiz_url = f"{activity_url}quiz/"
        page = self._get(quiz_url, "quiz_page", 200)
        answers = correct_answers(page.text)
        page = self._send("post", quiz_url, "submit", 302, data=answers)
        outcome["submitted"] += 1
        outcome["last_submit"] = max(outcome["last_submit"], time.time())
        self._get(self._location(page), "result_page", 200)


@events.request.add_listener
def _record(name: str, response_time: float, exception: object = None, **kwargs) -> None:
    outcome["times_ms"].setdefault(name, []).append(response_time)
    if exception is not None:
        outcome["request_errors"][name] = outcome["request_errors"].get(name, 0) + 1


@events.quitting.add_listener
def _write_outcome(environment, **kwargs) -> None:
    with open(RESULT_FILE, "w") as result:
        json.dump(outcome, result)
