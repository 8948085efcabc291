"""Ordering: put items in their right order (Moodle's qtype_ordering).

spec: {"items": ["first", "second", ...] (in the right order), "scoring": "positions" |
"adjacent_pairs" | "all_or_nothing"}. The items are always shown shuffled, each with a
"Position" drop-down (1..N) keyed by the item's random key; two items may be given the same
position, and then neither is in a right position.

Scoring, as Moodle's grading types:
- positions (ABSOLUTE_POSITION): points * items in their right position / items;
- adjacent_pairs (RELATIVE_NEXT_EXCLUDE_LAST): points * right pairs / (items - 1), a pair
  being an item and the one that follows it in the right order, placed right after it;
- all_or_nothing (ALL_OR_NOTHING): full points only when every item is in its position.
"""

import random
from collections import Counter
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from lti_quiz.lib.fields import Errors
from lti_quiz.quiz.kinds.base import (
    Answer,
    Kind,
    Outcome,
    QuestionData,
    SnapshotQuestion,
    as_parts,
    shuffled,
)
from lti_quiz.quiz.kinds.choice import unique_keys
from lti_quiz.quiz.kinds.dropdowns import SpecChecker, credit, options_check, options_problem

if TYPE_CHECKING:
    from lti_quiz.quiz.models import Question

SCORINGS = ("positions", "adjacent_pairs", "all_or_nothing")
DEFAULT_SCORING = "positions"


class Ordering(Kind):
    name = "ordering"
    label = "ordering"
    answer_shape = "parts"
    template = "ordering"
    fields = frozenset({"spec"})

    def validate(self, question: QuestionData, errors: Errors) -> None:
        super().validate(question, errors)
        check = SpecChecker(question["spec"], errors, allowed=("items", "scoring"))
        items = check.items("items", minimum=2)
        for number, text in enumerate(items, start=1):
            check.text(f"spec.items[{number}]", text)
        check.unique("spec.items", items, "items")
        check.choice("scoring", SCORINGS)

    def snapshot(self, question: "Question", *, rng: random.Random, shuffle: bool) -> dict:
        # Always shuffled, and from three items never shown in the right order (it would
        # answer itself); two items may be, or the order shown would give the answer away.
        items = list(enumerate(question.spec["items"], start=1))
        order = shuffled(items, rng)
        if len(items) > 2 and order == items:
            order = order[1:] + order[:1]
        return {
            "spec": dict(question.spec),
            "scoring": question.spec.get("scoring", DEFAULT_SCORING),
            "items": [
                {"key": key, "text": text, "position": position}
                for key, (position, text) in zip(unique_keys(len(order)), order, strict=True)
            ],
        }

    def answer_problem(self, question: SnapshotQuestion, value: Any) -> str | None:
        names = [item["key"] for item in question["items"]]
        return options_problem(value, names, dict.fromkeys(names, _positions(question)))

    def score(self, question: SnapshotQuestion, answer: Answer) -> Outcome:
        items = question["items"]
        chosen = as_parts(question, answer, [item["key"] for item in items])
        options_check(question, chosen, {item["key"]: _positions(question) for item in items})
        placed = _placed(question, chosen)
        in_place = sum(placed.get(item["key"]) == item["position"] for item in items)
        scoring = question["scoring"]
        if scoring == "adjacent_pairs":
            right, out_of = _adjacent_pairs(question, placed), len(items) - 1
        elif scoring == "all_or_nothing":
            right, out_of = int(in_place == len(items)), 1
        else:
            right, out_of = in_place, len(items)
        return Outcome(
            answer=chosen,
            is_correct=in_place == len(items),
            score=credit(question, right=right, out_of=out_of),
        )

    def ask(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        chosen = answer if isinstance(answer, dict) else {}
        return {
            "items": [
                {"key": item["key"], "text": item["text"], "value": chosen.get(item["key"], "")}
                for item in question["items"]
            ],
            "positions": _positions(question),
        }

    def review(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        chosen = answer if isinstance(answer, dict) else {}
        placed = _placed(question, chosen)
        by_position = sorted(question["items"], key=lambda item: item["position"])
        return {
            # The learner's order: items by the position given (none given: last).
            "items": sorted(
                (
                    {
                        "text": item["text"],
                        "given": chosen.get(item["key"], ""),
                        "is_correct": placed.get(item["key"]) == item["position"],
                    }
                    for item in question["items"]
                ),
                key=lambda row: int(row["given"] or len(by_position) + 1),
            ),
            "right_order": [item["text"] for item in by_position],
            "scoring": question["scoring"],
        }

    def answer_text(self, question: SnapshotQuestion, answer: Any) -> str:
        chosen = answer if isinstance(answer, dict) else {}
        return "; ".join(
            f"{chosen.get(item['key']) or '—'}. {item['text']}"
            for item in sorted(
                question["items"],
                key=lambda item: int(chosen.get(item["key"]) or len(question["items"]) + 1),
            )
        )


def _positions(question: SnapshotQuestion) -> list[str]:
    return [str(number) for number in range(1, len(question["items"]) + 1)]


def _placed(question: SnapshotQuestion, chosen: dict[str, str]) -> dict[str, int]:
    """Each item's position when given to it alone (a position given twice places neither)."""
    counts = Counter(value for value in chosen.values() if value)
    return {key: int(value) for key, value in chosen.items() if value and counts[value] == 1}


def _adjacent_pairs(question: SnapshotQuestion, placed: dict[str, int]) -> int:
    by_position = sorted(question["items"], key=lambda item: item["position"])
    return sum(
        first["key"] in placed
        and second["key"] in placed
        and placed[second["key"]] == placed[first["key"]] + 1
        for first, second in pairwise(by_position)
    )


ORDERING = Ordering()
