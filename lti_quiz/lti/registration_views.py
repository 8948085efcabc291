"""What an LMS admin opens to register the tool: Dynamic Registration and Canvas's JSON URL.

/lti/register/ is opened by the platform in an iframe (Moodle, Canvas) or a popup. It is
CSRF-exempt for the same reason as the launch: the platform's iframe is cross-site, so the CSRF
cookie is not sent. What protects the POST is the platform's registration token (a one-time
capability the platform issued to its admin) and that a new platform waits for a Django admin.
"""

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from lti_quiz.lti import dynamic_registration as dr
from lti_quiz.lti.claims import MessageType
from lti_quiz.lti.framing import origin_of
from lti_quiz.lti.keys import active_tool_key

TEMPLATES = "lti/register"


def tool_urls(request: HttpRequest) -> dr.ToolUrls:
    """The tool's endpoints as the platform's browser reaches this server."""
    return dr.ToolUrls(
        login=request.build_absolute_uri(reverse("lti:login")),
        launch=request.build_absolute_uri(reverse("lti:launch")),
        jwks=request.build_absolute_uri(reverse("lti:jwks")),
        domain=request.get_host(),
    )


def _framed(request: HttpRequest, response: HttpResponse, *urls: str) -> HttpResponse:
    """Let the platform that opened the registration show it in its iframe.

    Origins: the configuration URL, the issuer and its auth endpoint, and the page that opened
    us (the Referer: a Canvas school frames from its own domain, which the configuration does
    not name). This page grants nothing by itself, so trusting the Referer here is harmless.
    """
    origins = {"'self'"}
    for url in (*urls, request.POST.get("frame_origin", ""), request.headers.get("Referer", "")):
        if origin := origin_of(url):
            origins.add(origin)
    response.xframe_options_exempt = True  # type: ignore[attr-defined]
    response["Content-Security-Policy"] = "frame-ancestors " + " ".join(sorted(origins))
    return response


def _failed(request: HttpRequest, message: str, *urls: str, status: int = 400) -> HttpResponse:
    response = render(request, f"{TEMPLATES}/failed.html", {"message": message}, status=status)
    return _framed(request, response, *urls)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    config_url = params.get("openid_configuration", "").strip()
    token = params.get("registration_token", "").strip()
    if not config_url:
        return _failed(
            request,
            "This address is for LTI Dynamic Registration: the platform opens it with "
            "openid_configuration and registration_token. Start from your LMS's "
            "“register a tool by URL” page.",
        )
    try:
        platform = dr.platform_configuration_fetch(url=config_url, registration_token=token)
    except dr.DynamicRegistrationError as exc:
        return _failed(request, exc.message, config_url, status=502)
    urls = (config_url, platform.issuer, platform.authorization_endpoint)
    tool = tool_urls(request)

    if request.method == "GET":
        body = dr.tool_registration_request(platform=platform, tool=tool)
        configuration = body[dr.TOOL_CONFIGURATION]
        context = {
            "platform": platform,
            "tool": tool,
            "openid_configuration": config_url,
            "registration_token": token,
            "frame_origin": origin_of(request.headers.get("Referer", "")) or "",
            "scopes": [
                (scope, not platform.scopes_supported or scope in platform.scopes_supported)
                for scope in body["scope"].split()
            ],
            "messages": configuration["messages"],
            "claims": configuration["claims"],
            "privacy_level": configuration.get(dr.CANVAS_PRIVACY_LEVEL, ""),
        }
        return _framed(request, render(request, f"{TEMPLATES}/confirm.html", context), *urls)

    try:
        result = dr.registration_submit(platform=platform, registration_token=token, tool=tool)
    except dr.DynamicRegistrationError as exc:
        return _failed(request, exc.message, *urls, status=502)
    context = {"platform": platform, "result": result, "registration": result.registration}
    return _framed(request, render(request, f"{TEMPLATES}/done.html", context), *urls)


CANVAS_CUSTOM_FIELDS = {
    # Canvas variable substitutions, for the admin's and instructor's reference in the tool.
    "canvas_course_id": "$Canvas.course.id",
    "canvas_assignment_id": "$Canvas.assignment.id",
}


@require_GET
def canvas_json(request: HttpRequest) -> JsonResponse:
    """Canvas Developer Key JSON (canvas-lms doc/api/lti_dev_key_config.md, “Anatomy of ...”)."""
    tool = tool_urls(request)
    active_tool_key()  # Canvas fetches public_jwk_url right after: have a key to publish.
    placements = [
        {
            "placement": placement,
            "message_type": MessageType.DEEP_LINKING.value,
            "target_link_uri": tool.launch,
            "text": dr.TOOL_NAME,
            "selection_width": 800,
            "selection_height": 600,
        }
        for placement in dr.CANVAS_PLACEMENTS
    ]
    config = {
        "title": dr.TOOL_NAME,
        "description": dr.TOOL_DESCRIPTION,
        "oidc_initiation_url": tool.login,
        "target_link_uri": tool.launch,
        "public_jwk_url": tool.jwks,
        "scopes": [scope.value for scope in dr.SCOPES],
        "extensions": [
            {
                "platform": "canvas.instructure.com",
                "domain": urlsplit(tool.launch).hostname,
                "tool_id": "lti-quiz",
                "privacy_level": "public",
                "settings": {"text": dr.TOOL_NAME, "placements": placements},
            }
        ],
        "custom_fields": CANVAS_CUSTOM_FIELDS,
    }
    return JsonResponse(config, json_dumps_params={"indent": 2})
