"""What a page may show of an attempt, built from its snapshot.

Two separate builders on purpose: the one used before submission copies only the fields a
learner may see, so a new field in the snapshot never leaks by accident.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol


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
    typed, the flag) so the form shows what they left."""
    by_slot = {draft.slot: draft for draft in drafts}
    rows = []
    for question in snapshot["questions"]:
        draft = by_slot.get(question["slot"])
        answer = draft.answer if draft else []
        chosen = set(answer) if isinstance(answer, list) else set()
        rows.append(
            {
                "slot": question["slot"],
                "kind": question["kind"],
                "text": question["text"],
                "points": Decimal(str(question["points"])),
                "choices": [
                    {"key": c["key"], "text": c["text"], "chosen": c["key"] in chosen}
                    for c in question["choices"]
                ],
                "answer_text": answer if isinstance(answer, str) else "",
                "flagged": bool(draft and draft.flagged),
                "answered": is_answered(answer),
            }
        )
    return rows


def is_answered(answer: Any) -> bool:
    """Whether a saved answer says anything: a choice ticked, or text beyond spaces."""
    if isinstance(answer, str):
        return bool(answer.strip())
    return bool(answer)


def results(snapshot: Mapping[str, Any], responses: Iterable[_Response]) -> list[dict[str, Any]]:
    by_slot = {response.slot: response for response in responses}
    rows = []
    for question in snapshot["questions"]:
        response = by_slot.get(question["slot"])
        answer = response.answer if response else []
        chosen = set(answer) if isinstance(answer, list) else set()
        choices = [
            {
                "key": c["key"],
                "text": c["text"],
                "is_correct": c["is_correct"],
                "chosen": c["key"] in chosen,
                "feedback": c["feedback"],
            }
            for c in question["choices"]
        ]
        if isinstance(answer, str):
            answer_text = answer
        else:
            answer_text = "; ".join(c["text"] for c in choices if c["chosen"])
        pending = response is not None and response.review_state == "pending"
        rows.append(
            {
                "slot": question["slot"],
                "kind": question["kind"],
                "text": question["text"],
                "choices": choices,
                "answer_text": answer_text,
                "is_correct": response.is_correct if response else False,
                "pending": pending,
                "score": response.score if response else Decimal(0),
                "points": Decimal(str(question["points"])),
                "feedback": response.feedback if response else "",
                # Why each chosen option is right or wrong; for a right option the learner
                # left out, why it is right (this one says which options are right).
                "choice_feedback": [c for c in choices if c["chosen"] and c["feedback"]],
                "missed_feedback": [
                    c for c in choices if c["is_correct"] and not c["chosen"] and c["feedback"]
                ],
                "outcome_feedback": _outcome_feedback(question, response, choices),
                "partial": response is not None and response.review_state == "partial",
                "review_comment": response.review_comment if response else "",
                "explanation": question["explanation"],
            }
        )
    return rows


def _outcome_feedback(
    question: Mapping[str, Any], response: _Response | None, choices: list[dict[str, Any]]
) -> str:
    """The question's feedback for how the answer went (snapshots before it existed: none).

    Partly right is a multiple-response answer with some right choice ticked but not exactly
    the right ones; without feedback of its own it gets the feedback for a wrong answer.
    """
    if response is not None and response.review_state == "pending":
        return ""
    if response is not None and response.is_correct:
        return str(question.get("correct_feedback", ""))
    wrong = str(question.get("incorrect_feedback", ""))
    partly = question["kind"] == "multiple_response" and any(
        c["chosen"] and c["is_correct"] for c in choices
    )
    if partly:
        return str(question.get("partially_correct_feedback", "")) or wrong
    return wrong
