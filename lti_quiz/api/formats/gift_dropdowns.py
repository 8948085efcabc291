"""GIFT for the kinds answered with drop-downs, as Moodle's qformat_gift reads and writes them.

Only matching has a GIFT form: `{ =prompt -> answer =prompt -> answer }`, a distractor being
a pair with no prompt (`= -> answer`). GIFT has no shuffle setting (Moodle shuffles), and no
form for ordering or select missing words: an export leaves those out and says so.
"""

from collections.abc import Callable
from typing import Any

from lti_quiz.api.formats import gift as base
from lti_quiz.api.formats.report import QuestionReport

UNWRITABLE = {
    "ordering": "GIFT has no ordering questions: left out (Moodle XML keeps them).",
    "select_missing_words": (
        "GIFT has no select-missing-words questions: left out (Moodle XML keeps them)."
    ),
}


def left_out(index: int, q: dict[str, Any], report: QuestionReport) -> str:
    """A comment where a question GIFT cannot hold would be, and the report's note."""
    message = UNWRITABLE[q["kind"]]
    report.action = "skipped"
    report.warn("question", "lost", message)
    return f"// question: {index}  name: {q['key']}: {message}\n"


def matching_lines(
    q: dict[str, Any], report: QuestionReport, *, part: Callable[[str], str]
) -> list[str]:
    spec = q["spec"]
    if not spec.get("shuffle", True):
        report.warn(
            "spec", "lost", "GIFT has no setting for the order of prompts: Moodle shuffles."
        )
    lines = []
    for pair in spec["pairs"]:
        prompt = pair["prompt"]
        if "->" in prompt:
            # Moodle ends a prompt at its first "->", and GIFT has no escape for it.
            prompt = prompt.replace("->", "→")
            report.warn("spec", "changed", f"GIFT cannot write -> in a prompt: {prompt!r}.")
        lines.append(f"\t={part(prompt)} -> {base._escape(pair['answer'])}")
    lines += [f"\t= -> {base._escape(text)}" for text in spec.get("distractors", [])]
    return lines


def read_matching(answers: str, default: str, data: dict[str, Any], report: QuestionReport) -> None:
    """`=a -> b =c -> d` as Moodle reads it: each `=` starts a pair, `->` ends its prompt."""
    data["kind"] = "matching"
    pairs, distractors = [], []
    for raw in [a.strip() for a in answers.split("=")]:
        if not raw:
            continue
        if "->" not in raw:
            report.error("spec", f"{base._release(raw)[:40]!r}: a pair needs ->.")
            continue
        prompt, answer = raw.split("->", 1)
        prompt_text = base._text(prompt, default, report, "spec")[1]
        answer_text = base._release(answer).strip()
        if prompt_text:
            pairs.append({"prompt": prompt_text, "answer": answer_text})
        elif answer_text:
            distractors.append(answer_text)
    data["spec"] = {"pairs": pairs, "distractors": distractors, "shuffle": True}
