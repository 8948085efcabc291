"""Moodle XML essays (`essay`): the settings Moodle's qtype_essay writes and reads.

A description (`description`) needs nothing beyond the common fields: its text and a grade of 0.
"""

from typing import Any

from lti_quiz.api.formats import moodle_xml as base
from lti_quiz.api.formats.markup import Node
from lti_quiz.api.formats.report import QuestionReport
from lti_quiz.quiz.kinds.essay import essay_spec


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
