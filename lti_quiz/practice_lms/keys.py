"""The platform's own RSA key: generated on first use, published at /practice-lms/jwks/."""

import functools
import json
import secrets

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from lti_quiz.practice_lms.models import PlatformKey


def platform_key_create() -> PlatformKey:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return PlatformKey.objects.create(
        kid=secrets.token_urlsafe(12), private_key_pem=private_pem, public_key_pem=public_pem
    )


def signing_key() -> PlatformKey:
    # Two first requests at once may both create a key: harmless, every key is published and
    # the newest one signs.
    return PlatformKey.objects.signing() or platform_key_create()


def platform_jwks() -> dict:
    keys = []
    for key in PlatformKey.objects.all():
        public_key = serialization.load_pem_public_key(key.public_key_pem.encode())
        assert isinstance(public_key, rsa.RSAPublicKey)
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public_key))
        jwk.update({"kid": key.kid, "alg": "RS256", "use": "sig"})
        keys.append(jwk)
    return {"keys": keys}


@functools.lru_cache(maxsize=8)
def _private_key(kid: str, pem: str) -> rsa.RSAPrivateKey:
    # Parsing and checking a PEM key costs ~27 ms of CPU: once per key, not once per launch.
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def sign(claims: dict) -> str:
    key = signing_key()
    return jwt.encode(
        claims,
        _private_key(key.kid, key.private_key_pem),
        algorithm="RS256",
        headers={"kid": key.kid, "typ": "JWT"},
    )
