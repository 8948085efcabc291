"""Cache entries that carry their own expiry time.

The cache backend's TTL only cleans up; whether an entry is still good is decided here, on this
process's clock. Then a login state, a launch or a key set lives exactly as long on Redis as on
the database cache (and tests can move time forward with time_machine on either).
"""

import time
import typing as t

from django.core.cache import cache


def wrap(value: t.Any, seconds: float) -> dict[str, t.Any]:
    return {"value": value, "until": time.time() + seconds}


def unwrap(entry: t.Any) -> t.Any:
    """The value of a wrapped entry that has not expired, else None."""
    if not isinstance(entry, dict) or "until" not in entry:
        return None
    return entry["value"] if entry["until"] > time.time() else None


def cache_set(key: str, value: t.Any, seconds: float) -> None:
    cache.set(key, wrap(value, seconds), int(seconds) + 1)


def cache_get(key: str) -> t.Any:
    return unwrap(cache.get(key))


def cache_pop(key: str) -> t.Any:
    """The value of a wrapped entry, removed so that no other caller gets it; None if absent,
    expired or already taken. One round trip on Redis (GETDEL)."""
    pop = getattr(cache, "pop", None)
    if pop is not None:
        return unwrap(pop(key))
    entry = unwrap(cache.get(key))
    # delete() reports whether this call removed the entry: of two concurrent callers, exactly
    # one sees True. get() first, because the database cache's delete() also removes expired
    # rows and would report True for them.
    if entry is None or not cache.delete(key):
        return None
    return entry
