"""Numbers as learners type them, and numeric answers matched as Moodle's qtype_numerical does.

Shared by the numerical kind and the numerical gaps of a cloze question. Arithmetic is in
Decimal, so "0.1 + tolerance" is exact and a tolerance edge is inside the range.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from lti_quiz.lib.fields import Errors

# Moodle's catch-all answer: any number matches it.
ANY_NUMBER = "*"

# A number: sign, digits with "." or "," as decimal separator, an exponent. Moodle's
# answer_processor reads the same, with the separator of the learner's language.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def number_parse(text: str) -> Decimal | None:
    """The number `text` holds (all of it), or None. A comma is read as the decimal
    separator ("1,5" is 1.5); there are no thousands separators ("1,000" is 1)."""
    text = text.strip().replace("\u2212", "-")  # a typographic minus
    if not _NUMBER.fullmatch(text):
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def number_split(text: str, *, units_left: bool = False) -> tuple[Decimal | None, str]:
    """(the number, the rest) of a response such as "9.81 m/s²" ("$ 5" with units left).
    The number is None when the response does not start (end) with one."""
    text = text.strip().replace("\u2212", "-")
    if units_left:
        match = re.search(_NUMBER.pattern + r"$", text)
        if match is None:
            return None, text
        return number_parse(match.group()), text[: match.start()].strip()
    match = _NUMBER.match(text)
    if match is None:
        return None, text
    return number_parse(match.group()), text[match.end() :].strip()


def decimal_or_none(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True)
class Match:
    index: int  # of the answer in the author's order
    fraction: Decimal
    feedback: str


def answer_match(answers: Sequence[Mapping[str, Any]], value: Decimal) -> Match | None:
    """The first answer, in order, whose range holds `value` (Moodle's rule): value ±
    tolerance, or "*" for any number."""
    for index, answer in enumerate(answers):
        if answer["value"] == ANY_NUMBER or _within(answer, value):
            return Match(index, Decimal(str(answer["fraction"])), str(answer.get("feedback", "")))
    return None


def _within(answer: Mapping[str, Any], value: Decimal) -> bool:
    target = Decimal(str(answer["value"]))
    tolerance = abs(Decimal(str(answer.get("tolerance") or 0)))
    return target - tolerance <= value <= target + tolerance


def best_value(answers: Sequence[Mapping[str, Any]]) -> str:
    """The value of the first full-credit answer, to show as the right answer."""
    for answer in answers:
        if Decimal(str(answer["fraction"])) == 1 and answer["value"] != ANY_NUMBER:
            tolerance = Decimal(str(answer.get("tolerance") or 0))
            return str(answer["value"]) + (f" ± {tolerance.normalize():f}" if tolerance else "")
    return ""


def answers_check(answers: Any, errors: Errors, *, field: str) -> None:
    """What is wrong with a list of numeric answers ({value, tolerance, fraction, feedback});
    messages name `field` and the answer ("spec.answers[2].value: ...")."""
    if not isinstance(answers, list) or not answers:
        errors.setdefault(field, []).append("Give at least one answer.")
        return
    full = False
    for number, answer in enumerate(answers, start=1):
        where = f"{field}[{number}]"
        if not isinstance(answer, Mapping):
            errors.setdefault(where, []).append("Expected an object.")
            continue
        if unknown := set(answer) - {"value", "tolerance", "fraction", "feedback"}:
            errors.setdefault(where, []).append(f"Unknown field {sorted(unknown)[0]}.")
        value = answer.get("value")
        if value != ANY_NUMBER and decimal_or_none(value) is None:
            errors.setdefault(f"{where}.value", []).append('A number, or "*" for any number.')
        tolerance = decimal_or_none(answer.get("tolerance", "0"))
        if tolerance is None or tolerance < 0:
            errors.setdefault(f"{where}.tolerance", []).append("A number of 0 or more.")
        fraction = fraction_check(answer.get("fraction"), errors, field=f"{where}.fraction")
        full = full or fraction == 1
        if not isinstance(answer.get("feedback", ""), str):
            errors.setdefault(f"{where}.feedback", []).append("Expected text.")
    if not full:
        errors.setdefault(field, []).append("One answer needs the fraction 1 (full credit).")


def fraction_check(
    value: Any, errors: Errors, *, field: str, low: Decimal = Decimal(0)
) -> Decimal | None:
    fraction = decimal_or_none(value)
    if fraction is None or not low <= fraction <= 1:
        errors.setdefault(field, []).append(f"A number from {low:f} to 1.")
        return None
    return fraction


def credit(points: Decimal, fraction: Decimal) -> Decimal:
    """Points times a fraction, to the cent (scores are stored with two decimals)."""
    return (points * fraction).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def number_text(value: Decimal) -> str:
    return f"{value.normalize():f}"
