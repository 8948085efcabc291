"""A pretend LTI 1.3 platform for unit tests: its own RSA keys and JWKS, id_tokens with any claims.

    platform = TestPlatform()
    platform.register()                        # lti.Registration + Deployment rows
    monkeypatch.setattr(launch, "http_session", platform.jwks_session)
    state, nonce = platform.login(client)      # /lti/login/ like an LMS would start it
    response = platform.launch(client, state=state, nonce=nonce, role="instructor", email=None)

Claims are keyword arguments; `None` drops a claim, `drop=[...]` drops claim URLs.
"""

import base64
import json
import time
import typing as t
from functools import cache
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from lti_quiz.lti.claims import LTI_VERSION, Claim, MessageType, Scope
from lti_quiz.lti.context import LaunchContext, launch_context_load
from lti_quiz.lti.models import Deployment, Registration

ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTITUTION_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"
ROLES = {
    "student": [ROLE + "Learner", INSTITUTION_ROLE + "Student"],
    "instructor": [ROLE + "Instructor", INSTITUTION_ROLE + "Instructor"],
}
DROP = object()  # a claim value meaning "leave this claim out"


@cache
def _rsa_key(kid: str) -> rsa.RSAPrivateKey:
    # 2048-bit generation takes ~0.1 s: one key per kid for the whole test run.
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class PlatformKey:
    def __init__(self, kid: str) -> None:
        self.kid = kid
        self.private_key = _rsa_key(kid)

    @property
    def private_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def jwk(self) -> dict[str, str]:
        numbers = self.private_key.public_key().public_numbers()
        return {
            "kty": "RSA",
            "kid": self.kid,
            "alg": "RS256",
            "use": "sig",
            "n": _b64(numbers.n),
            "e": _b64(numbers.e),
        }


class FakeResponse:
    def __init__(self, payload: t.Any, status_code: int = 200) -> None:
        self.payload = payload
        self.status_code = status_code

    def json(self) -> t.Any:
        return self.payload

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise requests.HTTPError(f"{self.status_code} from the fake platform")


class FakeJwksSession:
    """Stands in for `http_session()`: answers GETs of the platform's JWKS URL and counts them."""

    def __init__(self, platform: "TestPlatform") -> None:
        self.platform = platform

    def get(self, url: str, **kwargs: t.Any) -> FakeResponse:
        self.platform.jwks_requests.append(url)
        if url != self.platform.key_set_url:
            return FakeResponse({"error": "not found"}, status_code=404)
        return FakeResponse(self.platform.jwks())


class TestPlatform:
    __test__ = False  # not a pytest test class

    def __init__(
        self,
        *,
        issuer: str = "https://lms.example.edu",
        client_id: str = "quiz-tool",
        deployment_id: str = "deployment-1",
        kid: str = "platform-key-1",
    ) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.auth_login_url = f"{issuer}/auth"
        self.key_set_url = f"{issuer}/jwks"
        self.keys = [PlatformKey(kid)]
        self.jwks_requests: list[str] = []

    # -- the platform's side ---------------------------------------------------------------

    @property
    def signing_key(self) -> PlatformKey:
        return self.keys[-1]

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [key.jwk for key in self.keys]}

    def rotate_key(self, kid: str, *, keep_old: bool = False) -> PlatformKey:
        """Sign with a new key from now on; its JWKS shows it (and the old one if keep_old)."""
        new = PlatformKey(kid)
        self.keys = [*self.keys, new] if keep_old else [new]
        return new

    def jwks_session(self) -> FakeJwksSession:
        return FakeJwksSession(self)

    def register(self, *, is_active: bool = True, client_id: str | None = None) -> Registration:
        registration = Registration.objects.create(
            name="Example LMS",
            issuer=self.issuer,
            client_id=client_id or self.client_id,
            auth_login_url=self.auth_login_url,
            auth_token_url=f"{self.issuer}/token",
            key_set_url=self.key_set_url,
            is_active=is_active,
        )
        Deployment.objects.create(registration=registration, deployment_id=self.deployment_id)
        return registration

    def claims(self, *, nonce: str, role: str = "student", **overrides: t.Any) -> dict[str, t.Any]:
        """A student (or instructor) resource link launch like Canvas sends, with overrides."""
        now = int(time.time())
        claims: dict[str, t.Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": f"{role}-sub-1",
            "exp": now + 300,
            "iat": now,
            "nonce": nonce,
            "name": "Alice Student" if role == "student" else "Irene Instructor",
            "given_name": "Alice" if role == "student" else "Irene",
            "family_name": "Student" if role == "student" else "Instructor",
            "email": f"{role}@example.edu",
            Claim.MESSAGE_TYPE: MessageType.RESOURCE_LINK.value,
            Claim.VERSION: LTI_VERSION,
            Claim.DEPLOYMENT_ID: self.deployment_id,
            Claim.TARGET_LINK_URI: "https://tool.example.com/lti/launch/",
            Claim.RESOURCE_LINK: {"id": "link-1", "title": "Distillation Tradeoffs quiz"},
            Claim.ROLES: ROLES[role],
            Claim.CONTEXT: {"id": "course-1", "label": "AI101", "title": "AI in practice"},
            Claim.AGS_ENDPOINT: {
                "scope": [Scope.AGS_LINEITEM.value, Scope.AGS_SCORE.value],
                "lineitems": f"{self.issuer}/courses/1/lineitems",
                "lineitem": f"{self.issuer}/courses/1/lineitems/7",
            },
            Claim.NRPS: {
                "context_memberships_url": f"{self.issuer}/courses/1/memberships",
                "service_versions": ["2.0"],
            },
            Claim.LAUNCH_PRESENTATION: {"return_url": f"{self.issuer}/courses/1"},
            Claim.CUSTOM: {"quiz": "distillation"},
        }
        for name, value in overrides.items():
            claim = (
                getattr(Claim, name.upper()).value if name.upper() in Claim.__members__ else name
            )
            claims[claim] = value
        return {name: value for name, value in claims.items() if value is not DROP}

    def id_token(
        self,
        claims: dict[str, t.Any],
        *,
        key: PlatformKey | None = None,
        headers: dict[str, t.Any] | None = None,
    ) -> str:
        """Sign claims; headers override the JWT header (kid=DROP leaves the kid out)."""
        key = key or self.signing_key
        header = {"kid": key.kid, **(headers or {})}
        header = {name: value for name, value in header.items() if value is not DROP}
        # Signed as raw JSON: jwt.encode() refuses some of the broken claims tests need.
        payload = json.dumps(claims).encode()
        return jwt.api_jws.encode(payload, key.private_pem, algorithm="RS256", headers=header)

    # -- what a browser does between platform and tool -------------------------------------

    def login_params(self, **overrides: str) -> dict[str, str]:
        params = {
            "iss": self.issuer,
            "login_hint": "login-hint-42",
            "target_link_uri": "https://tool.example.com/lti/launch/",
            "lti_message_hint": "message-hint-7",
            "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }
        params.update(overrides)
        return {name: value for name, value in params.items() if value is not DROP}

    def login(self, client, *, method: str = "post", **params: str) -> tuple[str, str]:
        """Start a login as the LMS would; returns (state, nonce) from the auth redirect."""
        send = client.post if method == "post" else client.get
        response = send("/lti/login/", self.login_params(**params))
        assert response.status_code == 302, response.content.decode()[:500]
        query = parse_qs(urlsplit(response["Location"]).query)
        return query["state"][0], query["nonce"][0]

    def launch(
        self,
        client,
        *,
        role: str = "student",
        headers: dict[str, t.Any] | None = None,
        **overrides: t.Any,
    ):
        """Login, then POST a signed id_token with that login's state and nonce."""
        state, nonce = self.login(client)
        overrides.setdefault("nonce", nonce)
        token = self.id_token(self.claims(role=role, **overrides), headers=headers)
        return self.post_launch(client, token, state)

    def post_launch(self, client, id_token: str, state: str, **extra: t.Any):
        return client.post(
            "/lti/launch/", {"id_token": id_token, "state": state}, HTTP_ORIGIN=self.issuer, **extra
        )


# -- reading the tool's answer ---------------------------------------------------------------

ACTIVITY_PREFIX = "/lti/activity/"


def launch_id_of(response) -> str:
    assert response.status_code == 303, response.content.decode()[:500]
    location = response["Location"]
    assert location.startswith(ACTIVITY_PREFIX)
    return location.removeprefix(ACTIVITY_PREFIX).strip("/")


def context_of(response) -> LaunchContext:
    ctx = launch_context_load(launch_id_of(response))
    assert ctx is not None
    return ctx


def assert_refused(response, status: int, words: str) -> None:
    assert response.status_code == status, response.content.decode()[:500]
    page = response.content.decode()
    assert words in page, page
