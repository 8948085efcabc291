"""id_token validation: pylti1p3's launch with its gaps closed (docs/platforms.md, "pylti1p3
2.0.0 and what we do instead"). The login before it is login.py.

The platform POSTs id_token + state back. The id_token is checked as the Security
Framework says (https://www.imsglobal.org/spec/security/v1p0/ §5.1.3) and pylti1p3 does not:
RS256 only with a `kid`; JWKS cached and refetched once for an unknown kid (platform_keys.py);
exp and iat required, with settings.LTI_CLOCK_LEEWAY of clock skew; aud contains the client_id
and azp is checked;
state matches the cookie set at login; the nonce is consumed once. Then the LTI claims
(LTI 1.3 §5.3, https://www.imsglobal.org/spec/lti/v1p3/#required-message-claims).
Every refusal is an `errors.LtiLaunchError` with a sentence for the person and a logged reason.
"""

import base64
import binascii
import json
import re
import typing as t

import jwt
import requests
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.message_launch import DjangoMessageLaunch
from pylti1p3.contrib.django.request import DjangoRequest
from pylti1p3.exception import LtiException
from pylti1p3.message_launch import TJwtData

from lti_quiz.lib import jwt_decode
from lti_quiz.lib.http import http_session
from lti_quiz.lti import errors
from lti_quiz.lti.claims import ALGORITHM, LTI_VERSION, Claim, MessageType
from lti_quiz.lti.login import restart_url
from lti_quiz.lti.platform_keys import platform_key
from lti_quiz.lti.storage import LOGIN_STATE_SECONDS, CacheSessionService, LaunchCookieService
from lti_quiz.lti.tool_config import DbRegistration, DbToolConf


class PlatformStorageNeeded(Exception):
    """No state cookie, but the login stored state and nonce in the platform: ask it for them."""

    def __init__(self, *, state: str, login: dict[str, t.Any]) -> None:
        super().__init__("state cookie missing; the login used platform storage")
        self.state = state
        self.login = login


class LtiMessageLaunch(DjangoMessageLaunch):
    """One launch request. `validate()` runs every check once; then read `claims` (or
    pylti1p3's readers: `get_launch_data()`, `is_deep_link_launch()`, ...)."""

    def __init__(
        self,
        request: HttpRequest,
        tool_config: DbToolConf | None = None,
        *,
        requests_session: requests.Session | None = None,
    ) -> None:
        # Our own references to what we hand pylti1p3, read through their public methods.
        self.lti_request = DjangoRequest(request, post_only=True)
        self.tool_config = tool_config or DbToolConf()
        self.logins = CacheSessionService(self.lti_request)
        self.cookies = LaunchCookieService(self.lti_request)
        # Tests inject a fake by replacing `http_session` in this module.
        self.http = requests_session or http_session()
        super().__init__(
            self.lti_request,
            self.tool_config,
            session_service=self.logins,
            cookie_service=self.cookies,
            requests_session=self.http,
        )
        # pylti1p3's readers (get_launch_data, is_resource_launch, ...) would otherwise start a
        # validation themselves, and a second one finds the login state consumed: the view
        # calls validate() once, and the readers see the body only after it passed.
        self.set_auto_validation(enable=False)
        self.found_registration: DbRegistration | None = None
        self.client_id = ""
        self.state = ""
        self.stored_nonce = ""
        # The id_token as sent: header and body decoded, not yet trusted (see `claims`).
        self.token = ""
        self.token_header: dict[str, t.Any] = {}
        self.token_body: dict[str, t.Any] = {}

    def param(self, name: str) -> str:
        return self.lti_request.get_param(name) or ""

    # -- results ---------------------------------------------------------------------------

    @property
    def claims(self) -> dict[str, t.Any]:
        """The id_token body once validate() passed; empty before."""
        return t.cast(dict[str, t.Any], self.get_launch_data())

    @property
    def registration(self) -> DbRegistration:
        assert self.found_registration is not None, "validate() first"
        return self.found_registration

    @property
    def message_type(self) -> str:
        return self.claims.get(Claim.MESSAGE_TYPE, "")

    def unverified_claims(self) -> dict[str, t.Any]:
        """The body as sent, checked or not: for log lines about a refused launch."""
        return self.token_body

    def get_client_id(self) -> str:
        # pylti1p3 takes aud[0]; the client id is the one validate_registration settled on.
        return self.client_id

    def update_response(self, response: HttpResponse) -> None:
        """Apply cookie changes (the used state cookie is removed) to the response."""
        self.cookies.update_response(response)

    # -- validation ------------------------------------------------------------------------

    def validate(self) -> "LtiMessageLaunch":
        """pylti1p3's validation chain, every step ours (the launch refuses with our errors)."""
        try:
            self.validate_jwt_format()
            self.validate_state()
            self.validate_registration()
            self.validate_jwt_signature()
            self.validate_nonce()
            self.validate_deployment()
            self.validate_message()
        except LtiException as error:  # pylti1p3's tool config lookups raise its own type
            raise errors.LaunchTokenInvalid(str(error)) from error
        self.cookies.delete_cookie(self.state)
        self.set_jwt(t.cast(TJwtData, {"header": self.token_header, "body": self.token_body}))
        return self

    def validate_jwt_format(self) -> "LtiMessageLaunch":
        self.token = self.param("id_token")
        if not self.token:
            raise errors.LaunchTokenInvalid(
                "POST without id_token",
                message=_(
                    "This address only accepts launches sent by an LMS. "
                    "Go back to your course and open the activity from there."
                ),
            )
        # Three base64url parts with JSON objects; the signature is checked later, once the
        # registration (and so the platform's key set) is known, by PyJWT, which parses the
        # whole token again and is what the claims are finally taken from.
        header, body = _unverified_parts(self.token)
        if not isinstance(header, dict) or not isinstance(body, dict):
            raise errors.LaunchTokenInvalid("id_token header or body is not a JSON object")
        self.token_header, self.token_body = header, body
        if header.get("alg") != ALGORITHM:
            raise errors.LaunchTokenInvalid(f"id_token alg {header.get('alg')!r}, not RS256")
        if not header.get("kid") or not isinstance(header["kid"], str):
            # Security Framework §6: the platform's key is found by kid; without one we would
            # have to try every key, and a rotation could not be told apart from a forgery.
            raise errors.LaunchTokenInvalid("id_token header has no kid")
        return self

    def validate_state(self) -> "LtiMessageLaunch":
        state = self.param("state")
        if not state:
            raise errors.LaunchStateMismatch("launch without state")
        cookie = self.cookies.get_cookie(state)
        if not cookie:
            login = self.logins.peek_login_state(state)
            if login is None:
                raise errors.LaunchReplayed("state unknown: already used or expired")
            if not login.get("storage"):
                raise errors.LaunchStateMissing(
                    "state cookie missing (blocked cookies?)",
                    action=errors.PageAction(
                        url=restart_url(login.get("login_params") or {}),
                        label=_("Open the activity in a new window"),
                        new_window=True,
                    ),
                )
            # The launch page read the state back from the platform's storage and re-posted it.
            stored = self.lti_request.get_param("lti_storage_state")
            if stored is None:
                raise PlatformStorageNeeded(state=state, login=login)
            if not constant_time_compare(stored, state):
                raise errors.LaunchStateMismatch("state from platform storage differs")
            self.stored_nonce = self.param("lti_storage_nonce")
            self.state = state
            return self
        if not constant_time_compare(cookie, state):
            raise errors.LaunchStateMismatch("state differs from the state cookie")
        self.state = state
        return self

    def validate_registration(self) -> "LtiMessageLaunch":
        body = self.token_body
        iss, aud, azp = body.get("iss"), body.get("aud"), body.get("azp")
        if not iss or not isinstance(iss, str):
            raise errors.LaunchTokenInvalid("id_token without iss")
        audiences = [aud] if isinstance(aud, str) else aud
        if not audiences or not isinstance(audiences, list):
            raise errors.LaunchTokenInvalid("id_token without aud")
        # Security §5.1.3 steps 3-5 (OIDC Core §3.1.3.7): aud must contain our client id; with
        # several audiences azp must be there, and azp, when present, must be our client id.
        if azp is not None:
            if not isinstance(azp, str) or azp not in audiences:
                raise errors.LaunchTokenInvalid(f"azp {azp!r} is not one of aud {audiences!r}")
            client_id = azp
        elif len(audiences) == 1 and isinstance(audiences[0], str):
            client_id = audiences[0]
        else:
            raise errors.LaunchTokenInvalid(f"aud has several values {audiences!r} and no azp")
        self.found_registration = self.tool_config.find_registration_by_params(iss, client_id)
        if self.found_registration is None:
            raise errors.PlatformNotRegistered(
                f"no active registration for iss={iss!r} client_id={client_id!r}"
            )
        self.client_id = client_id
        return self

    def validate_jwt_signature(self) -> "LtiMessageLaunch":
        registration = self.registration
        leeway = settings.LTI_CLOCK_LEEWAY
        for claim in ("exp", "iat", "nbf"):
            value = self.token_body.get(claim)
            # RFC 7519 §2 NumericDate is a JSON number; PyJWT would also take "1700000000".
            if claim in self.token_body and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise errors.LaunchTokenInvalid(f"id_token {claim} is not a JSON number: {value!r}")
        try:
            verified = jwt_decode.decode(
                self.token,
                platform_key(
                    key_set_url=registration.get_key_set_url() or "",
                    kid=self.token_header["kid"],
                    http=self.http,
                ),
                algorithms=[ALGORITHM],
                audience=self.client_id,
                issuer=registration.get_issuer(),
                leeway=leeway,
                options={"require": ["exp", "iat", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise errors.LaunchExpired(f"id_token expired: {error}") from error
        except jwt.ImmatureSignatureError as error:
            raise errors.LaunchNotYetValid(f"id_token from the future: {error}") from error
        except jwt.InvalidTokenError as error:
            raise errors.LaunchTokenInvalid(f"id_token rejected: {error}") from error
        self.token_body = verified
        # An id_token older than any login we would still accept cannot answer one of ours.
        issued_at = int(self.token_body["iat"])  # an int: jwt.decode checked it
        if issued_at < timezone.now().timestamp() - LOGIN_STATE_SECONDS - leeway:
            raise errors.LaunchExpired(f"id_token issued too long ago (iat {issued_at})")
        return self

    def validate_nonce(self) -> "LtiMessageLaunch":
        nonce = self.token_body.get("nonce")
        if not nonce or not isinstance(nonce, str):
            raise errors.LaunchTokenInvalid("id_token without nonce")
        # Consumed here, after the signature check: forged tokens cannot burn a real login.
        login = self.logins.consume_login_state(self.state)
        if login is None:
            raise errors.LaunchReplayed("login state already consumed or expired (replay?)")
        if not constant_time_compare(login["nonce"], nonce):
            raise errors.LaunchStateMismatch("nonce differs from the one sent at login")
        if self.stored_nonce and not constant_time_compare(self.stored_nonce, nonce):
            raise errors.LaunchStateMismatch("nonce from platform storage differs")
        if login["registration_id"] != self.registration.model.pk:
            raise errors.LaunchStateMismatch("login and launch name different registrations")
        return self

    def validate_deployment(self) -> "LtiMessageLaunch":
        deployment_id = self.token_body.get(Claim.DEPLOYMENT_ID)
        if not deployment_id or not isinstance(deployment_id, str):
            raise errors.LaunchWithoutDeployment("no deployment_id claim")
        found = self.tool_config.find_deployment_by_params(
            self.registration.get_issuer() or "", deployment_id, self.client_id
        )
        if found is None:
            raise errors.DeploymentNotRegistered(
                f"deployment_id {deployment_id!r} unknown for {self.registration.model}"
            )
        return self

    def validate_message(self) -> "LtiMessageLaunch":
        body = self.token_body
        message_type = body.get(Claim.MESSAGE_TYPE)
        if not message_type or not isinstance(message_type, str):
            raise errors.LaunchMessageInvalid(
                "no message_type claim",
                message=_("The launch does not say what kind of launch it is (no message type)."),
            )
        version = body.get(Claim.VERSION)
        if version != LTI_VERSION:
            raise errors.LaunchMessageInvalid(
                f"version {version!r}, expected {LTI_VERSION}",
                message=_(
                    "The launch does not say it is LTI 1.3.0, the only version the quiz tool "
                    "speaks."
                )
                if version is None
                else format_lazy(
                    _("The launch uses LTI version {version}; the quiz tool speaks LTI 1.3.0."),
                    version=version,
                ),
            )
        roles = body.get(Claim.ROLES)
        if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
            # Present but possibly [""] (certification accepts that): no role is a learner.
            raise errors.LaunchMessageInvalid(
                f"roles claim missing or not a list of strings: {roles!r}",
                message=_("The launch does not say what your role in the course is (no roles)."),
            )
        if message_type == MessageType.RESOURCE_LINK:
            self._validate_resource_link(body)
        elif message_type not in (MessageType.DEEP_LINKING, MessageType.SUBMISSION_REVIEW):
            raise errors.MessageTypeNotSupported(f"unknown message_type {message_type!r}")
        return self

    def _validate_resource_link(self, body: dict[str, t.Any]) -> None:
        # LTI 1.3 §5.3.5 and §5.3.6: both ids are at most 255 ASCII characters.
        sub = body.get("sub")
        if not sub or not isinstance(sub, str) or len(sub) > 255:
            raise errors.LaunchWithoutUser(f"resource link launch with sub {sub!r}")
        link = body.get(Claim.RESOURCE_LINK)
        link_id = link.get("id") if isinstance(link, dict) else None
        if not link_id or not isinstance(link_id, str) or len(link_id) > 255:
            raise errors.LaunchWithoutResourceLink("resource link launch without resource_link.id")


# A base64url segment as PyJWT accepts it (it also takes up to two "=" of padding).
_SEGMENT = re.compile(r"[A-Za-z0-9_-]*={0,2}")


def _unverified_parts(token: str) -> tuple[t.Any, t.Any]:
    """(header, body) of a JWS compact token as sent, decoded but not verified: enough to find
    the registration and the key. The full check runs once, when the signature is verified.
    """
    parts = token.split(".")
    if len(parts) != 3 or not all(_SEGMENT.fullmatch(part) for part in parts):
        raise errors.LaunchTokenInvalid("id_token is not a JWT: not three base64url parts")
    try:
        return tuple(
            json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
            for part in parts[:2]
        )  # type: ignore[return-value]
    except (ValueError, binascii.Error, RecursionError) as error:
        raise errors.LaunchTokenInvalid(f"id_token is not a JWT: {error}") from error
