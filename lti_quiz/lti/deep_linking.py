"""Deep linking (LTI Deep Linking 2.0, https://www.imsglobal.org/spec/lti-dl/v2p0/): an instructor
picks a quiz and its settings; we answer the platform with one signed `ltiResourceLink`.

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
from decimal import Decimal

import jwt
from django.conf import settings
from django.core.cache import cache

from lti_quiz.lib import expiring
from lti_quiz.lti.claims import LTI_VERSION, Claim, MessageType
from lti_quiz.lti.keys import active_tool_key
from lti_quiz.lti.models import Registration
from lti_quiz.quiz.models import Quiz, ReviewScores, ScoringPolicy
from lti_quiz.quiz.services import MAX_ATTEMPTS_ALLOWED, quiz_max_score

logger = logging.getLogger(__name__)

RESPONSE_LIFETIME = 300  # seconds the response JWT is good for: the browser posts it at once
LINE_ITEM_TAG = "lti-quiz"
RESOURCE_LINK = "ltiResourceLink"

# Custom parameter names a deep-linked resource link carries back on every launch.
CUSTOM_QUIZ = "quiz"
CUSTOM_ATTEMPTS = "attempts_allowed"
CUSTOM_SCORING = "scoring_policy"
CUSTOM_SHUFFLE = "shuffle_choices"
CUSTOM_REVIEW_SCORES = "review_scores"
LINK_SETTINGS = (
    CUSTOM_QUIZ,
    CUSTOM_ATTEMPTS,
    CUSTOM_SCORING,
    CUSTOM_SHUFFLE,
    CUSTOM_REVIEW_SCORES,
)


class DeepLinkInvalid(ValueError):
    """What the instructor submitted (or the platform asked) cannot be answered; says why."""


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


@dataclass(frozen=True)
class LinkSettings:
    """What the instructor chose in the picker."""

    quiz: Quiz
    attempts_allowed: int
    scoring_policy: str
    shuffle_choices: bool
    review_scores: str  # a ReviewScores value

    @property
    def custom(self) -> dict[str, str]:
        # Custom parameter values are strings (LTI 1.3 §5.4.1).
        return {
            CUSTOM_QUIZ: self.quiz.slug,
            CUSTOM_ATTEMPTS: str(self.attempts_allowed),
            CUSTOM_SCORING: self.scoring_policy,
            CUSTOM_SHUFFLE: "true" if self.shuffle_choices else "false",
            CUSTOM_REVIEW_SCORES: self.review_scores,
        }


def _cache_key(deep_link_id: str) -> str:
    return f"lti:deep-link:{deep_link_id}"


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


def quiz_options() -> list[dict[str, t.Any]]:
    """The quizzes an instructor can pick from, with their lesson and current settings."""
    return [
        {"quiz": quiz, "lesson": quiz.lesson, "max_score": quiz_max_score(quiz)}
        for quiz in Quiz.objects.select_related("lesson").order_by("title")
    ]


def link_settings_parse(values: t.Mapping[str, str]) -> LinkSettings:
    """The picker's POST, checked: DeepLinkInvalid says what is wrong in words."""
    quiz = Quiz.objects.filter(slug=values.get("quiz", "")).first()
    if quiz is None:
        raise DeepLinkInvalid("Choose one of the quizzes listed.")
    attempts = values.get("attempts_allowed", "").strip()
    if not attempts.isdigit() or int(attempts) > MAX_ATTEMPTS_ALLOWED:
        raise DeepLinkInvalid(
            f"Attempts allowed must be a whole number from 0 (unlimited) to {MAX_ATTEMPTS_ALLOWED}."
        )
    policy = values.get("scoring_policy", "")
    if policy not in ScoringPolicy.values:
        raise DeepLinkInvalid("Choose which attempt counts: highest, latest or first.")
    shuffle = values.get("shuffle_choices", "")
    if shuffle not in ("true", "false"):
        raise DeepLinkInvalid("Choose whether the answer choices are shuffled.")
    review_scores = values.get("review_scores", "")
    if review_scores not in ReviewScores.values:
        raise DeepLinkInvalid("Choose what the gradebook gets while an answer waits for review.")
    return LinkSettings(
        quiz=quiz,
        attempts_allowed=int(attempts),
        scoring_policy=policy,
        shuffle_choices=shuffle == "true",
        review_scores=review_scores,
    )


def content_item(*, link: LinkSettings, launch_url: str) -> dict[str, t.Any]:
    """One ltiResourceLink (Deep Linking 2.0 §3.4.1) with a graded line item."""
    quiz = link.quiz
    max_score = quiz_max_score(quiz)
    return {
        "type": RESOURCE_LINK,
        "title": quiz.title,
        "url": launch_url,
        "custom": link.custom,
        "lineItem": {
            "scoreMaximum": _number(max_score),
            "label": quiz.title,
            "resourceId": quiz.slug,
            "tag": LINE_ITEM_TAG,
        },
    }


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


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
        claims, key.private_key_pem, algorithm="RS256", headers={"kid": key.kid, "typ": "JWT"}
    )
