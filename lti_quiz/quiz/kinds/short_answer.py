"""Short answers, scored by accepted patterns; anything doubtful goes to a person."""

from decimal import Decimal
from typing import Any

from lti_quiz.lib.fields import Errors
from lti_quiz.quiz import patterns
from lti_quiz.quiz.kinds.base import (
    Answer,
    Kind,
    Outcome,
    QuestionData,
    SnapshotQuestion,
    as_text,
    points,
    text_problem,
)

MAX_SHORT_ANSWER_LENGTH = 2000


class ShortAnswer(Kind):
    name = "short_answer"
    answer_shape = "text"
    template = "short_answer"
    fields = frozenset({"patterns", "rejected_patterns", "model_answer"})
    label = "short-answer"

    def validate(self, question: QuestionData, errors: Errors) -> None:
        super().validate(question, errors)
        if not question["patterns"]:
            errors.setdefault("patterns", []).append(
                "A short-answer question needs at least one pattern."
            )

    def snapshot(self, question: Any, **_: Any) -> dict:
        return {
            "spec": dict(question.spec),
            "choices": [],
            "patterns": [p.pattern for p in question.patterns.all()],
            "model_answer": question.model_answer,
            "rejected_patterns": list(question.rejected_patterns),
        }

    def answer_problem(self, question: SnapshotQuestion, value: Any) -> str | None:
        return text_problem(value, limit=MAX_SHORT_ANSWER_LENGTH)

    def score(self, question: SnapshotQuestion, answer: Answer) -> Outcome:
        """A plain match is correct; a blank is wrong; anything else (no match, a negated
        match, a match of a rejected pattern) waits for the instructor's review, with the
        reason."""
        text = as_text(question, answer, limit=MAX_SHORT_ANSWER_LENGTH)
        if not text:
            return Outcome(answer="", is_correct=False, score=Decimal(0))
        judgement = patterns.judge(
            question["patterns"], text, rejected=question.get("rejected_patterns", ())
        )
        if judgement.accepted:
            return Outcome(answer=text, is_correct=True, score=points(question))
        return Outcome(
            answer=text, is_correct=None, score=Decimal(0), review_reason=judgement.reason
        )

    def ask(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        return {"max_length": MAX_SHORT_ANSWER_LENGTH}


SHORT_ANSWER = ShortAnswer()
