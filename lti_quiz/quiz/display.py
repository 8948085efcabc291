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
            }
        )
    return rows


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
                "partial": response is not None and response.review_state == "partial",
                "review_comment": response.review_comment if response else "",
                "explanation": question["explanation"],
            }
        )
    return rows
