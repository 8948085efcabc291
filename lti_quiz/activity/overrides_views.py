"""The instructor's page for one learner's exceptions (extra attempts, extra time, a personal
close date). Staff of the launch's course only; the POST is CSRF-exempt for the reason the
results page's are (results_views' docstring: the launch id in the URL is the secret)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lti_quiz.activity.guards import instructor_required
from lti_quiz.activity.overrides import (
    learner_attempt_count,
    override_target,
    results_override_set,
)
from lti_quiz.activity.results import placement_results
from lti_quiz.activity.results_views import done_redirect
from lti_quiz.activity.services import Activity
from lti_quiz.lti.framing import lms_framed
from lti_quiz.quiz.placement_rules import InvalidRules, moment_as_field, rules_as_text


@csrf_exempt  # see the module docstring
@require_http_methods(["GET", "POST"])
@lms_framed
@instructor_required
def learner(request: HttpRequest, activity: Activity) -> HttpResponse:
    found = placement_results(activity=activity)
    sub = request.POST.get("learner") if request.method == "POST" else request.GET.get("learner")
    target = override_target(
        activity=activity, user_sub=sub or "", known_subs=(row.user_sub for row in found.learners)
    )
    row = next(row for row in found.learners if row.user_sub == target.user_sub)
    error = ""
    if request.method == "POST":
        try:
            results_override_set(activity=activity, target=target, values=request.POST)
            return done_redirect(activity, "override")
        except InvalidRules as refused:
            error = str(refused.message)
    override = target.override
    return render(
        request,
        "activity/results/learner.html",
        {
            "launch_id": activity.context.launch_id,
            "activity": activity,
            "row": row,
            "used": learner_attempt_count(activity=activity, target=target),
            "values": request.POST
            if error
            else {
                "extra_attempts": override.extra_attempts if override else 0,
                "extra_minutes": override.extra_minutes if override else 0,
                "closes_at": moment_as_field(override.closes_at if override else None),
            },
            "placement_rules": rules_as_text(activity.placement),
            "error": error,
        },
        status=400 if error else 200,
    )
