"""What a page needs before it can open, checked once per page by a decorator."""

import functools
import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from lti_quiz.lti.refusals import refusal_page
from lti_quiz.quiz.errors import QuizContentMissing

logger = logging.getLogger(__name__)


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
