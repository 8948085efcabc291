"""IMS QTI 1.2 as Canvas writes and imports it (a question bank: `<objectbank>` of `<item>`s).

Canvas names the kind in `qtimetadata` (multiple_choice_question, multiple_answers_question,
true_false_question, short_answer_question) with `points_possible`; the correct choice is the
`respcondition` that sets SCORE; `itemfeedback` "<choice>_fb" is a choice's feedback and
"general_fb" the explanation, "correct_fb" and "general_incorrect_fb" the feedback for a right and
a wrong answer. Canvas compares short answers exactly and has no tags.
Imports also read other QTI 1.2 writers (Common Cartridge `cc_profile`, no metadata at all).
Material (text, HTML, images) is read as qti12_material.py says.
"""

import xml.etree.ElementTree as ET  # builds our output only: input is read with defusedxml
from decimal import Decimal, InvalidOperation
from typing import Any

from lti_quiz.api.formats import common, embedded_files, qti12_numbers
from lti_quiz.api.formats import qti12_dropdowns as dropdowns
from lti_quiz.api.formats import qti12_material as material
from lti_quiz.api.formats import qti12_text_kinds as text_kinds
from lti_quiz.api.formats.markup import Node, as_html, parse_xml
from lti_quiz.api.formats.report import FileError, ParsedFile, ParsedQuestion, QuestionReport
from lti_quiz.quiz.rich_text import is_html

NAME = "qti12"
CONTENT_TYPE = "application/xml"
KEEPS_STATUS = False
EXTENSION = "-qti12.xml"
NAMESPACE = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
SCHEMA = f"{NAMESPACE} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"

_TYPES_OUT = {
    "single_choice": "multiple_choice_question",
    "multiple_response": "multiple_answers_question",
    "true_false": "true_false_question",
    "short_answer": "short_answer_question",
    "essay": "essay_question",
    "description": "text_only_question",
}
_TYPES_OUT |= {"numerical": qti12_numbers.NUMERICAL, "cloze": qti12_numbers.BLANKS}
_KINDS_IN = {value: key for key, value in _TYPES_OUT.items()}
# Canvas's itemfeedback for a right and a wrong answer, and the QuestionData fields they fill.
_CORRECT, _INCORRECT = "correct_fb", "general_incorrect_fb"
_OUTCOME = {_CORRECT: "correct_feedback", _INCORRECT: "incorrect_feedback"}
_CC_PROFILES = {
    "cc.multiple_choice.v0p1": "multiple_choice_question",
    "cc.multiple_response.v0p1": "multiple_answers_question",
    "cc.true_false.v0p1": "true_false_question",
    "cc.fib.v0p1": "short_answer_question",
    "cc.essay.v0p1": "essay_question",
}


# Export ---------------------------------------------------------------------------------------


def dump(*, bank: dict[str, str], questions: list[dict[str, Any]]) -> tuple[str, list]:
    root = ET.Element(
        "questestinterop",
        {
            "xmlns": NAMESPACE,
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": SCHEMA,
        },
    )
    objectbank = ET.SubElement(root, "objectbank", ident=bank["slug"])
    _metadata(ET.SubElement(objectbank, "qtimetadata"), {"bank_title": bank["title"]})
    reports = []
    for index, question in enumerate(questions, start=1):
        report = QuestionReport(index=index, key=question["key"], action="exported")
        reports.append(report)
        if common.left_out(question, report, "QTI 1.2"):
            continue
        _item(objectbank, index, question, report)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n", reports


def _item(parent: ET.Element, index: int, q: dict[str, Any], report: QuestionReport) -> None:
    q = common.short_answer_as_patterns(q, report)
    if dropdowns.writes(q):
        dropdowns.write(parent, index, q, report)
        return
    if q["kind"] == "cloze" and not qti12_numbers.cloze_fits(q):
        report.action = "skipped"
        report.warn("kind", "lost", "Canvas's blanks take typed answers only: not exported.")
        return
    qtype = _TYPES_OUT[q["kind"]]
    texts = sorted(c["text"].strip().casefold() for c in q["choices"])
    if q["kind"] == "true_false" and texts != ["false", "true"]:
        qtype = "multiple_choice_question"
        report.warn(
            "kind", "changed", "Canvas's true/false says True and False: written as choices."
        )
    if q["tags"]:
        report.warn("tags", "lost", "Canvas question banks have no tags.")
    ids = [str(index * 1000 + n) for n in range(1, len(q["choices"]) + 1)]
    item = ET.SubElement(parent, "item", ident=q["key"], title=q["key"])
    meta = {"question_type": qtype, "points_possible": common.number_text(q["points"])}
    if ids:
        meta["original_answer_ids"] = ",".join(ids)
    _metadata(ET.SubElement(ET.SubElement(item, "itemmetadata"), "qtimetadata"), meta)

    presentation = ET.SubElement(item, "presentation")
    text = qti12_numbers.blanks_text(q) if q["kind"] == "cloze" else q["text"]
    _mattext(presentation, f"<div>{as_html(text)}</div>", "text/html")
    if q.get("hints"):
        report.warn("hints", "lost", "Canvas questions have no hints.")
    if q["kind"] in ("essay", "description"):
        text_kinds.text_only(item, presentation, q, report)
        return
    common.choice_percents_lost(q, report, "Canvas's choice questions")
    if q["kind"] == "numerical":
        qti12_numbers.numerical_presentation(presentation)
    elif q["kind"] == "cloze":
        qti12_numbers.blanks_presentation(presentation, q, index)
    elif q["kind"] == "short_answer":
        response = ET.SubElement(
            presentation, "response_str", ident="response1", rcardinality="Single"
        )
        ET.SubElement(
            ET.SubElement(response, "render_fib"), "response_label", ident="answer1", rshuffle="No"
        )
    else:
        cardinality = "Multiple" if q["kind"] == "multiple_response" else "Single"
        response = ET.SubElement(
            presentation, "response_lid", ident="response1", rcardinality=cardinality
        )
        render = ET.SubElement(response, "render_choice")
        for ident, choice in zip(ids, q["choices"], strict=True):
            _rich_mattext(ET.SubElement(render, "response_label", ident=ident), choice["text"])

    processing = ET.SubElement(item, "resprocessing")
    ET.SubElement(
        ET.SubElement(processing, "outcomes"),
        "decvar",
        maxvalue="100",
        minvalue="0",
        varname="SCORE",
        vartype="Decimal",
    )
    if q["explanation"]:
        _feedback_condition(processing, None, "general_fb")
    for ident, choice in zip(ids, q["choices"], strict=True):
        if choice["feedback"]:
            _feedback_condition(processing, ident, f"{ident}_fb")
    if q["kind"] == "numerical":
        qti12_numbers.numerical_conditions(processing, q, report)
    elif q["kind"] == "cloze":
        qti12_numbers.blanks_conditions(processing, q, report, index=index)
    else:
        correct = ET.SubElement(processing, "respcondition", {"continue": "No"})
        condition = ET.SubElement(correct, "conditionvar")
        if q["kind"] == "short_answer":
            for answer in text_kinds.exact_answers(q["patterns"], report):
                ET.SubElement(condition, "varequal", respident="response1").text = answer
        elif q["kind"] == "multiple_response":
            both = ET.SubElement(condition, "and")
            for ident, choice in zip(ids, q["choices"], strict=True):
                target = both if choice["is_correct"] else ET.SubElement(both, "not")
                ET.SubElement(target, "varequal", respident="response1").text = ident
            report.warn(
                "kind", "note", "Canvas may give partial credit; here it is all or nothing."
            )
        else:
            right = next(i for i, c in zip(ids, q["choices"], strict=True) if c["is_correct"])
            ET.SubElement(condition, "varequal", respident="response1").text = right
        ET.SubElement(correct, "setvar", action="Set", varname="SCORE").text = "100"
    # As Canvas writes them: shown when the scoring condition holds, else (it stops there).
    if q["correct_feedback"] and q["kind"] in ("numerical", "cloze"):
        report.warn("correct_feedback", "lost", "Not written for this kind in Canvas's format.")
    elif q["correct_feedback"]:
        ET.SubElement(correct, "displayfeedback", feedbacktype="Response", linkrefid=_CORRECT)
    if q["incorrect_feedback"]:
        _feedback_condition(processing, None, _INCORRECT)
    if q["partially_correct_feedback"]:
        report.warn(
            "partially_correct_feedback",
            "lost",
            "Canvas has no feedback for a partly right answer.",
        )

    if q["explanation"]:
        _itemfeedback(item, "general_fb", q["explanation"])
    for ident, field in _OUTCOME.items():
        if q[field]:
            _itemfeedback(item, ident, q[field])
    for ident, choice in zip(ids, q["choices"], strict=True):
        if choice["feedback"]:
            _itemfeedback(item, f"{ident}_fb", choice["feedback"])


def _metadata(parent: ET.Element, fields: dict[str, str]) -> None:
    for label, entry in fields.items():
        field = ET.SubElement(parent, "qtimetadatafield")
        ET.SubElement(field, "fieldlabel").text = label
        ET.SubElement(field, "fieldentry").text = entry


def _mattext(parent: ET.Element, text: str, texttype: str) -> None:
    ET.SubElement(ET.SubElement(parent, "material"), "mattext", texttype=texttype).text = text


def _rich_mattext(parent: ET.Element, text: str) -> None:  # rich text as HTML, plain as plain
    _mattext(parent, text, "text/html" if is_html(text) else "text/plain")


def _feedback_condition(parent: ET.Element, ident: str | None, feedback: str) -> None:
    condition = ET.SubElement(parent, "respcondition", {"continue": "Yes"})
    variable = ET.SubElement(condition, "conditionvar")
    if ident is None:
        ET.SubElement(variable, "other")
    else:
        ET.SubElement(variable, "varequal", respident="response1").text = ident
    ET.SubElement(condition, "displayfeedback", feedbacktype="Response", linkrefid=feedback)


def _itemfeedback(item: ET.Element, ident: str, text: str) -> None:
    feedback = ET.SubElement(item, "itemfeedback", ident=ident)
    _rich_mattext(ET.SubElement(feedback, "flow_mat"), text)


# Import ---------------------------------------------------------------------------------------


def load(text: str) -> ParsedFile:
    root = parse_xml(text)
    if root.tag != "questestinterop":
        raise FileError(f"This is not QTI 1.2: the root element is <{root.tag}>.")
    parsed = ParsedFile()
    for node in root.iter("item"):
        item = parsed.add(line=node.line)
        with embedded_files.collecting() as files:
            _read(node, item)
        item.files = files
    return parsed


def _read(node: Node, item: ParsedQuestion) -> None:
    report, data = item.report, item.data
    meta = {
        f.child_text("fieldlabel"): f.child_text("fieldentry")
        for f in node.iter("qtimetadatafield")
    }
    report.key = common.key_from(node.get("ident") or node.get("title"), report)
    if report.key:
        data["key"] = report.key
    presentation = node.find("presentation")
    if presentation is None:
        item.skip = "the item has no presentation (nothing to ask)"
        return
    qtype = meta.get("question_type") or _CC_PROFILES.get(meta.get("cc_profile", ""), "")
    qtype = qtype or _guess(presentation)
    if qtype not in _KINDS_IN and qtype not in dropdowns.KINDS_IN:
        item.skip = f"the question type {qtype or 'of this item'!r} has no equivalent here"
        return
    data["kind"] = _KINDS_IN.get(qtype) or dropdowns.KINDS_IN[qtype]
    data["text"] = material.body(presentation, report)
    if meta.get("points_possible"):
        points = common.points_from(meta["points_possible"], report)
        if points is not None:
            data["points"] = points
    feedback = {
        f.get("ident"): material.material(f, report, "choices") for f in node.iter("itemfeedback")
    }
    conditions = list(node.iter("respcondition"))
    links = _feedback_links(conditions)
    general = links.pop("", None) or ("general_fb" if "general_fb" in feedback else None)
    if general in feedback:
        data["explanation"] = feedback.pop(general)
    for ident, field in _OUTCOME.items():
        if ident in feedback:
            data[field] = feedback.pop(ident)
    if data["kind"] == "numerical":
        qti12_numbers.numerical_read(node, data, report)
        return
    if data["kind"] == "cloze":
        qti12_numbers.blanks_read(node, presentation, data, report)
        return
    if qtype in dropdowns.KINDS_IN:
        dropdowns.read(presentation, conditions, data, report)
        return
    if data["kind"] == "description":
        data["points"] = "0"  # Canvas says 0 too: a text-only question is not graded
    if data["kind"] in ("essay", "description"):
        return
    correct = _scoring_values(conditions)
    if data["kind"] == "short_answer":
        text_kinds.read_short(correct, data, report)
        return
    choices = []
    for label in presentation.iter("response_label"):
        ident = label.get("ident")
        choices.append(
            {
                "text": material.material(label, report, "choices"),
                "is_correct": ident in correct,
                "feedback": feedback.get(links.get(ident, f"{ident}_fb"), ""),
            }
        )
    data["choices"] = choices


def _guess(presentation: Node) -> str:
    if next(presentation.iter("response_str"), None) is not None:
        return "short_answer_question"
    lid = next(presentation.iter("response_lid"), None)
    if lid is None:
        return ""
    if lid.get("rcardinality", "Single").lower() == "multiple":
        return "multiple_answers_question"
    return "multiple_choice_question"


def _scoring_values(conditions: list[Node]) -> list[str]:
    """The values (choice idents or exact answers) of conditions that give points, in order."""
    values: list[str] = []
    for condition in conditions:
        if not any(_positive(s) for s in condition.elements("setvar")):
            continue
        variable = condition.find("conditionvar")
        for value in _varequals(variable) if variable is not None else []:
            if value.text().strip() not in values:
                values.append(value.text().strip())
    return values


def _positive(setvar: Node) -> bool:
    try:
        return Decimal(setvar.text().strip() or "0") > 0
    except InvalidOperation:
        return False


def _varequals(node: Node) -> list[Node]:
    """varequal elements that must hold (those under <not> must not)."""
    found = []
    for child in node.elements():
        if child.tag == "varequal":
            found.append(child)
        elif child.tag in ("and", "or"):
            found += _varequals(child)
    return found


def _feedback_links(conditions: list[Node]) -> dict[str, str]:
    """Which itemfeedback each choice shows ("" for the one shown whatever the answer)."""
    links: dict[str, str] = {}
    for condition in conditions:
        shown = condition.find("displayfeedback")
        variable = condition.find("conditionvar")
        if shown is None or variable is None or condition.elements("setvar"):
            continue
        if variable.find("other") is not None:
            if shown.get("linkrefid") not in _OUTCOME:  # the first one shown to all
                links.setdefault("", shown.get("linkrefid"))
        elif len(variable.elements()) == 1 and variable.find("varequal") is not None:
            links[variable.child_text("varequal")] = shown.get("linkrefid")
    return links
