"""Item statistics: how each question fared across a set of submitted attempts.

Pure counting over what attempts asked (their snapshots) and what learners answered; it reads
no models and knows nothing of where the attempts came from. Questions are grouped by question
id across versions; choices by their choice id (choice keys are random per attempt).

- share correct: correct answers among decided ones (a short answer waiting for review is
  neither right nor wrong yet, so it is left out of the share and counted as pending);
- partly right: answers that scored some but not all of the points (matching, ordering, gaps);
  they are not correct, so they count against the share correct;
- most chosen wrong option: the incorrect choice picked most often (for short answers, the most
  common wrong answer text); ties go to the option listed first. An option worth part of the
  points (a fraction above 0) is partly right, not a wrong option.

Descriptions are text between questions: they have no row. Essays wait for review like short
answers, and count once reviewed.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from lti_quiz.quiz.kinds import kind_get
from lti_quiz.quiz.kinds.choice import fraction_of

SHORT_ANSWER = "short_answer"
PENDING = "pending"


class _Response(Protocol):
    slot: str
    answer: Any
    is_correct: bool | None
    review_state: str


@dataclass(frozen=True)
class WrongOption:
    text: str
    count: int


@dataclass(frozen=True)
class QuestionStats:
    question_id: int | None
    position: int  # 1-based, in the order the statistics list them
    kind: str
    text: str
    asked: int
    correct: int
    pending: int
    most_chosen_wrong: WrongOption | None
    partial: int = 0

    @property
    def decided(self) -> int:
        return self.asked - self.pending

    @property
    def share_correct(self) -> Decimal | None:
        """Fraction 0-1 of decided answers that were correct; None when none is decided."""
        if not self.decided:
            return None
        return Decimal(self.correct) / Decimal(self.decided)

    @property
    def percent_correct(self) -> int | None:
        share = self.share_correct
        if share is None:
            return None
        return int((share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class _Tally:
    question_id: int | None
    position: int
    kind: str
    text: str
    asked: int = 0
    correct: int = 0
    pending: int = 0
    partial: int = 0
    wrong: Counter[str] = field(default_factory=Counter)
    # Option identity → its text and where it is listed (for ties).
    labels: dict[str, tuple[int, str]] = field(default_factory=dict)


def question_identity(question: Mapping[str, Any]) -> str:
    # Snapshots keep the question id; a question deleted since still has its key and text.
    if question.get("question_id") is not None:
        return f"id:{question['question_id']}"
    return f"key:{question.get('question_key') or question['text']}"


def choice_identity(choice: Mapping[str, Any]) -> str:
    if choice.get("choice_id") is not None:
        return f"id:{choice['choice_id']}"
    return f"text:{choice['text']}"


def _count_choices(tally: _Tally, question: Mapping[str, Any], answer: Any) -> None:
    chosen = set(answer) if isinstance(answer, list) else set()
    for index, choice in enumerate(question["choices"]):
        identity = choice_identity(choice)
        tally.labels.setdefault(identity, (index, choice["text"]))
        partly_right = (fraction_of(choice) or 0) > 0
        if choice["key"] in chosen and not choice["is_correct"] and not partly_right:
            tally.wrong[identity] += 1


def _count_short_answer(tally: _Tally, answer: Any, is_correct: bool | None) -> None:
    text = answer.strip() if isinstance(answer, str) else ""
    if is_correct is False and text:
        # Case and spacing do not make a different wrong answer.
        identity = "text:" + " ".join(text.casefold().split())
        tally.labels.setdefault(identity, (len(tally.labels), text))
        tally.wrong[identity] += 1


def question_statistics(
    attempts: Iterable[tuple[Mapping[str, Any], Iterable[_Response]]],
    *,
    order: Sequence[int] = (),
) -> list[QuestionStats]:
    """Statistics per question over (snapshot, responses) pairs of submitted attempts.

    Questions come in `order` (question ids, e.g. the quiz's authoring order: shuffled
    attempts ask them in any order), then any others in the order first asked.
    """
    tallies: dict[str, _Tally] = {}
    for snapshot, responses in attempts:
        by_slot = {response.slot: response for response in responses}
        for question in snapshot["questions"]:
            if not kind_get(question["kind"]).scored:
                continue
            identity = question_identity(question)
            tally = tallies.get(identity)
            if tally is None:
                tally = tallies[identity] = _Tally(
                    question_id=question.get("question_id"),
                    position=len(tallies) + 1,
                    kind=question["kind"],
                    text=question["text"],
                )
            tally.asked += 1
            response = by_slot.get(question["slot"])
            if response is None:  # asked but not stored: counts as unanswered, so wrong
                continue
            if response.review_state == PENDING:
                tally.pending += 1
            elif response.is_correct:
                tally.correct += 1
            elif getattr(response, "score", 0) > 0:
                tally.partial += 1
            if question["kind"] == SHORT_ANSWER:
                _count_short_answer(tally, response.answer, response.is_correct)
            else:
                _count_choices(tally, question, response.answer)
    rank: dict[int | None, int] = {question_id: index for index, question_id in enumerate(order)}
    unranked = len(rank)
    ordered = sorted(
        tallies.values(), key=lambda t: (rank.get(t.question_id, unranked), t.position)
    )
    return [_result(tally, position) for position, tally in enumerate(ordered, start=1)]


def _result(tally: _Tally, position: int) -> QuestionStats:
    most = None
    if tally.wrong:
        identity = min(tally.wrong, key=lambda i: (-tally.wrong[i], tally.labels[i][0]))
        most = WrongOption(text=tally.labels[identity][1], count=tally.wrong[identity])
    return QuestionStats(
        question_id=tally.question_id,
        position=position,
        kind=tally.kind,
        text=tally.text,
        asked=tally.asked,
        correct=tally.correct,
        pending=tally.pending,
        most_chosen_wrong=most,
        partial=tally.partial,
    )
