"""Submission review: an instructor opens one learner's submission from the LMS gradebook.

LTI Submission Review Service 1.0 (https://www.imsglobal.org/spec/lti-sr/v1p0): the platform
sends an `LtiSubmissionReviewRequest` launch by the person reviewing, with the learner in the
`for_user` claim (`user_id` required; names, email and roles optional), the AGS endpoint claim
with the `lineitem` being reviewed, and the `resource_link` of the activity. Moodle sends it from
the grade report ("gradeReport" action of mod/lti), Canvas from SpeedGrader.

The launch is validated like any other (launch.py); here it must come from course staff and name
a learner. The page then shows that learner's attempts on the link's placement, and the review
state of short answers with the results page's accept/reject (results.results_review).
"""

import logging
import typing as t
from dataclasses import dataclass

from lti_quiz.lti import errors
from lti_quiz.lti.activity import Activity
from lti_quiz.lti.claims import Claim
from lti_quiz.lti.context import (
    LaunchContext,
    launch_context_create,
    learner_key,
    roles_are_staff,
)
from lti_quiz.lti.models import Registration, ResourceLink
from lti_quiz.lti.results import NotInThisPlacement, results_review
from lti_quiz.quiz.models import Attempt, Response
from lti_quiz.quiz.services import CountedResult, learner_counted_result

logger = logging.getLogger(__name__)


class ReviewNotForLearners(errors.LtiLaunchError):
    status = 403
    message = (
        "Only instructors of this course can review a student's submission. "
        "Open the activity from your course to see your own attempts."
    )


class ReviewWithoutLearner(errors.LtiLaunchError):
    message = (
        "The LMS asked to review a submission but did not say whose (no for_user.user_id). "
        "Open the submission again from the gradebook; if it keeps happening, tell your LMS "
        "administrator."
    )


class ReviewWithoutActivity(errors.LtiLaunchError):
    message = (
        "The LMS asked to review a submission but did not say of which activity (no resource "
        "link id). Open the submission again from the gradebook."
    )


def _id(value: t.Any) -> str:
    """An LTI id: a non-empty string of at most 255 characters (LTI 1.3 §5.3.5/§5.3.6)."""
    return value if isinstance(value, str) and 0 < len(value) <= 255 else ""


def submission_review_launch(
    *, registration: Registration, claims: dict[str, t.Any]
) -> LaunchContext:
    """Check a validated submission review launch and keep its context (with `for_user`)."""
    if not roles_are_staff(claims.get(Claim.ROLES) or []):
        raise ReviewNotForLearners(f"submission review launch with roles {claims.get(Claim.ROLES)}")
    if not _id(claims.get("sub")):
        raise errors.LaunchMessageInvalid(
            f"submission review launch with sub {claims.get('sub')!r}",
            message="The launch does not say who you are (no user id). Tell your LMS "
            "administrator.",
        )
    for_user = claims.get(Claim.FOR_USER)
    if not _id(for_user.get("user_id") if isinstance(for_user, dict) else None):
        raise ReviewWithoutLearner(f"for_user claim {for_user!r}")
    link = claims.get(Claim.RESOURCE_LINK)
    if not _id(link.get("id") if isinstance(link, dict) else None):
        raise ReviewWithoutActivity(f"resource_link claim {link!r}")
    return launch_context_create(
        registration=registration,
        claims=_with_known_services(registration, claims),
    )


def _with_known_services(registration: Registration, claims: dict[str, t.Any]) -> dict[str, t.Any]:
    """Fill in service claims a review launch leaves out from what the link's launches said.

    resource_link_upsert writes the launch's endpoints to the link; a review launch need not
    carry NRPS (nor every AGS field), and must not erase what the results page relies on.
    """
    known = ResourceLink.objects.filter(
        registration=registration, resource_link_id=claims[Claim.RESOURCE_LINK]["id"]
    ).first()
    if known is None:
        return claims
    merged = dict(claims)
    ags = {
        "scope": known.ags_scopes,
        "lineitems": known.lineitems_url,
        "lineitem": known.lineitem_url,
    }
    sent = claims.get(Claim.AGS_ENDPOINT)
    merged[Claim.AGS_ENDPOINT] = {
        **{name: value for name, value in ags.items() if value},
        **(sent if isinstance(sent, dict) else {}),
    }
    if Claim.NRPS not in claims and known.nrps_url:
        merged[Claim.NRPS] = {
            "context_memberships_url": known.nrps_url,
            "service_versions": ["2.0"],
        }
    return merged


@dataclass(frozen=True)
class ReviewedAttempt:
    attempt: Attempt
    counts: bool  # the attempt the scoring policy counts for the gradebook
    results: list[dict[str, t.Any]]  # results_for_display() + response_id and review_state


@dataclass(frozen=True)
class SubmissionReview:
    user_id: str
    name: str
    attempts: list[ReviewedAttempt]  # submitted, the counted one first, then newest first
    counted: CountedResult | None
    unfinished: int  # attempts started and not submitted


def _learner_key(activity: Activity) -> str:
    registration_id = (
        activity.resource_link.registration_id
        if activity.resource_link
        else activity.context.registration_id
    )
    return learner_key(registration_id=registration_id, sub=activity.context.for_user_id)


def submission_review_load(*, activity: Activity) -> SubmissionReview:
    """The `for_user` learner's attempts on this launch's placement (never staff previews)."""
    key = _learner_key(activity)
    attempts = list(
        Attempt.objects.filter(placement=activity.placement, learner_key=key, is_preview=False)
        .prefetch_related("responses")
        .order_by("-number")
    )
    counted = learner_counted_result(placement=activity.placement, learner_key=key)
    counted_pk = counted.attempt.pk if counted else None
    submitted = [a for a in attempts if a.status == Attempt.Status.SUBMITTED]
    submitted.sort(key=lambda a: a.pk != counted_pk)  # stable: the rest stay newest first
    return SubmissionReview(
        user_id=activity.context.for_user_id,
        name=activity.context.for_user_name,
        attempts=[
            ReviewedAttempt(attempt=a, counts=a.pk == counted_pk, results=_results(a))
            for a in submitted
        ],
        counted=counted,
        unfinished=len(attempts) - len(submitted),
    )


def _results(attempt: Attempt) -> list[dict[str, t.Any]]:
    responses = {response.slot: response for response in attempt.responses.all()}
    items = []
    for item in attempt.results_for_display():
        response = responses.get(str(item["slot"]))
        items.append(
            {
                **item,
                "response_id": response.pk if response else None,
                "review_state": response.review_state if response else "",
            }
        )
    return items


def submission_review_decide(*, activity: Activity, response_id: int, accepted: bool) -> Attempt:
    """Accept or reject one of this learner's short answers (the results page's review action).

    Raises NotInThisPlacement for a response of another learner or placement.
    """
    if not Response.objects.filter(
        pk=response_id, attempt__learner_key=_learner_key(activity)
    ).exists():
        raise NotInThisPlacement()
    return results_review(activity=activity, response_id=response_id, accepted=accepted)
