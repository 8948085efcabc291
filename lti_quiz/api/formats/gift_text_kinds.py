"""GIFT for the kinds answered in words: short answers, essays (`{}`) and descriptions (no
answer block)."""

from collections.abc import Iterator
from typing import Any

from lti_quiz.api.formats import common
from lti_quiz.api.formats import gift as base
from lti_quiz.api.formats import gift_markup as markup
from lti_quiz.api.formats.report import QuestionReport
from lti_quiz.quiz.kinds.essay import essay_spec


def essay(head: str, q: dict[str, Any], explanation: str, report: QuestionReport) -> str:
    """An essay is an empty answer block (Moodle's GIFT keeps no essay settings)."""
    spec = essay_spec(q)
    if spec["min_words"] or spec["max_words"]:
        report.warn("spec", "lost", "GIFT has no word limits.")
    if spec["response_template"]:
        report.warn("spec", "lost", "GIFT has no response template.")
    if spec["response_format"] != "plain":
        report.warn("spec", "lost", "GIFT has no answer format: Moodle gives an editor.")
    if q.get("model_answer"):
        report.warn("model_answer", "lost", "GIFT has no information for graders.")
    return f"{head}{{{explanation}}}\n"


def description(index: int, q: dict[str, Any], report: QuestionReport) -> str:
    """A description is a text with no answer block."""
    if q["explanation"]:
        report.warn("explanation", "lost", "A GIFT description has no general feedback.")
    ids = " ".join([f"[id:{q['key']}]"] + [f"[tag:{tag}]" for tag in q["tags"]])
    head = f"// question: {index}  name: {q['key']}\n// {ids}\n"
    text = markup.question_text(q, html=markup.is_rich(q))
    return f"{head}::{base._escape(q['key'])}::{text}\n"


def read_short(
    answers: str, default: str, data: dict, report: QuestionReport, *, ours: bool
) -> None:
    data["kind"] = "short_answer"
    given = []
    for raw in [a.strip() for a in answers.split("=")]:
        if raw:
            weight, raw = base._weight(raw, exact=1)
            answer, feedback = [*raw.split("#", 1), ""][:2]
            given.append((weight, answer, feedback))
    ours_patterns = ours and all(
        weight == 1
        and not feedback.strip()
        and common.pattern_from_moodle(base._release(answer).strip(), ours=True)[1] == ""
        for weight, answer, feedback in given
    )
    if not ours_patterns:
        # Moodle's own answers, matched as Moodle matches them (GIFT never compares case).
        data["spec"] = {
            "answers": [
                {
                    "text": base._text(answer, default, report, "spec")[1],
                    "fraction": common.fraction_from_percent(weight * 100),
                    "feedback": base._text(feedback, default, report, "spec")[1],
                }
                for weight, answer, feedback in given
            ],
            "case_sensitive": False,
        }
        return

    def found() -> Iterator[tuple[str | None, str]]:
        for raw in [a.strip() for a in answers.split("=")]:
            if not raw:
                continue
            weight, raw = base._weight(raw, exact=1)
            answer, feedback = [*raw.split("#", 1), ""][:2]
            answer = base._text(answer, default, report, "patterns")[1]
            if feedback.strip():
                report.warn("patterns", "lost", common.SHORT_FEEDBACK_LOST)
            if weight < 1:
                yield None, f"{answer!r} gave {common.moodle_fraction(weight * 100)}%: left out"
            else:
                full_credit.append(answer)
                yield common.pattern_from_moodle(answer, ours=ours)

    full_credit: list[str] = []
    data["patterns"] = common.patterns_read(found(), report)
    # Only what the file says: re-importing our own export keeps a model answer set here.
    if model_answer := common.model_answer_read(full_credit, ours=ours):
        data["model_answer"] = model_answer
