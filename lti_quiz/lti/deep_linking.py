"""Deep linking (LTI Deep Linking 2.0, https://www.imsglobal.org/spec/lti-dl/v2p0/), the
protocol half: accept a validated LtiDeepLinkingRequest, keep what the answer needs, and sign the
LtiDeepLinkingResponse. What is offered and chosen (the picker) is the activity room's.

The request is validated once by launch.py; what the picker needs afterwards (where to send the
answer, the opaque `data` to echo, the registration and deployment) is kept in the cache under a
random id that travels in the picker's URL, like a LaunchContext.

The response JWT is built here with PyJWT rather than pylti1p3's DeepLink: pylti1p3 2.0.0 emits
`"custom": {}` and `data: null` when they are empty, and some platforms reject them
(docs/platforms.md).
"""

import dataclasses
import logging
import secrets
import time
import typing as t
from dataclasses import dataclass

import jwt
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from lti_quiz.lib import expiring
from lti_quiz.lti import errors
from lti_quiz.lti.claims import ALGORITHM, LTI_VERSION, Claim, MessageType
from lti_quiz.lti.context import roles_are_staff
from lti_quiz.lti.keys import active_tool_key
from lti_quiz.lti.languages import locale_from_claims
from lti_quiz.lti.models import Registration

logger = logging.getLogger(__name__)

RESPONSE_LIFETIME = 300  # seconds the response JWT is good for: the browser posts it at once
RESOURCE_LINK = "ltiResourceLink"


class DeepLinkInvalid(ValueError):
    """What the instructor submitted (or the platform asked) cannot be answered; says why."""


class DeepLinkingNotStaff(errors.LtiLaunchError):
    status = 403
    message = _(
        "Only instructors can add the quiz to a course. Ask your instructor, or open the quiz "
        "from the course page."
    )


class DeepLinkingRequestInvalid(errors.LtiLaunchError):
    message = _(
        "The LMS asked for content in a way the quiz tool cannot answer (it must accept a "
        "resource link and say where to send it). Tell your LMS administrator."
    )


@dataclass(frozen=True)
class DeepLinkRequest:
    """The little we keep of a validated LtiDeepLinkingRequest until the instructor picks."""

    registration_id: int
    deployment_id: str
    return_url: str
    data: str | None  # echoed verbatim when the request had it; absent otherwise
    accept_types: tuple[str, ...]
    accept_presentation_document_targets: tuple[str, ...]
    accept_multiple: bool
    locale: str = ""  # the launch_presentation locale: the picker speaks its language


def _cache_key(deep_link_id: str) -> str:
    return f"lti:deep-link:{deep_link_id}"


def deep_link_request_accept(*, registration: Registration, claims: dict[str, t.Any]) -> str:
    """A validated LtiDeepLinkingRequest from staff, kept for the picker; anyone else is refused.
    Returns the id that goes in the picker's URL."""
    roles = claims.get(Claim.ROLES) or []
    if not roles_are_staff(roles):
        raise DeepLinkingNotStaff(f"deep linking request with roles {roles!r}")
    try:
        deep_link_id = deep_link_request_save(registration=registration, claims=claims)
    except DeepLinkInvalid as error:
        raise DeepLinkingRequestInvalid(str(error)) from error
    logger.info("LTI deep linking request %s from registration %s", deep_link_id, registration.pk)
    return deep_link_id


def deep_link_request_save(*, registration: Registration, claims: dict[str, t.Any]) -> str:
    """Keep a validated deep linking request for the picker; its id goes in the picker's URL."""
    dl = claims.get(Claim.DL_SETTINGS)
    if not isinstance(dl, dict):
        raise DeepLinkInvalid("the request has no deep_linking_settings claim")
    return_url = dl.get("deep_link_return_url")
    if not isinstance(return_url, str) or not return_url.startswith(("https://", "http://")):
        raise DeepLinkInvalid(f"deep_link_return_url is not a URL: {return_url!r}")
    accept_types = _strings(dl.get("accept_types"))
    if RESOURCE_LINK not in accept_types:
        raise DeepLinkInvalid(f"the platform accepts {list(accept_types)}, not {RESOURCE_LINK}")
    data = dl.get("data")
    request = DeepLinkRequest(
        registration_id=registration.pk,
        deployment_id=claims[Claim.DEPLOYMENT_ID],
        return_url=return_url,
        data=data if isinstance(data, str) else None,
        accept_types=accept_types,
        accept_presentation_document_targets=_strings(
            dl.get("accept_presentation_document_targets")
        ),
        accept_multiple=dl.get("accept_multiple") is True,
        locale=locale_from_claims(claims),
    )
    deep_link_id = secrets.token_urlsafe(24)
    expiring.cache_set(
        _cache_key(deep_link_id), dataclasses.asdict(request), settings.LTI_LAUNCH_LIFETIME
    )
    return deep_link_id


def deep_link_request_load(deep_link_id: str) -> DeepLinkRequest | None:
    data = expiring.cache_get(_cache_key(deep_link_id)) if 0 < len(deep_link_id) <= 64 else None
    if not isinstance(data, dict):
        return None
    try:
        return DeepLinkRequest(
            **{
                **data,
                "accept_types": tuple(data["accept_types"]),
                "accept_presentation_document_targets": tuple(
                    data["accept_presentation_document_targets"]
                ),
            }
        )
    except (TypeError, KeyError):
        return None


def deep_link_request_forget(deep_link_id: str) -> None:
    """A request is answered once: a second POST of the picker finds nothing."""
    cache.delete(_cache_key(deep_link_id))


def _strings(value: t.Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def response_jwt(
    *, request: DeepLinkRequest, registration: Registration, items: list[dict[str, t.Any]]
) -> str:
    """The LtiDeepLinkingResponse (Deep Linking 2.0 §4.2), signed with the tool's key."""
    now = int(time.time())
    claims: dict[str, t.Any] = {
        "iss": registration.client_id,
        "aud": registration.issuer,
        "iat": now,
        "exp": now + RESPONSE_LIFETIME,
        "nonce": secrets.token_urlsafe(24),
        Claim.DEPLOYMENT_ID.value: request.deployment_id,
        Claim.MESSAGE_TYPE.value: MessageType.DEEP_LINKING_RESPONSE.value,
        Claim.VERSION.value: LTI_VERSION,
        Claim.DL_CONTENT_ITEMS.value: items,
    }
    if request.data is not None:
        claims[Claim.DL_DATA.value] = request.data
    key = active_tool_key()
    return jwt.encode(
        claims, key.private_key_pem, algorithm=ALGORITHM, headers={"kid": key.kid, "typ": "JWT"}
    )
