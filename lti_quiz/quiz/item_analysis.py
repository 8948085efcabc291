"""Item analysis: how well each question measures, over a set of submitted attempts.

Pure arithmetic over plain rows (`AttemptRow`, built by quiz/analysis_rows.py); it reads no
models. The definitions follow Moodle's quiz statistics report (mod/quiz/report/statistics,
question/classes/statistics), with scores as fractions so partial credit counts:

- an item's score in an attempt is the response's points over the question's points (0 when
  unanswered); marks are that fraction times the question's points;
- facility: the mean item score (0-1, shown as a percent);
- discrimination index: the Pearson correlation between the item's marks and the marks of the
  rest of the attempt (its total minus this item), the "corrected" point-biserial, so an item is
  not correlated with itself;
- reliability: Cronbach's alpha, k/(k-1) * (1 - sum of item variances / variance of totals);
  with every item scored all-or-nothing it is exactly KR-20, and is named so;
- standard error of measurement: SD * sqrt(1 - reliability), in percent of the maximum score.

Variances inside alpha and the correlation use the population form (n), the reported standard
deviation the sample form (n - 1), as Moodle does; alpha is a ratio, so the form cancels there.

Groups for options: attempts ranked by total score, the top third and the bottom third
(n // 3 each, ties broken by learner and attempt so the result never depends on query order).
A distractor (an option worth no points) is flagged when nobody chose it, or when the top third
chose it more often than the bottom third.
"""

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from lti_quiz.lib.errors import DomainError
from lti_quiz.quiz.kinds import kind_get
from lti_quiz.quiz.kinds.choice import fraction_of
from lti_quiz.quiz.statistics import choice_identity, question_identity

FIRST, HIGHEST, ALL = "first", "highest", "all"
ATTEMPT_CHOICES = (FIRST, HIGHEST, ALL)
UNCHOSEN, STRONG = "unchosen", "strong"  # distractor flags
KR20, ALPHA = "kr20", "alpha"
BUCKETS = 10  # the score distribution: 0-10 %, 10-20 %, ... 90-100 %


class AttemptsChoiceInvalid(DomainError):
    message = _("Choose the first, the highest or all attempts.")


def attempts_choice(value: str | None) -> str:
    """The attempts to analyse as asked (empty: the first, as Moodle's report starts);
    AttemptsChoiceInvalid (400) for anything else."""
    if not value:
        return FIRST
    if value not in ATTEMPT_CHOICES:
        raise AttemptsChoiceInvalid()
    return value


@dataclass(frozen=True)
class ResponseRow:
    answer: Any
    score: Decimal
    pending: bool


@dataclass(frozen=True)
class AttemptRow:
    """One attempt as plain data: what was asked (snapshot questions) and what was answered."""

    placement: str  # the placement's key
    learner: str  # the learner's opaque key
    number: int
    submitted: bool
    score: Decimal | None
    max_score: Decimal
    started_at: datetime
    submitted_at: datetime | None
    questions: Sequence[Mapping[str, Any]]  # the snapshot's questions, as asked
    responses: Mapping[str, ResponseRow]  # by slot
    counted: bool = False  # the attempt that counts for the gradebook


@dataclass(frozen=True)
class OptionAnalysis:
    text: str
    is_distractor: bool  # worth no points
    chosen: int
    share: float | None  # of the attempts that were asked the question
    top_share: float | None  # of the top third that were asked it; None without groups
    bottom_share: float | None
    flag: str  # UNCHOSEN, STRONG or ""


@dataclass(frozen=True)
class ItemAnalysis:
    question_id: int | None
    position: int
    kind: str
    text: str
    asked: int
    pending: int
    facility: float | None  # 0-1
    discrimination: float | None  # -1..1; None when either score does not vary
    options: tuple[OptionAnalysis, ...]

    @property
    def flagged(self) -> tuple[OptionAnalysis, ...]:
        return tuple(option for option in self.options if option.flag)


@dataclass(frozen=True)
class QuizAnalysis:
    attempts: int
    mean: float | None  # percent of the maximum score
    median: float | None
    sd: float | None  # sample standard deviation, percent
    reliability: float | None
    reliability_kind: str  # KR20 or ALPHA
    sem: float | None  # percent
    items: tuple[ItemAnalysis, ...]
    distribution: tuple[int, ...]  # attempts per BUCKETS band of percent


def attempts_chosen(rows: Iterable[AttemptRow], which: str) -> list[AttemptRow]:
    """The submitted attempts `which` asks for, per learner and placement: the first, the
    highest scored (the earliest of equal scores) or all of them."""
    submitted = sorted(
        (row for row in rows if row.submitted), key=lambda r: (r.placement, r.learner, r.number)
    )
    if which == ALL:
        return submitted
    best: dict[tuple[str, str], AttemptRow] = {}
    for row in submitted:
        key = (row.placement, row.learner)
        kept = best.get(key)
        if kept is None or (which == HIGHEST and _percent(row) > _percent(kept)):
            best[key] = row
    return list(best.values())


def counted_numbers(rows: Iterable[AttemptRow], policy: str) -> set[tuple[str, str, int]]:
    """(placement, learner, number) of the attempt that counts under a scoring policy
    (quiz.ScoringPolicy: first, latest, highest), as learner_counted_result picks it."""
    by_learner: dict[tuple[str, str], list[AttemptRow]] = {}
    for row in sorted(rows, key=lambda r: r.number):
        if row.submitted:
            by_learner.setdefault((row.placement, row.learner), []).append(row)
    counted = set()
    for (placement, learner), attempts in by_learner.items():
        if policy == FIRST:
            pick = attempts[0]
        elif policy == "latest":
            pick = attempts[-1]
        else:
            pick = max(attempts, key=lambda a: a.score or Decimal(0))
        counted.add((placement, learner, pick.number))
    return counted


def _percent(row: AttemptRow) -> float:
    if not row.max_score:
        return 0.0
    return float((row.score or Decimal(0)) / row.max_score * 100)


@dataclass
class _Item:
    question: Mapping[str, Any]
    first_seen: int
    # Per attempt index: (fraction 0-1, marks).
    scores: dict[int, tuple[float, float]] = field(default_factory=dict)
    pending: int = 0
    options: dict[str, tuple[str, bool]] = field(default_factory=dict)  # identity → text, wrong
    chosen: dict[str, set[int]] = field(default_factory=dict)  # identity → attempt indexes


def _items(rows: Sequence[AttemptRow]) -> dict[str, _Item]:
    items: dict[str, _Item] = {}
    for index, row in enumerate(rows):
        for question in row.questions:
            kind = kind_get(question["kind"])
            if not kind.scored:
                continue
            identity = question_identity(question)
            item = items.setdefault(identity, _Item(question=question, first_seen=len(items)))
            points = float(Decimal(str(question["points"])))
            response = row.responses.get(question["slot"])
            marks = float(response.score) if response else 0.0
            item.scores[index] = (marks / points if points else 0.0, marks)
            if response and response.pending:
                item.pending += 1
            chosen = set(response.answer) if response and isinstance(response.answer, list) else ()
            # Options only where the answer is a list of choice keys (not gaps, not parts).
            offered = question.get("choices") if kind.answer_shape == "choices" else None
            for choice in offered or ():
                option = choice_identity(choice)
                wrong = not choice.get("is_correct") and (fraction_of(choice) or 0) <= 0
                item.options.setdefault(option, (choice["text"], wrong))
                picked = item.chosen.setdefault(option, set())
                if choice["key"] in chosen:
                    picked.add(index)
    return items


def _correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) < 2:
        return None
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def _share(indexes: set[int], among: Iterable[int]) -> float | None:
    group = list(among)
    if not group:
        return None
    return sum(1 for i in group if i in indexes) / len(group)


def quiz_analysis(rows: Sequence[AttemptRow], *, order: Sequence[int] = ()) -> QuizAnalysis:
    """The item analysis of `rows` (chosen with attempts_chosen). Items come in `order`
    (question ids, the quiz's authoring order), then others in the order first asked."""
    rows = sorted(rows, key=lambda r: (r.placement, r.learner, r.number))
    items = _items(rows)
    totals = [
        sum(item.scores.get(i, (0.0, 0.0))[1] for item in items.values()) for i in range(len(rows))
    ]
    ranked = sorted(range(len(rows)), key=lambda i: -totals[i])
    third = len(rows) // 3
    top, bottom = set(ranked[:third]), set(ranked[len(rows) - third :]) if third else set()

    rank: dict[Any, int] = {question_id: place for place, question_id in enumerate(order)}
    ordered = sorted(
        items.values(),
        key=lambda item: (rank.get(item.question.get("question_id"), len(rank)), item.first_seen),
    )
    analysed = []
    for position, item in enumerate(ordered, start=1):
        asked = sorted(item.scores)
        fractions = [item.scores[i][0] for i in asked]
        marks = [item.scores[i][1] for i in asked]
        rest = [totals[i] - item.scores[i][1] for i in asked]
        options = []
        for option, (text, wrong) in item.options.items():
            picked = item.chosen[option]
            top_share = _share(picked, (i for i in asked if i in top)) if third else None
            bottom_share = _share(picked, (i for i in asked if i in bottom)) if third else None
            flag = ""
            if wrong and not picked:
                flag = UNCHOSEN
            elif wrong and top_share is not None and top_share > (bottom_share or 0):
                flag = STRONG
            options.append(
                OptionAnalysis(
                    text=text,
                    is_distractor=wrong,
                    chosen=len(picked),
                    share=_share(picked, asked),
                    top_share=top_share,
                    bottom_share=bottom_share,
                    flag=flag,
                )
            )
        analysed.append(
            ItemAnalysis(
                question_id=item.question.get("question_id"),
                position=position,
                kind=item.question["kind"],
                text=item.question["text"],
                asked=len(asked),
                pending=item.pending,
                facility=statistics.fmean(fractions) if fractions else None,
                discrimination=_correlation(marks, rest),
                options=tuple(options),
            )
        )
    return _whole(rows, totals, items, tuple(analysed))


def _whole(
    rows: Sequence[AttemptRow],
    totals: Sequence[float],
    items: Mapping[str, _Item],
    analysed: tuple[ItemAnalysis, ...],
) -> QuizAnalysis:
    percents = [_percent(row) for row in rows]
    reliability = None
    k = len(items)
    if len(rows) >= 2 and k >= 2:
        item_variance = sum(
            statistics.pvariance([item.scores.get(i, (0.0, 0.0))[1] for i in range(len(rows))])
            for item in items.values()
        )
        total_variance = statistics.pvariance(totals)
        if total_variance > 1e-12:
            reliability = k / (k - 1) * (1 - item_variance / total_variance)
    dichotomous = all(
        fraction in (0.0, 1.0) for item in items.values() for fraction, _ in item.scores.values()
    )
    sd = statistics.stdev(percents) if len(percents) >= 2 else None
    sem = None
    if sd is not None and reliability is not None:
        sem = sd * math.sqrt(max(0.0, 1 - reliability))
    distribution = [0] * BUCKETS
    for percent in percents:
        distribution[min(BUCKETS - 1, max(0, int(percent // (100 / BUCKETS))))] += 1
    return QuizAnalysis(
        attempts=len(rows),
        mean=statistics.fmean(percents) if percents else None,
        median=statistics.median(percents) if percents else None,
        sd=sd,
        reliability=reliability,
        reliability_kind=KR20 if dichotomous else ALPHA,
        sem=sem,
        items=analysed,
        distribution=tuple(distribution),
    )
