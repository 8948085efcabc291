"""The one page for anything refused, expired or missing inside the LMS's frame.

A refusal that offers nothing to do may be shown by any page that frames it: a platform not
(yet) registered, or a registration switched off, must still be able to show the person why,
instead of the browser's "refused to connect". A page with an action (a link) is framed only by
registered platforms, like every other page of ours (framing.lms_framed).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lti_quiz.lti.errors import PageAction
from lti_quiz.lti.framing import framed_by_anyone

DEFAULT_TITLE = "The activity could not open"


def refusal_page(
    request: HttpRequest,
    message: str,
    *,
    status: int,
    title: str = "",
    action: PageAction | None = None,
) -> HttpResponse:
    response = render(
        request,
        "lti/error.html",
        {"message": message, "title": title or DEFAULT_TITLE, "action": action},
        status=status,
    )
    if action is None:
        framed_by_anyone(response)
    return response
