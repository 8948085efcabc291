"""A fake *tool* for testing the practice LMS: its RSA key, its JWKS served over real HTTP on
127.0.0.1, and the client assertions it signs. Written with jwt/cryptography directly, never with
the tool's own code, so the platform is checked against the specs rather than against the tool.
"""

import json
import re
import secrets
import threading
import time
import uuid
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from lti_quiz.practice_lms import vocab
from lti_quiz.practice_lms.access import access_token_issue
from lti_quiz.practice_lms.models import Person, ToolRecord

BASE_URL = "http://testserver"
TOKEN_URL = f"{BASE_URL}/practice-lms/token/"
ISSUER = f"{BASE_URL}/practice-lms"
CLIENT_ID = "practice-lms-client"
REDIRECT_URI = f"{BASE_URL}/lti/launch/"


class FakeToolKey:
    def __init__(self):
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)

    def jwk(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        return {**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}


class JwksServer:
    """Serves `self.jwks` at http://127.0.0.1:<port>/jwks and counts the requests."""

    def __init__(self):
        self.jwks: dict = {"keys": []}
        self.requests = 0
        server_self = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server_self.requests += 1
                body = json.dumps(server_self.jwks).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/jwks"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class FakeTool:
    def __init__(self, jwks_server: JwksServer, client_id: str = CLIENT_ID):
        self.client_id = client_id
        self.key = FakeToolKey()
        self.server = jwks_server
        self.server.jwks = {"keys": [self.key.jwk()]}

    def rotate(self) -> None:
        self.key = FakeToolKey()
        self.server.jwks = {"keys": [*self.server.jwks["keys"], self.key.jwk()]}

    def assertion(self, *, key: FakeToolKey | None = None, headers: dict | None = None, **claims):
        key = key or self.key
        now = int(time.time())
        payload = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": TOKEN_URL,
            "iat": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
        }
        payload.update(claims)
        payload = {name: value for name, value in payload.items() if value is not None}
        header = {"kid": key.kid, **(headers or {})}
        header = {name: value for name, value in header.items() if value is not None}
        return jwt.encode(payload, key.private_key, algorithm="RS256", headers=header)

    def token_form(self, assertion: str, scope: str = vocab.SCOPE_SCORE) -> dict:
        return {
            "grant_type": "client_credentials",
            "client_assertion_type": vocab.JWT_BEARER,
            "client_assertion": assertion,
            "scope": scope,
        }


def bearer(tool: ToolRecord, *scopes: str) -> dict:
    """Headers for the Django test client carrying a fresh access token with `scopes`."""
    issued = access_token_issue(tool=tool, scopes=list(scopes))
    return {"HTTP_AUTHORIZATION": f"Bearer {issued.token}"}


def person(email_prefix: str) -> Person:
    """The practice course's person whose email starts with `email_prefix` ("alice")."""
    return Person.objects.get(email__startswith=email_prefix)


# -- a launch started on the practice LMS with the test client -------------------------------


def form_fields(html: str) -> dict[str, str]:
    return {
        name: unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    }


def form_action(html: str) -> str:
    return unescape(re.search(r'<form id="autopost" method="post" action="([^"]+)"', html)[1])


def start_launch(client, person, mode="iframe") -> dict[str, str]:
    """The login initiation parameters the platform sends to the tool."""
    response = client.get(f"/practice-lms/launch/{person.pk}/?mode={mode}&method=post")
    assert response.status_code == 200
    assert form_action(response.content.decode()) == f"{BASE_URL}/lti/login/"
    return form_fields(response.content.decode())


def auth_params(login: dict[str, str], **overrides) -> dict[str, str]:
    params = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": login["client_id"],
        "redirect_uri": REDIRECT_URI,
        "login_hint": login["login_hint"],
        "lti_message_hint": login["lti_message_hint"],
        "state": "state-123",
        "nonce": "nonce-456",
    }
    params.update(overrides)
    return {name: value for name, value in params.items() if value is not None}


def platform_public_key(client, kid: str):
    jwks = client.get("/practice-lms/jwks/").json()
    jwk = next(key for key in jwks["keys"] if key["kid"] == kid)
    assert jwk["alg"] == "RS256" and jwk["use"] == "sig"
    return jwt.PyJWK(jwk).key


def verified_id_token(client, html: str) -> dict:
    token = form_fields(html)["id_token"]
    kid = jwt.get_unverified_header(token)["kid"]
    return jwt.decode(
        token,
        platform_public_key(client, kid),
        algorithms=["RS256"],
        audience=CLIENT_ID,
        issuer=ISSUER,
    )
