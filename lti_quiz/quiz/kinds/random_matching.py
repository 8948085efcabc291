"""Random short-answer matching (Moodle's randomsamatch): a matching question built anew for
each attempt from short-answer questions of the bank.

spec: {"choose": 3, "subcategories": false}. Like Moodle, the short answers come from the
question's own category: here its first `cat.` tag (categories become tags on import), and with
`subcategories` the tags below it too; a question without a category tag draws from the whole
bank. Each drawn question's text is a prompt, and its first full-marks answer (Moodle's answers)
or model answer / first pattern is what matches it. The attempt keeps a plain matching
question, so from then on the matching kind asks and scores it.
"""

import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

from lti_quiz.lib.fields import Errors
from lti_quiz.quiz.errors import QuizError
from lti_quiz.quiz.kinds.base import Kind, QuestionData

if TYPE_CHECKING:
    from lti_quiz.quiz.models import Question

CATEGORY_PREFIX = "cat."
MAX_CHOOSE = 20


class RandomMatching(Kind):
    name = "random_matching"
    label = "random short-answer matching"
    answer_shape = "parts"
    template = "matching"
    fields = frozenset({"spec"})

    def validate(self, question: QuestionData, errors: Errors) -> None:
        super().validate(question, errors)
        spec = question["spec"]
        problems = [f"Unknown setting {name!r}." for name in spec if name not in SPEC_FIELDS]
        choose = spec.get("choose")
        if isinstance(choose, bool) or not isinstance(choose, int) or not 2 <= choose <= 20:
            problems.append(f"choose: a whole number from 2 to {MAX_CHOOSE}.")
        if not isinstance(spec.get("subcategories", False), bool):
            problems.append("subcategories: must be true or false.")
        for problem in problems:
            errors.setdefault("spec", []).append(problem)

    def snapshot(self, question: "Question", *, rng: random.Random, shuffle: bool) -> dict:
        from lti_quiz.quiz.kinds import kind_get
        from lti_quiz.quiz.models import Question as QuestionModel

        pairs = drawn_pairs(question, rng=rng)
        plain = QuestionModel(
            kind="matching", spec={"pairs": pairs, "distractors": [], "shuffle": True}
        )
        asked = kind_get("matching").snapshot(plain, rng=rng, shuffle=True)
        return {**asked, "kind": "matching"}


RANDOM_MATCHING = RandomMatching()
SPEC_FIELDS = ("choose", "subcategories")


def drawn_pairs(question: "Question", *, rng: random.Random) -> list[dict[str, str]]:
    """`choose` prompts and answers from short answers of the question's category."""
    from lti_quiz.quiz.models import Question as QuestionModel

    choose = int(question.spec["choose"])
    pool = (
        QuestionModel.objects.filter(bank_id=question.bank_id, kind="short_answer")
        .active()
        .prefetch_related("patterns")
    )
    category = next((t for t in question.tags if t.startswith(CATEGORY_PREFIX)), None)
    candidates = [
        (q.text, answer)
        for q in pool
        if _in_category(q.tags, category, below=bool(question.spec.get("subcategories")))
        and (answer := matching_answer(q))
    ]
    # Two prompts with the same answer would make a learner guess which one is meant.
    by_answer: dict[str, tuple[str, str]] = {}
    for text, answer in candidates:
        by_answer.setdefault(answer.casefold(), (text, answer))
    if len(by_answer) < choose:
        raise QuizError(
            gettext(
                "A random matching question needs %(count)d short-answer questions in its "
                "category and finds %(available)d. Please tell your instructor."
            )
            % {"count": choose, "available": len(by_answer)}
        )
    chosen = rng.sample(sorted(by_answer.values()), choose)
    return [{"prompt": text, "answer": answer} for text, answer in chosen]


def matching_answer(question: "Question") -> str:
    """What a short answer's prompt matches: its first full-marks answer without wildcards."""
    for answer in question.spec.get("answers", []):
        if Decimal(str(answer.get("fraction", "1"))) == 1 and "*" not in answer["text"]:
            return str(answer["text"])
    if question.model_answer:
        return question.model_answer
    return next((p.pattern for p in question.patterns.all() if "*" not in p.pattern), "")


def _in_category(tags: Any, category: str | None, *, below: bool) -> bool:
    if category is None:
        return True
    return category in tags or (below and any(t.startswith(category + ".") for t in tags))
