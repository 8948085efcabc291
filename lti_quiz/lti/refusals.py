"""The one page for anything refused, expired or missing inside the LMS's frame.

A refusal that offers nothing to do may be shown by any page that frames it: a platform not
(yet) registered, or a registration switched off, must still be able to show the person why,
instead of the browser's "refused to connect". A page with an action (a link) is framed only by
registered platforms, like every other page of ours (framing.lms_framed).
"""

import functools
import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lti_quiz.lti.errors import PageAction
from lti_quiz.lti.framing import framed_by_anyone
from lti_quiz.quiz.errors import QuizContentMissing

logger = logging.getLogger(__name__)

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


def quiz_content_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page opened before the quiz content was loaded says so (503) and names the command,
    instead of failing with a 500."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except QuizContentMissing as missing:
            logger.warning("%s: %s", request.path, missing.message)
            return refusal_page(
                request, missing.message, status=503, title="The quiz is not set up yet"
            )

    return wrapper
