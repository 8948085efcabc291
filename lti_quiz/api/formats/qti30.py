"""IMS QTI 3.0 assessment items (`qti-assessment-item`), where the bank fits them.

Choice kinds are a `qti-choice-interaction` (max-choices 1, or 0 for multiple response, which
QTI's match scores all or nothing, like here), with `qti-feedback-inline` for a choice's
feedback; short answers a `qti-text-entry-interaction` scored by `qti-pattern-match`, whose
regular expressions say what a pattern says (whole words, any case, * ending a word); the
explanation is a `qti-feedback-block` "EXPLANATION", the feedback for a right, partly right and
wrong answer `qti-modal-feedback` "CORRECT", "PARTIALLY_CORRECT", "INCORRECT"; points are
MAXSCORE. QTI 3 keeps one item per file: an export wraps the bank's items in one <bank> element
of its own namespace. Imports take a single item or any document holding items. Items carry no tags.
Rich text is XHTML in the item (xhtml.py), kept sanitised; in a package, the images and media it
shows come from the package (embedded_files).
"""

import re
import xml.etree.ElementTree as ET  # builds our output only: input is read with defusedxml
from decimal import Decimal
from typing import Any

from lti_quiz.api.formats import (
    common,
    embedded_files,
    qti30_cloze,
    qti30_numbers,
    qti30_processing,
)
from lti_quiz.api.formats import qti30_dropdowns as dropdowns
from lti_quiz.api.formats import qti30_text_kinds as text_kinds
from lti_quiz.api.formats.markup import Node, dropped_note, parse_xml, rich_read, text_from_node
from lti_quiz.api.formats.report import FileError, Note, ParsedFile, ParsedQuestion, QuestionReport
from lti_quiz.api.formats.xhtml import append_html, html_from_node, indent
from lti_quiz.quiz.rich_text import is_html

NAME = "qti30"
CONTENT_TYPE = "application/xml"
KEEPS_STATUS = False
EXTENSION = "-qti30.xml"
NAMESPACE = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
SCHEMA = (
    f"{NAMESPACE} https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0p1_v1p0.xsd"
)
XSI = "http://www.w3.org/2001/XMLSchema-instance"
BANK_NAMESPACE = "urn:lti-quiz:question-bank"
EXPORT_NOTES = (
    Note(
        "question",
        "note",
        "QTI 3.0 keeps one item per file: this file wraps the items in one <bank> element; "
        "save each <qti-assessment-item> as a file of a content package for other tools.",
    ),
)
EXPLANATION = "EXPLANATION"
# `qti-modal-feedback` for a right, partly right (multiple response) and wrong answer.
_OUTCOME = {
    "CORRECT": "correct_feedback",
    "PARTIALLY_CORRECT": "partially_correct_feedback",
    "INCORRECT": "incorrect_feedback",
}
# The report fields whose texts may be rich: others (prompts, answers) are plain text.
_RICH = ("text", "explanation", "choices", *_OUTCOME.values())

_INTERACTIONS = {
    "qti-choice-interaction": "choice",
    "qti-text-entry-interaction": "text",
    "qti-extended-text-interaction": "text",
}
_BLOCKS = {"p", "div", "ul", "ol", "table", "pre", "blockquote", "h3", "h4", "h5", "h6"}
_NOT_TEXT = {"qti-feedback-block", "qti-feedback-inline", "qti-modal-feedback", "qti-rubric-block"}


# Export ---------------------------------------------------------------------------------------


def dump(*, bank: dict[str, str], questions: list[dict[str, Any]]) -> tuple[str, list]:
    root = ET.Element(
        "bank", {"xmlns": BANK_NAMESPACE, "slug": bank["slug"], "title": bank["title"]}
    )
    reports = []
    for index, question in enumerate(questions, start=1):
        report = QuestionReport(index=index, key=question["key"], action="exported")
        reports.append(report)
        if common.left_out(question, report, "QTI 3.0"):
            continue
        if not qti30_cloze.qti30_cloze_fits(question, report):
            continue
        root.append(_item(question, report))
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n", reports


def _item(q: dict[str, Any], report: QuestionReport) -> ET.Element:
    q = common.short_answer_as_patterns(q, report)
    if q["kind"] in dropdowns.KINDS:
        return dropdowns.item(q, report)
    identifier = q["key"] if q["key"][:1].isalpha() else f"_{q['key']}"
    item = ET.Element(
        "qti-assessment-item",
        {
            "xmlns": NAMESPACE,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": SCHEMA,
            "identifier": identifier,
            "title": q["key"],
            "adaptive": "false",
            "time-dependent": "false",
        },
    )
    if q["tags"]:
        report.warn("tags", "lost", "QTI 3 items carry no tags.")
    if q.get("hints"):
        report.warn("hints", "lost", "QTI 3 items here carry no hints.")
    if q["kind"] == "numerical":
        qti30_numbers.qti30_numerical(item, q, report)
        return item
    if q["kind"] == "cloze":
        qti30_cloze.qti30_cloze(item, q, report)
        return item
    if q["kind"] in ("essay", "description"):
        text_kinds.text_item(item, q, report)
        return item
    common.choice_percents_lost(q, report, "QTI 3 choice interactions here")
    short = q["kind"] == "short_answer"
    ids = [f"C{n}" for n in range(1, len(q["choices"]) + 1)]
    cardinality = "multiple" if q["kind"] == "multiple_response" else "single"
    base = "string" if short else "identifier"
    response = _sub(
        item,
        "qti-response-declaration",
        {"identifier": "RESPONSE", "cardinality": cardinality, "base-type": base},
    )
    correct = _sub(response, "qti-correct-response")
    if short:
        _sub(correct, "qti-value").text = common.exact_from_pattern(q["patterns"][0])
    for ident, choice in zip(ids, q["choices"], strict=True):
        if choice["is_correct"]:
            _sub(correct, "qti-value").text = ident
    _outcome(item, "SCORE", "float", "0")
    _outcome(item, "MAXSCORE", "float", common.number_text(q["points"]))
    _outcome(item, "FEEDBACK", "identifier", None, cardinality="multiple")

    body = _sub(item, "qti-item-body")
    if short:
        _paragraphs(body, q["text"])
        _sub(_sub(body, "p"), "qti-text-entry-interaction", {"response-identifier": "RESPONSE"})
    else:
        max_choices = "0" if q["kind"] == "multiple_response" else "1"
        interaction = _sub(
            body,
            "qti-choice-interaction",
            {"response-identifier": "RESPONSE", "shuffle": "false", "max-choices": max_choices},
        )
        _lines(_sub(interaction, "qti-prompt"), q["text"])
        for ident, choice in zip(ids, q["choices"], strict=True):
            option = _sub(interaction, "qti-simple-choice", identifier=ident)
            _lines(option, choice["text"])
            if choice["feedback"]:
                inline = _sub(option, "qti-feedback-inline", _feedback(ident))
                _lines(inline, choice["feedback"])
    if q["explanation"]:
        block = _sub(body, "qti-feedback-block", _feedback(EXPLANATION))
        _paragraphs(block, q["explanation"])
    qti30_processing.processing(item, q, ids, short=short)
    for identifier, field in _OUTCOME.items():
        if q[field]:
            modal = _sub(item, "qti-modal-feedback", _feedback(identifier))
            _paragraphs(_sub(modal, "qti-content-body"), q[field])
    if q["kind"] == "true_false":
        if sorted(c["text"].strip().casefold() for c in q["choices"]) == ["false", "true"]:
            report.warn("kind", "note", "QTI 3 has no true/false interaction: True/False choices.")
        else:
            report.warn("kind", "changed", "QTI 3 has no true/false interaction: a single choice.")
    return item


def _outcome(
    item: ET.Element, name: str, base: str, default: str | None, cardinality: str = "single"
) -> None:
    outcome = _sub(
        item,
        "qti-outcome-declaration",
        {"identifier": name, "cardinality": cardinality, "base-type": base},
    )
    if default is not None:
        _sub(_sub(outcome, "qti-default-value"), "qti-value").text = default


def _sub(
    parent: ET.Element, tag: str, attrs: dict[str, str] | None = None, **more: str
) -> ET.Element:
    return ET.SubElement(parent, tag, {**(attrs or {}), **more})


def _feedback(identifier: str) -> dict[str, str]:
    return {"outcome-identifier": "FEEDBACK", "identifier": identifier, "show-hide": "show"}


def _lines(parent: ET.Element, text: str) -> None:
    """Text with its line breaks as <br/> elements; rich text as its XHTML."""
    if is_html(text):
        append_html(parent, text)
        return
    lines = text.split("\n")
    parent.text = lines[0]
    for line in lines[1:]:
        _sub(parent, "br").tail = line


def _paragraphs(parent: ET.Element, text: str) -> None:
    if is_html(text):
        append_html(parent, text)
        return
    for paragraph in re.split(r"\n{2,}", text):
        _lines(_sub(parent, "p"), paragraph)


# Import ---------------------------------------------------------------------------------------


def load(text: str) -> ParsedFile:
    root = parse_xml(text)
    items = [root] if root.tag == "qti-assessment-item" else list(root.iter("qti-assessment-item"))
    if not items:
        raise FileError(f"No QTI 3.0 assessment item here (the root element is <{root.tag}>).")
    parsed = ParsedFile()
    for node in items:
        item = parsed.add(line=node.line)
        with embedded_files.collecting() as files:
            _read(node, item)
        item.files = files
    return parsed


def _read(node: Node, item: ParsedQuestion) -> None:
    report, data = item.report, item.data
    identifier = node.get("identifier")
    if identifier.startswith("_") and not identifier[1:2].isalpha():
        identifier = identifier[1:]  # exports prefix keys that do not start with a letter
    report.key = common.key_from(identifier or node.get("title"), report)
    if report.key:
        data["key"] = report.key
    body = node.find("qti-item-body")
    interactions = (
        [n for n in body.descendants() if n.tag.endswith("-interaction")]
        if body is not None
        else []
    )
    if body is not None and not interactions:
        text_kinds.read_description(node, body, item)
        return
    # Our cloze export names its responses GAP_n; other inline choices alone are select
    # missing words, text entries among them a cloze.
    ours_cloze = any(i.get("response-identifier").startswith("GAP_") for i in interactions)
    mine = body is not None and bool(interactions) and not ours_cloze
    mine = mine and dropdowns.reads(interactions)
    cloze = not mine and qti30_cloze.qti30_is_cloze(interactions)
    if body is None or (
        not cloze
        and not mine
        and (len(interactions) != 1 or interactions[0].tag not in _INTERACTIONS)
    ):
        item.skip = "only items with exactly one choice or text-entry interaction fit here"
        return
    assert body is not None
    if mine:
        dropdowns.read(node, body, interactions, data, report)
    else:
        interaction = interactions[0]
        declarations = {d.get("identifier"): d for d in node.elements("qti-response-declaration")}
        declaration = declarations.get(interaction.get("response-identifier"))
        correct = _correct_values(declaration)
        data["text"] = _text(body, report, "text")[0]
    maximum = next(
        (o for o in node.elements("qti-outcome-declaration") if o.get("identifier") == "MAXSCORE"),
        None,
    )
    if maximum is not None and maximum.child_text("qti-default-value", "qti-value"):
        points = common.points_from(maximum.child_text("qti-default-value", "qti-value"), report)
        if points is not None:
            data["points"] = points
    for feedback in [*body.iter("qti-feedback-block"), *node.iter("qti-modal-feedback")]:
        identifier = feedback.get("identifier").upper()
        if identifier == EXPLANATION:
            data["explanation"] = _text(feedback, report, "explanation")[0]
        elif identifier in _OUTCOME:
            data[_OUTCOME[identifier]] = _text(feedback, report, _OUTCOME[identifier])[0]
        elif feedback.text().strip():
            report.warn("question", "lost", f"Feedback {feedback.get('identifier')!r} is not kept.")
    if mine:
        return
    if cloze:
        qti30_cloze.qti30_cloze_read(node, body, data, report)
    elif qti30_numbers.qti30_is_numerical(declaration):
        qti30_numbers.qti30_numerical_read(node, correct, data, report)
    elif interaction.tag == "qti-extended-text-interaction":
        text_kinds.read_essay(node, body, interaction, declaration, data, report)
    elif _INTERACTIONS[interaction.tag] == "text":
        data["kind"] = "short_answer"
        text_kinds.read_short(node, correct, data, report)
    else:
        _read_choices(interaction, correct, data, report)


def _read_choices(interaction: Node, correct: set[str], data: dict, report: QuestionReport) -> None:
    choices = []
    for option in interaction.iter("qti-simple-choice"):
        inline = next(option.iter("qti-feedback-inline"), None)
        choices.append(
            {
                "text": _text(option, report, "choices")[0],
                "is_correct": option.get("identifier") in correct,
                "feedback": _text(inline, report, "choices")[0] if inline is not None else "",
            }
        )
    single = interaction.get("max-choices", "1") == "1"
    texts = sorted(str(c["text"]).casefold() for c in choices)
    if not single:
        data["kind"] = "multiple_response"
    else:
        data["kind"] = "true_false" if texts == ["false", "true"] else "single_choice"
    data["choices"] = choices


def _correct_values(declaration: Node | None) -> set[str]:
    if declaration is None:
        return set()
    values = {v.text().strip() for v in declaration.iter("qti-value")}
    mapping = declaration.find("qti-mapping")
    if mapping is not None:
        for entry in mapping.elements("qti-map-entry"):
            try:
                if Decimal(entry.get("mapped-value", "0")) > 0:
                    values.add(entry.get("map-key"))
            except ArithmeticError:
                continue
    return values


def _text(node: Node, report: QuestionReport, field: str) -> tuple[str, set[str]]:
    """XHTML content, leaving out feedback: sanitised HTML in the fields that may be rich
    (the files it shows from a package pointing at the media store), else plain text.

    An interaction gives its prompt; a text entry inside a sentence is its blank, "_____".
    """
    if field in _RICH:
        html, problems = embedded_files.embed_sources(html_from_node(_pruned(node)))
        for problem in problems:
            report.warn(field, "lost", problem)
        return rich_read(html.strip(), report, field), set()
    text, dropped = text_from_node(_pruned(node))
    if dropped:
        report.warn(field, "changed", f"Markup {dropped_note(dropped)}.")
    return text, dropped


def _pruned(node: Node) -> Node:
    copy = Node(node.tag, node.attrs, node.line)
    sentence = any(isinstance(c, str) and c.strip() for c in node.children)
    for child in node.children:
        if isinstance(child, str):
            copy.children.append(child)
        elif child.tag in _NOT_TEXT:
            continue
        elif child.tag in _INTERACTIONS:
            prompt = child.find("qti-prompt")
            if prompt is not None:
                block = _pruned(prompt)
                # A paragraph of the question, unless it has its own or is all there is.
                blocks = any(n.tag in _BLOCKS for n in prompt.elements())
                alone = not any(
                    (c.strip() if isinstance(c, str) else c is not child and c.tag not in _NOT_TEXT)
                    for c in node.children
                )
                block.tag = "div" if blocks or alone else "p"
                copy.children.append(block)
            elif sentence:
                copy.children.append("_____")
        elif not _holds_only_interactions(child):
            copy.children.append(_pruned(child))
    return copy


def _holds_only_interactions(node: Node) -> bool:
    """A paragraph holding only interactions without prompts (a short answer's text entry)."""
    elements = node.elements()
    only = all(e.tag in _INTERACTIONS and e.find("qti-prompt") is None for e in elements)
    return bool(elements) and only and not node.text().strip()
