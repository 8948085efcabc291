"""The submission review page (submission_review.py) and its accept/reject action.

Staff of the launch's course only, like the results page (results_views.staff_only); the POST
is CSRF-exempt for the same reason (the launch id in the URL is the secret).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from lti_quiz.activity.results import NotInThisPlacement
from lti_quiz.activity.results_views import DONE_MESSAGES, NOT_HERE, staff_only
from lti_quiz.activity.services import Activity
from lti_quiz.activity.submission_review import submission_review_decide, submission_review_load
from lti_quiz.lib.errors import DomainError
from lti_quiz.lti.framing import lms_framed
from lti_quiz.lti.refusals import refusal_page

NO_LEARNER = (
    "This page shows a student's submission opened from the gradebook, and this launch did not "
    "name a student. Open the submission from the gradebook again."
)


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return refusal_page(request, message, status=status, title="This submission is not available")


@require_GET
@lms_framed
@staff_only
def submission(request: HttpRequest, activity: Activity) -> HttpResponse:
    if not activity.context.for_user_id:
        return _error(request, NO_LEARNER, 400)
    return render(
        request,
        "activity/submission/page.html",
        {
            "launch_id": activity.context.launch_id,
            "activity": activity,
            "review": submission_review_load(activity=activity),
            "done": DONE_MESSAGES.get(request.GET.get("done", ""), ""),
        },
    )


@csrf_exempt  # see the module docstring
@require_POST
@lms_framed
@staff_only
def review(request: HttpRequest, activity: Activity, response_id: int) -> HttpResponse:
    decision = request.POST.get("decision", "")
    if decision not in ("accept", "reject"):
        return _error(request, "Choose accept or reject.", 400)
    if not activity.context.for_user_id:
        return _error(request, NO_LEARNER, 400)
    try:
        submission_review_decide(
            activity=activity, response_id=response_id, accepted=decision == "accept"
        )
    except NotInThisPlacement:
        return _error(request, NOT_HERE, 403)
    except DomainError as exc:
        return _error(request, exc.message, exc.status)
    url = reverse("activity:submission", args=[activity.context.launch_id])
    done = "accepted" if decision == "accept" else "rejected"
    response = HttpResponse(status=303)
    response["Location"] = f"{url}?{urlencode({'done': done})}"
    return response
