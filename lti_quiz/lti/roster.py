"""A course's roster, read from the platform once and kept fresh in the background.

The results page needs the roster on every reload, and reading a 1,000-person course through
NRPS is 20 requests at Canvas's largest page. So a course's roster is kept in the shared cache
for a day, under its registration and memberships URL (every placement in the course shares
it). After `FRESH_SECONDS` a read still answers at once with what is kept and queues one refresh
for a worker: stale-while-revalidate (RFC 5861 §3). Only when nothing is kept does a reader wait
for the platform, and then one reader fetches while the others wait for its result
(`single_flight`).
"""

import dataclasses
import datetime as dt
import hashlib
import logging
import time
from dataclasses import dataclass
from functools import partial

import requests
from django.core.cache import cache
from django.db import transaction

from lti_quiz.lib import expiring
from lti_quiz.lib.single_flight import cache_fill_once
from lti_quiz.lti.models import ResourceLink
from lti_quiz.lti.nrps import Member, Roster, ServiceError, memberships_fetch

__all__ = ["KeptRoster", "ServiceError", "kept_roster", "roster_refresh"]

logger = logging.getLogger(__name__)

# How long a roster is shown without asking the platform again: a student added to the course
# appears within this, or at once with "Read the roster again".
FRESH_SECONDS = 5 * 60
# How long a roster is kept at all: a course nobody looked at for a day is read afresh.
KEEP_SECONDS = 24 * 60 * 60
# Bounds one reader's fetch (and the others' wait); a refresh queued within it is not queued
# again, which also spaces out retries while a platform is down.
FETCH_SECONDS = 120


@dataclass(frozen=True)
class KeptRoster:
    roster: Roster
    read_at: dt.datetime  # when the platform answered

    @property
    def age_seconds(self) -> float:
        return time.time() - self.read_at.timestamp()


def _key(resource_link: ResourceLink) -> str:
    digest = hashlib.sha256(resource_link.nrps_url.encode()).hexdigest()[:24]
    return f"lti:roster:{resource_link.registration_id}:{digest}"


def _stored(roster: Roster, read_at: float) -> dict:
    # Plain values, not pickled classes: an entry must still load after a deploy.
    return {
        "members": [dataclasses.asdict(member) for member in roster.members],
        "pages": roster.pages,
        "complete": roster.complete,
        "read_at": read_at,
    }


def _loaded(entry: dict) -> KeptRoster:
    members = tuple(Member(**{**m, "roles": tuple(m["roles"])}) for m in entry["members"])
    return KeptRoster(
        roster=Roster(members=members, pages=entry["pages"], complete=entry["complete"]),
        read_at=dt.datetime.fromtimestamp(entry["read_at"], tz=dt.UTC),
    )


def _fetch(resource_link: ResourceLink, session: requests.Session | None) -> dict:
    roster = memberships_fetch(
        registration=resource_link.registration, url=resource_link.nrps_url, session=session
    )
    return _stored(roster, time.time())


def kept_roster(
    *, resource_link: ResourceLink, session: requests.Session | None = None
) -> KeptRoster:
    """The link's course roster: as kept (a refresh queued when it is stale), or read now when
    nothing is kept. Raises ServiceError when it has to be read and the platform fails."""
    entry = cache_fill_once(
        _key(resource_link),
        lambda: (_fetch(resource_link, session), KEEP_SECONDS),
        lock_seconds=FETCH_SECONDS,
    )
    kept = _loaded(entry)
    if kept.age_seconds > FRESH_SECONDS:
        roster_refresh_queue(resource_link)
    return kept


def roster_refresh_queue(resource_link: ResourceLink) -> bool:
    """Queue one refresh of the link's course roster; False if one was queued within
    `FETCH_SECONDS` (`cache.add` is atomic: of many readers at once, one queues it)."""
    if not cache.add(f"{_key(resource_link)}:refresh", 1, FETCH_SECONDS):
        return False
    from lti_quiz.lti.tasks import refresh_roster  # the task module imports this one

    # robust: the page is shown from the kept roster even if the queue cannot be written.
    transaction.on_commit(partial(refresh_roster.enqueue, resource_link.pk), robust=True)
    return True


def roster_refresh(
    *, resource_link: ResourceLink, session: requests.Session | None = None
) -> KeptRoster:
    """Read the link's course roster from the platform now and keep it. Raises ServiceError;
    what was kept before stays until then."""
    entry = _fetch(resource_link, session)
    expiring.cache_set(_key(resource_link), entry, KEEP_SECONDS)
    return _loaded(entry)
