"""The instructor's results page for a placement, and its actions (resend, review, CSV).

Only staff of the launch's course may see or act: the launch context says who launched, in
which course, on which link, and every lookup is scoped to that link's placement. A student's
launch id gets 403, an expired one 410.

The POSTs are CSRF-exempt for the reason the quiz form is (views.py's docstring): inside
an LMS iframe our cookies may be dropped, and the random launch id in the URL is the secret a
forged cross-site request cannot know. The exemption only ever lets a staff launch act.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from lti_quiz.activity.errors import NotInThisPlacement
from lti_quiz.activity.grade_sync import (
    GRADE_SYNC_DONE,
    grade_sync_context,
    placement_lineitem_sync,
)
from lti_quiz.activity.gradebook import default_review_scores
from lti_quiz.activity.guards import instructor_required
from lti_quiz.activity.overrides import overridden_subs, results_rules_set
from lti_quiz.activity.results import (
    placement_results,
    results_csv,
    results_one_question_per_page_set,
    results_resend,
    results_resend_failed,
    results_review_scores_set,
    results_roster_refresh,
)
from lti_quiz.activity.results_table import FILTERS, SORTS, learners_table
from lti_quiz.activity.review import review_decide
from lti_quiz.activity.services import Activity
from lti_quiz.lti.framing import lms_framed
from lti_quiz.quiz.models import ReviewScores, ReviewWhen
from lti_quiz.quiz.placement_rules import review_parts, rules_as_text
from lti_quiz.quiz.statistics import QuestionStats

# Outcomes shown after an action's redirect (no cookies needed, nothing a URL could inject).
DONE_MESSAGES = {
    "resent": gettext_lazy(
        "The score was queued to be sent again; the gradebook gets it in a moment."
    ),
    "resent-failed": gettext_lazy("Every failed score was queued to be sent again."),
    "nothing-failed": gettext_lazy("No score had failed: there was nothing to send again."),
    "accepted": gettext_lazy("Answer accepted. The new score was queued for the gradebook."),
    "rejected": gettext_lazy("Answer rejected. The final score was queued for the gradebook."),
    "scored": gettext_lazy("Score saved. The new score was queued for the gradebook."),
    "settings": gettext_lazy("Saved. Scores waiting for your review are sent again the new way."),
    "rules": gettext_lazy("Saved: the review rules and timing apply from now on."),
    "override": gettext_lazy("Saved: the learner's exceptions apply from now on."),
    "roster": gettext_lazy(
        "The course roster is being read again from the platform: reload this page in a few "
        "seconds to see it."
    ),
    "roster-pending": gettext_lazy(
        "The course roster is already being read again: reload this page in a few seconds."
    ),
    **GRADE_SYNC_DONE,
}

REVIEW_DONE = {"accept": "accepted", "reject": "rejected", "score": "scored"}

# The review queue shows this many answers at once (oldest first): each is a form, and a class
# of 1,000 with one answer each waiting would otherwise be a page of 1,000 forms.
REVIEW_SHOWN = 20

# The bar chart's geometry, in SVG user units (the SVG scales to the page width).
CHART_WIDTH, BAR_X, BAR_SPAN, BAR_HEIGHT, ROW_HEIGHT = 600, 40, 480, 18, 26


def _band(percent: int) -> str:
    return "high" if percent >= 75 else "mid" if percent >= 50 else "low"


def chart_layout(statistics: list[QuestionStats]) -> dict[str, object]:
    """Positions of the server-rendered bar chart: one bar per question, share correct."""
    rows = []
    for index, stat in enumerate(statistics):
        percent = stat.percent_correct
        width = round(BAR_SPAN * (percent or 0) / 100)
        y = index * ROW_HEIGHT + 4
        rows.append(
            {
                "position": stat.position,
                "y": y,
                "text_y": y + BAR_HEIGHT // 2,
                "width": width,
                "value": f"{percent}%" if percent is not None else gettext("pending"),
                "value_x": BAR_X + width + 6,
                "band": _band(percent or 0),
            }
        )
    axis_y = len(rows) * ROW_HEIGHT + 4
    return {
        "rows": rows,
        "width": CHART_WIDTH,
        "height": axis_y + 16,
        "axis_y": axis_y,
        "bar_x": BAR_X,
        "bar_span": BAR_SPAN,
        "bar_height": BAR_HEIGHT,
        "ticks": [
            {"x": BAR_X + BAR_SPAN * p // 100, "label": f"{p}%"} for p in (0, 25, 50, 75, 100)
        ],
    }


def done_redirect(activity: Activity, done: str, page: str = "activity:results") -> HttpResponse:
    """303 back to the staff page, which shows DONE_MESSAGES[done] (post/redirect/get)."""
    url = reverse(page, args=[activity.context.launch_id])
    response = HttpResponse(status=303)
    response["Location"] = f"{url}?{urlencode({'done': done})}"
    return response


@require_GET
@lms_framed
@instructor_required
def results(request: HttpRequest, activity: Activity) -> HttpResponse:
    placement_lineitem_sync(activity=activity)
    found = placement_results(activity=activity)
    table = learners_table(learners=found.learners, params=request.GET)
    return render(
        request,
        "activity/results/page.html",
        {
            "launch_id": activity.context.launch_id,
            "activity": activity,
            "results": found,
            "table": table,
            "review_shown": found.review_queue[:REVIEW_SHOWN],
            "review_more": max(0, len(found.review_queue) - REVIEW_SHOWN),
            "filters": FILTERS.items(),
            "sorts": [(key, label) for key, (label, _) in SORTS.items()],
            "chart": chart_layout(found.statistics),
            "done": DONE_MESSAGES.get(request.GET.get("done", ""), ""),
            "family": activity.family,
            "review_choices": ReviewScores.choices,
            "default_review_scores": default_review_scores(activity.family),
            "overridden": overridden_subs(activity),
            **_rules_context(activity),
            **grade_sync_context(activity),
        },
    )


def _rules_context(activity: Activity) -> dict[str, object]:
    texts = rules_as_text(activity.placement)
    return {"rules": texts, "review_parts": review_parts(texts), "review_when": ReviewWhen.choices}


@require_GET
@lms_framed
@instructor_required
def results_export(request: HttpRequest, activity: Activity) -> HttpResponse:
    found = placement_results(activity=activity)
    response = HttpResponse(results_csv(found), content_type="text/csv; charset=utf-8")
    filename = f"results-{activity.placement.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@csrf_exempt  # see the module docstring
@require_POST
@lms_framed
@instructor_required
def resend(request: HttpRequest, activity: Activity) -> HttpResponse:
    try:
        delivery_id = int(request.POST.get("delivery", ""))
    except ValueError:
        raise NotInThisPlacement() from None
    results_resend(activity=activity, delivery_id=delivery_id)
    return done_redirect(activity, "resent")


@csrf_exempt  # see the module docstring
@require_POST
@lms_framed
@instructor_required
def roster_refresh(request: HttpRequest, activity: Activity) -> HttpResponse:
    """Queue a new read of the course roster (a student just added to the course)."""
    queued = results_roster_refresh(activity=activity)
    return done_redirect(activity, "roster" if queued else "roster-pending")


@csrf_exempt  # see the module docstring
@require_POST
@lms_framed
@instructor_required
def settings(request: HttpRequest, activity: Activity) -> HttpResponse:
    """Either form of the page's settings: what the gradebook gets while answers wait for
    review and the quiz's layout, or the review rules and timing (the form with a `rules` field)."""
    if "rules" in request.POST:
        results_rules_set(activity=activity, values=request.POST)
        return done_redirect(activity, "rules")
    if "one_question_per_page" in request.POST:
        results_one_question_per_page_set(
            activity=activity, value=request.POST["one_question_per_page"]
        )
    results_review_scores_set(
        activity=activity, review_scores=request.POST.get("review_scores", "")
    )
    return done_redirect(activity, "settings")


@csrf_exempt  # see the module docstring
@require_POST
@lms_framed
@instructor_required
def resend_failed(request: HttpRequest, activity: Activity) -> HttpResponse:
    sent = results_resend_failed(activity=activity)
    return done_redirect(activity, "resent-failed" if sent else "nothing-failed")


@csrf_exempt  # see the module docstring
@require_POST
@lms_framed
@instructor_required
def review(request: HttpRequest, activity: Activity, response_id: int) -> HttpResponse:
    decision = request.POST.get("decision", "")
    review_decide(
        activity=activity,
        response_id=response_id,
        decision=decision,
        score=request.POST.get("score", ""),
        comment=request.POST.get("comment", ""),
    )
    return done_redirect(activity, REVIEW_DONE[decision])
