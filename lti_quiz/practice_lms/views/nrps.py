"""Names and Role Provisioning Services 2.0: the course's memberships, paged.

Pages are small by default (2 members) so tools must follow `Link: <...>; rel="next"`, and the
cursor is mixed-case: a client that lowercases the next URL (pylti1p3 before PR #139) breaks here.
A `limit` above the largest page is lowered to it, as Canvas does (its API pagination clamps
`per_page` to a maximum of 50), so a tool asking for 1,000 still reads a large course in pages.
"""

import base64
import binascii

from django.http import HttpRequest, HttpResponse, JsonResponse

from lti_quiz.practice_lms import launches, vocab
from lti_quiz.practice_lms.access import ServiceError, bearer_check, type_id_check
from lti_quiz.practice_lms.models import Counter, Course
from lti_quiz.practice_lms.views.service import service_endpoint

DEFAULT_PAGE_SIZE = 2
MAX_PAGE_SIZE = 50
CURSOR_PREFIX = "offset="


def cursor_encode(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{offset}".encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    offset = text.removeprefix(CURSOR_PREFIX)
    if not text.startswith(CURSOR_PREFIX) or not offset.isdigit():
        raise ServiceError(
            400,
            f"Unknown paging cursor {cursor!r}. Cursors are case-sensitive: follow the "
            'rel="next" link exactly as given.',
        )
    return int(offset)


def _page_size(request: HttpRequest) -> int:
    raw = request.GET.get("limit", "")
    if not raw:
        return DEFAULT_PAGE_SIZE
    if not raw.isdigit() or int(raw) < 1:
        raise ServiceError(400, "limit must be a whole number of at least 1.")
    return min(int(raw), MAX_PAGE_SIZE)


def member_json(person) -> dict:
    return {
        "status": "Active",
        "user_id": person.user_id,
        "name": person.name,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "email": person.email,
        "roles": launches.context_roles_for(person),
    }


@service_endpoint
def memberships(request: HttpRequest, course_id: int) -> HttpResponse:
    Counter.bump(Counter.NRPS_CALLS)
    if request.method != "GET":
        raise ServiceError(405, "Memberships can only be read (GET).")
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        raise ServiceError(404, f"Course {course_id} does not exist.")
    access = bearer_check(request, any_of=(vocab.SCOPE_MEMBERSHIP,))
    type_id_check(request, access)

    limit = _page_size(request)
    offset = cursor_decode(request.GET["cursor"]) if "cursor" in request.GET else 0
    people = list(course.people.all())
    role = request.GET.get("role")
    if role:
        people = [p for p in people if any(r.endswith(role) for r in launches.context_roles_for(p))]
    page = people[offset : offset + limit]

    body = {
        "id": request.build_absolute_uri(),
        "context": {"id": course.context_id, "label": course.label, "title": course.title},
        "members": [member_json(person) for person in page],
    }
    response = JsonResponse(body, content_type=vocab.MEDIA_MEMBERSHIP_CONTAINER)
    if offset + limit < len(people):
        query = request.GET.copy()
        query["cursor"] = cursor_encode(offset + limit)
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        response["Link"] = f'<{next_url}>; rel="next"'
    return response
