"""The platform side of deep linking (LTI Deep Linking 2.0, https://www.imsglobal.org/spec/lti-dl/v2p0/).

An instructor asks the tool for an activity (an LtiDeepLinkingRequest id_token carrying
deep_linking_settings); the tool answers with a signed LtiDeepLinkingResponse POSTed to
/practice-lms/deep-link/return/, which is checked like Moodle and Canvas do (signature with the
tool's JWKS fetched over HTTP, iss = the tool's client_id, aud = us, nonce once, data echoed),
and its ltiResourceLink becomes a resource link of the course with its line item.
"""

import logging
import typing as t
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

import jwt
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from lti_quiz.practice_lms import endpoints, vocab
from lti_quiz.practice_lms.assertions import (
    CLOCK_LEEWAY,
    ClientAssertionError,
    public_key_for,
)
from lti_quiz.practice_lms.models import (
    LaunchRequest,
    LineItem,
    ResourceLink,
    ToolRecord,
    UsedAssertion,
    new_opaque_id,
)

logger = logging.getLogger(__name__)

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
CLAIM_DL_SETTINGS = DL + "deep_linking_settings"
CLAIM_CONTENT_ITEMS = DL + "content_items"
CLAIM_DATA = DL + "data"
CLAIM_CUSTOM = vocab.LTI + "custom"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
DEEP_LINKING_RESPONSE = "LtiDeepLinkingResponse"
RESOURCE_LINK_TYPE = "ltiResourceLink"


class DeepLinkReturnError(Exception):
    """The tool's deep linking response is refused; the message says why."""


def deep_linking_settings(request: HttpRequest, launch: LaunchRequest) -> dict[str, t.Any]:
    return {
        "deep_link_return_url": endpoints.absolute(request, "deep_link_return"),
        "accept_types": [RESOURCE_LINK_TYPE],
        "accept_presentation_document_targets": ["iframe", "window"],
        "accept_multiple": False,
        "auto_create": True,
        "title": "Distillation Tradeoffs quiz",
        "data": launch.deep_link_data,
    }


def deep_linking_claims(
    request: HttpRequest, *, launch: LaunchRequest, tool: ToolRecord, claims: dict[str, t.Any]
) -> dict[str, t.Any]:
    """Turn the claims of a resource link launch into a deep linking request's."""
    claims = dict(claims)
    claims.pop(vocab.CLAIM_RESOURCE_LINK, None)  # a deep linking request opens no link
    claims.pop(vocab.CLAIM_AGS, None)
    claims[vocab.CLAIM_MESSAGE_TYPE] = DEEP_LINKING_REQUEST
    claims[CLAIM_DL_SETTINGS] = deep_linking_settings(request, launch)
    return claims


def deep_link_return(request: HttpRequest, token: str) -> ResourceLink:
    """Check the tool's response and add its resource link (and line item) to the course."""
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise DeepLinkReturnError(f"JWT is not a JWT: {exc}") from exc
    if header.get("alg") != "RS256" or not header.get("kid"):
        raise DeepLinkReturnError("the response must be signed with RS256 and name its kid.")
    client_id = unverified.get("iss")
    tool = ToolRecord.objects.filter(client_id=client_id).first() if client_id else None
    if tool is None:
        raise DeepLinkReturnError(f"iss {client_id!r} is not the client_id of a registered tool.")
    issuer = endpoints.issuer(request)
    try:
        claims = jwt.decode(
            token,
            public_key_for(tool, header["kid"]),
            algorithms=["RS256"],
            audience=issuer,
            issuer=tool.client_id,
            leeway=CLOCK_LEEWAY,
            options={"require": ["iss", "aud", "exp", "iat", "nonce"]},
        )
    except ClientAssertionError as exc:
        raise DeepLinkReturnError(str(exc)) from exc
    except jwt.InvalidAudienceError as exc:
        raise DeepLinkReturnError(
            f"aud must be this platform's issuer ({issuer}), got {unverified.get('aud')!r}."
        ) from exc
    except jwt.PyJWTError as exc:
        raise DeepLinkReturnError(f"response rejected: {exc}.") from exc
    if claims.get(vocab.CLAIM_MESSAGE_TYPE) != DEEP_LINKING_RESPONSE:
        raise DeepLinkReturnError(f"message_type must be {DEEP_LINKING_RESPONSE}.")
    if claims.get(vocab.CLAIM_VERSION) != vocab.LTI_VERSION:
        raise DeepLinkReturnError(f"version must be {vocab.LTI_VERSION}.")
    if claims.get(vocab.CLAIM_DEPLOYMENT_ID) != tool.deployment_id:
        raise DeepLinkReturnError(f"deployment_id must be {tool.deployment_id!r}.")
    if "custom" in claims or CLAIM_CUSTOM in claims:
        raise DeepLinkReturnError("custom belongs in a content item, not the response itself.")
    items = claims.get(CLAIM_CONTENT_ITEMS)
    if not isinstance(items, list) or len(items) > 1:
        raise DeepLinkReturnError("content_items must be a list of at most one item.")
    data = claims.get(CLAIM_DATA)
    if not isinstance(data, str) or not data:
        raise DeepLinkReturnError("data must echo the value the request carried.")

    with transaction.atomic():
        launch = (
            LaunchRequest.objects.select_for_update()
            .select_related("person__course")
            .filter(
                message_type=LaunchRequest.MessageType.DEEP_LINKING,
                tool=tool,
                deep_link_data=data,
            )
            .first()
        )
        if launch is None:
            raise DeepLinkReturnError(f"data {data!r} does not echo any deep linking request.")
        if launch.deep_link_returned_at is not None or launch.is_expired:
            raise DeepLinkReturnError("this deep linking request was already answered or expired.")
        _nonce_use(tool, str(claims["nonce"]), exp=int(claims["exp"]))
        launch.deep_link_returned_at = timezone.now()
        launch.save(update_fields=["deep_link_returned_at"])
        if not items:
            raise DeepLinkReturnError("The tool returned no activity (the instructor cancelled).")
        return _resource_link_create(launch, tool, items[0])


def _nonce_use(tool: ToolRecord, nonce: str, *, exp: int) -> None:
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(
                tool=tool,
                jti=f"deep-link-nonce:{nonce}",
                expires_at=datetime.fromtimestamp(exp, UTC),
            )
    except IntegrityError:
        raise DeepLinkReturnError(f"nonce {nonce!r} was already used.") from None


def _resource_link_create(launch: LaunchRequest, tool: ToolRecord, item: t.Any) -> ResourceLink:
    if not isinstance(item, dict) or item.get("type") != RESOURCE_LINK_TYPE:
        raise DeepLinkReturnError(f"the content item must be an {RESOURCE_LINK_TYPE}.")
    title = item.get("title")
    if not isinstance(title, str) or not title.strip():
        title = "Quiz"
    custom = item.get("custom", {})
    if not isinstance(custom, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in custom.items()
    ):
        raise DeepLinkReturnError("custom must map names to string values.")
    course = launch.person.course
    link = ResourceLink.objects.create(
        course=course,
        tool=tool,
        slug=f"{slugify(title)[:30]}-{new_opaque_id()[:8]}",
        title=title[:200],
        description=text if isinstance(text := item.get("text"), str) else "",
        custom=custom,
    )
    line_item = item.get("lineItem")
    if line_item is not None:
        if not isinstance(line_item, dict):
            raise DeepLinkReturnError("lineItem must be an object.")
        try:
            maximum = Decimal(str(line_item.get("scoreMaximum")))
        except InvalidOperation:
            maximum = Decimal(0)
        if not maximum.is_finite() or maximum <= 0:
            raise DeepLinkReturnError("lineItem.scoreMaximum must be a number above 0.")
        LineItem.objects.create(
            course=course,
            resource_link=link,
            label=str(line_item.get("label") or title)[:200],
            score_maximum=maximum,
            tag=str(line_item.get("tag") or "")[:200],
            resource_id=str(line_item.get("resourceId") or "")[:200],
        )
    logger.info("practice LMS: deep linking added %r with custom %s", link.title, custom)
    return link
