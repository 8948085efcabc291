"""Essays: free text that a person marks, with optional word limits and a response template.

As Moodle's essay: the answer always waits for the instructor's review (no automatic score), the
grader information (`model_answer`) is shown to reviewers only, and word limits are advice
checked as the learner writes. An essay outside its limits is saved and submitted as written
(never lost); the reviewer sees by how much it missed (the review reason), as Moodle's grader
sees its word-count warning.
"""

import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, ngettext

from lti_quiz.lib.fields import Errors
from lti_quiz.quiz.kinds.base import (
    Answer,
    Kind,
    Outcome,
    QuestionData,
    SnapshotQuestion,
    as_text,
    text_problem,
)

MAX_ESSAY_LENGTH = 50000  # characters: some 8,000 words
MAX_WORD_LIMIT = 5000
MAX_TEMPLATE = 5000
RESPONSE_FORMATS = ("plain", "monospaced")
SPEC_DEFAULTS: dict[str, Any] = {
    "min_words": None,
    "max_words": None,
    "response_template": "",
    "response_format": "plain",
}
# Words as Moodle's count_words counts them: what lies between spaces, control characters and
# em or en dashes ("stop—go" is two words, "size," one).
_SEPARATORS = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2013\u2014]+")


def word_count(text: str) -> int:
    return sum(1 for word in _SEPARATORS.split(text) if word)


def essay_spec(question: SnapshotQuestion | QuestionData) -> dict[str, Any]:
    """The essay's settings with the defaults filled in."""
    return {**SPEC_DEFAULTS, **(question.get("spec") or {})}


def limits_problem(spec: dict[str, Any], words: int) -> str:
    """Why an essay of `words` words is outside the limits of `spec`, in words; "" if it is not."""
    low, high = spec["min_words"], spec["max_words"]
    if low is not None and 0 < words < low:
        return ngettext(
            "It has %(words)d word; at least %(limit)d are asked for.",
            "It has %(words)d words; at least %(limit)d are asked for.",
            words,
        ) % {"words": words, "limit": low}
    if high is not None and words > high:
        return ngettext(
            "It has %(words)d word; at most %(limit)d are asked for.",
            "It has %(words)d words; at most %(limit)d are asked for.",
            words,
        ) % {"words": words, "limit": high}
    return ""


class Essay(Kind):
    name = "essay"
    answer_shape = "text"
    template = "essay"
    fields = frozenset({"model_answer", "spec"})
    label = "essay"

    def validate(self, question: QuestionData, errors: Errors) -> None:
        super().validate(question, errors)
        spec = question["spec"]

        def add(message: str) -> None:
            errors.setdefault("spec", []).append(message)

        for name in spec:
            if name not in SPEC_DEFAULTS:
                add(f"spec.{name}: unknown setting.")
        for name in ("min_words", "max_words"):
            value = spec.get(name)
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or value < 1
            ):
                add(f"spec.{name}: a whole number of words from 1, or null for no limit.")
            elif value is not None and value > MAX_WORD_LIMIT:
                add(f"spec.{name}: at most {MAX_WORD_LIMIT}.")
        low, high = spec.get("min_words"), spec.get("max_words")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            add("spec.min_words: more than spec.max_words.")
        template = spec.get("response_template", "")
        if not isinstance(template, str):
            add("spec.response_template: must be a string.")
        elif len(template) > MAX_TEMPLATE:
            add(f"spec.response_template: at most {MAX_TEMPLATE} characters.")
        if spec.get("response_format", "plain") not in RESPONSE_FORMATS:
            add(f"spec.response_format: must be one of: {', '.join(RESPONSE_FORMATS)}.")

    def snapshot(self, question: Any, **_: Any) -> dict:
        return {"spec": essay_spec({"spec": question.spec}), "model_answer": question.model_answer}

    def answer_problem(self, question: SnapshotQuestion, value: Any) -> str | None:
        return text_problem(value, limit=MAX_ESSAY_LENGTH)

    def score(self, question: SnapshotQuestion, answer: Answer) -> Outcome:
        """Always a person's to mark: no score until the review, with why in words (and by how
        much the essay missed its word limits, when it did)."""
        text = as_text(question, answer, limit=MAX_ESSAY_LENGTH)
        reason = gettext("An essay is marked by a person.")
        if problem := limits_problem(essay_spec(question), word_count(text)):
            reason = f"{reason} {problem}"
        return Outcome(answer=text, is_correct=None, score=Decimal(0), review_reason=reason)

    def ask(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        spec = essay_spec(question)
        # A learner who has not written yet starts from the template.
        text = answer if isinstance(answer, str) else spec["response_template"]
        return {
            "max_length": MAX_ESSAY_LENGTH,
            "min_words": spec["min_words"],
            "max_words": spec["max_words"],
            "monospaced": spec["response_format"] == "monospaced",
            "answer_text": text,
            "words": word_count(text),
            "limits_problem": limits_problem(spec, word_count(text)) if answer else "",
        }

    def review(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        spec = essay_spec(question)
        text = answer if isinstance(answer, str) else ""
        return {
            "words": word_count(text),
            "min_words": spec["min_words"],
            "max_words": spec["max_words"],
            "monospaced": spec["response_format"] == "monospaced",
        }


ESSAY = Essay()
