"""The submission review page (submission_review.py) and its accept/reject action.

Staff of the launch's course only, like the results page (guards.instructor_required); the POST
is CSRF-exempt for the same reason (the launch id in the URL is the secret).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from lti_quiz.activity.guards import instructor_required
from lti_quiz.activity.results_views import DONE_MESSAGES, REVIEW_DONE, done_redirect
from lti_quiz.activity.review import review_decide
from lti_quiz.activity.services import Activity
from lti_quiz.activity.submission_review import submission_learner_key, submission_review_load
from lti_quiz.lti.framing import lms_framed


@require_GET
@lms_framed
@instructor_required
def submission(request: HttpRequest, activity: Activity) -> HttpResponse:
    return render(
        request,
        "activity/submission/page.html",
        {
            "launch_id": activity.context.launch_id,
            "activity": activity,
            "review": submission_review_load(activity=activity),
            "done": DONE_MESSAGES.get(request.GET.get("done", ""), ""),
            # Staff see every attempt whole, whatever the learners' review rules say.
            "staff_shows": {"score": True, "marks": True, "correct": True, "feedback": True},
        },
    )


@csrf_exempt  # see the module docstring
@require_POST
@lms_framed
@instructor_required
def review(request: HttpRequest, activity: Activity, response_id: int) -> HttpResponse:
    """The results page's review, for the one learner the gradebook opened."""
    learner = submission_learner_key(activity)
    decision = request.POST.get("decision", "")
    review_decide(
        activity=activity,
        response_id=response_id,
        decision=decision,
        learner_key=learner,
        score=request.POST.get("score", ""),
        comment=request.POST.get("comment", ""),
    )
    return done_redirect(activity, REVIEW_DONE[decision], page="activity:submission")
