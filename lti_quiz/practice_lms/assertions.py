"""Verifying the tool's signed client assertion (RFC 7523, LTI Security 1.0 §4.1).

The tool's public keys are fetched from its JWKS URL over HTTP, like a real LMS does, cached
briefly and fetched again once when an assertion names a key id we have not seen (key rotation).
"""

import logging
from datetime import UTC, datetime, timedelta

import jwt
import requests
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from lti_quiz.lib.http import http_session
from lti_quiz.practice_lms.models import ToolRecord, UsedAssertion

logger = logging.getLogger(__name__)

JWKS_CACHE_SECONDS = 300
CLOCK_LEEWAY = 60


class ClientAssertionError(Exception):
    """The client assertion is not acceptable; the message says why."""


def _jwks_cache_key(url: str) -> str:
    return f"practice_lms:tool_jwks:{url}"


def tool_jwks(tool: ToolRecord, *, refresh: bool = False, session=None) -> dict:
    key = _jwks_cache_key(tool.jwks_url)
    if not refresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    session = session or http_session()
    try:
        response = session.get(tool.jwks_url, headers={"Accept": "application/json"})
        response.raise_for_status()
        jwks = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ClientAssertionError(
            f"Could not fetch the tool's JWKS from {tool.jwks_url}: {exc}"
        ) from exc
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise ClientAssertionError(f"The tool's JWKS at {tool.jwks_url} has no 'keys' list.")
    cache.set(key, jwks, JWKS_CACHE_SECONDS)
    return jwks


def _find_key(jwks: dict, kid: str) -> dict | None:
    return next((k for k in jwks["keys"] if isinstance(k, dict) and k.get("kid") == kid), None)


def public_key_for(tool: ToolRecord, kid: str, *, session=None):
    jwk = _find_key(tool_jwks(tool, session=session), kid)
    if jwk is None:
        # The tool may have rotated its key since we cached its JWKS: look once more.
        jwk = _find_key(tool_jwks(tool, refresh=True, session=session), kid)
    if jwk is None:
        raise ClientAssertionError(f"The tool's JWKS has no key with kid {kid!r}.")
    try:
        return jwt.PyJWK(jwk, algorithm="RS256").key
    except jwt.PyJWTError as exc:
        raise ClientAssertionError(
            f"The tool's key {kid!r} is not a usable RS256 key: {exc}"
        ) from exc


def client_assertion_verify(assertion: str, *, token_url: str, session=None) -> ToolRecord:
    """The tool that signed `assertion`; ClientAssertionError says what is wrong if any."""
    try:
        header = jwt.get_unverified_header(assertion)
        unverified = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise ClientAssertionError(f"client_assertion is not a JWT: {exc}") from exc
    if header.get("alg") != "RS256":
        raise ClientAssertionError(
            f"client_assertion must be signed with RS256, not {header.get('alg')!r}."
        )
    kid = header.get("kid")
    if not kid:
        raise ClientAssertionError("client_assertion has no kid header.")

    client_id = unverified.get("iss")
    tool = ToolRecord.objects.filter(client_id=client_id).first() if client_id else None
    if tool is None:
        raise ClientAssertionError(f"iss {client_id!r} is not the client_id of a registered tool.")

    try:
        claims = jwt.decode(
            assertion,
            public_key_for(tool, kid, session=session),
            algorithms=["RS256"],
            audience=token_url,
            issuer=tool.client_id,
            leeway=CLOCK_LEEWAY,
            options={"require": ["iss", "sub", "aud", "exp", "iat", "jti"]},
        )
    except jwt.InvalidAudienceError as exc:
        raise ClientAssertionError(
            f"aud must be this token endpoint exactly ({token_url}), got {unverified.get('aud')!r}."
        ) from exc
    except jwt.PyJWTError as exc:
        raise ClientAssertionError(f"client_assertion rejected: {exc}.") from exc
    if claims["sub"] != tool.client_id:
        raise ClientAssertionError("sub must equal the client_id.")

    _jti_use(tool, str(claims["jti"]), exp=claims["exp"])
    return tool


def _jti_use(tool: ToolRecord, jti: str, *, exp: int) -> None:
    now = timezone.now()
    UsedAssertion.objects.filter(expires_at__lt=now - timedelta(seconds=CLOCK_LEEWAY)).delete()
    expires_at = datetime.fromtimestamp(exp, tz=UTC)
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(tool=tool, jti=jti, expires_at=expires_at)
    except IntegrityError:
        raise ClientAssertionError(
            f"jti {jti!r} was already used: an assertion works once."
        ) from None
