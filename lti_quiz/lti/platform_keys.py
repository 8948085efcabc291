"""The platform's public key for an id_token: from its key set (JWKS), named by the token's kid
(Security Framework §6, https://www.imsglobal.org/spec/security/v1p0/#h_key-set-url).

Not PyJWT's PyJWKClient: it fetches with urllib outside our HTTP session (no shared deadlines,
no test transport) and caches per process, so every worker would fetch every platform's key set
again. Here one fetch serves all processes through the shared cache, processes that need it
meanwhile wait for that fetch (lib/single_flight.py), and each process keeps what it read until
the shared entry expires (storage.py). A worker's sweep fetches each platform's key set again
before that entry expires (refresh-ahead), so launches do not wait on the platform's JWKS except
for a platform's very first launch or a key it has just rotated in.
"""

import functools
import json
import logging
import typing as t

import jwt
import requests
from django.conf import settings
from django.core.cache import cache

from lti_quiz.lib.http import http_session
from lti_quiz.lti import errors
from lti_quiz.lti.claims import ALGORITHM
from lti_quiz.lti.models import Registration
from lti_quiz.lti.storage import (
    jwks_cached,
    jwks_fetch_once,
    jwks_refetch_allowed,
    jwks_seconds_left,
    jwks_store,
    jwks_sweep_pause,
    jwks_sweep_paused,
)

logger = logging.getLogger(__name__)

# The lock of the one process fetching a key set lasts the request's timeout and this much more.
JWKS_LOCK_MARGIN_SECONDS = 5
# The sweep fetches a key set again once less than this share of its cache lifetime is left.
JWKS_REFRESH_AHEAD_SHARE = 0.2
# After a platform's key set could not be fetched, the sweep leaves it alone this long.
JWKS_SWEEP_BACKOFF_SECONDS = 300
JWKS_SWEEP_LOCK_KEY = "lti:jwks-sweep"


def platform_key(*, key_set_url: str, kid: str, http: requests.Session) -> t.Any:
    """The public key `kid` names in the platform's key set. Raises LtiLaunchError."""
    jwks, fresh = _jwks(key_set_url, http)
    jwk = _find_jwk(jwks, kid)
    if jwk is None and not fresh:
        # Another process may have refetched the key set for this kid already.
        jwks = jwks_cached(key_set_url, shared=True) or jwks
        jwk = _find_jwk(jwks, kid)
    if jwk is None and not fresh and jwks_refetch_allowed(key_set_url):
        # The platform may have rotated its key since we cached its key set (pylti1p3's
        # cache keeps a key set for a fixed time: pylti1.3 issue 90,
        # https://github.com/dmitry-viskov/pylti1.3/issues/90).
        jwks = _fetch_jwks(key_set_url, http)
        jwks_store(key_set_url, jwks, settings.LTI_JWKS_CACHE_SECONDS)
        jwk = _find_jwk(jwks, kid)
    if jwk is None:
        raise errors.LaunchTokenInvalid(f"kid {kid!r} is not in the key set at {key_set_url}")
    try:
        return _public_key(json.dumps(jwk, sort_keys=True))
    except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError) as error:
        raise errors.LaunchTokenInvalid(
            f"key {kid!r} at {key_set_url} is unusable: {error}"
        ) from error


def _jwks(url: str, http: requests.Session) -> tuple[dict[str, t.Any], bool]:
    """(key set, fetched now by this call?): from the cache, or from the platform if absent."""
    cached = jwks_cached(url)
    if cached is not None:
        return cached, False
    fetched = False

    def fetch() -> dict[str, t.Any]:
        nonlocal fetched
        fetched = True
        return _fetch_jwks(url, http)

    jwks = jwks_fetch_once(
        url,
        fetch,
        timeout=settings.LTI_JWKS_CACHE_SECONDS,
        lock_seconds=settings.HTTP_TIMEOUT + JWKS_LOCK_MARGIN_SECONDS,
    )
    return jwks, fetched


def _fetch_jwks(url: str, http: requests.Session) -> dict[str, t.Any]:
    try:
        response = http.get(url)
        response.raise_for_status()
        jwks = response.json()
    except (requests.RequestException, ValueError) as error:
        raise errors.PlatformKeysUnavailable(f"JWKS {url}: {error}") from error
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise errors.PlatformKeysUnavailable(f"JWKS {url} has no keys list: {str(jwks)[:200]}")
    return jwks


@functools.lru_cache(maxsize=256)
def _public_key(jwk_json: str) -> t.Any:
    """A JWK's public key object, parsed once per process (the same few keys sign every
    launch)."""
    return jwt.PyJWK(json.loads(jwk_json), algorithm=ALGORITHM).key


def _find_jwk(jwks: dict[str, t.Any], kid: str) -> dict[str, t.Any] | None:
    for key in jwks["keys"]:
        if not isinstance(key, dict) or key.get("kid") != kid:
            continue
        # A key meant for something else (encryption, another algorithm) does not verify ours.
        if (
            key.get("kty") == "RSA"
            and key.get("alg", ALGORITHM) == ALGORITHM
            and key.get("use", "sig") == "sig"
        ):
            return key
    return None


def key_sets_refresh_sweep() -> int | None:
    """One of the worker's sweeps (settings.WORKER_SWEEPS): the key set of every active
    registration's platform, fetched into the shared cache when it is missing or close to
    expiring. One worker at a time (a lock in the shared cache); None when another holds it,
    else how many key sets were fetched. A platform that fails keeps its cached key set until
    it expires and is tried again after a pause."""
    if not cache.add(JWKS_SWEEP_LOCK_KEY, "1", timeout=max(1, int(settings.GRADES_SWEEP_SECONDS))):
        return None
    ahead = settings.LTI_JWKS_CACHE_SECONDS * JWKS_REFRESH_AHEAD_SHARE
    urls = Registration.objects.active().values_list("key_set_url", flat=True).distinct()
    fetched = 0
    http = http_session()
    for url in urls:
        if jwks_seconds_left(url) > ahead or jwks_sweep_paused(url):
            continue
        try:
            jwks = _fetch_jwks(url, http)
        except errors.PlatformKeysUnavailable as error:
            logger.warning("Key set refresh failed, trying again later: %s", error)
            jwks_sweep_pause(url, JWKS_SWEEP_BACKOFF_SECONDS)
            continue
        jwks_store(url, jwks, settings.LTI_JWKS_CACHE_SECONDS)
        fetched += 1
    return fetched
