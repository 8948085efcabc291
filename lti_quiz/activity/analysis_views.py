"""The instructor's item analysis page and its exports (GET only: they change nothing).

Staff of the launch's course only (instructor_required); a bad choice in the query string is a
400 page with its sentence, from the services' domain errors.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lti_quiz.activity.analysis import COURSE, PLACEMENT, activity_analysis, activity_export
from lti_quiz.activity.analysis_charts import analysis_charts
from lti_quiz.activity.guards import instructor_required
from lti_quiz.activity.services import Activity
from lti_quiz.lti.framing import lms_framed
from lti_quiz.quiz.analysis_tables import EXPORTS
from lti_quiz.quiz.item_analysis import ALL, FIRST, HIGHEST


@require_GET
@lms_framed
@instructor_required
def analysis(request: HttpRequest, activity: Activity) -> HttpResponse:
    found = activity_analysis(
        activity=activity,
        attempts=request.GET.get("attempts"),
        scope=request.GET.get("scope"),
    )
    return render(
        request,
        "activity/analysis/page.html",
        {
            "launch_id": activity.context.launch_id,
            "activity": activity,
            "analysis": found,
            "result": found.result,
            "charts": analysis_charts(found.result),
            "attempt_choices": (FIRST, HIGHEST, ALL),
            "scope_choices": (PLACEMENT, COURSE),
            "exports": EXPORTS,
        },
    )


@require_GET
@lms_framed
@instructor_required
def export(request: HttpRequest, activity: Activity, what: str) -> HttpResponse:
    file = activity_export(
        activity=activity,
        what=what,
        fmt=request.GET.get("format"),
        attempts=request.GET.get("attempts"),
        scope=request.GET.get("scope"),
    )
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response
