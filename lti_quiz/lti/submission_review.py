"""Submission review: an instructor opens one learner's submission from the LMS gradebook.

LTI Submission Review Service 1.0 (https://www.imsglobal.org/spec/lti-sr/v1p0): the platform
sends an `LtiSubmissionReviewRequest` launch by the person reviewing, with the learner in the
`for_user` claim (`user_id` required; names, email and roles optional), the AGS endpoint claim
with the `lineitem` being reviewed, and the `resource_link` of the activity. Moodle sends it from
the grade report ("gradeReport" action of mod/lti), Canvas from SpeedGrader.

The launch is validated like any other (launch.py); here it must come from course staff and name
a learner. The page it opens (that learner's attempts) is the activity room's.
"""

import typing as t

from django.utils.translation import gettext_lazy as _

from lti_quiz.lti import errors
from lti_quiz.lti.claims import Claim
from lti_quiz.lti.context import LaunchContext, launch_context_create, roles_are_staff
from lti_quiz.lti.models import Registration, ResourceLink


class ReviewNotForLearners(errors.LtiLaunchError):
    status = 403
    message = _(
        "Only instructors of this course can review a student's submission. "
        "Open the activity from your course to see your own attempts."
    )


class ReviewWithoutLearner(errors.LtiLaunchError):
    message = _(
        "The LMS asked to review a submission but did not say whose (no for_user.user_id). "
        "Open the submission again from the gradebook; if it keeps happening, tell your LMS "
        "administrator."
    )


class ReviewWithoutActivity(errors.LtiLaunchError):
    message = _(
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
            message=_(
                "The launch does not say who you are (no user id). Tell your LMS administrator."
            ),
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
