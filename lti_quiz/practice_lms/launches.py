"""The platform side of an LTI 1.3 launch: third-party login initiation, then the id_token.

Claims follow what Canvas and Moodle send (LTI 1.3 §5, AGS §3.1, NRPS §3.6.1).
"""

import time

from django.http import HttpRequest

from lti_quiz.practice_lms import deep_linking, endpoints, vocab
from lti_quiz.practice_lms.models import LaunchRequest, Person, ToolRecord

ID_TOKEN_LIFETIME = 300  # seconds, like Moodle and Canvas


def roles_for(person: Person) -> list[str]:
    if person.role == Person.Role.INSTRUCTOR:
        return [vocab.ROLE_INSTRUCTOR]
    return [vocab.ROLE_LEARNER, vocab.ROLE_INSTITUTION_STUDENT]


def context_roles_for(person: Person) -> list[str]:
    """NRPS lists context (membership) roles only."""
    return [vocab.ROLE_INSTRUCTOR if person.role == Person.Role.INSTRUCTOR else vocab.ROLE_LEARNER]


# The name of the course page's hidden platform storage frame (Canvas's name for it).
STORAGE_TARGET = "post_message_forwarding"


def login_initiation_params(request: HttpRequest, launch: LaunchRequest, tool: ToolRecord) -> dict:
    params = {
        "iss": endpoints.issuer(request),
        "login_hint": str(launch.person_id),
        "target_link_uri": tool.launch_url,
        "lti_message_hint": launch.hint,
        "client_id": tool.client_id,
        "lti_deployment_id": tool.deployment_id,
    }
    # Like Canvas: a launch inside the course page's iframe (which asks with ?storage=on, as it
    # embeds the frame) names the platform storage frame, so the tool can keep its login state
    # there when the browser blocks its cookies in the iframe.
    if launch.mode == LaunchRequest.Mode.IFRAME and request.GET.get("storage") == "on":
        params["lti_storage_target"] = STORAGE_TARGET
    return params


def id_token_claims(
    request: HttpRequest, *, launch: LaunchRequest, tool: ToolRecord, nonce: str
) -> dict:
    person = launch.person
    link = launch.resource_link
    course = person.course
    now = int(time.time())
    return_url = endpoints.absolute(request, "return")
    claims = {
        "iss": endpoints.issuer(request),
        "aud": tool.client_id,
        "azp": tool.client_id,
        "sub": person.user_id,
        "exp": now + ID_TOKEN_LIFETIME,
        "iat": now,
        "nonce": nonce,
        "name": person.name,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "email": person.email,
        "locale": course.locale,
        vocab.CLAIM_MESSAGE_TYPE: vocab.RESOURCE_LINK_REQUEST,
        vocab.CLAIM_VERSION: vocab.LTI_VERSION,
        vocab.CLAIM_DEPLOYMENT_ID: tool.deployment_id,
        vocab.CLAIM_TARGET_LINK_URI: tool.launch_url,
        vocab.CLAIM_ROLES: roles_for(person),
        vocab.CLAIM_CONTEXT: {
            "id": course.context_id,
            "label": course.label,
            "title": course.title,
            "type": [vocab.COURSE_OFFERING],
        },
        vocab.CLAIM_LAUNCH_PRESENTATION: {
            "document_target": launch.mode,
            "return_url": f"{return_url}?person={person.pk}",
            "locale": course.locale,
        },
        vocab.CLAIM_TOOL_PLATFORM: {
            "guid": endpoints.issuer(request),
            "name": "Practice LMS",
            "product_family_code": course.behaves_like,
            "version": "1.0",
        },
        vocab.CLAIM_NRPS: {
            "context_memberships_url": endpoints.memberships_url(request, course, tool),
            "service_versions": ["2.0"],
        },
    }
    if launch.message_type == LaunchRequest.MessageType.DEEP_LINKING:
        return deep_linking.deep_linking_claims(request, launch=launch, tool=tool, claims=claims)
    assert link is not None, "a resource link launch opens a link"
    claims[vocab.CLAIM_RESOURCE_LINK] = {
        "id": link.resource_link_id,
        "title": link.title,
        "description": link.description,
    }
    custom = {**link.custom, **({"timezone": course.time_zone} if course.time_zone else {})}
    if custom:
        claims[deep_linking.CLAIM_CUSTOM] = custom
    ags = {
        "scope": list(vocab.AGS_SCOPES),
        "lineitems": endpoints.lineitems_url(request, course, tool),
    }
    line_item = link.line_items.order_by("id").first()
    if line_item is not None:
        ags["lineitem"] = endpoints.lineitem_url(request, line_item, tool)
    claims[vocab.CLAIM_AGS] = ags
    if launch.message_type == LaunchRequest.MessageType.SUBMISSION_REVIEW:
        submission_review_claims(launch=launch, claims=claims)
    return claims


def submission_review_claims(*, launch: LaunchRequest, claims: dict) -> None:
    """LTI Submission Review 1.0: the reviewer's launch of a link, naming the learner (for_user)
    and the line item under review (the AGS claim's `lineitem`, required here)."""
    student = launch.for_person
    assert student is not None, "a submission review names the student"
    claims[vocab.CLAIM_MESSAGE_TYPE] = vocab.SUBMISSION_REVIEW_REQUEST
    claims[vocab.CLAIM_FOR_USER] = {
        "user_id": student.user_id,
        "name": student.name,
        "given_name": student.given_name,
        "family_name": student.family_name,
        "email": student.email,
        "roles": roles_for(student),
    }
