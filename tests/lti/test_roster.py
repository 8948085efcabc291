"""The kept course roster: read once, shown at once when stale while one refresh is queued."""

import datetime as dt

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from lti_quiz.lti import nrps
from lti_quiz.lti.roster import FRESH_SECONDS, KEEP_SECONDS, kept_roster, roster_refresh
from lti_quiz.lti.tasks import refresh_roster
from lti_quiz.lti.tokens import ServiceError
from tests.factories.grades import (
    TOKEN_URL,
    FakeSession,
    registration_create,
    reply,
    resource_link_create,
    token_reply,
)
from tests.factories.results import MEMBERSHIPS_URL, member

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)
TASK_PATH = "lti_quiz.lti.tasks.refresh_roster"


def platform_listing(*names: str) -> FakeSession:
    body = {"members": [member(name.lower(), name) for name in names]}
    return (
        FakeSession()
        .on("POST", TOKEN_URL, token_reply())
        .on("GET", MEMBERSHIPS_URL, reply(json_body=body))
    )


def roster_reads(session: FakeSession) -> int:
    return len(session.to("GET", MEMBERSHIPS_URL))


def queued_refreshes() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK_PATH))


def names(kept) -> list[str]:
    return [m.name for m in kept.roster.members]


@pytest.fixture
def link():
    registration = registration_create()
    return resource_link_create(registration, nrps_url=MEMBERSHIPS_URL)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_the_first_read_asks_the_platform_and_the_next_ones_use_what_is_kept(link, clock):
    session = platform_listing("Ann", "Ben")

    first = kept_roster(resource_link=link, session=session)
    clock.shift(FRESH_SECONDS - 1)
    second = kept_roster(resource_link=link, session=session)

    assert names(first) == names(second) == ["Ann", "Ben"]
    assert first.read_at == START
    assert roster_reads(session) == 1
    assert queued_refreshes() == []


def test_a_stale_roster_is_shown_at_once_and_one_refresh_is_queued(
    link, clock, django_capture_on_commit_callbacks
):
    kept_roster(resource_link=link, session=platform_listing("Ann"))
    clock.shift(FRESH_SECONDS + 1)
    later = platform_listing("Ann", "Ben")

    with django_capture_on_commit_callbacks(execute=True):
        shown = [kept_roster(resource_link=link, session=later) for _ in range(3)]

    assert all(names(kept) == ["Ann"] for kept in shown)  # no one waits for the platform
    assert roster_reads(later) == 0
    [queued] = queued_refreshes()  # three stale reads, one refresh
    assert queued.args_kwargs["args"] == [link.pk]


def test_the_refresh_task_keeps_the_new_roster(link, clock, monkeypatch):
    kept_roster(resource_link=link, session=platform_listing("Ann"))
    clock.shift(FRESH_SECONDS + 1)
    monkeypatch.setattr(nrps, "http_session", lambda: platform_listing("Ann", "Ben"))

    assert refresh_roster.call(link.pk) == "2 members"

    now = kept_roster(resource_link=link, session=FakeSession())
    assert names(now) == ["Ann", "Ben"]
    assert now.read_at == START + dt.timedelta(seconds=FRESH_SECONDS + 1)


def test_a_failed_refresh_keeps_the_roster_it_had(link, clock, monkeypatch):
    kept_roster(resource_link=link, session=platform_listing("Ann"))
    clock.shift(FRESH_SECONDS + 1)
    down = FakeSession().on("POST", TOKEN_URL, token_reply()).on("GET", MEMBERSHIPS_URL, reply(503))
    monkeypatch.setattr(nrps, "http_session", lambda: down)

    assert refresh_roster.call(link.pk) == "failed"

    assert names(kept_roster(resource_link=link, session=FakeSession())) == ["Ann"]


def test_placements_in_the_same_course_share_one_roster(link):
    other_link = resource_link_create(
        link.registration, resource_link_id="link-2", nrps_url=MEMBERSHIPS_URL
    )
    session = platform_listing("Ann")

    kept_roster(resource_link=link, session=session)
    kept_roster(resource_link=other_link, session=session)

    assert roster_reads(session) == 1


def test_a_roster_nobody_read_for_a_day_is_read_again_before_it_is_shown(link, clock):
    kept_roster(resource_link=link, session=platform_listing("Ann"))
    clock.shift(KEEP_SECONDS + 1)
    session = platform_listing("Ann", "Ben")

    assert names(kept_roster(resource_link=link, session=session)) == ["Ann", "Ben"]
    assert roster_reads(session) == 1


def test_a_platform_that_fails_on_the_first_read_is_a_service_error_and_nothing_is_kept(link):
    down = FakeSession().on("POST", TOKEN_URL, token_reply()).on("GET", MEMBERSHIPS_URL, reply(500))

    with pytest.raises(ServiceError):
        kept_roster(resource_link=link, session=down)

    session = platform_listing("Ann")
    assert names(kept_roster(resource_link=link, session=session)) == ["Ann"]


def test_a_refresh_reads_now_even_when_the_roster_is_fresh(link):
    kept_roster(resource_link=link, session=platform_listing("Ann"))

    refreshed = roster_refresh(resource_link=link, session=platform_listing("Ann", "Ben"))

    assert names(refreshed) == ["Ann", "Ben"]
