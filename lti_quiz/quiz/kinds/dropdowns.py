"""What the kinds answered with drop-downs share (matching, ordering, select missing words).

Their settings live in `spec`; a part of the answer is one drop-down's value: an option key of
the attempt, or "" when nothing is chosen. Credit is shared out per part: points * right parts
/ parts, rounded to the cent (scores are stored to the cent).
"""

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext

from lti_quiz.lib.fields import Errors
from lti_quiz.lib.storable import UNSTORABLE, storable
from lti_quiz.quiz.errors import InvalidAnswer
from lti_quiz.quiz.kinds.base import SnapshotQuestion, parts_problem, points

MAX_ITEM_TEXT = 1000  # as a choice's text
MAX_ITEMS = 20  # as a question's choices
CENT = Decimal("0.01")


def credit(question: SnapshotQuestion, *, right: int, out_of: int) -> Decimal:
    """points * right / out_of, to the cent; all right is exactly the points."""
    if out_of <= 0 or right <= 0:
        return Decimal(0)
    if right >= out_of:
        return points(question)
    return (points(question) * right / out_of).quantize(CENT, rounding=ROUND_HALF_UP)


class SpecChecker:
    """Collects what is wrong with a kind's `spec`, each message naming its place
    ("spec.pairs[2].prompt: This field may not be blank.")."""

    def __init__(self, spec: Any, errors: Errors, *, allowed: Sequence[str]) -> None:
        self.errors = errors
        self.spec: Mapping[str, Any] = spec if isinstance(spec, Mapping) else {}
        if not isinstance(spec, Mapping):
            self.add("spec", "Must be an object of the kind's settings.")
        for name in self.spec:
            if name not in allowed:
                self.add(f"spec.{name}", "Unknown field.")

    def add(self, where: str, message: str) -> None:
        self.errors.setdefault("spec", []).append(f"{where}: {message}")

    @property
    def ok(self) -> bool:
        return "spec" not in self.errors

    def text(self, where: str, value: Any) -> bool:
        """Whether `value` is a non-blank text short enough to keep."""
        if not isinstance(value, str):
            self.add(where, "Must be a string.")
        elif not value.strip():
            self.add(where, "This field may not be blank.")
        elif len(value) > MAX_ITEM_TEXT:
            self.add(where, f"At most {MAX_ITEM_TEXT} characters (got {len(value)}).")
        elif not storable(value):
            self.add(where, UNSTORABLE)
        else:
            return True
        return False

    def items(self, name: str, *, minimum: int, required: bool = True) -> list:
        """spec[name] as a list (checked for its length), or []."""
        value = self.spec.get(name, None if required else [])
        if not isinstance(value, list):
            self.add(f"spec.{name}", "Must be a list." if value is not None else "Required.")
            return []
        if len(value) < minimum:
            self.add(f"spec.{name}", f"Give at least {minimum}.")
        if len(value) > MAX_ITEMS:
            self.add(f"spec.{name}", f"At most {MAX_ITEMS}.")
        return value

    def flag(self, name: str) -> None:
        if not isinstance(self.spec.get(name, True), bool):
            self.add(f"spec.{name}", "Must be true or false.")

    def choice(self, name: str, options: Sequence[str]) -> None:
        if name in self.spec and self.spec[name] not in options:
            self.add(f"spec.{name}", f"Must be one of: {', '.join(options)}.")

    def unique(self, where: str, texts: Sequence[Any], what: str) -> None:
        strings = [" ".join(t.split()) for t in texts if isinstance(t, str)]
        if len(set(strings)) != len(strings):
            self.add(where, f"Two {what} have the same text.")


def options_problem(
    value: Any, names: Sequence[str], allowed: Mapping[str, Sequence[str]]
) -> str | None:
    """What is wrong with `value` as a saved answer choosing, per part, one of `allowed[part]`
    (or "": nothing chosen yet), or None. An empty list is nothing chosen: the navigation
    posts it for a question its page showed with no field filled."""
    if value == []:
        return None
    if problem := parts_problem(value, names, limit=100):
        return problem
    for name, chosen in value.items():
        if chosen and chosen not in allowed[name]:
            return f"Part {name!r}: not one of its options."
    return None


def options_check(question: SnapshotQuestion, answer: Mapping[str, str], allowed: Any) -> None:
    """Raise InvalidAnswer when a part's value is not one of its options."""
    for name, chosen in answer.items():
        if chosen and chosen not in allowed[name]:
            raise InvalidAnswer(
                gettext("An answer to question %(slot)s is not one of its options.")
                % {"slot": question["slot"]}
            )
