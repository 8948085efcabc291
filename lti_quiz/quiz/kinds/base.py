"""What every question kind provides (a Kind), and the shapes it works with."""

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from django.utils.translation import gettext

from lti_quiz.lib.fields import Errors
from lti_quiz.quiz.errors import InvalidAnswer

if TYPE_CHECKING:
    from lti_quiz.quiz.models import Question

QuestionData = Mapping[str, Any]  # the neutral question format, merged and complete
SnapshotQuestion = Mapping[str, Any]  # one question of an attempt's snapshot
Answer = Sequence[str] | str | Mapping[str, str] | None

# The QuestionData fields only some kinds use; a kind lists those it takes in `fields`.
KIND_FIELDS = ("choices", "patterns", "rejected_patterns", "model_answer", "spec")


@dataclass(frozen=True)
class Outcome:
    # What is stored: choice keys, the text as typed (stripped) or the parts by name.
    answer: list[str] | str | dict[str, str]
    is_correct: bool | None  # None: waiting for a person to decide
    score: Decimal
    feedback: str = ""
    review_reason: str = ""  # why a person decides, in words

    @property
    def pending(self) -> bool:
        return self.is_correct is None


class Kind:
    """A question kind. Subclasses override what differs; one instance per kind."""

    name: ClassVar[str]
    # The shape of an answer (module docstring): "choices", "text", "parts" or "none".
    answer_shape: ClassVar[Literal["choices", "text", "parts", "none"]]
    # Template names: activity/kinds/<template>_ask.html and <template>_result.html.
    template: ClassVar[str]
    fields: ClassVar[frozenset[str]] = frozenset()
    scored: ClassVar[bool] = True  # False: a text between questions (description)
    label: ClassVar[str] = ""  # in messages: "A <label> question has no choices."

    def validate(self, question: QuestionData, errors: Errors) -> None:
        """Add what is wrong with `question` as this kind to `errors` (field → messages).

        The common fields (text, points, tags...) are checked already, and the shapes of
        `choices` and `patterns`; the default refuses the kind fields this kind does not use.
        """
        a = "An" if self.label[:1] in "aeiou" else "A"  # an essay
        refusals = {
            "choices": f"{a} {self.label} question has no choices.",
            "patterns": "Only short-answer questions take patterns.",
            "rejected_patterns": "Only short-answer questions take rejected patterns.",
            "model_answer": f"{a} {self.label} question has no model answer.",
            "spec": f"{a} {self.label} question has no settings in spec.",
        }
        for field in KIND_FIELDS:
            if field not in self.fields and question.get(field):
                errors.setdefault(field, []).append(refusals[field])

    def snapshot(self, question: "Question", *, rng: random.Random, shuffle: bool) -> dict:
        """What an attempt keeps of `question` beyond the common fields."""
        return {"spec": dict(question.spec)}

    def answer_problem(self, question: SnapshotQuestion, value: Any) -> str | None:
        """What is wrong with `value` as a saved answer to `question`, or None."""
        raise NotImplementedError

    def score(self, question: SnapshotQuestion, answer: Answer) -> Outcome:
        raise NotImplementedError

    def ask(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        """What the quiz page shows of this kind, with the learner's saved `answer` in place.

        Only what a learner may see before submitting: never a key, a fraction or feedback.
        """
        return {}

    def review(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        """What the result page shows of this kind: the answer marked, the key beside it
        (the review rules decide which parts the page shows)."""
        return {}

    def answer_text(self, question: SnapshotQuestion, answer: Any) -> str:
        """The answer in words, for review lists and exports."""
        return answer if isinstance(answer, str) else ""


# A gap in a question's text: `[[n]]` (cloze gaps, select-missing-words drop-downs).
GAP_RE = re.compile(r"\[\[(\d+)\]\]")


def gap_segments(text: str) -> list[dict[str, Any]]:
    """`text` cut at its gaps, in reading order: {"text": "The "} and {"gap": 1} (the number
    inside the `[[n]]`). The one place that reads gaps out of a text; templates print the words
    through the rich-text filters."""
    segments: list[dict[str, Any]] = []
    position = 0
    for match in GAP_RE.finditer(text):
        if match.start() > position:
            segments.append({"text": text[position : match.start()]})
        segments.append({"gap": int(match.group(1))})
        position = match.end()
    if position < len(text):
        segments.append({"text": text[position:]})
    return segments


def points(question: SnapshotQuestion) -> Decimal:
    return Decimal(str(question["points"]))


def shuffled(items: list, rng: random.Random) -> list:
    copy = list(items)
    rng.shuffle(copy)
    return copy


def as_text(question: SnapshotQuestion, answer: Answer, *, limit: int) -> str:
    """A text answer, stripped (a form field read with getlist(): one value at most)."""
    if answer is None:
        return ""
    if not isinstance(answer, str):
        values: list[Any] = [answer] if isinstance(answer, Mapping) else list(answer)
        if len(values) > 1 or not all(isinstance(value, str) for value in values):
            raise InvalidAnswer(
                gettext("Question %(slot)s takes one written answer.") % {"slot": question["slot"]}
            )
        answer = values[0] if values else ""
    text = answer.strip()
    if len(text) > limit:
        raise InvalidAnswer(
            gettext("The answer to question %(slot)s is longer than %(max)d characters.")
            % {"slot": question["slot"], "max": limit}
        )
    return text


def text_problem(value: Any, *, limit: int) -> str | None:
    """What is wrong with `value` as a saved text answer, or None."""
    if not isinstance(value, str):
        return "Expected the answer's text."
    if len(value) > limit:
        return f"At most {limit} characters."
    return None


def as_parts(question: SnapshotQuestion, answer: Answer, names: Sequence[str]) -> dict[str, str]:
    """A parts answer ({name: text}) keeping only `names`; a part not given is ""."""
    if answer is None or answer == "" or answer == []:
        return dict.fromkeys(names, "")
    if not isinstance(answer, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in answer.items()
    ):
        raise InvalidAnswer(
            gettext("The answer to question %(slot)s does not fit the question.")
            % {"slot": question["slot"]}
        )
    if unknown := set(answer) - set(names):
        raise InvalidAnswer(
            gettext("Question %(slot)s has no part %(part)s.")
            % {"slot": question["slot"], "part": sorted(unknown)[0]}
        )
    return {name: answer.get(name, "").strip() for name in names}


def parts_problem(value: Any, names: Sequence[str], *, limit: int = 2000) -> str | None:
    """What is wrong with `value` as a saved parts answer, or None. An empty list is a blank
    answer (what a page that showed the question and posted none of its fields saves)."""
    if value == []:
        return None
    if not isinstance(value, Mapping):
        return "Expected an object of answers by part."
    for name, text in value.items():
        if name not in names:
            return f"No part {name!r} in this question."
        if not isinstance(text, str):
            return f"Part {name!r}: expected text."
        if len(text) > limit:
            return f"Part {name!r}: at most {limit} characters."
    return None
