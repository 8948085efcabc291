"""Absolute URLs of the platform's endpoints, as the browser reaches this server.

Service URLs carry `?type_id=<tool>` like Moodle's: a tool that appends `/scores` after the query
string instead of before it gets a clear error here, as it would from Moodle.
"""

from django.http import HttpRequest
from django.urls import reverse

from lti_quiz.practice_lms.models import Course, LineItem, ToolRecord


def absolute(request: HttpRequest, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(f"practice_lms:{name}", args=args))


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
