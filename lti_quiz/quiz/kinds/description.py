"""Descriptions: a text between questions, as Moodle's description. It asks nothing, scores
nothing (its points are 0), takes no number, flag or answer, and a quiz drawing questions from a
bank never draws one."""

from typing import Any

from lti_quiz.quiz.kinds.base import Answer, Kind, Outcome, SnapshotQuestion


class Description(Kind):
    name = "description"
    answer_shape = "none"
    template = "description"
    scored = False
    label = "description"

    def snapshot(self, question: Any, **_: Any) -> dict:
        return {"spec": {}}

    def answer_problem(self, question: SnapshotQuestion, value: Any) -> str | None:
        return "A description takes no answer."

    def score(self, question: SnapshotQuestion, answer: Answer) -> Outcome:
        # score_answers never asks: a description has no outcome.
        raise ValueError("A description is not scored.")


DESCRIPTION = Description()
