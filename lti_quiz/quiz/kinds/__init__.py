"""Question kinds: what each kind checks, keeps, asks, scores and shows, one module per kind.

Every layer asks the question's Kind (`kind_get`) instead of testing kind names:

- `question_format.question_validate` → `Kind.validate` (the rules of this kind, on the whole
  merged QuestionData);
- `snapshots` → `Kind.snapshot` (what an attempt keeps beyond the common fields: choice keys,
  shuffled items...);
- `drafts` → `Kind.answer_problem` (a saved-as-you-go answer of the right shape);
- `scoring` → `Kind.score` (an Outcome from the snapshot question and the answer);
- `display` → `Kind.ask` (what the quiz page may show: never the key) and `Kind.review`
  (the marked answer on the result page);
- templates → `activity/kinds/<template>_ask.html` and `<template>_result.html`.

An answer has one of three shapes, which also name the quiz form's fields (`views.py`):
choice keys (`q-<slot>`, several values), a text (`q-<slot>-text`) or named parts
(`q-<slot>-part-<name>`: a gap, a prompt, an item) as {name: text}.
"""

from lti_quiz.quiz.kinds.base import Answer, Kind, Outcome, QuestionData, SnapshotQuestion
from lti_quiz.quiz.kinds.calculated import CALCULATED
from lti_quiz.quiz.kinds.calculated_choice import CALCULATED_CHOICE
from lti_quiz.quiz.kinds.choice import MULTIPLE_RESPONSE, SINGLE_CHOICE, TRUE_FALSE
from lti_quiz.quiz.kinds.cloze import CLOZE
from lti_quiz.quiz.kinds.description import DESCRIPTION
from lti_quiz.quiz.kinds.essay import ESSAY
from lti_quiz.quiz.kinds.matching import MATCHING
from lti_quiz.quiz.kinds.numerical import NUMERICAL
from lti_quiz.quiz.kinds.ordering import ORDERING
from lti_quiz.quiz.kinds.random_matching import RANDOM_MATCHING
from lti_quiz.quiz.kinds.select_missing_words import SELECT_MISSING_WORDS
from lti_quiz.quiz.kinds.short_answer import SHORT_ANSWER

REGISTRY: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        SINGLE_CHOICE,
        MULTIPLE_RESPONSE,
        TRUE_FALSE,
        SHORT_ANSWER,
        NUMERICAL,
        CLOZE,
        MATCHING,
        ORDERING,
        SELECT_MISSING_WORDS,
        ESSAY,
        DESCRIPTION,
        CALCULATED,
        CALCULATED_CHOICE,
        RANDOM_MATCHING,
    )
}

__all__ = ["REGISTRY", "Answer", "Kind", "Outcome", "QuestionData", "SnapshotQuestion", "kind_get"]


def kind_get(name: str) -> Kind:
    """The kind called `name`; KeyError for a name no module defines."""
    return REGISTRY[name]
