"""The one page for anything refused, expired or missing inside the LMS's frame.

Every refusal is a domain error (lib/errors.py) that carries its sentence, HTTP status and
heading; `error_page` is how every view shows one. A refusal that offers nothing to do may be
shown by any page that frames it: a platform not (yet) registered, or a registration switched
off, must still be able to show the person why, instead of the browser's "refused to connect". A
page with an action (a link) is framed only by registered platforms, like every other page of
ours (framing.lms_framed). A refusal without a heading of its own gets the page's default one,
translated by the template.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from lti_quiz.lib.errors import DomainError
from lti_quiz.lti.errors import PageAction
from lti_quiz.lti.framing import framed_by_anyone


def error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The page (or, for a script that asked for JSON, the JSON body) that shows `error`."""
    message = str(error.message)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"error": message, "code": error.code}, status=error.status)
    action = getattr(error, "action", None)
    response = render(
        request,
        "lti/error.html",
        {"message": message, "title": error.title, "action": action},
        status=error.status,
    )
    if not isinstance(action, PageAction):
        framed_by_anyone(response)
    return response
