"""The quiz page's answers saved as the learner goes, over HTTP: JSON in and out, the form shown
again with them, and each refusal with its status and sentence."""

import json
import re

import pytest
from django.core.cache import cache

from lti_quiz.lti.context import launch_context_load
from lti_quiz.quiz.models import Attempt, DraftAnswer
from tests.factories.results import open_activity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_quiz")]


def start_quiz(client, home_url: str) -> Attempt:
    page = client.get(home_url + "quiz/").content.decode()
    return Attempt.objects.get(pk=re.search(r'name="attempt" value="(\d+)"', page)[1])


def questions(attempt: Attempt) -> tuple[dict, dict]:
    """The first choice question and the short answer question of the attempt."""
    asked = attempt.snapshot["questions"]
    choice = next(q for q in asked if q["kind"] != "short_answer")
    short = next(q for q in asked if q["kind"] == "short_answer")
    return choice, short


def post_save(client, home_url: str, body: object):
    return client.post(
        home_url + "quiz/save/",
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )


def launch_expire(home_url: str) -> None:
    """What the cache does when the launch's lifetime is over: its context is gone."""
    launch_id = home_url.rstrip("/").rsplit("/", 1)[-1]
    cache.delete(f"lti:launch:{launch_id}")
    assert launch_context_load(launch_id) is None


@pytest.fixture
def alice(client, platform) -> tuple[str, Attempt]:
    """Alice's activity URL and her attempt in progress."""
    home_url = open_activity(client, platform)
    return home_url, start_quiz(client, home_url)


def test_saved_answers_are_in_the_quiz_form_of_a_new_launch(client, platform, alice):
    home_url, attempt = alice
    choice, short = questions(attempt)
    key = choice["choices"][1]["key"]

    response = post_save(
        client,
        home_url,
        {
            "attempt": attempt.pk,
            "answers": {choice["slot"]: [key], short["slot"]: "Compare <b>it</b>"},
            "flags": {short["slot"]: True},
        },
    )

    assert response.status_code == 200
    assert response.json()["saved_at"] == DraftAnswer.objects.first().saved_at.isoformat()
    again = open_activity(client, platform)
    assert again != home_url
    html = client.get(again + "quiz/").content.decode()
    assert f'name="attempt" value="{attempt.pk}"' in html
    assert re.search(rf'name="q-{choice["slot"]}" value="{key}" checked', html)
    # The one choice, and the flag of the short answer.
    assert html.count(" checked") == 2
    assert f'name="flag-{short["slot"]}" value="1" checked' in html
    assert "Compare &lt;b&gt;it&lt;/b&gt;</textarea>" in html
    assert f'data-slot="{short["slot"]}" data-flagged' in html
    assert 'data-saved-at="' in html


def test_the_quiz_page_names_its_save_url_and_script(client, alice):
    home_url, _ = alice
    html = client.get(home_url + "quiz/").content.decode()

    assert f'data-save-url="{home_url}quiz/save/"' in html
    assert "lti_quiz/autosave.js" in html
    assert 'role="status"' in html


def test_an_unknown_choice_is_refused_naming_the_field(client, alice):
    home_url, attempt = alice
    choice, _ = questions(attempt)

    response = post_save(
        client, home_url, {"attempt": attempt.pk, "answers": {choice["slot"]: ["nope"]}}
    )

    assert response.status_code == 400
    assert f"answers.{choice['slot']}" in response.json()["error"]
    assert "Not a choice of this question" in response.json()["error"]
    assert not DraftAnswer.objects.exists()


@pytest.mark.parametrize("body", ["not json", [1], {"answers": {}}, {"attempt": "1"}])
def test_a_body_that_is_not_the_save_format_is_refused(client, alice, body):
    home_url, _ = alice
    response = client.post(
        home_url + "quiz/save/",
        body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert "Answers to save come as JSON" in response.json()["error"]


def test_bob_cannot_save_into_alices_attempt(client, platform, alice):
    _, attempt = alice
    bob_home = open_activity(client, platform, sub="bob-sub")
    _, short = questions(attempt)

    response = post_save(
        client, bob_home, {"attempt": attempt.pk, "answers": {short["slot"]: "bob was here"}}
    )

    assert response.status_code == 404
    assert response.json()["error"] == "This attempt does not exist or is not yours."


def test_a_submitted_attempt_answers_409(client, alice):
    home_url, attempt = alice
    _, short = questions(attempt)
    client.post(home_url + "quiz/", {"attempt": attempt.pk, f"q-{short['slot']}-text": "done"})

    response = post_save(
        client, home_url, {"attempt": attempt.pk, "answers": {short["slot"]: "later"}}
    )

    assert response.status_code == 409
    assert "has been submitted" in response.json()["error"]


def test_an_expired_launch_answers_410_json(client, alice):
    home_url, attempt = alice
    _, short = questions(attempt)
    launch_expire(home_url)

    response = post_save(
        client, home_url, {"attempt": attempt.pk, "answers": {short["slot"]: "typed"}}
    )

    assert response.status_code == 410
    assert response.json()["code"] == "gone"
    assert not DraftAnswer.objects.exists()


def test_the_save_url_takes_only_post(client, alice):
    home_url, _ = alice
    assert client.get(home_url + "quiz/save/").status_code == 405


def test_a_submit_without_javascript_scores_the_form_and_drops_the_draft(client, alice):
    home_url, attempt = alice
    choice, short = questions(attempt)
    wrong = next(c["key"] for c in choice["choices"] if not c["is_correct"])
    right = next(c["key"] for c in choice["choices"] if c["is_correct"])
    post_save(client, home_url, {"attempt": attempt.pk, "answers": {choice["slot"]: [right]}})

    response = client.post(
        home_url + "quiz/",
        {"attempt": attempt.pk, f"q-{choice['slot']}": wrong, f"q-{short['slot']}-text": "x"},
    )

    assert response.status_code == 302
    assert attempt.responses.get(slot=choice["slot"]).answer == [wrong]
    assert not DraftAnswer.objects.exists()
