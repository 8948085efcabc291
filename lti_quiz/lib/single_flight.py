"""One fetch for many waiters: filling a shared cache entry that many processes want at once.

When an entry (an access token, a platform's key set) is missing, every worker and thread that
needs it at that moment would fetch it from the platform: a cold start or an expiry becomes a
burst of identical requests, and platforms throttle their token endpoints. Here the first
caller takes a lock in the shared cache (`cache.add` is atomic on every backend: one caller
wins) and fetches; the others poll the cache for the value it stores, for at most the lock's
lifetime. If the lock holder dies or fails, its lock goes away (deleted on failure, expired
after a crash) and a waiter takes it over; one that has waited its whole bound fetches itself.
"""

import secrets
import time
import typing as t
from collections.abc import Callable

from django.core.cache import cache

from lti_quiz.lib import expiring

T = t.TypeVar("T")

FIRST_POLL_SECONDS = 0.02
MAX_POLL_SECONDS = 0.25


def cache_fill_once(
    key: str,
    fetch: Callable[[], tuple[T, float]],
    *,
    lock_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """The value under `key` (an `expiring` entry), fetched by one caller at a time.

    `fetch()` returns (value, seconds to keep it); a value kept 0 seconds is returned but not
    stored. `lock_seconds` bounds both how long a lock holder may take (make it longer than the
    fetch's own timeout) and how long the others wait for it.
    """
    value = expiring.cache_get(key)
    if value is not None:
        return value
    lock_key = f"{key}:lock"
    deadline = time.monotonic() + lock_seconds
    pause = FIRST_POLL_SECONDS
    while True:
        token = secrets.token_hex(8)
        if cache.add(lock_key, token, int(lock_seconds) + 1):
            return _fetch_holding(key, lock_key, token, fetch)
        if time.monotonic() >= deadline:
            # The holder is still at it after the whole bound: no longer wait for it.
            return _store(key, fetch())
        sleep(pause)
        pause = min(pause * 2, MAX_POLL_SECONDS)
        value = expiring.cache_get(key)
        if value is not None:
            return value


def _fetch_holding(key: str, lock_key: str, token: str, fetch: Callable[[], tuple[T, float]]) -> T:
    try:
        # Someone may have stored the value between our first look and taking the lock.
        value = expiring.cache_get(key)
        if value is not None:
            return value
        return _store(key, fetch())
    finally:
        # Only our own lock: after a fetch longer than the lock's lifetime, it is someone else's.
        if cache.get(lock_key) == token:
            cache.delete(lock_key)


def _store(key: str, fetched: tuple[T, float]) -> T:
    value, seconds = fetched
    if seconds > 0:
        expiring.cache_set(key, value, seconds)
    return value
