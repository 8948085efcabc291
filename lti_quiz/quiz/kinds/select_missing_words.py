"""Select missing words: gaps in the text, each filled from a drop-down (Moodle's gapselect,
and its drag-and-drop into text, ddwtos, asked the same way).

The question text holds `[[n]]` where n is the 1-based index of the gap's right choice in
spec.choices: {"choices": [{"text": "cat", "group": 1, "unlimited": false}, ...],
"shuffle": true, "source": "gapselect" | "ddwtos"}. A gap's drop-down lists the choices of
its right choice's group (shuffled within the group when `shuffle` and the quiz shuffle).
`unlimited` (ddwtos's "infinite") and `source` are kept so an export gives back the Moodle
type it came from; a drop-down lets a choice fill several gaps either way, and each gap is
scored on its own. Score: points * right gaps / gaps.
"""

import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from lti_quiz.lib.fields import Errors
from lti_quiz.quiz.kinds.base import (
    GAP_RE,
    Answer,
    Kind,
    Outcome,
    QuestionData,
    SnapshotQuestion,
    as_parts,
    gap_segments,
    shuffled,
)
from lti_quiz.quiz.kinds.choice import unique_keys
from lti_quiz.quiz.kinds.dropdowns import SpecChecker, credit, options_check, options_problem

if TYPE_CHECKING:
    from lti_quiz.quiz.models import Question

SOURCES = ("gapselect", "ddwtos")
MAX_GROUP = 20


def gap_numbers(text: str) -> list[int]:
    """The `[[n]]` of `text`, in reading order."""
    return [segment["gap"] for segment in gap_segments(text) if "gap" in segment]


class SelectMissingWords(Kind):
    name = "select_missing_words"
    label = "select-missing-words"
    answer_shape = "parts"
    template = "select_missing_words"
    fields = frozenset({"spec"})

    def validate(self, question: QuestionData, errors: Errors) -> None:
        super().validate(question, errors)
        check = SpecChecker(question["spec"], errors, allowed=("choices", "shuffle", "source"))
        choices = check.items("choices", minimum=2)
        groups: dict[Any, list[Any]] = {}
        for number, choice in enumerate(choices, start=1):
            where = f"spec.choices[{number}]"
            if not isinstance(choice, dict):
                check.add(where, "Must be an object with text, group and unlimited.")
                continue
            for name in choice:
                if name not in ("text", "group", "unlimited"):
                    check.add(f"{where}.{name}", "Unknown field.")
            check.text(f"{where}.text", choice.get("text"))
            group = choice.get("group", 1)
            if isinstance(group, bool) or not isinstance(group, int) or not 1 <= group <= MAX_GROUP:
                check.add(f"{where}.group", f"A whole number from 1 to {MAX_GROUP}.")
            if not isinstance(choice.get("unlimited", False), bool):
                check.add(f"{where}.unlimited", "Must be true or false.")
            groups.setdefault(group, []).append(choice.get("text"))
        for group, texts in groups.items():
            check.unique("spec.choices", texts, f"choices of group {group}")
        check.flag("shuffle")
        check.choice("source", SOURCES)
        text = question["text"]
        if isinstance(text, str):
            numbers = gap_numbers(text)
            if not numbers:
                errors.setdefault("text", []).append(
                    "Mark each gap with [[n]], n being the number of its right choice."
                )
            for number in numbers:
                if choices and not 1 <= number <= len(choices):
                    errors.setdefault("text", []).append(
                        f"[[{number}]]: spec.choices has no choice {number} "
                        f"(there are {len(choices)})."
                    )

    def snapshot(self, question: "Question", *, rng: random.Random, shuffle: bool) -> dict:
        spec = question.spec
        choices = [
            {"key": key, "text": choice["text"], "group": choice.get("group", 1)}
            for key, choice in zip(unique_keys(len(spec["choices"])), spec["choices"], strict=True)
        ]
        shown: list[dict[str, Any]] = []
        for group in sorted({choice["group"] for choice in choices}):
            members = [choice for choice in choices if choice["group"] == group]
            shown += shuffled(members, rng) if shuffle and spec.get("shuffle", True) else members
        numbers = gap_numbers(question.text)
        gaps = [
            {"key": f"g{key}", "answer": choices[number - 1]["key"]}
            for key, number in zip(unique_keys(len(numbers)), numbers, strict=True)
        ]
        count = iter(range(1, len(gaps) + 1))
        return {
            "spec": dict(spec),
            # The text shows each gap by its place ([1], [2]...), not by its right choice.
            "text": GAP_RE.sub(lambda _: f"[{next(count)}]", question.text),
            "gap_text": _renumbered(question.text),
            "gaps": gaps,
            "options": shown,
        }

    def answer_problem(self, question: SnapshotQuestion, value: Any) -> str | None:
        return options_problem(value, _names(question), _allowed(question))

    def score(self, question: SnapshotQuestion, answer: Answer) -> Outcome:
        gaps = question["gaps"]
        chosen = as_parts(question, answer, _names(question))
        options_check(question, chosen, _allowed(question))
        right = sum(chosen[gap["key"]] == gap["answer"] for gap in gaps)
        return Outcome(
            answer=chosen,
            is_correct=right == len(gaps),
            score=credit(question, right=right, out_of=len(gaps)),
        )

    def ask(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        chosen = answer if isinstance(answer, dict) else {}
        allowed = _allowed(question)
        texts = _texts(question)
        segments = []
        for segment, gap in _segments(question):
            if gap is None:
                segments.append(segment)
                continue
            segments.append(
                {
                    "gap": segment["gap"],
                    "key": gap["key"],
                    "value": chosen.get(gap["key"], ""),
                    "options": [{"key": key, "text": texts[key]} for key in allowed[gap["key"]]],
                }
            )
        return {"segments": segments}

    def review(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        chosen = answer if isinstance(answer, dict) else {}
        texts = _texts(question)
        segments = []
        for segment, gap in _segments(question):
            if gap is None:
                segments.append(segment)
                continue
            segments.append(
                {
                    "gap": segment["gap"],
                    "chosen": texts.get(chosen.get(gap["key"], ""), ""),
                    "right": texts[gap["answer"]],
                    "is_correct": chosen.get(gap["key"]) == gap["answer"],
                }
            )
        return {"segments": segments}

    def answer_text(self, question: SnapshotQuestion, answer: Any) -> str:
        chosen = answer if isinstance(answer, dict) else {}
        texts = _texts(question)
        return "; ".join(
            f"[{number}] {texts.get(chosen.get(gap['key'], ''), '—')}"
            for number, gap in enumerate(question["gaps"], start=1)
        )


def _renumbered(text: str) -> str:
    """`text` with each `[[n]]` numbered by its place instead of its right choice."""
    count = iter(range(1, len(gap_numbers(text)) + 1))
    return GAP_RE.sub(lambda _: f"[[{next(count)}]]", text)


def _segments(question: SnapshotQuestion) -> Iterator[tuple[dict[str, Any], Any]]:
    """Each segment of the attempt's text with its gap (None for words)."""
    gaps = question["gaps"]
    for segment in gap_segments(question["gap_text"]):
        yield segment, (gaps[segment["gap"] - 1] if "gap" in segment else None)


def _names(question: SnapshotQuestion) -> list[str]:
    return [gap["key"] for gap in question["gaps"]]


def _texts(question: SnapshotQuestion) -> dict[str, str]:
    return {option["key"]: option["text"] for option in question["options"]}


def _allowed(question: SnapshotQuestion) -> dict[str, list[str]]:
    """Each gap's options: the choices of its right choice's group, in the attempt's order."""
    group_of = {option["key"]: option["group"] for option in question["options"]}
    return {
        gap["key"]: [o["key"] for o in question["options"] if o["group"] == group_of[gap["answer"]]]
        for gap in question["gaps"]
    }


SELECT_MISSING_WORDS = SelectMissingWords()
