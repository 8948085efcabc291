"""Launching the tool: third-party login initiation, the OIDC auth endpoint, the platform JWKS."""

import logging

from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.views.decorators.clickjacking import xframe_options_exempt, xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from lti_quiz.practice_lms import keys, launches
from lti_quiz.practice_lms.authorize import AuthRequestError, auth_request_check
from lti_quiz.practice_lms.models import Counter, LaunchRequest, Person, ResourceLink

logger = logging.getLogger("lti_quiz.practice_lms")

MODE_UNKNOWN = "mode must be 'iframe' or 'window', not {mode!r}."


def error_page(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    logger.warning("practice LMS: %s", message)
    return render(request, "practice_lms/error.html", {"message": message}, status=status)


def autopost(request: HttpRequest, action: str, fields: dict, *, title: str) -> HttpResponse:
    return render(
        request,
        "practice_lms/autopost.html",
        {"action": action, "fields": fields.items(), "title": title},
    )


# The practice LMS is a demo platform: its launch, auth and storage pages may be framed by any
# site (no X-Frame-Options), because the course page may be opened at another host than the
# base URL setup stored (http://127.0.0.1 vs http://localhost), exactly the cross-site iframe
# Canvas puts the tool in. A real LMS would restrict framing to its own origins.
@require_GET
@xframe_options_exempt
def launch(request: HttpRequest, person_id: int) -> HttpResponse:
    """Start a launch as `person`: send the browser to the tool's login initiation URL.

    In the course page's iframe the login is an auto-submitted POST form (like Canvas); in a new
    window it is a GET redirect (both are allowed; tools must accept both). `?method=` overrides.
    """
    person = get_object_or_404(Person, pk=person_id)
    links = ResourceLink.objects.filter(course=person.course, tool__isnull=False)
    link_id = request.GET.get("link", "")
    if link_id.isdigit():  # a link added by deep linking; the course's first link otherwise
        links = links.filter(pk=int(link_id))
    link = links.select_related("tool").order_by("id").first()
    if link is None or link.tool is None:
        return error_page(
            request,
            "No tool is set up in this course yet: run "
            "`python manage.py practice_lms setup --base-url <URL>` first.",
        )
    mode = request.GET.get("mode", LaunchRequest.Mode.IFRAME)
    if mode not in LaunchRequest.Mode.values:
        return error_page(request, MODE_UNKNOWN.format(mode=mode))
    launch_request = LaunchRequest.objects.create(person=person, resource_link=link, mode=mode)
    return _login_initiation(request, launch_request, link)


def _login_initiation(
    request: HttpRequest, launch_request: LaunchRequest, link: ResourceLink
) -> HttpResponse:
    assert link.tool is not None
    Counter.bump(Counter.LAUNCHES)
    params = launches.login_initiation_params(request, launch_request, link.tool)
    mode = launch_request.mode
    method = request.GET.get("method") or ("post" if mode == LaunchRequest.Mode.IFRAME else "get")
    if method == "get":
        return HttpResponseRedirect(f"{link.tool.login_url}?{urlencode(params)}")
    return autopost(request, link.tool.login_url, params, title=f"Launching {link.title}")


@require_GET
@xframe_options_sameorigin
def submission_review(request: HttpRequest, student_id: int) -> HttpResponse:
    """The gradebook's "Review submission": the course's instructor opens the student's work in
    the tool with an LtiSubmissionReviewRequest (like Moodle's grade report, Canvas SpeedGrader).

    Opens in a new window by default (the gradebook is not an iframe host); `?mode=iframe` too.
    """
    student = get_object_or_404(Person, pk=student_id, role=Person.Role.STUDENT)
    reviewer = student.course.people.filter(role=Person.Role.INSTRUCTOR).first()
    line_item = student.course.line_items.order_by("id").first()
    link = line_item.resource_link if line_item else None
    if reviewer is None or link is None or link.tool is None:
        return error_page(
            request,
            "This course has no instructor or no graded tool link to review: run "
            "`python manage.py practice_lms setup --base-url <URL>` first.",
        )
    mode = request.GET.get("mode", LaunchRequest.Mode.WINDOW)
    if mode not in LaunchRequest.Mode.values:
        return error_page(request, MODE_UNKNOWN.format(mode=mode))
    launch_request = LaunchRequest.objects.create(
        person=reviewer,
        resource_link=link,
        mode=mode,
        message_type=LaunchRequest.MessageType.SUBMISSION_REVIEW,
        for_person=student,
    )
    return _login_initiation(request, launch_request, link)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@xframe_options_exempt  # a demo platform: see launch()
def auth(request: HttpRequest) -> HttpResponse:
    """The OIDC authorization endpoint: answer the tool's auth request with a signed id_token."""
    params = request.POST if request.method == "POST" else request.GET
    try:
        auth_request = auth_request_check(params)
    except AuthRequestError as exc:
        return error_page(request, f"The tool's authentication request was refused: {exc}")
    claims = launches.id_token_claims(
        request, launch=auth_request.launch, tool=auth_request.tool, nonce=auth_request.nonce
    )
    LaunchRequest.objects.filter(pk=auth_request.launch.pk).update(
        id_tokens_issued=F("id_tokens_issued") + 1
    )
    fields = {"id_token": keys.sign(claims)}
    if auth_request.state:
        fields["state"] = auth_request.state
    return autopost(
        request, auth_request.redirect_uri, fields, title=f"Opening {auth_request.tool.name}"
    )


@require_GET
@xframe_options_exempt  # a demo platform: see launch()
def post_message_forwarding(request: HttpRequest) -> HttpResponse:
    """Canvas's hidden `post_message_forwarding` frame: LTI Client Side postMessages platform
    storage (lti.capabilities, lti.put_data, lti.get_data) for tools whose cookies are blocked."""
    return render(request, "practice_lms/post_message_forwarding.html")


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    keys.signing_key()  # a platform always has a key to publish
    response = JsonResponse(keys.platform_jwks())
    response["Cache-Control"] = "max-age=60"
    return response
