"""The tool's RSA signing keys: generated on first use, rotated by command, published as a JWKS.

Platforms verify our client assertions (token requests) and deep-linking responses with the key
they fetch from /lti/jwks/ by `kid`. A retired key stays published for LTI_KEY_GRACE_DAYS so a
platform that cached our JWKS (or a token signed just before a rotation) still verifies.
"""

import base64
import datetime as dt
import hashlib
import json
import logging

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from lti_quiz.lti.claims import ALGORITHM
from lti_quiz.lti.models import ToolKey

logger = logging.getLogger(__name__)

KEY_SIZE = 2048
# Platforms re-fetch our JWKS now and then; a short max-age keeps a rotation visible quickly.
JWKS_MAX_AGE_SECONDS = 300


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _public_numbers(public_key_pem: str) -> tuple[str, str]:
    """(n, e) of a PEM public key, base64url-encoded as JWK members."""
    public_key = serialization.load_pem_public_key(public_key_pem.encode("ascii"))
    assert isinstance(public_key, rsa.RSAPublicKey)
    numbers = public_key.public_numbers()
    return _b64url_uint(numbers.n), _b64url_uint(numbers.e)


def jwk_thumbprint(*, n: str, e: str) -> str:
    """RFC 7638 thumbprint: stable for a key, so the kid says which key signed, nothing more."""
    canonical = json.dumps({"e": e, "kty": "RSA", "n": n}, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def public_jwk(key: ToolKey) -> dict[str, str]:
    """The public half of a tool key as a JWK (never any private member)."""
    n, e = _public_numbers(key.public_key_pem)
    return {"kty": "RSA", "kid": key.kid, "alg": ALGORITHM, "use": "sig", "n": n, "e": e}


def _new_key() -> ToolKey:
    """An unsaved ToolKey with a fresh key pair (slow: ~0.1 s, so never inside a transaction)."""
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    public_pem = (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    n, e = _public_numbers(public_pem)
    return ToolKey(
        kid=jwk_thumbprint(n=n, e=e), private_key_pem=private_pem, public_key_pem=public_pem
    )


def active_tool_key() -> ToolKey:
    """The key the tool signs with now; generated when there is none yet."""
    key = ToolKey.objects.filter(retired_at__isnull=True).first()
    if key is not None:
        return key
    candidate = _new_key()
    try:
        with transaction.atomic():
            candidate.save(force_insert=True)
    except IntegrityError:
        # Another process created the active key between our read and our insert: use theirs.
        return ToolKey.objects.get(retired_at__isnull=True)
    logger.info("Generated the tool's first signing key (kid %s)", candidate.kid)
    return candidate


def tool_key_rotate() -> ToolKey:
    """Retire the active key (it stays published for the grace period) and activate a new one."""
    candidate = _new_key()
    for _ in range(2):
        try:
            with transaction.atomic():
                now = timezone.now()
                ToolKey.objects.filter(retired_at__isnull=True).update(retired_at=now)
                candidate.created_at = now
                candidate.save(force_insert=True)
        except IntegrityError:
            # A concurrent rotation activated its key after our retire step: retire that one too.
            candidate.pk = None
            continue
        logger.info("Rotated the tool's signing key; new kid %s", candidate.kid)
        return candidate
    raise RuntimeError("Could not rotate the tool key: concurrent rotations kept winning.")


def tool_keys_prune() -> int:
    """Delete keys retired longer than the grace period (no longer published). Returns the count."""
    cutoff = timezone.now() - dt.timedelta(days=settings.LTI_KEY_GRACE_DAYS)
    deleted, _ = ToolKey.objects.filter(retired_at__lt=cutoff).delete()
    return deleted


def published_jwks() -> dict[str, list[dict[str, str]]]:
    """The JWKS platforms fetch: the active key first, then retired keys still in their grace."""
    keys = ToolKey.objects.published().order_by("-created_at")
    # Sorted here, not by retired_at in SQL: databases disagree on where NULL sorts.
    ordered = sorted(keys, key=lambda key: key.retired_at is not None)
    return {"keys": [public_jwk(key) for key in ordered]}


@require_GET
def jwks_view(request: HttpRequest) -> JsonResponse:
    # A platform may fetch our JWKS before anything else has needed a key.
    active_tool_key()
    response = JsonResponse(published_jwks())
    patch_cache_control(response, public=True, max_age=JWKS_MAX_AGE_SECONDS)
    return response
