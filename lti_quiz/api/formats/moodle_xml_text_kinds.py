"""Moodle XML for the kinds answered in words: short answers (patterns, or Moodle's own
answers kept as they are) and essays (response settings, grader information, template)."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from lti_quiz.api.formats import common
from lti_quiz.api.formats import moodle_xml as base
from lti_quiz.api.formats.markup import Node
from lti_quiz.api.formats.report import QuestionReport
from lti_quiz.quiz.kinds.essay import essay_spec


def moodle_short_answers(spec: dict[str, Any]) -> list[str]:
    """A short answer kept in Moodle's own terms: its answers as they were."""
    lines = [f"    <usecase>{1 if spec.get('case_sensitive') else 0}</usecase>"]
    for answer in spec["answers"]:
        percent = Decimal(str(answer.get("fraction", "1"))) * 100
        lines += base._answer(answer["text"], answer, percent, plain=True)
    return lines


def essay(q: dict[str, Any]) -> list[str]:
    """Moodle's essay settings: a text box only (no attachments), the word limits, the grader
    information (our model answer) and the response template."""
    spec = essay_spec(q)
    template_format = "plain" if spec["response_format"] == "monospaced" else "html"
    template = spec["response_template"]
    return [
        f"    <responseformat>{spec['response_format']}</responseformat>",
        "    <responserequired>1</responserequired>",
        "    <responsefieldlines>15</responsefieldlines>",
        f"    <minwordlimit>{spec['min_words'] or ''}</minwordlimit>",
        f"    <maxwordlimit>{spec['max_words'] or ''}</maxwordlimit>",
        "    <attachments>0</attachments>",
        "    <attachmentsrequired>0</attachmentsrequired>",
        "    <maxbytes>0</maxbytes>",
        "    <filetypeslist></filetypeslist>",
        f'    <graderinfo format="html">{base._html(q.get("model_answer", ""))}</graderinfo>',
        f'    <responsetemplate format="{template_format}">'
        + (base._html(template) if template_format == "html" else base._text(template))
        + "</responsetemplate>",
    ]


def read_shortanswer(node: Node, data: dict, report: QuestionReport, *, ours: bool) -> None:
    data["kind"] = "short_answer"
    if not (ours and our_patterns(node)):
        # Moodle's own answers, matched as Moodle matches them: nothing to change or lose.
        data["spec"] = {
            "answers": [
                {
                    "text": answer.child_text("text").strip(),
                    "fraction": common.fraction_from_percent(base._fraction(answer, report)),
                    "feedback": base._read_text(answer.find("feedback"), report, "spec"),
                }
                for answer in node.elements("answer")
            ],
            "case_sensitive": node.child_text("usecase") == "1",
        }
        return
    if node.child_text("usecase") == "1":
        report.warn("patterns", "changed", "Moodle compared case; here patterns match any case.")

    def found() -> Iterator[tuple[str | None, str]]:
        for answer in node.elements("answer"):
            raw = answer.child_text("text")
            fraction = base._fraction(answer, report)
            if answer.child_text("feedback", "text"):
                report.warn("patterns", "lost", common.SHORT_FEEDBACK_LOST)
            if fraction < 100:
                if raw.strip("* "):
                    yield None, f"{raw!r} gave {common.moodle_fraction(fraction)}%: left out"
            else:
                full_credit.append(raw)
                yield common.pattern_from_moodle(raw, ours=ours)

    full_credit: list[str] = []
    data["patterns"] = common.patterns_read(found(), report)
    # Only what the file says: re-importing our own export keeps a model answer set here.
    if model_answer := common.model_answer_read(full_credit, ours=ours):
        data["model_answer"] = model_answer


def our_patterns(node: Node) -> bool:
    """Whether a short answer of our own export holds patterns (each written `*p*` for full
    marks, without feedback), not answers kept in Moodle's terms."""
    answers = node.elements("answer")
    return bool(answers) and all(
        answer.get("fraction", "0").strip() == "100"
        and not answer.child_text("feedback", "text")
        and common.pattern_from_moodle(answer.child_text("text"), ours=True)[1] == ""
        for answer in answers
    )


def read_essay(node: Node, data: dict, report: QuestionReport) -> None:
    data["kind"] = "essay"
    spec: dict[str, Any] = {}
    response_format = node.child_text("responseformat", default="editor")
    if response_format == "noinline":
        report.error("spec", "An essay answered by attachments only has no equivalent here.")
    elif response_format in ("plain", "monospaced"):
        spec["response_format"] = response_format
    else:
        report.warn(
            "spec", "changed", f"Moodle's {response_format!r} answer box is plain text here."
        )
    if node.child_text("attachments") not in ("", "0"):
        report.warn("spec", "lost", "Attachments to an essay are not kept.")
    for name, field in (("minwordlimit", "min_words"), ("maxwordlimit", "max_words")):
        raw = node.child_text(name)
        if raw.isdigit() and int(raw) > 0:
            spec[field] = int(raw)
        elif raw.strip():
            report.warn("spec", "lost", f"<{name}>{raw[:20]}</{name}> is not a number of words.")
    if node.find("responsetemplate") is not None:
        template = base._read_text(node.find("responsetemplate"), report, "spec")
        if template:
            spec["response_template"] = template
    if node.find("graderinfo") is not None:
        data["model_answer"] = base._read_text(node.find("graderinfo"), report, "model_answer")
    data["spec"] = spec
