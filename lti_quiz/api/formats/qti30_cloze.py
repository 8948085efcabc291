"""Cloze questions in QTI 3.0; qti30.py calls these.

A cloze question in QTI 3.0: each gap an interaction inside the text, its response GAP_n
(a `qti-text-entry-interaction` for a typed answer, a `qti-inline-choice-interaction` for one
pick), its weight the default of the outcome WEIGHT_n, its fraction the outcome FRACTION_n
(the response's `qti-mapping` for texts and choices, branches of `qti-equal` for numbers);
SCORE = MAXSCORE * sum(WEIGHT_n * FRACTION_n) / sum(WEIGHT_n). Gaps of several picks have no
inline interaction: such a question is not written.
"""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

from lti_quiz.api.formats import common
from lti_quiz.api.formats.markup import Node, text_from_html
from lti_quiz.api.formats.qti30_numbers import qti_sub as _qti
from lti_quiz.api.formats.report import QuestionReport
from lti_quiz.quiz.kinds.numbers import decimal_or_none as _number
from lti_quiz.quiz.kinds.numbers import number_text as _text
from lti_quiz.quiz.rich_text import is_html


def qti30_cloze_fits(q: dict[str, Any], report: QuestionReport) -> bool:
    """False for a cloze with a gap of several picks (reported skipped); True otherwise."""
    if q["kind"] != "cloze" or not any(gap.get("multiple") for gap in q["spec"]["gaps"]):
        return True
    report.action = "skipped"
    report.warn("kind", "lost", "A gap of several picks has no inline QTI 3 interaction.")
    return False


def qti30_cloze(item: ET.Element, q: dict[str, Any], report: QuestionReport) -> None:
    gaps = q["spec"]["gaps"]
    for field in ("correct_feedback", "partially_correct_feedback", "incorrect_feedback"):
        if q[field]:
            report.warn(field, "lost", "Not written for cloze questions in QTI 3.")
    if q["explanation"]:
        report.warn("explanation", "lost", "Not written for cloze questions in QTI 3.")
    for number, gap in enumerate(gaps, start=1):
        _gap_declaration(item, number, gap, report)
    for name, default in (("SCORE", "0"), ("MAXSCORE", common.number_text(q["points"]))):
        _float_outcome(item, name, default)
    for number, gap in enumerate(gaps, start=1):
        _float_outcome(item, f"WEIGHT_{number}", common.number_text(str(gap.get("weight", "1"))))
        _float_outcome(item, f"FRACTION_{number}", "0")
    body = _qti(item, "qti-item-body")
    text = q["text"]
    if is_html(text):
        # The gaps are interactions inside the text's paragraphs: written around plain text.
        text = text_from_html(text)[0]
        report.warn("text", "changed", "A cloze text's markup is not written in QTI 3.")
    for paragraph in re.split(r"\n{2,}", text):
        _paragraph_with_gaps(_qti(body, "p"), paragraph, gaps)
    processing = _qti(item, "qti-response-processing")
    for number, gap in enumerate(gaps, start=1):
        if gap["type"] == "numerical":
            condition = _qti(processing, "qti-response-condition")
            for position, answer in enumerate(a for a in gap["answers"] if a["value"] != "*"):
                tag = "qti-response-if" if position == 0 else "qti-response-else-if"
                branch = _qti(condition, tag)
                tolerance = common.number_text(str(answer.get("tolerance") or 0))
                equal = _qti(branch, "qti-equal", **{"tolerance-mode": "absolute"})
                equal.set("tolerance", f"{tolerance} {tolerance}")
                _qti(equal, "qti-variable", identifier=f"GAP_{number}")
                _qti(equal, "qti-base-value", **{"base-type": "float"}).text = str(answer["value"])
                fraction = _qti(branch, "qti-set-outcome-value", identifier=f"FRACTION_{number}")
                _qti(
                    fraction, "qti-base-value", **{"base-type": "float"}
                ).text = common.number_text(str(answer["fraction"]))
        else:
            fraction = _qti(processing, "qti-set-outcome-value", identifier=f"FRACTION_{number}")
            _qti(fraction, "qti-map-response", identifier=f"GAP_{number}")
    score = _qti(processing, "qti-set-outcome-value", identifier="SCORE")
    product = _qti(score, "qti-product")
    _qti(product, "qti-variable", identifier="MAXSCORE")
    divide = _qti(product, "qti-divide")
    total = _qti(divide, "qti-sum")
    for number in range(1, len(gaps) + 1):
        weighted = _qti(total, "qti-product")
        _qti(weighted, "qti-variable", identifier=f"WEIGHT_{number}")
        _qti(weighted, "qti-variable", identifier=f"FRACTION_{number}")
    weights = sum((Decimal(str(gap.get("weight", "1"))) for gap in gaps), Decimal(0))
    _qti(divide, "qti-base-value", **{"base-type": "float"}).text = _text(weights)


def _gap_declaration(
    item: ET.Element, number: int, gap: dict[str, Any], report: QuestionReport
) -> None:
    base = {"short_answer": "string", "numerical": "float", "choice": "identifier"}[gap["type"]]
    declaration = _qti(item, "qti-response-declaration", identifier=f"GAP_{number}")
    declaration.attrib |= {"cardinality": "single", "base-type": base}
    if gap["type"] == "numerical":
        right = next((a for a in gap["answers"] if Decimal(str(a["fraction"])) == 1), None)
        if right is not None:
            _qti(_qti(declaration, "qti-correct-response"), "qti-value").text = str(right["value"])
        if any(a["value"] == "*" for a in gap["answers"]) or any(
            a.get("feedback") for a in gap["answers"]
        ):
            report.warn("spec", "lost", f"Gap {number}: any-number answers and feedback.")
        return
    if gap["type"] == "choice":
        entries = [(f"C{n}", c["fraction"]) for n, c in enumerate(gap["choices"], start=1)]
        if gap.get("display", "dropdown") != "dropdown":
            report.warn("spec", "changed", f"Gap {number}: an inline choice is a drop-down.")
        if gap.get("shuffle"):
            report.warn("spec", "lost", f"Gap {number}: the choices are not shuffled.")
    else:
        typed = [a for a in gap["answers"] if "*" not in a["text"]]
        if len(typed) < len(gap["answers"]) and any(
            Decimal(str(a["fraction"])) > 0 for a in gap["answers"] if a not in typed
        ):
            report.warn("spec", "lost", f"Gap {number}: answers with * are left out.")
        entries = [(a["text"], a["fraction"]) for a in typed]
    if any(a.get("feedback") for a in gap.get("answers", gap.get("choices", []))):
        report.warn("spec", "lost", f"Gap {number}: the answers' feedback is not written.")
    right = next((key for key, fraction in entries if Decimal(str(fraction)) == 1), None)
    if right is not None:
        _qti(_qti(declaration, "qti-correct-response"), "qti-value").text = right
    mapping = _qti(declaration, "qti-mapping", **{"default-value": "0", "lower-bound": "0"})
    for key, fraction in entries:
        entry = _qti(mapping, "qti-map-entry", **{"map-key": key})
        entry.set("mapped-value", common.number_text(str(fraction)))
        if gap["type"] == "short_answer":
            entry.set("case-sensitive", "true" if gap.get("case_sensitive") else "false")


def _paragraph_with_gaps(paragraph: ET.Element, text: str, gaps: list[dict[str, Any]]) -> None:
    last: ET.Element | None = None
    for piece in re.split(r"(\[\[\d+\]\])", text):
        match = re.fullmatch(r"\[\[(\d+)\]\]", piece)
        if match is None:
            if last is None:
                paragraph.text = (paragraph.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
            continue
        number = int(match.group(1))
        gap = gaps[number - 1]
        identifier = f"GAP_{number}"
        if gap["type"] == "choice":
            last = _qti(
                paragraph, "qti-inline-choice-interaction", **{"response-identifier": identifier}
            )
            last.set("shuffle", "false")
            for n, choice in enumerate(gap["choices"], start=1):
                _qti(last, "qti-inline-choice", identifier=f"C{n}").text = choice["text"]
        else:
            last = _qti(
                paragraph, "qti-text-entry-interaction", **{"response-identifier": identifier}
            )


def _float_outcome(item: ET.Element, name: str, default: str) -> None:
    outcome = _qti(item, "qti-outcome-declaration", identifier=name)
    outcome.attrib |= {"cardinality": "single", "base-type": "float"}
    _qti(_qti(outcome, "qti-default-value"), "qti-value").text = default


QTI30_GAP_INTERACTIONS = ("qti-text-entry-interaction", "qti-inline-choice-interaction")


def qti30_is_cloze(interactions: list[Node]) -> bool:
    """Text entries and inline choices in a text: several, an inline choice, or ours (GAP_1)."""
    if not interactions or any(i.tag not in QTI30_GAP_INTERACTIONS for i in interactions):
        return False
    first = interactions[0]
    return (
        len(interactions) > 1
        or first.tag == "qti-inline-choice-interaction"
        or first.get("response-identifier").startswith("GAP_")
    )


def qti30_cloze_read(node: Node, body: Node, data: dict, report: QuestionReport) -> None:
    """A cloze question from an item whose interactions are all text entries and inline
    choices: the text with [[n]] in their places, a gap per interaction."""
    data["kind"] = "cloze"
    declarations = {d.get("identifier"): d for d in node.elements("qti-response-declaration")}
    defaults = {
        o.get("identifier"): o.child_text("qti-default-value", "qti-value")
        for o in node.elements("qti-outcome-declaration")
    }
    interactions: list[Node] = []

    def words(element: Node) -> str:
        out = []
        for child in element.children:
            if isinstance(child, str):
                out.append(child)
            elif child.tag in QTI30_GAP_INTERACTIONS:
                interactions.append(child)
                out.append(f"[[{len(interactions)}]]")
            elif child.tag == "br":
                out.append("\n")
            elif not child.tag.startswith("qti-feedback"):
                out.append(words(child))
        return "".join(out)

    blocks = [c for c in body.elements() if c.tag in ("p", "div")]
    paragraphs = [words(block) for block in blocks] if blocks else [words(body)]
    data["text"] = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
    gaps = []
    for number, interaction in enumerate(interactions, start=1):
        identifier = interaction.get("response-identifier")
        declaration = declarations.get(identifier)
        gap = _gap_read(node, interaction, declaration, identifier, report, number)
        weight = defaults.get(f"WEIGHT_{identifier.removeprefix('GAP_')}")
        if weight and _number(weight) not in (None, 1):
            gap = {"weight": weight, **gap}
        gaps.append(gap)
    data["spec"] = {"gaps": gaps}


def _gap_read(
    node: Node,
    interaction: Node,
    declaration: Node | None,
    identifier: str,
    report: QuestionReport,
    number: int,
) -> dict[str, Any]:
    mapping = declaration.find("qti-mapping") if declaration is not None else None
    entries = mapping.elements("qti-map-entry") if mapping is not None else []
    correct = [v.text().strip() for v in declaration.iter("qti-value")] if declaration else []
    if interaction.tag == "qti-inline-choice-interaction":
        fractions = {e.get("map-key"): e.get("mapped-value", "0") for e in entries}
        choices = []
        for choice in interaction.elements("qti-inline-choice"):
            key = choice.get("identifier")
            fraction = fractions.get(key, "1" if key in correct else "0")
            choices.append({"text": choice.text().strip(), "fraction": fraction, "feedback": ""})
        return {"type": "choice", "display": "dropdown", "choices": choices}
    if declaration is not None and declaration.get("base-type") in ("float", "integer"):
        answers = []
        for branch in node.descendants():
            if branch.tag not in ("qti-response-if", "qti-response-else-if"):
                continue
            equal = branch.find("qti-equal")
            if equal is None or not any(
                v.get("identifier") == identifier for v in equal.elements("qti-variable")
            ):
                continue
            value = _number(equal.child_text("qti-base-value"))
            if value is None:
                continue
            widths = [_number(t) for t in equal.get("tolerance", "0").split()]
            width = max((w for w in widths if w is not None), default=Decimal(0))
            if equal.get("tolerance-mode", "exact") != "absolute":
                width = Decimal(0)
            fraction = "1"
            for score in branch.elements("qti-set-outcome-value"):
                if score.get("identifier", "").startswith("FRACTION_"):
                    fraction = score.child_text("qti-base-value") or "1"
            answers.append(
                {
                    "value": _text(value),
                    "tolerance": _text(width),
                    "fraction": fraction,
                    "feedback": "",
                }
            )
        if not answers:
            answers = [
                {"value": v, "tolerance": "0", "fraction": "1", "feedback": ""}
                for v in correct
                if _number(v) is not None
            ]
        return {"type": "numerical", "answers": answers}
    case = any(e.get("case-sensitive") == "true" for e in entries)
    answers = [
        {"text": e.get("map-key"), "fraction": e.get("mapped-value", "0"), "feedback": ""}
        for e in entries
    ] or [{"text": v, "fraction": "1", "feedback": ""} for v in correct]
    if not answers:
        report.error("spec", f"Gap {number} has no answer.")
    return {"type": "short_answer", "case_sensitive": case, "answers": answers}
