"""LTI Dynamic Registration, the tool's side (https://www.imsglobal.org/spec/lti-dr/v1p0).

The platform opens /lti/register/?openid_configuration=URL&registration_token=TOKEN. We read the
platform's OpenID configuration, show the admin what will be registered, POST our registration to
the platform's `registration_endpoint` with the token as Bearer, and store the `client_id` (and
the deployment id, which Moodle returns and Canvas does not) through `registration_upsert`.

Parsing is lenient on purpose: Moodle 3.10 published its platform-configuration key with a
trailing space and without `authorization_endpoint`; Canvas lists messages as objects with
placements where the spec's examples list plain strings. Recorded documents and the source they
come from are in fixtures/registration/.
"""

import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction

from lti_quiz.lib.http import http_session
from lti_quiz.lti.claims import MessageType, Scope
from lti_quiz.lti.framing import origin_of
from lti_quiz.lti.models import Registration
from lti_quiz.lti.registrations import RegistrationError, registration_upsert
from lti_quiz.lti.tokens import platform_message

logger = logging.getLogger(__name__)

PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
CANVAS_PRIVACY_LEVEL = "https://canvas.instructure.com/lti/privacy_level"
CANVAS_ACCOUNT_NAME = "https://canvas.instructure.com/lti/account_name"
CANVAS_PLACEMENTS = ("assignment_selection", "link_selection")

TOOL_NAME = "LTI Quiz"
TOOL_DESCRIPTION = "Lessons with a graded quiz: scores go back to the course gradebook."
# What the tool asks for: AGS to send scores (and find or create its line item), NRPS for the
# instructor's roster. A platform may grant fewer; the response says which.
SCOPES = (
    Scope.AGS_LINEITEM,
    Scope.AGS_LINEITEM_READONLY,
    Scope.AGS_RESULT_READONLY,
    Scope.AGS_SCORE,
    Scope.NRPS_MEMBERSHIP_READONLY,
)
CLAIMS = ("iss", "sub", "name", "given_name", "family_name", "email")
# A configuration or registration answer is a small JSON document; anything bigger is not one.
DOCUMENT_LIMIT_BYTES = 512 * 1024


class DynamicRegistrationError(Exception):
    """What the admin must read: what went wrong, in words, with what the platform said."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def lenient(value: Any) -> Any:
    """The document with stray whitespace stripped from every key and string value."""
    if isinstance(value, dict):
        return {str(key).strip(): lenient(item) for key, item in value.items()}
    if isinstance(value, list):
        return [lenient(item) for item in value]
    if isinstance(value, str):
        return value.strip()
    return value


def _http_url(label: str, value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(text) > 500:
        raise DynamicRegistrationError(
            f"The platform's configuration has no usable {label} (got {value!r})."
        )
    return text


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str) and item)
    return ()


@dataclass(frozen=True)
class PlatformConfiguration:
    """What we need from the platform's OpenID configuration, cleaned up."""

    url: str
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    registration_endpoint: str
    product_family_code: str
    version: str
    account_name: str
    messages_supported: tuple[str, ...]
    scopes_supported: tuple[str, ...]

    @property
    def is_canvas(self) -> bool:
        return self.product_family_code == "canvas"

    @property
    def is_moodle(self) -> bool:
        return self.product_family_code == "moodle"

    @property
    def supports_deep_linking(self) -> bool:
        return MessageType.DEEP_LINKING in self.messages_supported

    @property
    def issuer_matches_url(self) -> bool:
        """Spec §3.5.1: the configuration must come from the issuer's own host."""
        return (urlsplit(self.issuer).hostname or "") == (urlsplit(self.url).hostname or "")

    @property
    def display_name(self) -> str:
        product = {"canvas": "Canvas", "moodle": "Moodle"}.get(
            self.product_family_code, self.product_family_code or "LMS"
        )
        where = self.account_name or urlsplit(self.issuer).netloc
        return f"{product} ({where})"


def platform_configuration_parse(document: Any, *, url: str) -> PlatformConfiguration:
    """Read a platform's OpenID configuration leniently; raise when a needed URL is missing."""
    if not isinstance(document, dict):
        raise DynamicRegistrationError("The platform's configuration is not a JSON object.")
    doc = lenient(document)
    lti = doc.get(PLATFORM_CONFIGURATION)
    lti = lti if isinstance(lti, dict) else {}
    issuer = _http_url("issuer", doc.get("issuer"))
    family = str(lti.get("product_family_code") or "").lower()
    authorization_endpoint = doc.get("authorization_endpoint")
    if not authorization_endpoint and family == "moodle":
        # Moodle before 4.0 left it out; its OIDC auth endpoint has always been this one.
        authorization_endpoint = issuer.rstrip("/") + "/mod/lti/auth.php"
    messages = []
    for message in lti.get("messages_supported") or []:
        # Canvas: {"type": ..., "placements": [...]}; Moodle and the spec: plain strings.
        kind = message.get("type") if isinstance(message, dict) else message
        if isinstance(kind, str) and kind:
            # Moodle 3.10 says "LtiResourceLink" for LtiResourceLinkRequest.
            messages.append(MessageType.RESOURCE_LINK if kind == "LtiResourceLink" else kind)
    auth_methods = _strings(doc.get("token_endpoint_auth_methods_supported"))
    if auth_methods and "private_key_jwt" not in auth_methods:
        raise DynamicRegistrationError(
            "The platform does not accept private_key_jwt client authentication, "
            "which LTI 1.3 requires."
        )
    return PlatformConfiguration(
        url=url,
        issuer=issuer,
        authorization_endpoint=_http_url("authorization_endpoint", authorization_endpoint),
        token_endpoint=_http_url("token_endpoint", doc.get("token_endpoint")),
        jwks_uri=_http_url("jwks_uri", doc.get("jwks_uri")),
        registration_endpoint=_http_url("registration_endpoint", doc.get("registration_endpoint")),
        product_family_code=family,
        version=str(lti.get("version") or ""),
        account_name=str(lti.get(CANVAS_ACCOUNT_NAME) or ""),
        messages_supported=tuple(messages),
        scopes_supported=_strings(doc.get("scopes_supported")),
    )


def _json_of(response: requests.Response, *, what: str) -> Any:
    if len(response.content or b"") > DOCUMENT_LIMIT_BYTES:
        raise DynamicRegistrationError(f"The platform's {what} is too large to be one.")
    try:
        return json.loads(response.content)
    except ValueError:
        raise DynamicRegistrationError(f"The platform's {what} is not JSON.") from None


def _bearer(registration_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {registration_token}"} if registration_token else {}


def platform_configuration_fetch(
    *, url: str, registration_token: str, session: requests.Session | None = None
) -> PlatformConfiguration:
    """GET the configuration (Canvas wants the registration token as Bearer; Moodle ignores it)."""
    url = _http_url("openid_configuration URL", url)
    session = session or http_session()
    headers = {"Accept": "application/json", **_bearer(registration_token)}
    try:
        response = session.request("GET", url, headers=headers, allow_redirects=False)
    except requests.RequestException as exc:
        raise DynamicRegistrationError(
            f"Could not read the platform's configuration at {url}: {exc.__class__.__name__}."
        ) from None
    if response.status_code != 200:
        raise DynamicRegistrationError(
            f"The platform did not give its configuration ({url}): {platform_message(response)}"
        )
    return platform_configuration_parse(_json_of(response, what="configuration"), url=url)


@dataclass(frozen=True)
class ToolUrls:
    login: str
    launch: str
    jwks: str
    domain: str


def tool_registration_request(*, platform: PlatformConfiguration, tool: ToolUrls) -> dict[str, Any]:
    """The registration the tool POSTs (DR §3.4 and Canvas's documented extensions)."""
    messages: list[dict[str, Any]] = [
        {"type": MessageType.RESOURCE_LINK.value, "target_link_uri": tool.launch}
    ]
    if platform.supports_deep_linking:
        deep_linking: dict[str, Any] = {
            "type": MessageType.DEEP_LINKING.value,
            "target_link_uri": tool.launch,
            "label": TOOL_NAME,
        }
        if platform.is_canvas:
            deep_linking["placements"] = list(CANVAS_PLACEMENTS)
        messages.append(deep_linking)
    tool_configuration: dict[str, Any] = {
        "domain": tool.domain,
        "target_link_uri": tool.launch,
        "description": TOOL_DESCRIPTION,
        "claims": list(CLAIMS),
        "messages": messages,
    }
    if platform.is_canvas:
        tool_configuration[CANVAS_PRIVACY_LEVEL] = "public"
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": tool.login,
        "redirect_uris": [tool.launch],
        "client_name": TOOL_NAME,
        "jwks_uri": tool.jwks,
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(scope.value for scope in SCOPES),
        TOOL_CONFIGURATION: tool_configuration,
    }


@dataclass(frozen=True)
class RegistrationResult:
    registration: Registration
    created: bool
    deployment_id: str
    scopes_granted: tuple[str, ...]


def _refusal(response: requests.Response) -> DynamicRegistrationError:
    reason = platform_message(response)
    if response.status_code in (401, 403):
        reason += (
            " The registration token may have expired or been used already: start the "
            "registration again from the platform."
        )
    return DynamicRegistrationError(f"The platform refused the registration: {reason}")


def _store(
    *, platform: PlatformConfiguration, client_id: str, deployment_id: str
) -> tuple[Registration, bool]:
    with transaction.atomic():
        existing = Registration.objects.filter(issuer=platform.issuer, client_id=client_id).first()
        # An admin may have renamed it: keep that name.
        name = existing.name if existing else platform.display_name[:200]
        if deployment_id:
            registration = registration_upsert(
                name=name,
                issuer=platform.issuer,
                client_id=client_id,
                auth_login_url=platform.authorization_endpoint,
                auth_token_url=platform.token_endpoint,
                key_set_url=platform.jwks_uri,
                deployment_ids=[deployment_id],
            )
        else:
            # Canvas creates the deployment later, when the admin installs the key in an
            # account; the admin adds its id here when activating the registration.
            # (registration_upsert insists on one; the URLs were checked when parsing.)
            registration, _ = Registration.objects.update_or_create(
                issuer=platform.issuer,
                client_id=client_id,
                defaults={
                    "name": name,
                    "auth_login_url": platform.authorization_endpoint,
                    "auth_token_url": platform.token_endpoint,
                    "key_set_url": platform.jwks_uri,
                },
            )
        changed = []
        if not registration.platform_family and platform.product_family_code:
            registration.platform_family = platform.product_family_code[:50]
            changed.append("platform_family")
        # A Canvas school's pages (and its configuration URL) live on its own domain, not on the
        # shared issuer's: let that origin frame the tool, as an admin would add it by hand.
        school = origin_of(platform.url)
        known = {origin_of(platform.issuer), origin_of(platform.authorization_endpoint)}
        known |= {origin_of(line) for line in registration.frame_origins.splitlines()}
        if school and school not in known:
            registration.frame_origins = "\n".join(
                line for line in [*registration.frame_origins.splitlines(), school] if line.strip()
            )
            changed.append("frame_origins")
        if changed:
            registration.save(update_fields=[*changed, "updated_at"])
        if existing is None:
            # Anyone can point a platform at /lti/register/: a new platform waits for a Django
            # admin unless the site trusts dynamic registration (and the document came from
            # the issuer's own host).
            registration.is_active = (
                settings.LTI_AUTO_ACTIVATE_REGISTRATIONS and platform.issuer_matches_url
            )
            registration.save(update_fields=["is_active", "updated_at"])
    return registration, existing is None


def registration_submit(
    *,
    platform: PlatformConfiguration,
    registration_token: str,
    tool: ToolUrls,
    session: requests.Session | None = None,
) -> RegistrationResult:
    """POST our registration to the platform and store what it answers."""
    body = tool_registration_request(platform=platform, tool=tool)
    session = session or http_session()
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        **_bearer(registration_token),
    }
    try:
        response = session.request(
            "POST",
            platform.registration_endpoint,
            data=json.dumps(body),
            headers=headers,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        raise DynamicRegistrationError(
            f"Could not reach the platform's registration endpoint "
            f"({platform.registration_endpoint}): {exc.__class__.__name__}."
        ) from None
    if not 200 <= response.status_code < 300:
        raise _refusal(response)
    answer = lenient(_json_of(response, what="registration answer"))
    if not isinstance(answer, dict) or not answer.get("client_id"):
        raise DynamicRegistrationError(
            "The platform accepted the registration but sent no client_id back."
        )
    client_id = str(answer["client_id"])
    if len(client_id) > 255:
        raise DynamicRegistrationError("The platform's client_id is longer than 255 characters.")
    tool_configuration = answer.get(TOOL_CONFIGURATION)
    tool_configuration = tool_configuration if isinstance(tool_configuration, dict) else {}
    deployment_id = str(tool_configuration.get("deployment_id") or "")
    try:
        registration, created = _store(
            platform=platform, client_id=client_id, deployment_id=deployment_id
        )
    except RegistrationError as exc:
        raise DynamicRegistrationError(
            f"The platform's answer cannot be stored: {exc.message}"
        ) from None
    granted = _strings(answer.get("scope")) if "scope" in answer else tuple(body["scope"].split())
    logger.info(
        "Dynamic registration with %s: client id %s, deployment %s, %s",
        platform.issuer,
        client_id,
        deployment_id or "(none yet)",
        "active" if registration.is_active else "waiting for an admin",
    )
    return RegistrationResult(
        registration=registration,
        created=created,
        deployment_id=deployment_id,
        scopes_granted=granted,
    )
