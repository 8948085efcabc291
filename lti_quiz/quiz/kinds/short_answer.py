"""Short answers, scored one of two ways.

- Accepted patterns (the default): words or phrases anywhere in the answer; anything doubtful
  (no match, a negated match, a rejected pattern) goes to a person.
- Moodle's answers (`spec.answers`, what an import from Moodle or GIFT keeps): the whole answer
  matched with `*` wildcards, the first matching answer giving its fraction of the points and
  its feedback; no match scores 0, as in Moodle.
"""

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
from lti_quiz.quiz.kinds.numbers import decimal_or_none
from lti_quiz.quiz.kinds.wildcard import first_matching

MAX_SHORT_ANSWER_LENGTH = 2000


class ShortAnswer(Kind):
    name = "short_answer"
    answer_shape = "text"
    template = "short_answer"
    fields = frozenset({"patterns", "rejected_patterns", "model_answer", "spec"})
    label = "short-answer"

    def validate(self, question: QuestionData, errors: Errors) -> None:
        super().validate(question, errors)
        spec = question["spec"]
        if not spec:
            if not question["patterns"]:
                errors.setdefault("patterns", []).append(
                    "A short-answer question needs at least one pattern."
                )
            return
        for problem in _spec_problems(spec):
            errors.setdefault("spec", []).append(problem)
        if question["patterns"] or question["rejected_patterns"]:
            errors.setdefault("patterns", []).append(
                "Give accepted patterns or spec.answers (Moodle's answers), not both."
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
        if question.get("spec", {}).get("answers"):
            return _score_moodle_answers(question, text)
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


MAX_ANSWER = 1000
MAX_ANSWERS = 50


def _score_moodle_answers(question: SnapshotQuestion, text: str) -> Outcome:
    spec = question["spec"]
    matched = first_matching(
        spec["answers"], text, case_sensitive=bool(spec.get("case_sensitive", False))
    )
    if matched is None:
        return Outcome(answer=text, is_correct=False, score=Decimal(0))
    fraction = Decimal(str(matched.get("fraction", "1")))
    score = (points(question) * max(fraction, Decimal(0))).quantize(Decimal("0.01"))
    return Outcome(
        answer=text,
        is_correct=fraction == 1,
        score=score,
        feedback=str(matched.get("feedback", "")),
    )


def _spec_problems(spec: Any) -> list[str]:
    """What is wrong with a short answer's spec ({"answers": [...], "case_sensitive": bool})."""
    problems = [f"Unknown setting {name!r}." for name in spec if name not in SPEC_FIELDS]
    if not isinstance(spec.get("case_sensitive", False), bool):
        problems.append("case_sensitive: must be true or false.")
    answers = spec.get("answers")
    if not isinstance(answers, list) or not answers:
        return [*problems, "answers: give at least one answer."]
    if len(answers) > MAX_ANSWERS:
        problems.append(f"answers: at most {MAX_ANSWERS}.")
    best = Decimal(0)
    for number, answer in enumerate(answers, start=1):
        where = f"answers[{number}]"
        if not isinstance(answer, dict) or set(answer) - {"text", "fraction", "feedback"}:
            problems.append(f"{where}: an object with text, fraction and feedback.")
            continue
        text = answer.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}.text: this field may not be blank.")
        elif len(text) > MAX_ANSWER:
            problems.append(f"{where}.text: at most {MAX_ANSWER} characters.")
        if not isinstance(answer.get("feedback", ""), str):
            problems.append(f"{where}.feedback: must be a string.")
        fraction = decimal_or_none(answer.get("fraction", "1"))
        if fraction is None or not 0 <= fraction <= 1:
            problems.append(f"{where}.fraction: a number from 0 to 1.")
        else:
            best = max(best, fraction)
    if best != 1 and not problems:
        problems.append("answers: one answer must give full marks (fraction 1).")
    return problems


SPEC_FIELDS = ("answers", "case_sensitive")
