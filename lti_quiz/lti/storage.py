"""Where login state, the state cookie and platform key sets live between requests.

pylti1p3 keeps OIDC state and nonces in `request.session` (Django sessions) or, with
`DjangoCacheDataStorage`, in the cache under a per-browser session-id cookie. Both break in the
ways docs/platforms.md lists: nothing is ever consumed (a replayed id_token launches again), and the
extra session-id cookie is one more cookie an iframe can lose (the launch then raises from the
constructor). Here one cache entry per login holds the nonce and the registration; the state
cookie set at login ties it to the browser; the launch consumes the entry atomically.

The cache must be shared by every process (database cache or Redis, never LocMem): the login and
the launch are two requests that may land on different workers.
"""

import hashlib
import time
import typing as t

from django.core.cache import cache
from django.http import HttpResponse
from pylti1p3.contrib.django.request import DjangoRequest
from pylti1p3.cookie import CookieService
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.request import Request
from pylti1p3.session import SessionService

from lti_quiz.lib import expiring, single_flight

# How long a login may take before its launch comes back (the platform's auth endpoint answers
# at once with prompt=none; five minutes is also pylti1p3's state cookie lifetime).
LOGIN_STATE_SECONDS = 300
# After a refetch for an unknown kid, the next refetch of the same key set waits this long, so
# tokens with made-up kids cannot make us hammer a platform's JWKS endpoint.
JWKS_REFETCH_COOLDOWN_SECONDS = 30


class SharedCacheDataStorage(LaunchDataStorage[t.Any]):
    """pylti1p3's storage interface on Django's shared cache: no session-id cookie (the state
    cookie already binds a login to its browser; see the module docstring), values that carry
    their own expiry, and an atomic pop."""

    def get_session_cookie_name(self) -> str | None:
        return None

    def can_set_keys_expiration(self) -> bool:
        return True

    def set_value(self, key: str, value: t.Any, exp: int | None = None) -> None:
        expiring.cache_set(_storage_key(key), value, exp or LOGIN_STATE_SECONDS)

    def get_value(self, key: str) -> t.Any:
        return expiring.cache_get(_storage_key(key))

    def check_value(self, key: str) -> bool:
        return self.get_value(key) is not None

    def pop_value(self, key: str) -> t.Any:
        """The value, removed so no other request can have it; None if absent or already taken
        (of two concurrent launches with the same state, exactly one gets it)."""
        return expiring.cache_pop(_storage_key(key))


def _storage_key(key: str) -> str:
    return "lti:login:" + key


def _login_key(state: str) -> str:
    return "state:" + state


class CacheSessionService(SessionService):
    """Login state in the shared cache: saved at login, consumed once at launch."""

    data_storage: SharedCacheDataStorage

    def __init__(self, request: Request) -> None:
        storage = SharedCacheDataStorage()
        storage.set_request(request)
        self.data_storage = storage

    def save_login_state(
        self,
        state: str,
        *,
        nonce: str,
        registration_id: int,
        storage: dict[str, t.Any] | None = None,
        login_params: dict[str, str] | None = None,
    ) -> None:
        """`storage`: the platform storage frame the login used (target, origin, login_params).
        `login_params`: the platform's login parameters, to start again in a new window."""
        value: dict[str, t.Any] = {"nonce": nonce, "registration_id": registration_id}
        if storage:
            value["storage"] = storage
        if login_params:
            value["login_params"] = login_params
        self.data_storage.set_value(_login_key(state), value, LOGIN_STATE_SECONDS)

    def peek_login_state(self, state: str) -> dict[str, t.Any] | None:
        return self.data_storage.get_value(_login_key(state))

    def consume_login_state(self, state: str) -> dict[str, t.Any] | None:
        return self.data_storage.pop_value(_login_key(state))

    # pylti1p3's own checks, closed in case anything still calls them: a nonce is good once,
    # and "this state already launched this id_token" is never a reason to accept it again.
    def check_nonce(self, nonce: str) -> bool:
        return self.data_storage.pop_value("nonce:" + nonce) is not None

    def check_state_is_valid(self, state: str, id_token_hash: str) -> bool:
        return False


class LaunchCookieService(CookieService):
    """The state cookie, on pylti1p3's cookie interface: set at login, read and removed at launch.

    Inside an LMS iframe a cookie is only sent back with `SameSite=None; Secure`, so over HTTPS
    it gets both; over plain HTTP (development) neither, or browsers refuse it.
    """

    PREFIX = "lti1p3-"  # the name pylti1p3's own service gives the state cookie

    def __init__(self, request: DjangoRequest) -> None:
        self.request = request
        self.secure = request.is_secure()
        self.to_set: dict[str, tuple[str, int | None]] = {}
        self.to_delete: list[str] = []

    def get_cookie(self, name: str) -> str | None:
        return self.request.get_cookie(self.PREFIX + name)

    def set_cookie(self, name: str, value: str | int, exp: int | None = 3600) -> None:
        self.to_set[self.PREFIX + name] = (str(value), exp)

    def delete_cookie(self, name: str) -> None:
        self.to_delete.append(self.PREFIX + name)

    def update_response(self, response: HttpResponse) -> None:
        samesite: t.Literal["None"] | None = "None" if self.secure else None
        for key, (value, max_age) in self.to_set.items():
            response.set_cookie(
                key,
                value,
                max_age=max_age,
                path="/",
                secure=self.secure,
                httponly=True,
                samesite=samesite,
            )
        for key in self.to_delete:
            # Same attributes as when it was set, or browsers keep the original cookie.
            response.delete_cookie(key, path="/", samesite=samesite)


def _jwks_key(key_set_url: str) -> str:
    return "lti:jwks:" + hashlib.sha256(key_set_url.encode()).hexdigest()


# Key sets this process read from the shared cache, kept until that entry's own expiry: a warm
# launch checks its signature without a cache round trip. A key set in the shared cache newer
# than the kept one (another process refetched it for a new kid) is found by `shared=True`.
_key_sets: dict[str, tuple[float, dict[str, t.Any]]] = {}


def jwks_cached(key_set_url: str, *, shared: bool = False) -> dict[str, t.Any] | None:
    """The platform's key set if cached: kept by this process, else (or with `shared`) read
    from the shared cache."""
    if not shared:
        kept = _key_sets.get(key_set_url)
        if kept is not None and kept[0] > time.time():
            return kept[1]
    entry = cache.get(_jwks_key(key_set_url))
    jwks = expiring.unwrap(entry)
    if jwks is not None:
        _key_sets[key_set_url] = (entry["until"], jwks)
    return jwks


def jwks_seconds_left(key_set_url: str) -> float:
    """How long the shared cache still holds the platform's key set (0: not at all)."""
    entry = cache.get(_jwks_key(key_set_url))
    if expiring.unwrap(entry) is None:
        return 0.0
    return entry["until"] - time.time()


def jwks_store(key_set_url: str, jwks: dict[str, t.Any], timeout: int) -> None:
    entry = expiring.wrap(jwks, timeout)
    cache.set(_jwks_key(key_set_url), entry, timeout + 1)
    _key_sets[key_set_url] = (entry["until"], jwks)


def jwks_fetch_once(
    key_set_url: str, fetch: t.Callable[[], dict[str, t.Any]], *, timeout: int, lock_seconds: float
) -> dict[str, t.Any]:
    """The key set from the shared cache, or fetched by one process while the others wait."""
    jwks = single_flight.cache_fill_once(
        _jwks_key(key_set_url), lambda: (fetch(), timeout), lock_seconds=lock_seconds
    )
    jwks_cached(key_set_url, shared=True)  # keep it in this process too
    return jwks


def key_sets_forget() -> None:
    """Forget the key sets this process keeps (the shared cache still has them)."""
    _key_sets.clear()


def jwks_refetch_allowed(key_set_url: str) -> bool:
    """True at most once per cooldown per key set (cache.add is atomic: one caller wins)."""
    return cache.add(_jwks_key(key_set_url) + ":refetch", True, JWKS_REFETCH_COOLDOWN_SECONDS)


def jwks_sweep_pause(key_set_url: str, seconds: float) -> None:
    """Leave the key set alone in the refresh sweep for `seconds` (its fetch just failed). An
    entry with its own expiry: the pause lasts as long on Redis as on the database cache."""
    expiring.cache_set(_jwks_key(key_set_url) + ":sweep-paused", True, seconds)


def jwks_sweep_paused(key_set_url: str) -> bool:
    return bool(expiring.cache_get(_jwks_key(key_set_url) + ":sweep-paused"))
