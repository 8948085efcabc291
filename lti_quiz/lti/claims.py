"""LTI 1.3 claim names, message types, roles and scopes: the one place these URLs are spelled.

Spec: https://www.imsglobal.org/spec/lti/v1p3/ (claims §5), AGS https://www.imsglobal.org/spec/lti-ags/v2p0/,
NRPS https://www.imsglobal.org/spec/lti-nrps/v2p0/, Deep Linking https://www.imsglobal.org/spec/lti-dl/v2p0/.
"""

from enum import StrEnum

# Every JWT we sign or accept (Security Framework §6): RSA with SHA-256; never "none" or HMAC.
ALGORITHM = "RS256"


class Claim(StrEnum):
    MESSAGE_TYPE = "https://purl.imsglobal.org/spec/lti/claim/message_type"
    VERSION = "https://purl.imsglobal.org/spec/lti/claim/version"
    DEPLOYMENT_ID = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
    TARGET_LINK_URI = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri"
    RESOURCE_LINK = "https://purl.imsglobal.org/spec/lti/claim/resource_link"
    ROLES = "https://purl.imsglobal.org/spec/lti/claim/roles"
    CONTEXT = "https://purl.imsglobal.org/spec/lti/claim/context"
    CUSTOM = "https://purl.imsglobal.org/spec/lti/claim/custom"
    LAUNCH_PRESENTATION = "https://purl.imsglobal.org/spec/lti/claim/launch_presentation"
    TOOL_PLATFORM = "https://purl.imsglobal.org/spec/lti/claim/tool_platform"
    FOR_USER = "https://purl.imsglobal.org/spec/lti/claim/for_user"
    AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
    NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
    DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
    DL_CONTENT_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
    DL_DATA = "https://purl.imsglobal.org/spec/lti-dl/claim/data"


class MessageType(StrEnum):
    RESOURCE_LINK = "LtiResourceLinkRequest"
    DEEP_LINKING = "LtiDeepLinkingRequest"
    DEEP_LINKING_RESPONSE = "LtiDeepLinkingResponse"
    SUBMISSION_REVIEW = "LtiSubmissionReviewRequest"


LTI_VERSION = "1.3.0"


class Scope(StrEnum):
    AGS_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
    AGS_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
    AGS_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
    AGS_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
    NRPS_MEMBERSHIP_READONLY = (
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
    )


class MediaType(StrEnum):
    SCORE = "application/vnd.ims.lis.v1.score+json"
    LINEITEM = "application/vnd.ims.lis.v2.lineitem+json"
    LINEITEM_CONTAINER = "application/vnd.ims.lis.v2.lineitemcontainer+json"
    MEMBERSHIP_CONTAINER = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"


# Roles (LTI 1.3 §A.2). Platforms send full URIs; the spec allows short names ("Instructor") too.
ROLE_PREFIXES = (
    "http://purl.imsglobal.org/vocab/lis/v2/membership#",
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#",
    "http://purl.imsglobal.org/vocab/lis/v2/system/person#",
)
STAFF_ROLES = frozenset(
    {"Instructor", "TeachingAssistant", "ContentDeveloper", "Administrator", "SysAdmin", "Mentor"}
)
LEARNER_ROLES = frozenset({"Learner", "Student"})
