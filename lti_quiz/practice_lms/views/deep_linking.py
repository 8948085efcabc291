"""Deep linking in the course: the instructor's "Add an activity" and the tool's answer."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import urlencode
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from lti_quiz.practice_lms.deep_linking import DeepLinkReturnError, deep_link_return
from lti_quiz.practice_lms.launches import login_initiation_params
from lti_quiz.practice_lms.models import (
    Counter,
    LaunchRequest,
    Person,
    ResourceLink,
    new_opaque_id,
)
from lti_quiz.practice_lms.views.oidc import autopost, error_page


@require_GET
@xframe_options_sameorigin
def start(request: HttpRequest, person_id: int) -> HttpResponse:
    """Send an LtiDeepLinkingRequest for `person` (an instructor) through the login flow."""
    person = get_object_or_404(Person, pk=person_id)
    if person.role != Person.Role.INSTRUCTOR:
        return error_page(request, "Only instructors can add activities.", status=403)
    anchor = (
        ResourceLink.objects.filter(course=person.course, tool__isnull=False)
        .select_related("tool")
        .order_by("id")
        .first()
    )
    if anchor is None or anchor.tool is None:
        return error_page(
            request,
            "No tool is set up in this course yet: run "
            "`python manage.py practice_lms setup --base-url <URL>` first.",
        )
    tool = anchor.tool
    launch = LaunchRequest.objects.create(
        person=person,
        message_type=LaunchRequest.MessageType.DEEP_LINKING,
        tool=tool,
        deep_link_data=new_opaque_id(),
        mode=LaunchRequest.Mode.WINDOW,
    )
    Counter.bump(Counter.LAUNCHES)
    params = login_initiation_params(request, launch, tool)
    if request.GET.get("method") == "post":
        return autopost(request, tool.login_url, params, title="Adding an activity")
    return HttpResponseRedirect(f"{tool.login_url}?{urlencode(params)}")


@csrf_exempt  # the tool's browser form POST; the signed JWT (nonce, data) is what is checked
@require_POST
@xframe_options_sameorigin
def deep_link_return_view(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("JWT", "")
    if not token:
        return error_page(request, "The tool's deep linking response has no JWT field.")
    try:
        link = deep_link_return(request, token)
    except DeepLinkReturnError as exc:
        return error_page(request, f"The tool's deep linking response was refused: {exc}")
    messages.success(request, f"Added “{link.title}” to the course.")
    return redirect("practice_lms:home")
