"""The instructor's gradebook actions: send every grade again, try a column update again, and
one learner's grade history. Staff of the launch's course only; the POSTs are CSRF-exempt for
the reason the results page's are (results_views' docstring)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from lti_quiz.activity.errors import NotInThisPlacement
from lti_quiz.activity.grade_sync import (
    learner_grade_history,
    placement_grades_resend_all,
    placement_lineitem_retry,
)
from lti_quiz.activity.guards import instructor_required
from lti_quiz.activity.results_views import done_redirect
from lti_quiz.activity.services import Activity
from lti_quiz.lti.framing import lms_framed


def _number(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise NotInThisPlacement() from None


@csrf_exempt  # see the module docstring
@require_POST
@lms_framed
@instructor_required
def resend_all(request: HttpRequest, activity: Activity) -> HttpResponse:
    since = request.POST.get("since", "")
    sent = placement_grades_resend_all(
        activity=activity, since_pk=_number(since) if since else None
    )
    return done_redirect(activity, "resent-all" if sent else "nothing-to-resend")


@csrf_exempt  # see the module docstring
@require_POST
@lms_framed
@instructor_required
def lineitem_retry(request: HttpRequest, activity: Activity) -> HttpResponse:
    placement_lineitem_retry(activity=activity, update_id=_number(request.POST.get("update", "")))
    return done_redirect(activity, "lineitem-retry")


@require_GET
@lms_framed
@instructor_required
def history(request: HttpRequest, activity: Activity) -> HttpResponse:
    found = learner_grade_history(activity=activity, user_sub=request.GET.get("learner", ""))
    return render(
        request,
        "activity/results/grade_history.html",
        {"launch_id": activity.context.launch_id, "activity": activity, "history": found},
    )
