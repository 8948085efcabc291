"""Numerical questions in QTI 3.0; qti30.py calls these.

A numerical question is a float `qti-text-entry-interaction`; each answer a branch of one
`qti-response-condition`: `qti-equal tolerance-mode="absolute"` sets SCORE to MAXSCORE times
the answer's fraction; the any-number answer is the `qti-response-else`.
"""

import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

from lti_quiz.api.formats import common
from lti_quiz.api.formats import qti30 as base
from lti_quiz.api.formats.markup import Node
from lti_quiz.api.formats.report import QuestionReport
from lti_quiz.quiz.kinds.numbers import decimal_or_none as _number
from lti_quiz.quiz.kinds.numbers import number_text as _text


def qti30_numerical(item: ET.Element, q: dict[str, Any], report: QuestionReport) -> None:
    """The declarations, body and processing of a numerical item (after its root element)."""
    spec = q["spec"]
    if spec.get("units"):
        report.warn("spec", "lost", "QTI 3 has no units here: only the numbers are written.")
    if any(a.get("feedback") for a in spec["answers"]):
        report.warn("spec", "lost", "The answers' own feedback is not written in QTI 3.")
    for field in ("correct_feedback", "partially_correct_feedback", "incorrect_feedback"):
        if q[field]:
            report.warn(field, "lost", "Not written for numerical questions in QTI 3.")
    numbers = [a for a in spec["answers"] if a["value"] != "*"]
    response = qti_sub(item, "qti-response-declaration", identifier="RESPONSE")
    response.attrib |= {"cardinality": "single", "base-type": "float"}
    right = next((a for a in numbers if Decimal(str(a["fraction"])) == 1), None)
    if right is not None:
        correct = qti_sub(response, "qti-correct-response")
        qti_sub(correct, "qti-value").text = str(right["value"])
    for name, default in (("SCORE", "0"), ("MAXSCORE", common.number_text(q["points"]))):
        outcome = qti_sub(item, "qti-outcome-declaration", identifier=name)
        outcome.attrib |= {"cardinality": "single", "base-type": "float"}
        qti_sub(qti_sub(outcome, "qti-default-value"), "qti-value").text = default
    if q["explanation"]:
        feedback = qti_sub(item, "qti-outcome-declaration", identifier="FEEDBACK")
        feedback.attrib |= {"cardinality": "multiple", "base-type": "identifier"}
    body = qti_sub(item, "qti-item-body")
    base._paragraphs(body, q["text"])
    qti_sub(qti_sub(body, "p"), "qti-text-entry-interaction", **{"response-identifier": "RESPONSE"})
    if q["explanation"]:
        block = qti_sub(body, "qti-feedback-block", identifier="EXPLANATION")
        block.attrib |= {"outcome-identifier": "FEEDBACK", "show-hide": "show"}
        base._paragraphs(block, q["explanation"])
    processing = qti_sub(item, "qti-response-processing")
    condition = qti_sub(processing, "qti-response-condition")
    for position, answer in enumerate(numbers):
        branch = qti_sub(condition, "qti-response-if" if position == 0 else "qti-response-else-if")
        tolerance = common.number_text(str(answer.get("tolerance") or 0))
        equal = qti_sub(branch, "qti-equal", **{"tolerance-mode": "absolute"})
        equal.set("tolerance", f"{tolerance} {tolerance}")
        qti_sub(equal, "qti-variable", identifier="RESPONSE")
        qti_sub(equal, "qti-base-value", **{"base-type": "float"}).text = str(answer["value"])
        _score(branch, answer["fraction"])
    catch_all = next((a for a in spec["answers"] if a["value"] == "*"), None)
    if catch_all is not None and Decimal(str(catch_all["fraction"])) > 0 and numbers:
        _score(qti_sub(condition, "qti-response-else"), catch_all["fraction"])
    if q["explanation"]:
        values = qti_sub(
            qti_sub(processing, "qti-set-outcome-value", identifier="FEEDBACK"), "qti-multiple"
        )
        qti_sub(values, "qti-base-value", **{"base-type": "identifier"}).text = "EXPLANATION"


def qti30_is_numerical(declaration: Node | None) -> bool:
    return declaration is not None and declaration.get("base-type") in ("float", "integer")


def qti30_numerical_read(node: Node, correct: set[str], data: dict, report: QuestionReport) -> None:
    data["kind"] = "numerical"
    points = Decimal(str(data.get("points", "1")))
    answers = []
    branches = [
        n for n in node.descendants() if n.tag in ("qti-response-if", "qti-response-else-if")
    ]
    for branch in branches:
        equal = branch.find("qti-equal")
        if equal is None:
            continue
        value = _number(equal.child_text("qti-base-value"))
        if value is None and equal.find("qti-correct") is not None and correct:
            value = _number(sorted(correct)[0])
        if value is None:
            continue
        mode = equal.get("tolerance-mode", "exact")
        bounds = [_number(t) for t in equal.get("tolerance", "0").split()]
        width = max((b for b in bounds if b is not None), default=Decimal(0))
        if mode == "relative":
            width = abs(value) * width / 100
            report.warn("spec", "changed", "A relative tolerance is written as an absolute one.")
        elif mode != "absolute":
            width = Decimal(0)
        answers.append(
            {
                "value": _text(value),
                "tolerance": _text(width),
                "fraction": _text(_branch_fraction(branch, points)),
                "feedback": "",
            }
        )
    if not answers:  # a plain match of the correct response
        answers = [
            {"value": v, "tolerance": "0", "fraction": "1", "feedback": ""}
            for v in sorted(correct)
            if _number(v) is not None
        ]
    data["spec"] = {"answers": answers}


def _branch_fraction(branch: Node, points: Decimal) -> Decimal:
    """The fraction of the points a branch gives: MAXSCORE times f, MAXSCORE, or a number."""
    for score in branch.elements("qti-set-outcome-value"):
        if score.get("identifier") != "SCORE":
            continue
        product = score.find("qti-product")
        if product is not None:
            return min(
                max(_number(product.child_text("qti-base-value")) or Decimal(1), Decimal(0)),
                Decimal(1),
            )
        if score.find("qti-variable") is not None:
            return Decimal(1)
        number = _number(score.child_text("qti-base-value"))
        if number is not None and points:
            return min(max(number / points, Decimal(0)), Decimal(1))
    return Decimal(1)


def _score(branch: ET.Element, fraction: Any) -> None:
    score = qti_sub(branch, "qti-set-outcome-value", identifier="SCORE")
    product = qti_sub(score, "qti-product")
    qti_sub(product, "qti-variable", identifier="MAXSCORE")
    qti_sub(product, "qti-base-value", **{"base-type": "float"}).text = common.number_text(
        str(fraction)
    )


def qti_sub(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, attrs)
