"""The exports of a quiz's attempts as tables (lib/spreadsheets writes them as CSV or XLSX):
responses (learner x question), attempts, and the item analysis. Pure: plain rows in, tables
out. Headers stay English, like the results CSV: a file for spreadsheets and scripts.

A response has no time of its own: answers are stored when the attempt is submitted (drafts
before it are deleted then), so "answered at" is the attempt's submission time.
"""

from collections.abc import Callable, Sequence

from django.utils.translation import gettext_lazy as _

from lti_quiz.lib.errors import DomainError
from lti_quiz.lib.spreadsheets import FORMATS, Cell, Table
from lti_quiz.quiz.item_analysis import AttemptRow, QuizAnalysis
from lti_quiz.quiz.kinds import kind_get

EXPORTS = ("responses", "attempts", "analysis")
Label = Callable[[str], str]


class ExportInvalid(DomainError):
    message = _("Choose responses, attempts or analysis, as csv or xlsx.")


def export_choice(what: str, fmt: str | None) -> tuple[str, str]:
    """(what, format) as asked; ExportInvalid (400) for anything else."""
    fmt = fmt or "csv"
    if what not in EXPORTS or fmt not in FORMATS:
        raise ExportInvalid()
    return what, fmt


def _same(key: str) -> str:
    return key


def _figure(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def responses_table(rows: Sequence[AttemptRow], *, learner: Label = _same) -> Table:
    """One row per question each submitted attempt asked, answered or not."""
    lines: list[list[Cell]] = []
    for row in rows:
        if not row.submitted:
            continue
        answered_at = row.submitted_at.isoformat() if row.submitted_at else ""
        for position, question in enumerate(row.questions, start=1):
            kind = kind_get(question["kind"])
            if not kind.scored:
                continue
            response = row.responses.get(question["slot"])
            lines.append(
                [
                    row.placement,
                    learner(row.learner),
                    row.number,
                    position,
                    question.get("question_id"),
                    question["text"],
                    kind.answer_text(question, response.answer) if response else "",
                    response.score if response else 0,
                    float(question["points"]),
                    "pending" if response and response.pending else "",
                    answered_at,
                ]
            )
    header = [
        "placement",
        "learner",
        "attempt",
        "position",
        "question_id",
        "question",
        "answer",
        "score",
        "points",
        "review",
        "answered_at",
    ]
    return Table("responses", header, lines)


def attempts_table(rows: Sequence[AttemptRow], *, learner: Label = _same) -> Table:
    """One row per attempt, in progress or submitted, with whether it counts for the grade."""
    lines: list[list[Cell]] = []
    for row in rows:
        duration = None
        if row.submitted_at is not None:
            duration = int((row.submitted_at - row.started_at).total_seconds())
        lines.append(
            [
                row.placement,
                learner(row.learner),
                row.number,
                "submitted" if row.submitted else "in progress",
                row.started_at.isoformat(),
                row.submitted_at.isoformat() if row.submitted_at else "",
                duration,
                row.score,
                row.max_score,
                row.counted,
            ]
        )
    header = [
        "placement",
        "learner",
        "attempt",
        "status",
        "started_at",
        "submitted_at",
        "duration_seconds",
        "score",
        "max_score",
        "counted",
    ]
    return Table("attempts", header, lines)


def analysis_tables(analysis: QuizAnalysis) -> list[Table]:
    """The items (a row per option, or one per question without options) and the quiz."""
    lines: list[list[Cell]] = []
    for item in analysis.items:
        common: list[Cell] = [
            item.position,
            item.question_id,
            item.text,
            item.kind,
            item.asked,
            _figure(item.facility),
            _figure(item.discrimination),
        ]
        options = item.options or (None,)
        for option in options:
            if option is None:
                lines.append([*common, "", None, None, None, None, ""])
                continue
            lines.append(
                [
                    *common,
                    option.text,
                    not option.is_distractor,
                    _figure(option.share),
                    _figure(option.top_share),
                    _figure(option.bottom_share),
                    option.flag,
                ]
            )
    items = Table(
        "items",
        [
            "position",
            "question_id",
            "question",
            "kind",
            "asked",
            "facility",
            "discrimination",
            "option",
            "option_gives_points",
            "option_share",
            "top_third_share",
            "bottom_third_share",
            "flag",
        ],
        lines,
    )
    quiz = Table(
        "quiz",
        [
            "attempts",
            "mean_percent",
            "median_percent",
            "sd_percent",
            "reliability",
            "reliability_kind",
            "sem_percent",
        ],
        [
            [
                analysis.attempts,
                _figure(analysis.mean, 2),
                _figure(analysis.median, 2),
                _figure(analysis.sd, 2),
                _figure(analysis.reliability),
                analysis.reliability_kind,
                _figure(analysis.sem, 2),
            ]
        ],
    )
    return [items, quiz]
