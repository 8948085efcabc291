"""What the quiz page and its summary show of an attempt in progress: which question is where,
which are answered or flagged, and which ones a page shows (all, or one per page when the
placement asks for it).

Only questions are numbered, counted and listed in the panel and the summary; a description
(a text between questions) shows where it stands, and with one question per page on the page
of the question after it (the last question's, when nothing follows).
"""

import typing as t

from django.urls import reverse

from lti_quiz.activity.errors import QuestionNotInAttempt
from lti_quiz.activity.services import Activity
from lti_quiz.quiz.kinds import kind_get
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
    everything = _numbered(attempt)
    questions = [question for question in everything if question["scored"]]
    total = len(questions)
    one_per_page = activity.placement.one_question_per_page
    current = None
    shown = everything
    if one_per_page:
        current = 1 if number is None else number
        if not 1 <= current <= total:
            raise QuestionNotInAttempt()
        shown = _page(everything, current, last=current == total)
    return {
        "questions": questions,
        "shown": shown,
        # What the page posts answers for: a description has none.
        "shown_slots": " ".join(question["slot"] for question in shown if question["scored"]),
        "one_per_page": one_per_page,
        "current": current,
        "previous": current - 1 if current and current > 1 else None,
        "next": current + 1 if current and current < total else None,
        "total": total,
        "answered_count": sum(1 for question in questions if question["answered"]),
    }


def attempt_summary(*, attempt: Attempt) -> dict[str, t.Any]:
    """Before the final submit: what is answered, what is not, what the learner flagged."""
    questions = [question for question in _numbered(attempt) if question["scored"]]
    return {
        "questions": questions,
        "total": len(questions),
        "answered_count": sum(1 for question in questions if question["answered"]),
        "unanswered": [question for question in questions if not question["answered"]],
        "flagged": [question for question in questions if question["flagged"]],
        # Essays outside their word limits: submitted as written, but the learner may want to
        # look again (as Moodle's summary says "incomplete answer").
        "outside_limits": [question for question in questions if question.get("limits_problem")],
    }


def question_url(*, activity: Activity, attempt_id: int, number: int) -> str:
    """Where the quiz shows question `number` (1-based) of the attempt, its fieldset as the
    fragment: the browser scrolls there, and focus lands on it."""
    attempt = Attempt.objects.filter(pk=attempt_id).only("snapshot").first()
    asked = attempt.snapshot["questions"] if attempt else []
    questions = [question for question in asked if kind_get(question["kind"]).scored]
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
    """Everything the attempt asks, in order, its questions numbered from 1 (a description has
    number None)."""
    rows = attempt.questions_for_display()
    number = 0
    for row in rows:
        if row["scored"]:
            number += 1
        row["number"] = number if row["scored"] else None
    return rows


def _page(rows: list[dict[str, t.Any]], number: int, *, last: bool) -> list[dict[str, t.Any]]:
    """The rows of the page of question `number`: the descriptions just before it, and on the
    last question's page the descriptions after it too."""
    at = next(i for i, row in enumerate(rows) if row["number"] == number)
    start = at
    while start > 0 and not rows[start - 1]["scored"]:
        start -= 1
    end = len(rows) if last else at + 1
    return rows[start:end]
