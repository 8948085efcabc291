"""Numerical and cloze questions in QTI 1.2 as Canvas writes them; qti12.py calls these.

Numerical is Canvas's `numerical_question`: a `render_fib fibtype="Decimal"`, one
`respcondition` per accepted answer setting SCORE to 100: `varequal` (an exact answer), or
`varequal` or `vargte`/`varlte` (an answer with a margin), or `vargte`/`varlte` alone (a
range). Canvas answers are all full credit and have no units.

Cloze fits Canvas's `fill_in_multiple_blanks_question` when every gap is a short answer: the
text names each blank `[blank1]`, a `response_lid` per blank lists the accepted answers, and
each blank adds an equal share of the score.
"""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation
from typing import Any

from lti_quiz.api.formats import common
from lti_quiz.api.formats.markup import Node
from lti_quiz.api.formats.report import QuestionReport

NUMERICAL = "numerical_question"
BLANKS = "fill_in_multiple_blanks_question"
_RESPONSE = "response1"


def cloze_fits(q: dict[str, Any]) -> bool:
    return all(gap["type"] == "short_answer" for gap in q["spec"]["gaps"])


def numerical_presentation(presentation: ET.Element) -> None:
    response = ET.SubElement(presentation, "response_str", ident=_RESPONSE, rcardinality="Single")
    ET.SubElement(
        ET.SubElement(response, "render_fib", fibtype="Decimal"),
        "response_label",
        ident="answer1",
        rshuffle="No",
    )


def numerical_conditions(processing: ET.Element, q: dict[str, Any], report: QuestionReport) -> None:
    spec = q["spec"]
    if spec.get("units"):
        report.warn("spec", "lost", "Canvas has no units: only the numbers are written.")
    if any(a.get("feedback") for a in spec["answers"]):
        report.warn("spec", "lost", "Canvas numerical answers have no feedback of their own.")
    for answer in spec["answers"]:
        if answer["value"] == "*" or Decimal(str(answer["fraction"])) != 1:
            if Decimal(str(answer["fraction"])) > 0:
                report.warn(
                    "spec",
                    "lost",
                    f"Canvas gives full credit or none: the answer {answer['value']} "
                    f"({common.number_text(str(answer['fraction']))}) is left out.",
                )
            continue
        condition = ET.SubElement(processing, "respcondition", {"continue": "No"})
        variable = ET.SubElement(condition, "conditionvar")
        value = Decimal(str(answer["value"]))
        tolerance = Decimal(str(answer.get("tolerance") or 0))
        if tolerance:
            either = ET.SubElement(variable, "or")
            ET.SubElement(either, "varequal", respident=_RESPONSE).text = _text(value)
            both = ET.SubElement(either, "and")
            ET.SubElement(both, "vargte", respident=_RESPONSE).text = _text(value - tolerance)
            ET.SubElement(both, "varlte", respident=_RESPONSE).text = _text(value + tolerance)
        else:
            ET.SubElement(variable, "varequal", respident=_RESPONSE).text = _text(value)
        ET.SubElement(condition, "setvar", action="Set", varname="SCORE").text = "100"


def numerical_read(node: Node, data: dict, report: QuestionReport) -> None:
    data["kind"] = "numerical"
    answers = []
    for condition in node.iter("respcondition"):
        setvar = condition.find("setvar")
        variable = condition.find("conditionvar")
        if setvar is None or variable is None or _number(setvar.text()) in (None, 0):
            continue
        fraction = min(_number(setvar.text()) or Decimal(0), Decimal(100)) / 100
        exact = next(variable.iter("varequal"), None)
        low = next(variable.iter("vargte"), None) or next(variable.iter("vargt"), None)
        high = next(variable.iter("varlte"), None) or next(variable.iter("varlt"), None)
        value = _number(exact.text()) if exact is not None else None
        bounds = [_number(x.text()) if x is not None else None for x in (low, high)]
        if value is None and None not in bounds:
            low_value, high_value = bounds[0] or Decimal(0), bounds[1] or Decimal(0)
            value, tolerance = (low_value + high_value) / 2, abs(high_value - low_value) / 2
        elif value is not None and None not in bounds:
            tolerance = max(value - (bounds[0] or value), (bounds[1] or value) - value)
        elif value is not None:
            tolerance = Decimal(0)
        else:
            report.error("spec", "An answer condition has no number Canvas could score.")
            continue
        answers.append(
            {
                "value": _text(value),
                "tolerance": _text(tolerance),
                "fraction": _text(fraction),
                "feedback": "",
            }
        )
    data["spec"] = {"answers": answers}


def blanks_presentation(presentation: ET.Element, q: dict[str, Any], index: int) -> list[str]:
    """The `response_lid`s of a fill-in-multiple-blanks item; the answer idents by blank."""
    ids = []
    for number, gap in enumerate(q["spec"]["gaps"], start=1):
        response = ET.SubElement(presentation, "response_lid", ident=f"response_blank{number}")
        _mattext(response, f"blank{number}")
        render = ET.SubElement(response, "render_choice")
        for ident, answer in zip(_blank_ids(index, number, gap), _full_credit(gap), strict=True):
            _mattext(ET.SubElement(render, "response_label", ident=ident), answer["text"])
            ids.append(ident)
    return ids


def blanks_text(q: dict[str, Any]) -> str:
    return re.sub(r"\[\[(\d+)\]\]", r"[blank\1]", q["text"])


def blanks_conditions(
    processing: ET.Element, q: dict[str, Any], report: QuestionReport, *, index: int
) -> None:
    gaps = q["spec"]["gaps"]
    share = common.number_text(str((Decimal(100) / len(gaps)).quantize(Decimal("0.01"))))
    if len({str(gap.get("weight", "1")) for gap in gaps}) > 1:
        report.warn("spec", "lost", "Canvas gives every blank the same share: weights are lost.")
    for number, gap in enumerate(gaps, start=1):
        left_out = [a for a in gap["answers"] if a not in _full_credit(gap)]
        if any(Decimal(str(a["fraction"])) > 0 or a["text"] != "*" for a in left_out):
            report.warn(
                "spec", "lost", f"Gap {number}: Canvas takes exact answers for full credit only."
            )
        if any(a.get("feedback") for a in gap["answers"]) or gap.get("case_sensitive"):
            report.warn("spec", "lost", f"Gap {number}: feedback and case are not kept.")
        condition = ET.SubElement(processing, "respcondition")
        variable = ET.SubElement(condition, "conditionvar")
        blank = f"response_blank{number}"
        # Canvas scores a blank by the accepted answer the typed text equals (any of them).
        labels = _blank_ids(index, number, gap)
        either = ET.SubElement(variable, "or") if len(labels) > 1 else variable
        for label in labels:
            ET.SubElement(either, "varequal", respident=blank).text = label
        ET.SubElement(condition, "setvar", action="Add", varname="SCORE").text = share


def blanks_read(node: Node, presentation: Node, data: dict, report: QuestionReport) -> None:
    data["kind"] = "cloze"
    gaps: list[dict[str, Any]] = []
    names = {}
    for response in presentation.iter("response_lid"):
        name = response.child_text("material", "mattext")
        names[name] = len(gaps) + 1
        answers = [
            {"text": label.child_text("material", "mattext"), "fraction": "1", "feedback": ""}
            for label in response.iter("response_label")
        ]
        gaps.append({"type": "short_answer", "answers": answers})

    def gap_for(match: re.Match) -> str:
        number = names.get(match.group(1))
        return f"[[{number}]]" if number else match.group()

    data["text"] = re.sub(r"\[([^\[\]]+)\]", gap_for, data.get("text", ""))
    data["spec"] = {"gaps": gaps}
    report.warn("spec", "note", "Canvas's blanks share the score equally: each gap weighs 1.")


def _blank_ids(index: int, number: int, gap: dict[str, Any]) -> list[str]:
    count = len(_full_credit(gap))
    return [str(index * 1000 + number * 100 + position) for position in range(1, count + 1)]


def _full_credit(gap: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in gap["answers"] if Decimal(str(a["fraction"])) == 1 and "*" not in a["text"]]


def _mattext(parent: ET.Element, text: str) -> None:
    material = ET.SubElement(parent, "material")
    ET.SubElement(material, "mattext", texttype="text/plain").text = text


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


def _text(value: Decimal) -> str:
    return f"{value.normalize():f}"
