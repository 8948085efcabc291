"""What the quiz page and its summary show of an attempt in progress: which question is where,
which are answered or flagged, and which ones a page shows (all, or one per page when the
placement asks for it)."""

import typing as t

from django.urls import reverse

from lti_quiz.activity.errors import QuestionNotInAttempt
from lti_quiz.activity.services import Activity
from lti_quiz.quiz.models import Attempt


def question_number_parse(value: str | None) -> int | None:
    """The `q` of `quiz/?q=N` (1-based); None when absent."""
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise QuestionNotInAttempt()
    return int(value)


def quiz_page(*, activity: Activity, attempt: Attempt, number: int | None) -> dict[str, t.Any]:
    """The template context of the quiz page: every question for the panel, and the ones this
    page shows. With one question per page, `number` picks it (the first when None)."""
    questions = _numbered(attempt)
    total = len(questions)
    one_per_page = activity.placement.one_question_per_page
    current = None
    shown = questions
    if one_per_page:
        current = 1 if number is None else number
        if not 1 <= current <= total:
            raise QuestionNotInAttempt()
        shown = [questions[current - 1]]
    return {
        "questions": questions,
        "shown": shown,
        "shown_slots": " ".join(question["slot"] for question in shown),
        "one_per_page": one_per_page,
        "current": current,
        "previous": current - 1 if current and current > 1 else None,
        "next": current + 1 if current and current < total else None,
        "total": total,
        "answered_count": sum(1 for question in questions if question["answered"]),
    }


def attempt_summary(*, attempt: Attempt) -> dict[str, t.Any]:
    """Before the final submit: what is answered, what is not, what the learner flagged."""
    questions = _numbered(attempt)
    return {
        "questions": questions,
        "total": len(questions),
        "answered_count": sum(1 for question in questions if question["answered"]),
        "unanswered": [question for question in questions if not question["answered"]],
        "flagged": [question for question in questions if question["flagged"]],
    }


def question_url(*, activity: Activity, attempt_id: int, number: int) -> str:
    """Where the quiz shows question `number` (1-based) of the attempt, its fieldset as the
    fragment: the browser scrolls there, and focus lands on it."""
    attempt = Attempt.objects.filter(pk=attempt_id).only("snapshot").first()
    questions = attempt.snapshot["questions"] if attempt else []
    if not 1 <= number <= len(questions):
        raise QuestionNotInAttempt()
    url = reverse("activity:quiz", args=[activity.context.launch_id])
    if activity.placement.one_question_per_page:
        url += f"?q={number}"
    return f"{url}#question-{questions[number - 1]['slot']}"


def attempt_in_progress(activity: Activity) -> Attempt | None:
    """The launch's open attempt (a staff launch's is its preview), without starting one."""
    return Attempt.objects.filter(
        placement=activity.placement,
        learner_key=activity.context.learner_key,
        is_preview=activity.context.is_staff,
        status=Attempt.Status.IN_PROGRESS,
    ).first()


def _numbered(attempt: Attempt) -> list[dict[str, t.Any]]:
    questions = attempt.questions_for_display()
    for number, question in enumerate(questions, start=1):
        question["number"] = number
    return questions
