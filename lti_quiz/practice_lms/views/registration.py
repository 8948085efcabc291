"""Registering a tool by URL (LTI Dynamic Registration), as an LMS admin does in Moodle."""

import json
import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lti_quiz.practice_lms import registration
from lti_quiz.practice_lms.models import ToolRecord

logger = logging.getLogger("lti_quiz.practice_lms")


@require_http_methods(["GET", "POST"])
def tools(request: HttpRequest) -> HttpResponse:
    """The admin's page: the tools this platform knows, and "register a tool by URL"."""
    context: dict = {
        "tools": ToolRecord.objects.order_by("id"),
        "tool_url": request.build_absolute_uri("/lti/register/"),
    }
    if request.method == "POST":
        context["tool_url"] = request.POST.get("tool_url", "")
        try:
            _, context["frame_url"] = registration.registration_start(
                request, tool_url=context["tool_url"]
            )
        except registration.RegistrationRefused as exc:
            context["error"] = exc.message
    return render(request, "practice_lms/tools.html", context)


@require_GET
def openid_configuration(request: HttpRequest) -> JsonResponse:
    return JsonResponse(registration.openid_configuration(request))


@csrf_exempt  # A server-to-server call from the tool, authorized by the registration token.
@require_POST
def register_tool(request: HttpRequest) -> HttpResponse:
    header = request.headers.get("Authorization", "")
    bearer = header[7:].strip() if header.startswith("Bearer ") else ""
    try:
        payload = json.loads(request.body or b"null")
    except ValueError:
        payload = None
    try:
        tool, answer = registration.registration_accept(bearer=bearer, payload=payload)
    except registration.RegistrationRefused as exc:
        logger.warning("practice LMS: tool registration refused: %s", exc.message)
        # Moodle answers its refusals as plain text with the status code.
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain")
    logger.info("practice LMS: registered tool %s (client id %s)", tool.name, tool.client_id)
    response = JsonResponse(answer)
    response["Location"] = request.build_absolute_uri(reverse("practice_lms:tools"))
    return response
