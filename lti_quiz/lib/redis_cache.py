"""Django's Redis cache with one client per process and an atomic `pop` (GETDEL).

Django's `RedisCache` keeps one connection pool per server, but builds a new `redis.Redis`
client around it for every cache call; building one costs about as much as the round trip
itself (docs/performance.md). And Django's cache handler makes a backend per thread, each with
its own pool. Here one client and one pool serve every thread of the process: a `redis.Redis`
is safe to share between threads (each command takes a connection from the pool), and
redis-py starts a fresh pool in a forked child.

`pop(key)` reads and removes an entry in one round trip (Redis ≥ 6.2 GETDEL): a login state is
consumed by exactly one launch without a second command.

The settings give one LOCATION, so reads and writes go to the same server: the one client
per direction is all there is to keep.
"""

import threading
import typing as t

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class PooledRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[bool, t.Any] = {}

    def get_client(self, key: t.Any = None, *, write: bool = False) -> t.Any:
        client = self._clients.get(write)
        if client is None:
            # Two threads may both build one the first time: either is fine to keep.
            client = self._clients[write] = super().get_client(key, write=write)
        return client

    def pop(self, key: str) -> t.Any:
        value = self.get_client(key, write=True).getdel(key)
        return None if value is None else self._serializer.loads(value)  # type: ignore[attr-defined]


_clients: dict[str, PooledRedisCacheClient] = {}
_clients_lock = threading.Lock()


def _process_client(servers: list[str], **options: t.Any) -> PooledRedisCacheClient:
    """The process's client for these servers and options, built on first use."""
    key = repr((servers, sorted(options.items(), key=lambda item: item[0])))
    with _clients_lock:
        if key not in _clients:
            _clients[key] = PooledRedisCacheClient(servers, **options)
        return _clients[key]


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, t.Any]) -> None:
        super().__init__(server, params)
        # What Django's backend instantiates its client with (see `_cache` in its module).
        self._class = _process_client

    def pop(self, key: str, version: int | None = None) -> t.Any:
        """The entry's value, removed in the same command; None when there was none."""
        client: PooledRedisCacheClient = self._cache  # type: ignore[attr-defined]
        return client.pop(self.make_and_validate_key(key, version=version))
