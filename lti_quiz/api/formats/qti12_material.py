"""QTI 1.2 `<material>` read as a text here: `mattext` (plain or `text/html`) and `matimage`.

In the fields that may be rich (docs/rich-content.md) HTML is kept sanitised, the files it
shows from a package pointing at the media store (embedded_files), and a `matimage` is an
image (`uri` found in the package, `label` its alt text). In other fields (prompts, answers)
markup becomes plain text and images are left out; the report says so.
"""

import posixpath
from html import escape

from lti_quiz.api.formats import embedded_files
from lti_quiz.api.formats.markup import (
    Node,
    dropped_note,
    html_from_text,
    rich_read,
    text_from_html,
)
from lti_quiz.api.formats.report import QuestionReport
from lti_quiz.quiz.rich_text import is_html

# The report fields whose texts may be rich: others (prompts, answers) are plain text.
RICH = ("text", "explanation", "choices")


def body(presentation: Node, report: QuestionReport) -> str:
    """The question text: the presentation's material outside the response elements."""
    parts: list[str] = []

    def walk(node: Node) -> None:
        for child in node.elements():
            if child.tag == "material":
                parts.append(material_text(child, report, "text"))
            elif not child.tag.startswith("response_"):
                walk(child)

    walk(presentation)
    return _joined(parts)


def material(node: Node, report: QuestionReport, field: str) -> str:
    """The text of the first material inside `node` ("" without one)."""
    found = next(node.iter("material"), None)
    return material_text(found, report, field) if found is not None else ""


def material_text(node: Node, report: QuestionReport, field: str) -> str:
    parts = []
    for child in node.descendants():
        if child.tag == "mattext":
            parts.append(_mattext(child, report, field))
        elif child.tag == "matimage" and field in RICH and child.get("uri"):
            uri = child.get("uri")
            alt = child.get("label") or posixpath.basename(uri)
            parts.append(_rich(f'<img src="{escape(uri)}" alt="{escape(alt)}">', report, field))
        elif child.tag == "matimage":
            report.warn(field, "lost", "Images (matimage) are not kept in this field.")
    return _joined(parts)


def _mattext(node: Node, report: QuestionReport, field: str) -> str:
    raw = node.text()
    if node.get("texttype", "text/plain").lower() != "text/html":
        return raw.strip()
    if field in RICH:
        return _rich(raw, report, field)
    text, dropped = text_from_html(raw)
    if dropped:
        report.warn(field, "changed", f"Markup {dropped_note(dropped)}.")
    return text


def _rich(html: str, report: QuestionReport, field: str) -> str:
    html, problems = embedded_files.embed_sources(html)
    for problem in problems:
        report.warn(field, "lost", problem)
    return rich_read(html, report, field)


def _joined(parts: list[str]) -> str:
    """Texts one after the other: paragraphs of plain text, or HTML when one of them is."""
    parts = [part for part in parts if part]
    if any(is_html(part) for part in parts):
        return "".join(part if is_html(part) else html_from_text(part) for part in parts)
    return "\n\n".join(parts)
