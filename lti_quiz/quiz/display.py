"""What a page may show of an attempt, built from its snapshot.

Two separate builders on purpose: the one used before submission copies only the fields a
learner may see, so a new field in the snapshot never leaks by accident.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol

from lti_quiz.quiz.kinds import kind_get


class _Response(Protocol):
    slot: str
    answer: Any
    is_correct: bool | None
    score: Decimal
    feedback: str
    review_state: str
    review_comment: str


class _Draft(Protocol):
    slot: str
    answer: Any
    flagged: bool


def questions(snapshot: Mapping[str, Any], drafts: Iterable[_Draft] = ()) -> list[dict[str, Any]]:
    """The questions as asked, each with the learner's saved draft (choices ticked, the text
    typed, the parts chosen, the flag) so the form shows what they left."""
    by_slot = {draft.slot: draft for draft in drafts}
    rows = []
    for question in snapshot["questions"]:
        kind = kind_get(question["kind"])
        draft = by_slot.get(question["slot"])
        answer = draft.answer if draft else None
        rows.append(
            {
                "slot": question["slot"],
                "kind": question["kind"],
                "template": f"activity/kinds/{kind.template}_ask.html",
                "answer_shape": kind.answer_shape,
                "scored": kind.scored,
                "text": question["text"],
                "points": Decimal(str(question["points"])),
                "choices": [],
                "answer_text": answer if isinstance(answer, str) else "",
                "flagged": bool(draft and draft.flagged),
                "answered": is_answered(answer),
                **kind.ask(question, answer),
            }
        )
    return rows


def is_answered(answer: Any) -> bool:
    """Whether a saved answer says anything: a choice ticked, text beyond spaces, a part."""
    if isinstance(answer, str):
        return bool(answer.strip())
    if isinstance(answer, Mapping):
        return any(isinstance(v, str) and v.strip() for v in answer.values())
    return bool(answer)


def results(snapshot: Mapping[str, Any], responses: Iterable[_Response]) -> list[dict[str, Any]]:
    by_slot = {response.slot: response for response in responses}
    rows = []
    number = 0  # questions are numbered; a description between them is not
    for question in snapshot["questions"]:
        kind = kind_get(question["kind"])
        number += kind.scored
        response = by_slot.get(question["slot"])
        answer = response.answer if response else None
        pending = response is not None and response.review_state == "pending"
        points = Decimal(str(question["points"]))
        score = response.score if response else Decimal(0)
        row = {
            "slot": question["slot"],
            "number": number if kind.scored else None,
            "kind": question["kind"],
            "template": f"activity/kinds/{kind.template}_result.html",
            "scored": kind.scored,
            "text": question["text"],
            "choices": [],
            "answer_text": kind.answer_text(question, answer),
            "is_correct": response.is_correct if response else False,
            "pending": pending,
            "score": score,
            "points": points,
            "feedback": response.feedback if response else "",
            "choice_feedback": [],
            "missed_feedback": [],
            # Partial credit, from a reviewer or from scoring (a partly right answer).
            "partial": response is not None
            and (response.review_state == "partial" or (not response.is_correct and score > 0)),
            "review_comment": response.review_comment if response else "",
            "explanation": question["explanation"],
            "hints": list(question.get("hints", [])),
            **kind.review(question, answer),
        }
        row["outcome_feedback"] = _outcome_feedback(question, response, row)
        rows.append(row)
    return rows


def _outcome_feedback(
    question: Mapping[str, Any], response: _Response | None, row: Mapping[str, Any]
) -> str:
    """The question's feedback for how the answer went (snapshots before it existed: none).

    Partly right: some credit but not all, or (multiple response) some right choice ticked but
    not exactly the right ones; without feedback of its own it gets the feedback for a wrong
    answer.
    """
    if response is not None and response.review_state == "pending":
        return ""
    if response is not None and response.is_correct:
        return str(question.get("correct_feedback", ""))
    wrong = str(question.get("incorrect_feedback", ""))
    if row["partial"] or row.get("partly"):
        return str(question.get("partially_correct_feedback", "")) or wrong
    return wrong
