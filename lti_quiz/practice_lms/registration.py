"""The platform's side of LTI Dynamic Registration (https://www.imsglobal.org/spec/lti-dr/v1p0).

Modelled on Moodle (mod/lti/openid-configuration.php, openid-registration.php and
classes/local/ltiopenid/registration_helper.php): a one-time registration token, the tool's
registration checked field by field, a new client id and deployment id per tool, and an answer
that echoes the registration with `deployment_id` inside the tool configuration.
"""

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from lti_quiz.practice_lms import endpoints, vocab
from lti_quiz.practice_lms.deep_linking import DEEP_LINKING_REQUEST
from lti_quiz.practice_lms.models import Course, RegistrationInvite, ToolRecord, token_digest

TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"


class RegistrationRefused(Exception):
    """The tool's registration is refused; `status` and `message` are what the tool receives."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def openid_configuration(request: HttpRequest) -> dict[str, Any]:
    course = Course.objects.order_by("id").first()
    return {
        "issuer": endpoints.issuer(request),
        "authorization_endpoint": endpoints.absolute(request, "auth"),
        "token_endpoint": endpoints.token_url(request),
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
        "jwks_uri": endpoints.absolute(request, "jwks"),
        "registration_endpoint": endpoints.absolute(request, "register_tool"),
        "scopes_supported": ["openid", *sorted(vocab.ALLOWED_SCOPES)],
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "claims_supported": ["sub", "iss", "name", "given_name", "family_name", "email"],
        PLATFORM_CONFIGURATION: {
            "product_family_code": course.behaves_like if course else Course.BehavesLike.PRACTICE,
            "version": "1.0",
            # Only what this platform can launch today.
            "messages_supported": [vocab.RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST],
        },
    }


def registration_start(request: HttpRequest, *, tool_url: str) -> tuple[RegistrationInvite, str]:
    """A one-time token and the URL (the tool's, with our parameters) to open in the iframe."""
    parts = urlsplit(tool_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RegistrationRefused(f"The tool's registration URL must be http(s), not {tool_url!r}.")
    token = secrets.token_urlsafe(32)
    invite = RegistrationInvite.objects.create(
        token_digest=token_digest(token), tool_url=tool_url.strip()
    )
    params = urlencode(
        {
            "openid_configuration": endpoints.absolute(request, "openid_configuration"),
            "registration_token": token,
        }
    )
    separator = "&" if parts.query else "?"
    return invite, f"{tool_url.strip()}{separator}{params}"


@dataclass(frozen=True)
class _Checked:
    client_name: str
    initiate_login_uri: str
    redirect_uris: list[str]
    jwks_uri: str
    target_link_uri: str
    domain: str
    scopes: list[str]
    claims: list[str]
    messages: list[dict[str, Any]]


def _url(payload: dict, key: str) -> str:
    value = payload.get(key)
    parts = urlsplit(value if isinstance(value, str) else "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RegistrationRefused(f"invalid_{key}: an http(s) URL is required")
    return str(value)


def _required(payload: dict, key: str) -> Any:
    value = payload.get(key)
    if not value:
        raise RegistrationRefused(f"missing required attribute {key}")
    return value


def _check(payload: Any) -> _Checked:
    if not isinstance(payload, dict):
        raise RegistrationRefused("invalid_registration: the body must be a JSON object")
    response_types = _required(payload, "response_types")
    if not isinstance(response_types, list) or "id_token" not in response_types:
        raise RegistrationRefused("invalid_response_types")
    if payload.get("token_endpoint_auth_method") != "private_key_jwt":
        raise RegistrationRefused("invalid_token_endpoint_auth_method")
    if payload.get("application_type", "web") != "web":
        raise RegistrationRefused("invalid_application_type")
    redirect_uris = _required(payload, "redirect_uris")
    if not isinstance(redirect_uris, list) or not all(
        isinstance(uri, str) and urlsplit(uri).scheme in ("http", "https") for uri in redirect_uris
    ):
        raise RegistrationRefused("invalid_redirect_uris")
    client_name = str(_required(payload, "client_name"))
    config = _required(payload, TOOL_CONFIGURATION)
    if not isinstance(config, dict):
        raise RegistrationRefused(f"invalid {TOOL_CONFIGURATION}")
    domain = str(_required(config, "domain"))
    checked = _Checked(
        client_name=client_name[:200],
        initiate_login_uri=_url(payload, "initiate_login_uri"),
        redirect_uris=redirect_uris,
        jwks_uri=_url(payload, "jwks_uri"),
        target_link_uri=_url(config, "target_link_uri"),
        domain=domain,
        scopes=str(payload.get("scope") or "").split(),
        claims=[claim for claim in config.get("claims") or [] if isinstance(claim, str)],
        messages=[m for m in config.get("messages") or [] if isinstance(m, dict)],
    )
    # Every URL the platform will send people or tokens to must be on the tool's domain.
    for uri in (checked.initiate_login_uri, checked.target_link_uri, *checked.redirect_uris):
        if urlsplit(uri).netloc != domain:
            raise RegistrationRefused(f"invalid_domain: {uri} is not on the domain {domain}")
    return checked


def _invite_for(bearer: str) -> RegistrationInvite:
    invite = (
        RegistrationInvite.objects.select_for_update()
        .filter(token_digest=token_digest(bearer))
        .first()
    )
    if invite is None:
        raise RegistrationRefused("invalid_registration_token", status=401)
    if invite.used_at is not None:
        raise RegistrationRefused("token_already_used", status=401)
    if invite.is_expired:
        raise RegistrationRefused("registration_token_expired", status=401)
    return invite


def registration_accept(*, bearer: str, payload: Any) -> tuple[ToolRecord, dict[str, Any]]:
    """Check the tool's registration, record the tool, and build the answer the tool receives."""
    if not bearer:
        raise RegistrationRefused("missing_registration_token", status=401)
    checked = _check(payload)
    with transaction.atomic():
        invite = _invite_for(bearer)
        tool = ToolRecord.objects.create(
            name=checked.client_name,
            client_id=secrets.token_urlsafe(12),
            login_url=checked.initiate_login_uri,
            launch_url=checked.target_link_uri,
            redirect_uris="\n".join(checked.redirect_uris),
            jwks_url=checked.jwks_uri,
        )
        # Like Moodle: the deployment id is the new tool's own id.
        tool.deployment_id = str(tool.pk)
        tool.save(update_fields=["deployment_id"])
        invite.used_at = timezone.now()
        invite.tool = tool
        invite.save(update_fields=["used_at", "tool"])
    granted = [scope for scope in checked.scopes if scope in vocab.ALLOWED_SCOPES]
    answer = {
        "client_id": tool.client_id,
        "token_endpoint_auth_method": "private_key_jwt",
        "response_types": ["id_token"],
        "jwks_uri": tool.jwks_url,
        "initiate_login_uri": tool.login_url,
        "grant_types": ["client_credentials", "implicit"],
        "redirect_uris": tool.redirect_uri_list,
        "application_type": "web",
        "client_name": tool.name,
        "scope": " ".join(granted),
        TOOL_CONFIGURATION: {
            "deployment_id": tool.deployment_id,
            "target_link_uri": tool.launch_url,
            "domain": checked.domain,
            "claims": checked.claims,
            "messages": checked.messages,
        },
    }
    return tool, answer
