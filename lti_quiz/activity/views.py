"""The pages a student or instructor sees inside the LMS after a launch.

Every URL carries the launch id: inside an iframe with third-party cookies blocked, the
browser drops our cookies, so the id in the URL is what ties these requests to the launch.
It is a random 192-bit value only the launching browser received, which is also why the quiz
form does not need Django's cookie-based CSRF token (a forged cross-site POST cannot know it).
Every view gets its Activity from guards.launch_required, and anything refused is a domain
error shown by the one refusal page.
"""

import json

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lti_quiz.activity.errors import QuestionNotInAttempt, QuizFormIncomplete, SaveRequestInvalid
from lti_quiz.activity.facts import placement_facts
from lti_quiz.activity.guards import OVERDUE_CLOSED, launch_required
from lti_quiz.activity.quiz_page import (
    attempt_in_progress,
    attempt_summary,
    question_number_parse,
    question_url,
    quiz_page,
)
from lti_quiz.activity.services import (
    Activity,
    activity_submit,
    latest_delivery,
    learner_gradebook,
    quiz_overview,
)
from lti_quiz.activity.standing import learner_standing_load, percent
from lti_quiz.lti.framing import lms_framed
from lti_quiz.quiz.drafts import DraftValue, attempt_draft_save
from lti_quiz.quiz.errors import AttemptNotFound
from lti_quiz.quiz.models import Attempt
from lti_quiz.quiz.services import attempt_get_or_start
from lti_quiz.quiz.timing import attempt_deadline, attempt_submitted_late


@require_GET
@lms_framed
@launch_required
def home(request: HttpRequest, activity: Activity) -> HttpResponse:
    quiz, question_count = quiz_overview(activity)
    attempts = [a for a in activity.attempts if not a.is_preview]
    delivery = latest_delivery(activity)
    standing = learner_standing_load(activity)
    counted = standing.counted
    return render(
        request,
        "activity/home.html",
        {
            "launch_id": activity.context.launch_id,
            "activity": activity,
            "context": activity.context,
            "lesson": quiz.lesson,
            "quiz": quiz,
            "attempts": attempts,
            "in_progress": next(
                (a for a in attempts if a.status == Attempt.Status.IN_PROGRESS), None
            ),
            "submitted": [a for a in attempts if a.status == Attempt.Status.SUBMITTED],
            "attempts_allowed": standing.standing.terms.attempts_limit,
            "quiz_facts": placement_facts(
                placement=activity.placement, question_count=question_count
            ),
            "standing": standing,
            "shows": standing.visibility,
            "counted": counted,
            "delivery": delivery,
            "gradebook": learner_gradebook(activity, delivery=delivery, counted=counted),
        },
    )


@csrf_exempt  # see the module docstring: the launch id in the URL is the secret
@require_http_methods(["GET", "POST"])
@lms_framed
@launch_required
def quiz(request: HttpRequest, activity: Activity) -> HttpResponse:
    if request.method == "POST":
        return _submit(request, activity)
    mine = [
        attempt
        for attempt in getattr(request, OVERDUE_CLOSED, [])
        if attempt.learner_key == activity.context.learner_key
    ]
    if mine:  # their time ran out while away: the result first, not a new attempt unasked
        return redirect(
            "activity:result", launch_id=activity.context.launch_id, number=mine[-1].number
        )
    number = question_number_parse(request.GET.get("q"))
    attempt = attempt_get_or_start(
        placement=activity.placement,
        learner_key=activity.context.learner_key,
        preview=activity.context.is_staff,
        overrides=activity.overrides,  # the guard's overdue check read them
    )
    # The page shows the drafts and when they were last saved: one read for both.
    prefetch_related_objects([attempt], "drafts")
    return render(
        request,
        "activity/quiz.html",
        {
            "launch_id": activity.context.launch_id,
            "activity": activity,
            "attempt": attempt,
            "draft_saved_at": attempt.draft_saved_at(),
            **quiz_page(activity=activity, attempt=attempt, number=number),
            "deadline": attempt_deadline(attempt=attempt, terms=activity.terms),
            "now": timezone.now(),
        },
    )


@csrf_exempt  # see the module docstring: the launch id in the URL is the secret
@require_POST
@launch_required
def quiz_go(request: HttpRequest, activity: Activity) -> HttpResponse:
    """Previous, Next, a question of the panel, or the summary: the page's answers and flags
    are saved as drafts first, so moving on works without the page's script."""
    attempt_id = _attempt_id(request)
    shown = _shown_slots(request)
    attempt_draft_save(
        attempt_id=attempt_id,
        learner_key=activity.context.learner_key,
        placement=activity.placement,
        # A question shown with nothing ticked posts nothing: it is saved blank.
        answers={**{slot: [] for slot in shown}, **_answers_from_form(request)},
        flags={slot: f"flag-{slot}" in request.POST for slot in shown},
    )
    launch_id = activity.context.launch_id
    go = request.POST.get("go", "")
    if go == "summary":
        url = reverse("activity:quiz_summary", args=[launch_id])
    else:
        number = question_number_parse(go)
        if number is None:
            raise QuestionNotInAttempt()
        url = question_url(activity=activity, attempt_id=attempt_id, number=number)
    return _see_other(url)


@require_GET
@lms_framed
@launch_required
def quiz_summary(request: HttpRequest, activity: Activity) -> HttpResponse:
    """Before the final submit: unanswered and flagged questions, and the confirmation."""
    attempt = attempt_in_progress(activity)
    if attempt is None:
        return redirect("activity:home", launch_id=activity.context.launch_id)
    return render(
        request,
        "activity/quiz_summary.html",
        {
            "launch_id": activity.context.launch_id,
            "activity": activity,
            "attempt": attempt,
            **attempt_summary(attempt=attempt),
            "deadline": attempt_deadline(attempt=attempt, terms=activity.terms),
            "now": timezone.now(),
        },
    )


@csrf_exempt  # see the module docstring: the launch id in the URL is the secret
@require_POST
@launch_required
def quiz_save(request: HttpRequest, activity: Activity) -> HttpResponse:
    """The quiz page's script stores answers and flags as the learner changes them (JSON in,
    JSON out; it asks with `Accept: application/json`, so a refusal is JSON too)."""
    try:
        body = json.loads(request.body)
        attempt_id = body["attempt"]
    except (ValueError, TypeError, KeyError):
        raise SaveRequestInvalid() from None
    if not isinstance(attempt_id, int) or isinstance(attempt_id, bool):
        raise SaveRequestInvalid()
    saved_at = attempt_draft_save(
        attempt_id=attempt_id,
        learner_key=activity.context.learner_key,
        placement=activity.placement,
        answers=body.get("answers", {}),
        flags=body.get("flags", {}),
    )
    return JsonResponse({"saved_at": saved_at.isoformat()})


def _submit(request: HttpRequest, activity: Activity) -> HttpResponse:
    """The final submit: the posted answers, and the drafts of the questions not posted (one
    question per page, or the summary's confirmation, which posts none)."""
    result = activity_submit(
        activity=activity,
        attempt_id=_attempt_id(request),
        answers=_answers_from_form(request),
        shown=_shown_slots(request),
    )
    return redirect(
        "activity:result", launch_id=activity.context.launch_id, number=result.attempt.number
    )


def _attempt_id(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("attempt", ""))
    except ValueError:
        raise QuizFormIncomplete() from None


def _shown_slots(request: HttpRequest) -> list[str]:
    """The questions the posted page showed (`shown`: their slots, space-separated)."""
    return request.POST.get("shown", "").split()


def _see_other(url: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


def _answers_from_form(request: HttpRequest) -> dict[str, DraftValue]:
    """Form fields `q-<slot>` hold choice keys (one or several), `q-<slot>-text` a written
    answer, `q-<slot>-part-<name>` one part of an answer in parts (quiz/kinds/)."""
    answers: dict[str, DraftValue] = {}
    for name in request.POST:
        if not name.startswith("q-"):
            continue
        field = name.removeprefix("q-")
        if "-part-" in field:
            slot, part = field.split("-part-", 1)
            parts = answers.setdefault(slot, {})
            if isinstance(parts, dict):
                # A part's boxes (a gap's several picks): the ticked keys, space-separated.
                parts[part] = " ".join(request.POST.getlist(name))
        elif field.endswith("-text"):
            answers[field.removesuffix("-text")] = request.POST[name]
        else:
            answers[field] = request.POST.getlist(name)
    return answers


@require_GET
@lms_framed
@launch_required
def result(request: HttpRequest, activity: Activity, number: int) -> HttpResponse:
    attempt = next((a for a in activity.attempts if a.number == number and a.is_submitted), None)
    if attempt is None:
        raise AttemptNotFound(gettext("There is no submitted attempt with that number."))
    attempt.placement = activity.placement  # the guard's: no second read
    delivery = latest_delivery(activity)
    standing = learner_standing_load(activity)
    return render(
        request,
        "activity/result.html",
        {
            "launch_id": activity.context.launch_id,
            "activity": activity,
            "attempt": attempt,
            "percent": percent(attempt.score, attempt.max_score),
            "results": attempt.results_for_display(),
            "standing": standing,
            "shows": standing.visibility,
            "late": attempt_submitted_late(attempt=attempt, terms=standing.standing.terms),
            "delivery": delivery,
            "gradebook": learner_gradebook(activity, delivery=delivery, counted=standing.counted),
        },
    )


@require_GET
@launch_required
def grade_status(request: HttpRequest, activity: Activity) -> HttpResponse:
    """Where the learner's latest score is on its way to the gradebook (the result page polls
    with `Accept: application/json`, so a refusal comes back as JSON too)."""
    delivery = latest_delivery(activity)
    return JsonResponse({"state": delivery.state if delivery else None})
