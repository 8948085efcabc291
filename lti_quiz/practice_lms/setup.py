"""Creating (or updating) the practice course, its people and its record of the tool. Idempotent."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction

from lti_quiz.practice_lms.keys import signing_key
from lti_quiz.practice_lms.models import (
    Course,
    FailureSwitch,
    LineItem,
    Person,
    ResourceLink,
    ToolRecord,
)

DEFAULT_CLIENT_ID = "practice-lms-client"
COURSE_SLUG = "distillation-101"
LINK_SLUG = "distillation-quiz"
LINK_TITLE = "Distillation Tradeoffs quiz"
SCORE_MAXIMUM = 10

PEOPLE = [
    # (given, family, email, role)
    ("Irene", "Instructor", "irene.instructor@practice-lms.test", Person.Role.INSTRUCTOR),
    ("Alice", "Anders", "alice.anders@practice-lms.test", Person.Role.STUDENT),
    ("Bob", "Brennan", "bob.brennan@practice-lms.test", Person.Role.STUDENT),
    ("Chandra", "Chowdhury", "chandra.chowdhury@practice-lms.test", Person.Role.STUDENT),
]


@dataclass(frozen=True)
class PlatformUrls:
    """What a tool admin types in for this platform (and what `lti_platform add` receives)."""

    issuer: str
    auth_login_url: str
    auth_token_url: str
    key_set_url: str


def platform_urls(base_url: str) -> PlatformUrls:
    base = base_url.rstrip("/")
    return PlatformUrls(
        issuer=f"{base}/practice-lms",
        auth_login_url=f"{base}/practice-lms/auth/",
        auth_token_url=f"{base}/practice-lms/token/",
        key_set_url=f"{base}/practice-lms/jwks/",
    )


LOOPBACK_NAMES = ("localhost", "127.0.0.1")
# [::1] is a loopback name too, but CSP's frame-ancestors has no syntax for an IPv6 address
# (CSP3 host-part), so it can be neither a base URL worth aliasing nor an alias.


def loopback_aliases(base_url: str) -> list[str]:
    """The other names of this machine for a loopback base URL, as origins with its port.

    A person told to open http://localhost:8000 often types http://127.0.0.1:8000. The tool
    trusts frames from the issuer's origin only, so the course page at the other name would show
    a refused frame: the tool is told these origins too. The page at the other name is then
    another site to the tool, as a Canvas school's domain is, and the launch goes through
    platform storage when the browser keeps the tool's cookie from it.
    """
    parts = urlsplit(base_url)
    host = parts.hostname
    if host not in LOOPBACK_NAMES:
        return []
    port = f":{parts.port}" if parts.port else ""
    return [f"{parts.scheme}://{name}{port}" for name in LOOPBACK_NAMES if name != host]


@transaction.atomic
def practice_lms_setup(
    *, base_url: str, client_id: str = DEFAULT_CLIENT_ID, behaves_like: str | None = None
) -> ToolRecord:
    """Create or update the course, its people and link, and the record of the tool.
    `behaves_like`: whose gradebook rules to follow (Course.BehavesLike); None keeps the
    course's."""
    base = base_url.rstrip("/")
    signing_key()
    tool, _ = ToolRecord.objects.update_or_create(
        client_id=client_id,
        defaults={
            "name": "LTI Quiz",
            "login_url": f"{base}/lti/login/",
            "launch_url": f"{base}/lti/launch/",
            "redirect_uris": f"{base}/lti/launch/",
            "jwks_url": f"{base}/lti/jwks/",
            "deployment_id": "1",
        },
    )
    course, _ = Course.objects.update_or_create(
        slug=COURSE_SLUG,
        defaults={
            "title": "Distillation 101: Small Models, Real Tradeoffs",
            "label": "DIST-101",
            "base_url": base,
            **({"behaves_like": behaves_like} if behaves_like else {}),
        },
    )
    for position, (given, family, email, role) in enumerate(PEOPLE):
        Person.objects.update_or_create(
            course=course,
            email=email,
            defaults={
                "given_name": given,
                "family_name": family,
                "name": f"{given} {family}",
                "role": role,
                "position": position,
            },
        )
    link, _ = ResourceLink.objects.update_or_create(
        course=course,
        slug=LINK_SLUG,
        defaults={
            "title": LINK_TITLE,
            "description": "Read the lesson, then take its 10-question quiz.",
            "tool": tool,
        },
    )
    if not link.line_items.exists():
        LineItem.objects.create(
            course=course,
            resource_link=link,
            label=LINK_TITLE,
            score_maximum=SCORE_MAXIMUM,
            tag="quiz",
        )
    FailureSwitch.objects.get_or_create(course=course)
    return tool
