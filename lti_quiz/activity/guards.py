"""What a page a launch opens needs before it runs, said once: a launch that is still valid
(`launch_required`), and for the instructor's pages, course staff (`instructor_required`).

Both hand the view the launch's Activity (after submitting any attempt it touches whose time
ran out: standing.activity_overdue_close), and every domain error a view or a service raises
(an expired launch, a student on a staff page, a quiz not loaded yet, a record of another
course) becomes the one refusal page with the error's own status (lti.refusals.error_page).
"""

import functools
import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from lti_quiz.activity.errors import InstructorsOnly, LaunchExpired
from lti_quiz.activity.services import Activity, activity_for_launch
from lti_quiz.activity.standing import activity_overdue_close
from lti_quiz.lib.errors import DomainError
from lti_quiz.lti.context import launch_context_load
from lti_quiz.lti.refusals import error_page

logger = logging.getLogger(__name__)

ActivityView = Callable[..., HttpResponse]
# The request attribute holding the attempts launch_required just submitted as overdue.
OVERDUE_CLOSED = "overdue_closed"


def refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The refusal page for `error`, logged: a server-side cause (5xx) as a warning."""
    level = logging.WARNING if error.status >= 500 else logging.INFO
    logger.log(level, "%s refused (%s): %s", request.path, error.status, error.message)
    return error_page(request, error)


def launch_required(view: ActivityView) -> ActivityView:
    """`view(request, activity, ...)` for the launch id in the URL, or a refusal page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, launch_id: str, *args, **kwargs) -> HttpResponse:
        try:
            # The language middleware has read it already, for this page's language.
            context = getattr(request, "launch_context", None)
            if context is None or context.launch_id != launch_id:
                context = launch_context_load(launch_id)
            if context is None:
                raise LaunchExpired()
            activity = activity_for_launch(context)
            # An attempt whose time ran out is submitted by whatever page touches it first;
            # the quiz page shows its result rather than starting the next one unasked.
            setattr(request, OVERDUE_CLOSED, activity_overdue_close(activity))
            return view(request, activity, *args, **kwargs)
        except DomainError as error:
            return refused(request, error)

    return wrapper


def instructor_required(view: ActivityView) -> ActivityView:
    """launch_required, and the launch is by staff of the course (a student's gets 403)."""

    @launch_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, activity: Activity, *args, **kwargs) -> HttpResponse:
        if not activity.context.is_staff:
            raise InstructorsOnly()
        return view(request, activity, *args, **kwargs)

    return wrapper
