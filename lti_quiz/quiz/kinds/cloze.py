"""Cloze questions (Moodle's embedded answers, qtype_multianswer): a text with gaps `[[1]]`,
`[[2]]`..., each a short answer, a number or a choice.

Each gap scores a fraction from 0 to 1 as its Moodle subquestion does; the question scores
points * sum(weight * fraction) / sum(weight), and is correct when every gap is.

- short answer: the first answer, in order, that the whole response matches (`*` matches
  any run of characters; case ignored unless `case_sensitive`), as qtype_shortanswer;
- numerical: the first answer whose value ± tolerance holds the number (quiz/kinds/numbers.py);
- choice, one pick: the fraction of the chosen option;
- choice, several picks: the sum of the chosen options' fractions, from 0 to 1 (Moodle's
  multiple-answer multichoice).

A blank gap scores 0.
"""

import random
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

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
    parts_problem,
    points,
)
from lti_quiz.quiz.kinds.choice import unique_keys
from lti_quiz.quiz.kinds.numbers import (
    answer_match,
    answers_check,
    best_value,
    credit,
    decimal_or_none,
    fraction_check,
    number_parse,
)
from lti_quiz.quiz.kinds.wildcard import first_matching

GAP_TYPES = ("short_answer", "numerical", "choice")
DISPLAYS = ("dropdown", "vertical", "horizontal")
MAX_GAP_LENGTH = 500


class Cloze(Kind):
    name = "cloze"
    answer_shape = "parts"
    template = "cloze"
    fields = frozenset({"spec"})
    label = "cloze"

    def validate(self, question: QuestionData, errors: Errors) -> None:
        super().validate(question, errors)
        spec = question["spec"]
        if unknown := set(spec) - {"gaps"}:
            errors.setdefault("spec", []).append(f"Unknown setting {sorted(unknown)[0]}.")
        gaps = spec.get("gaps")
        if not isinstance(gaps, list) or not gaps:
            errors.setdefault("spec.gaps", []).append("Give at least one gap.")
            return
        for number, gap in enumerate(gaps, start=1):
            _gap_check(gap, errors, where=f"spec.gaps[{number}]")
        placed = [int(n) for n in GAP_RE.findall(str(question["text"]))]
        for number in range(1, len(gaps) + 1):
            if placed.count(number) != 1:
                errors.setdefault("text", []).append(
                    f"Place gap {number} once in the text as [[{number}]]"
                    f" ({placed.count(number)} found)."
                )
        if extra := sorted({n for n in placed if not 1 <= n <= len(gaps)}):
            errors.setdefault("text", []).append(
                f"The text has [[{extra[0]}]] but spec.gaps has {len(gaps)} gaps."
            )

    def snapshot(self, question: Any, *, rng: random.Random, shuffle: bool) -> dict:
        gaps = []
        for gap in question.spec["gaps"]:
            gap = dict(gap)
            if gap["type"] == "choice":
                choices = list(gap["choices"])
                if shuffle and gap.get("shuffle"):
                    rng.shuffle(choices)
                keys = unique_keys(len(choices))
                gap["choices"] = [
                    {**choice, "key": key} for key, choice in zip(keys, choices, strict=True)
                ]
            gaps.append(gap)
        return {"spec": {"gaps": gaps}}

    def answer_problem(self, question: SnapshotQuestion, value: Any) -> str | None:
        return parts_problem(value, _names(question), limit=MAX_GAP_LENGTH)

    def score(self, question: SnapshotQuestion, answer: Answer) -> Outcome:
        parts = as_parts(question, answer, _names(question))
        gaps = question["spec"]["gaps"]
        total = Decimal(0)
        weights = Decimal(0)
        feedback = []
        for number, gap in enumerate(gaps, start=1):
            fraction, said = gap_score(gap, parts[str(number)])
            weight = Decimal(str(gap.get("weight", "1")))
            total += weight * fraction
            weights += weight
            if said:
                feedback.append(
                    gettext("Gap %(number)s: %(feedback)s") % {"number": number, "feedback": said}
                )
        fraction = total / weights if weights else Decimal(0)
        return Outcome(
            answer=parts,
            is_correct=fraction == 1,
            score=credit(points(question), fraction),
            feedback="\n".join(feedback),
        )

    def ask(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        parts = answer if isinstance(answer, Mapping) else {}
        gaps = question["spec"]["gaps"]
        controls = {}
        for number, gap in enumerate(gaps, start=1):
            value = str(parts.get(str(number), ""))
            control: dict[str, Any] = {
                "number": number,
                "name": str(number),
                "type": gap["type"],
                "value": value,
            }
            if gap["type"] == "choice":
                chosen = set(value.split())
                control |= {
                    # Several picks are boxes: vertical unless the author says horizontal.
                    "display": gap.get("display")
                    or ("vertical" if gap.get("multiple") else "dropdown"),
                    "multiple": bool(gap.get("multiple")),
                    "choices": [
                        {"key": c["key"], "text": c["text"], "chosen": c["key"] in chosen}
                        for c in gap["choices"]
                    ],
                }
            controls[number] = control
        return {
            # The text with its gaps goes in the body; the legend keeps only the number.
            "text": "",
            "gap_count": len(gaps),
            "max_length": MAX_GAP_LENGTH,
            "segments": _with_gaps(question["text"], controls),
        }

    def review(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        parts = answer if isinstance(answer, Mapping) else {}
        gaps = question["spec"]["gaps"]
        marked = {}
        for number, gap in enumerate(gaps, start=1):
            value = str(parts.get(str(number), ""))
            fraction, feedback = gap_score(gap, value)
            marked[number] = {
                "number": number,
                "answer": _gap_answer_text(gap, value),
                "fraction": fraction,
                "is_correct": fraction == 1,
                "partial": 0 < fraction < 1,
                "feedback": feedback,
                "right_answer": _right_answer(gap),
            }
        return {
            "text": "",
            "gap_count": len(gaps),
            "segments": _with_gaps(question["text"], marked),
            "gap_feedback": [g for g in marked.values() if g["feedback"]],
        }

    def answer_text(self, question: SnapshotQuestion, answer: Any) -> str:
        parts = answer if isinstance(answer, Mapping) else {}
        return "; ".join(
            f"{number}: {_gap_answer_text(gap, str(parts.get(str(number), '')))}"
            for number, gap in enumerate(question["spec"]["gaps"], start=1)
        )


def gap_score(gap: Mapping[str, Any], value: str) -> tuple[Decimal, str]:
    """(fraction 0..1, feedback) of one gap's response."""
    value = value.strip()
    if not value:
        return Decimal(0), ""
    if gap["type"] == "short_answer":
        matched = first_matching(
            gap["answers"], value, case_sensitive=bool(gap.get("case_sensitive"))
        )
        if matched is None:
            return Decimal(0), ""
        return Decimal(str(matched["fraction"])), str(matched.get("feedback", ""))
    if gap["type"] == "numerical":
        number = number_parse(value)
        match = None if number is None else answer_match(gap["answers"], number)
        return (match.fraction, match.feedback) if match else (Decimal(0), "")
    chosen = value.split()
    picked = [c for c in gap["choices"] if c["key"] in chosen]
    if not gap.get("multiple"):
        picked = picked[:1]
    fraction = sum((Decimal(str(c["fraction"])) for c in picked), Decimal(0))
    said = " ".join(str(c.get("feedback", "")) for c in picked if c.get("feedback"))
    return min(max(fraction, Decimal(0)), Decimal(1)), said


def _names(question: SnapshotQuestion) -> list[str]:
    return [str(number) for number in range(1, len(question["spec"]["gaps"]) + 1)]


def _with_gaps(text: str, gaps: Mapping[int, Any]) -> list[dict[str, Any]]:
    return [
        {"gap": gaps[s["gap"]]} if "gap" in s and s["gap"] in gaps else {"text": s.get("text", "")}
        for s in gap_segments(text)
    ]


def _gap_answer_text(gap: Mapping[str, Any], value: str) -> str:
    if gap["type"] != "choice":
        return value.strip()
    chosen = value.split()
    return ", ".join(c["text"] for c in gap["choices"] if c["key"] in chosen)


def _right_answer(gap: Mapping[str, Any]) -> str:
    if gap["type"] == "numerical":
        return best_value(gap["answers"])
    if gap["type"] == "short_answer":
        return next((a["text"] for a in gap["answers"] if Decimal(str(a["fraction"])) == 1), "")
    return ", ".join(c["text"] for c in gap["choices"] if Decimal(str(c["fraction"])) > 0)


def _gap_check(gap: Any, errors: Errors, *, where: str) -> None:
    if not isinstance(gap, Mapping):
        errors.setdefault(where, []).append("Expected an object.")
        return
    kind = gap.get("type")
    if kind not in GAP_TYPES:
        errors.setdefault(f"{where}.type", []).append(f"Must be one of: {', '.join(GAP_TYPES)}.")
        return
    weight = decimal_or_none(gap.get("weight", "1"))
    if weight is None or weight <= 0:
        errors.setdefault(f"{where}.weight", []).append("A number above 0.")
    allowed = {
        "short_answer": {"type", "weight", "case_sensitive", "answers"},
        "numerical": {"type", "weight", "answers"},
        "choice": {"type", "weight", "display", "multiple", "shuffle", "choices"},
    }[kind]
    if unknown := set(gap) - allowed:
        errors.setdefault(where, []).append(f"Unknown field {sorted(unknown)[0]}.")
    if kind == "numerical":
        answers_check(gap.get("answers"), errors, field=f"{where}.answers")
    elif kind == "short_answer":
        _text_answers_check(gap.get("answers"), errors, field=f"{where}.answers")
        if not isinstance(gap.get("case_sensitive", False), bool):
            errors.setdefault(f"{where}.case_sensitive", []).append("Must be true or false.")
    else:
        _choices_check(gap, errors, where=where)


def _text_answers_check(answers: Any, errors: Errors, *, field: str) -> None:
    if not isinstance(answers, list) or not answers:
        errors.setdefault(field, []).append("Give at least one answer.")
        return
    full = False
    for number, answer in enumerate(answers, start=1):
        at = f"{field}[{number}]"
        if not isinstance(answer, Mapping):
            errors.setdefault(at, []).append("Expected an object.")
            continue
        if not isinstance(answer.get("text"), str) or not answer["text"].strip():
            errors.setdefault(f"{at}.text", []).append("This field may not be blank.")
        full = fraction_check(answer.get("fraction"), errors, field=f"{at}.fraction") == 1 or full
        if not isinstance(answer.get("feedback", ""), str):
            errors.setdefault(f"{at}.feedback", []).append("Expected text.")
    if not full:
        errors.setdefault(field, []).append("One answer needs the fraction 1 (full credit).")


def _choices_check(gap: Mapping[str, Any], errors: Errors, *, where: str) -> None:
    if gap.get("display", "dropdown") not in DISPLAYS:
        errors.setdefault(f"{where}.display", []).append(f"Must be one of: {', '.join(DISPLAYS)}.")
    for flag in ("multiple", "shuffle"):
        if not isinstance(gap.get(flag, False), bool):
            errors.setdefault(f"{where}.{flag}", []).append("Must be true or false.")
    multiple = gap.get("multiple") is True
    if multiple and gap.get("display") == "dropdown":
        errors.setdefault(f"{where}.display", []).append(
            "A gap with several picks shows as vertical or horizontal."
        )
    choices = gap.get("choices")
    if not isinstance(choices, list) or len(choices) < 2:
        errors.setdefault(f"{where}.choices", []).append("Give at least two choices.")
        return
    best = Decimal(-1)
    for number, choice in enumerate(choices, start=1):
        at = f"{where}.choices[{number}]"
        if not isinstance(choice, Mapping):
            errors.setdefault(at, []).append("Expected an object.")
            continue
        if not isinstance(choice.get("text"), str) or not choice["text"].strip():
            errors.setdefault(f"{at}.text", []).append("This field may not be blank.")
        low = Decimal(-1) if multiple else Decimal(0)
        fraction = fraction_check(choice.get("fraction"), errors, field=f"{at}.fraction", low=low)
        best = max(best, fraction if fraction is not None else best)
        if not isinstance(choice.get("feedback", ""), str):
            errors.setdefault(f"{at}.feedback", []).append("Expected text.")
    if multiple and best <= 0:
        errors.setdefault(f"{where}.choices", []).append("Give one choice a fraction above 0.")
    elif not multiple and best != 1 and best >= 0:
        errors.setdefault(f"{where}.choices", []).append("One choice needs the fraction 1.")


CLOZE = Cloze()
