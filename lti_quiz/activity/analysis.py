"""The instructor's item analysis of a placement, or of every placement of its quiz in the
course, and its exports (responses, attempts, analysis) as CSV or XLSX.

The scope "course" is every resource link of the launch's course (same registration, same LTI
context id) that offers the same quiz. Everything is read in a constant number of queries
whatever the class size: the links (one), the placements (one), then quiz/analysis_rows.
Learners are shown by their platform user id (the LTI `sub`); names would need the roster.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lti_quiz.activity.services import Activity
from lti_quiz.lib.errors import DomainError
from lti_quiz.lib.spreadsheets import CONTENT_TYPES, table_csv, tables_xlsx
from lti_quiz.lti.context import learner_sub
from lti_quiz.lti.models import ResourceLink
from lti_quiz.quiz.analysis_rows import attempt_rows, quiz_order
from lti_quiz.quiz.analysis_tables import (
    analysis_tables,
    attempts_table,
    export_choice,
    responses_table,
)
from lti_quiz.quiz.item_analysis import (
    AttemptRow,
    QuizAnalysis,
    attempts_choice,
    attempts_chosen,
    quiz_analysis,
)
from lti_quiz.quiz.models import Placement

PLACEMENT, COURSE = "placement", "course"


class ScopeInvalid(DomainError):
    message = _("Choose this placement or every placement of this quiz in the course.")


@dataclass(frozen=True)
class Analysis:
    attempts: str  # FIRST, HIGHEST or ALL
    scope: str  # PLACEMENT or COURSE
    placements: int  # how many placements the scope holds
    learners: int
    result: QuizAnalysis


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str


def _placements(activity: Activity, scope: str) -> list[Placement]:
    if scope not in (PLACEMENT, COURSE):
        raise ScopeInvalid()
    link = activity.resource_link
    if scope == PLACEMENT or link is None or not link.context_id:
        return [activity.placement]
    keys = [
        other.placement_key
        for other in ResourceLink.objects.filter(
            registration_id=link.registration_id, context_id=link.context_id
        )
    ]
    found = list(Placement.objects.filter(key__in=keys, quiz_id=activity.placement.quiz_id))
    return found or [activity.placement]


def _rows(activity: Activity, scope: str) -> tuple[list[Placement], list[AttemptRow]]:
    placements = _placements(activity, scope or PLACEMENT)
    return placements, attempt_rows(placements=placements)


def activity_analysis(*, activity: Activity, attempts: str | None, scope: str | None) -> Analysis:
    """The item analysis the page shows; AttemptsChoiceInvalid or ScopeInvalid (400)."""
    which = attempts_choice(attempts)
    placements, rows = _rows(activity, scope or PLACEMENT)
    chosen = attempts_chosen(rows, which)
    return Analysis(
        attempts=which,
        scope=scope or PLACEMENT,
        placements=len(placements),
        learners=len({row.learner for row in chosen}),
        result=quiz_analysis(chosen, order=quiz_order(activity.placement.quiz)),
    )


def activity_export(
    *, activity: Activity, what: str, fmt: str | None, attempts: str | None, scope: str | None
) -> Export:
    """One export as a file: responses and attempts hold every attempt (the attempts file
    says which one counts), the analysis follows the attempts chosen."""
    what, fmt = export_choice(what, fmt)
    which = attempts_choice(attempts)
    _, rows = _rows(activity, scope or PLACEMENT)
    if what == "responses":
        tables = [responses_table(rows, learner=learner_sub)]
    elif what == "attempts":
        tables = [attempts_table(rows, learner=learner_sub)]
    else:
        order = quiz_order(activity.placement.quiz)
        tables = analysis_tables(quiz_analysis(attempts_chosen(rows, which), order=order))
    content = table_csv(tables[0]) if fmt == "csv" else tables_xlsx(tables)
    return Export(
        content=content,
        content_type=CONTENT_TYPES[fmt],
        filename=f"{what}-{activity.placement.pk}.{fmt}",
    )
