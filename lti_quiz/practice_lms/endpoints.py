"""Absolute URLs of the platform's endpoints.

They start with the base URL stored by `practice_lms setup --base-url` (the issuer the tool was
told about), whichever host the browser used; before setup stored one, with the request's host.

Service URLs carry `?type_id=<tool>` like Moodle's: a tool that appends `/scores` after the query
string instead of before it gets a clear error here, as it would from Moodle.
"""

from django.http import HttpRequest
from django.urls import reverse

from lti_quiz.practice_lms.models import Course, LineItem, ToolRecord


def stored_base_url() -> str:
    """The base URL setup stored ("" when none is)."""
    base = Course.objects.order_by("id").values_list("base_url", flat=True).first()
    return (base or "").rstrip("/")


def absolute_path(request: HttpRequest, path: str) -> str:
    # Read once per request: an id_token names the issuer and four service URLs.
    base = getattr(request, "_practice_lms_base_url", None)
    if base is None:
        base = request._practice_lms_base_url = stored_base_url()  # type: ignore[attr-defined]
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def absolute(request: HttpRequest, name: str, *args) -> str:
    return absolute_path(request, reverse(f"practice_lms:{name}", args=args))


def issuer(request: HttpRequest) -> str:
    return absolute(request, "home").rstrip("/")


def token_url(request: HttpRequest) -> str:
    return absolute(request, "token")


def lineitems_url(request: HttpRequest, course: Course, tool: ToolRecord) -> str:
    return f"{absolute(request, 'lineitems', course.pk)}?type_id={tool.pk}"


def lineitem_url(request: HttpRequest, item: LineItem, tool: ToolRecord) -> str:
    return f"{absolute(request, 'lineitem', item.course_id, item.pk)}?type_id={tool.pk}"


def memberships_url(request: HttpRequest, course: Course, tool: ToolRecord) -> str:
    return f"{absolute(request, 'memberships', course.pk)}?type_id={tool.pk}"
