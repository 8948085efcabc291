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


# QTI 3.0 --------------------------------------------------------------------------------------
# A numerical question is a float `qti-text-entry-interaction`; each answer a branch of one
# `qti-response-condition`: `qti-equal tolerance-mode="absolute"` sets SCORE to MAXSCORE times
# the answer's fraction; the any-number answer is the `qti-response-else`.


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
    response = _qti(item, "qti-response-declaration", identifier="RESPONSE")
    response.attrib |= {"cardinality": "single", "base-type": "float"}
    right = next((a for a in numbers if Decimal(str(a["fraction"])) == 1), None)
    if right is not None:
        correct = _qti(response, "qti-correct-response")
        _qti(correct, "qti-value").text = str(right["value"])
    for name, default in (("SCORE", "0"), ("MAXSCORE", common.number_text(q["points"]))):
        outcome = _qti(item, "qti-outcome-declaration", identifier=name)
        outcome.attrib |= {"cardinality": "single", "base-type": "float"}
        _qti(_qti(outcome, "qti-default-value"), "qti-value").text = default
    if q["explanation"]:
        feedback = _qti(item, "qti-outcome-declaration", identifier="FEEDBACK")
        feedback.attrib |= {"cardinality": "multiple", "base-type": "identifier"}
    body = _qti(item, "qti-item-body")
    for paragraph in re.split(r"\n{2,}", q["text"]):
        _qti(body, "p").text = paragraph
    _qti(_qti(body, "p"), "qti-text-entry-interaction", **{"response-identifier": "RESPONSE"})
    if q["explanation"]:
        block = _qti(body, "qti-feedback-block", identifier="EXPLANATION")
        block.attrib |= {"outcome-identifier": "FEEDBACK", "show-hide": "show"}
        _qti(block, "p").text = q["explanation"]
    processing = _qti(item, "qti-response-processing")
    condition = _qti(processing, "qti-response-condition")
    for position, answer in enumerate(numbers):
        branch = _qti(condition, "qti-response-if" if position == 0 else "qti-response-else-if")
        tolerance = common.number_text(str(answer.get("tolerance") or 0))
        equal = _qti(branch, "qti-equal", **{"tolerance-mode": "absolute"})
        equal.set("tolerance", f"{tolerance} {tolerance}")
        _qti(equal, "qti-variable", identifier="RESPONSE")
        _qti(equal, "qti-base-value", **{"base-type": "float"}).text = str(answer["value"])
        _score(branch, answer["fraction"])
    catch_all = next((a for a in spec["answers"] if a["value"] == "*"), None)
    if catch_all is not None and Decimal(str(catch_all["fraction"])) > 0 and numbers:
        _score(_qti(condition, "qti-response-else"), catch_all["fraction"])
    if q["explanation"]:
        values = _qti(
            _qti(processing, "qti-set-outcome-value", identifier="FEEDBACK"), "qti-multiple"
        )
        _qti(values, "qti-base-value", **{"base-type": "identifier"}).text = "EXPLANATION"


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
    score = _qti(branch, "qti-set-outcome-value", identifier="SCORE")
    product = _qti(score, "qti-product")
    _qti(product, "qti-variable", identifier="MAXSCORE")
    _qti(product, "qti-base-value", **{"base-type": "float"}).text = common.number_text(
        str(fraction)
    )


def _qti(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, attrs)


# A cloze question in QTI 3.0: each gap an interaction inside the text, its response GAP_n
# (a `qti-text-entry-interaction` for a typed answer, a `qti-inline-choice-interaction` for one
# pick), its weight the default of the outcome WEIGHT_n, its fraction the outcome FRACTION_n
# (the response's `qti-mapping` for texts and choices, branches of `qti-equal` for numbers);
# SCORE = MAXSCORE * sum(WEIGHT_n * FRACTION_n) / sum(WEIGHT_n). Gaps of several picks have no
# inline interaction: such a question is not written.


def qti30_cloze_fits(q: dict[str, Any]) -> bool:
    return not any(gap.get("multiple") for gap in q["spec"]["gaps"])


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
    for paragraph in re.split(r"\n{2,}", q["text"]):
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
