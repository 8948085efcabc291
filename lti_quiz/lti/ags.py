"""Assignment and Grade Services client: find or create the line item, publish a score.

Spec: https://www.imsglobal.org/spec/lti-ags/v2p0/ (the line item service and the score
publish service). Platform quirks: docs/platforms.md ("Grades").

Why not pylti1p3's AssignmentsGradesService: it reads tokens through a connector that does not
cache them (https://github.com/dmitry-viskov/pylti1.3/issues/89), lowercases paging URLs
(https://github.com/dmitry-viskov/pylti1.3/pull/139), and raises one exception type for
every failure, while the grade worker must tell "try again later" from "this will never work".
Every request goes through `service_request.service_request` on a session from
`lti_quiz.lib.http.http_session()` unless a session is injected.
"""

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests
from django.core.cache import cache
from django.db import models

from lti_quiz.lib.http import http_session
from lti_quiz.lti.claims import MediaType, Scope
from lti_quiz.lti.models import Registration, ResourceLink
from lti_quiz.lti.service_request import json_answer, service_request
from lti_quiz.lti.tokens import ServiceError

__all__ = [
    "ActivityProgress",
    "AgsClient",
    "GradingProgress",
    "PlatformAnswer",
    "Score",
    "ServiceError",
    "lineitem_url_for",
    "score_body",
    "score_publish",
    "scores_url",
]

logger = logging.getLogger(__name__)

# Canvas's score extension (doc: Lti::IMS::ScoresController): new_submission makes the POST a
# submission attempt, submitted_at dates it. Other platforms ignore unknown members.
CANVAS_SUBMISSION = "https://canvas.instructure.com/lti/submission"
# The `tag` of our line items, the ones we create and the ones a deep link asks the platform to
# create: it tells ours apart from other line items of the same link.
LINEITEM_TAG = "lti-quiz"
# Line items created before the two kinds shared one tag carry this one: they are ours too, and a
# lookup that missed them would create a second gradebook column for the same link.
LINEITEM_TAGS_EARLIER = ("quiz-score",)
LINEITEM_CACHE_SECONDS = 24 * 3600
# A course with more pages of line items than this is not one we will search through per score.
LINEITEM_PAGE_LIMIT = 50
# How much of a platform's answer is kept on the delivery for the grade history page.
ANSWER_LIMIT = 500
AGS_SCOPES = frozenset(
    {Scope.AGS_LINEITEM, Scope.AGS_LINEITEM_READONLY, Scope.AGS_RESULT_READONLY, Scope.AGS_SCORE}
)


class ActivityProgress(models.TextChoices):
    """https://www.imsglobal.org/spec/lti-ags/v2p0/#activityprogress"""

    INITIALIZED = "Initialized"
    STARTED = "Started"
    IN_PROGRESS = "InProgress"
    SUBMITTED = "Submitted"
    COMPLETED = "Completed"


class GradingProgress(models.TextChoices):
    """https://www.imsglobal.org/spec/lti-ags/v2p0/#gradingprogress

    PendingManual: a human still has to grade part of it."""

    FULLY_GRADED = "FullyGraded"
    PENDING = "Pending"
    PENDING_MANUAL = "PendingManual"
    FAILED = "Failed"
    NOT_READY = "NotReady"


@dataclass(frozen=True)
class Score:
    user_id: str
    score_given: Decimal | None
    score_maximum: Decimal
    activity_progress: str
    grading_progress: str
    timestamp: dt.datetime
    # Canvas extension: True for a learner's submission (a new Canvas submission attempt),
    # False for a regrade or a resend (update the grade, do not count another attempt).
    new_submission: bool = False
    submitted_at: dt.datetime | None = None


@dataclass(frozen=True)
class PlatformAnswer:
    """What the platform answered a successful call: its HTTP status and a short body."""

    status: int
    body: str

    @classmethod
    def of(cls, response: requests.Response) -> "PlatformAnswer":
        return cls(status=response.status_code, body=(response.text or "")[:ANSWER_LIMIT])


def iso_timestamp(value: dt.datetime) -> str:
    """ISO 8601 with milliseconds and an offset, as AGS (#timestamp) and Canvas ask."""
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def score_body(score: Score) -> dict[str, object]:
    """The JSON of a score (media type application/vnd.ims.lis.v1.score+json).

    scoreGiven is left out only when there is no score at all. A partial score goes out with
    PendingManual: the spec says a score sent with PendingManual "is partial and may be updated
    during the manual grading", and Canvas clears the grade of a score without scoreGiven.
    """
    body: dict[str, object] = {"userId": score.user_id}
    if score.score_given is not None:
        body["scoreGiven"] = json_number(score.score_given)
    body["scoreMaximum"] = json_number(score.score_maximum)
    body["activityProgress"] = score.activity_progress
    body["gradingProgress"] = score.grading_progress
    body["timestamp"] = iso_timestamp(score.timestamp)
    extension: dict[str, object] = {"new_submission": score.new_submission}
    if score.submitted_at is not None:
        extension["submitted_at"] = iso_timestamp(score.submitted_at)
    body[CANVAS_SUBMISSION] = extension
    return body


def with_path_segment(url: str, segment: str) -> str:
    """Append a path segment before any query string: Moodle's line items end in `?type_id=N`."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/" + segment))


def with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    extra = urlencode(params)
    return urlunsplit(parts._replace(query=f"{parts.query}&{extra}" if parts.query else extra))


def scores_url(lineitem_url: str) -> str:
    """The score publish service is the line item URL plus `/scores`."""
    return with_path_segment(lineitem_url, "scores")


class AgsClient:
    """Authorized calls to one platform's AGS endpoints, with the scopes granted at launch."""

    def __init__(
        self,
        *,
        registration: Registration,
        scopes: Iterable[str],
        session: requests.Session | None = None,
    ) -> None:
        self.registration = registration
        self.scopes = tuple(sorted(set(scopes) & AGS_SCOPES))
        self.session = session or http_session()

    def _request(
        self,
        method: str,
        url: str,
        *,
        doing: str,
        accept: str,
        body: dict[str, object] | None = None,
        content_type: str = "application/json",
    ) -> requests.Response:
        return service_request(
            method,
            url,
            registration=self.registration,
            scopes=self.scopes,
            session=self.session,
            doing=doing,
            accept=accept,
            body=body,
            content_type=content_type,
        )

    def lineitem_find(self, *, lineitems_url: str, resource_link_id: str) -> str | None:
        """The line item of a resource link (query filter `resource_link_id`), following paging."""
        if not {Scope.AGS_LINEITEM, Scope.AGS_LINEITEM_READONLY} & set(self.scopes):
            raise ServiceError(
                "No line item for this link, and the platform did not grant a line item scope "
                "to look one up",
                retryable=False,
            )
        doing = "Line items lookup"
        url: str | None = with_query(lineitems_url, resource_link_id=resource_link_id)
        matches: list[dict] = []
        for _ in range(LINEITEM_PAGE_LIMIT):
            if not url:
                break
            response = self._request("GET", url, doing=doing, accept=MediaType.LINEITEM_CONTAINER)
            items = json_answer(response, doing=doing)
            if not isinstance(items, list):
                raise ServiceError(f"{doing}: expected a list of line items", retryable=False)
            # Filter again here: a platform may ignore the query parameter.
            matches += [
                item
                for item in items
                if isinstance(item, dict) and item.get("resourceLinkId") == resource_link_id
            ]
            # requests keeps the URL's case (pylti1p3 lowercases it, breaking cursors).
            url = response.links.get("next", {}).get("url")
        ours = [
            item for item in matches if item.get("tag") in (LINEITEM_TAG, *LINEITEM_TAGS_EARLIER)
        ]
        for item in ours + matches:
            if item.get("id"):
                return str(item["id"])
        return None

    def lineitem_create(
        self, *, lineitems_url: str, resource_link_id: str, label: str, score_maximum: Decimal
    ) -> str:
        """POST a new line item to the container; needs the full `lineitem` scope."""
        if Scope.AGS_LINEITEM not in self.scopes:
            raise ServiceError(
                "No line item for this link, and the platform did not grant the lineitem scope "
                "to create one",
                retryable=False,
            )
        doing = "Line item creation"
        body: dict[str, object] = {
            "scoreMaximum": json_number(score_maximum),
            "label": label,
            "resourceLinkId": resource_link_id,
            "tag": LINEITEM_TAG,
        }
        response = self._request(
            "POST",
            lineitems_url,
            doing=doing,
            accept=MediaType.LINEITEM,
            body=body,
            content_type=MediaType.LINEITEM,
        )
        created = json_answer(response, doing=doing)
        if not isinstance(created, dict) or not created.get("id"):
            raise ServiceError(f"{doing}: the created line item has no id", retryable=False)
        logger.info("Created line item %s for resource link %s", created["id"], resource_link_id)
        return str(created["id"])

    def lineitem_update(
        self, *, lineitem_url: str, label: str, score_maximum: Decimal
    ) -> PlatformAnswer:
        """Change a line item's label and maximum (AGS 2.0 §3.2.6, "Updating a line item").

        A PUT replaces the whole line item, so the platform's own copy is read first and sent
        back with only `label` and `scoreMaximum` changed: fields we never set (resourceId,
        tag, dates, a platform's extensions) stay as they were. Needs the `lineitem` scope.
        """
        if Scope.AGS_LINEITEM not in self.scopes:
            raise ServiceError(
                "The platform did not grant the lineitem scope, so the tool cannot change its "
                "gradebook column",
                retryable=False,
            )
        doing = "Line item read"
        response = self._request("GET", lineitem_url, doing=doing, accept=MediaType.LINEITEM)
        current = json_answer(response, doing=doing)
        if not isinstance(current, dict):
            raise ServiceError(f"{doing}: expected a line item object", retryable=False)
        body = {**current, "label": label, "scoreMaximum": json_number(score_maximum)}
        response = self._request(
            "PUT",
            lineitem_url,
            doing="Line item update",
            accept=MediaType.LINEITEM,
            body=body,
            content_type=MediaType.LINEITEM,
        )
        return PlatformAnswer.of(response)

    def score_post(self, *, lineitem_url: str, score: Score) -> PlatformAnswer:
        response = self._request(
            "POST",
            scores_url(lineitem_url),
            doing="Score publish",
            accept="application/json",
            body=score_body(score),
            content_type=MediaType.SCORE,
        )
        return PlatformAnswer.of(response)


def lineitem_cache_key(resource_link: ResourceLink) -> str:
    digest = hashlib.sha256(resource_link.lineitems_url.encode()).hexdigest()[:16]
    return f"lti:lineitem:{resource_link.pk}:{digest}"


def lineitem_url_for(
    *,
    resource_link: ResourceLink,
    client: AgsClient,
    score_maximum: Decimal,
    create: bool = True,
) -> str | None:
    """The line item of a resource link: the launch's `lineitem` claim; with only `lineitems`
    (allowed by AGS) it is looked up by resource link, or created when `create`, and remembered
    in the cache for a day."""
    if resource_link.lineitem_url:
        return resource_link.lineitem_url
    if not resource_link.lineitems_url:
        raise ServiceError("The platform gave no line item for this link", retryable=False)
    cache_key = lineitem_cache_key(resource_link)
    found: str | None = cache.get(cache_key) or client.lineitem_find(
        lineitems_url=resource_link.lineitems_url,
        resource_link_id=resource_link.resource_link_id,
    )
    if found is None and not create:
        return None
    lineitem_url = found or client.lineitem_create(
        lineitems_url=resource_link.lineitems_url,
        resource_link_id=resource_link.resource_link_id,
        label=resource_link.title or "Quiz",
        score_maximum=score_maximum,
    )
    cache.set(cache_key, lineitem_url, timeout=LINEITEM_CACHE_SECONDS)
    return lineitem_url


def lineitem_forget_found(resource_link: ResourceLink, error: ServiceError) -> None:
    if error.status == 404 and not resource_link.lineitem_url:
        # The line item we found was deleted: look it up again next time.
        cache.delete(lineitem_cache_key(resource_link))


def score_publish(
    *,
    resource_link: ResourceLink,
    score: Score,
    session: requests.Session | None = None,
) -> PlatformAnswer:
    """Send one score for a resource link; returns the platform's answer. Raises ServiceError
    (see `.retryable`) on failure."""
    if Scope.AGS_SCORE not in resource_link.ags_scopes:
        raise ServiceError(
            "The platform did not grant the score scope for this link", retryable=False
        )
    client = AgsClient(
        registration=resource_link.registration, scopes=resource_link.ags_scopes, session=session
    )
    lineitem_url = lineitem_url_for(
        resource_link=resource_link, client=client, score_maximum=score.score_maximum
    )
    assert lineitem_url is not None  # created when missing
    try:
        return client.score_post(lineitem_url=lineitem_url, score=score)
    except ServiceError as exc:
        lineitem_forget_found(resource_link, exc)
        raise
