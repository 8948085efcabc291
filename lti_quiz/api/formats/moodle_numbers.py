"""Moodle XML for numerical questions (`numerical`) and cloze (`multianswer`), as Moodle's
qformat_xml writes and reads them; moodle_xml.py calls these for the two kinds.

Numerical: `<answer fraction="100"><text>9.81</text><tolerance>0.05</tolerance>`, `<units>` of
`<unit><multiplier>` and `<unit_name>`, `<unitgradingtype>` (0 units optional, 1 penalty of
the response's grade, 2 of the question's), `<unitpenalty>` (0 to 1), `<showunits>` (0 a
text field, 1 radio buttons, 2 a drop-down, 3 no units), `<unitsleft>`. Cloze: the question
text holds Moodle's embedded answers (api/formats/multianswer.py).
"""

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.sax.saxutils import escape

from lti_quiz.api.formats.markup import Node
from lti_quiz.api.formats.multianswer import multianswer_parse, multianswer_write
from lti_quiz.api.formats.report import QuestionReport

_UNITS_NONE = "3"


def numerical_lines(
    q: dict[str, Any],
    report: QuestionReport,
    *,
    text: Callable[[str], str],
    html: Callable[[str], str],
) -> list[str]:
    """The `<answer>`s and unit elements of a numerical question; `text(value)` writes a
    `<text>` element, `html(value)` one of HTML from plain text."""
    spec = q["spec"]
    lines = []
    for answer in spec["answers"]:
        lines += [
            f'    <answer fraction="{_percent(answer["fraction"])}" format="moodle_auto_format">',
            f"      {text(str(answer['value']))}",
            f'      <feedback format="html">{html(answer.get("feedback", ""))}</feedback>',
            f"      <tolerance>{answer.get('tolerance') or 0}</tolerance>",
            "    </answer>",
        ]
    handling = spec.get("unit_handling", "none")
    if spec.get("units"):
        lines.append("    <units>")
        for unit in spec["units"]:
            lines += [
                "      <unit>",
                f"        <multiplier>{unit.get('multiplier', '1')}</multiplier>",
                f"        <unit_name>{escape(unit['unit'])}</unit_name>",
                "      </unit>",
            ]
        lines.append("    </units>")
    grading = {"required": "2" if spec.get("unit_grading") != "response" else "1"}.get(
        handling, "0"
    )
    lines += [
        f"    <unitgradingtype>{grading}</unitgradingtype>",
        f"    <unitpenalty>{Decimal(str(spec.get('unit_penalty', '0'))):.7f}</unitpenalty>",
        f"    <showunits>{_UNITS_NONE if handling == 'none' else '0'}</showunits>",
        f"    <unitsleft>{1 if spec.get('units_left') else 0}</unitsleft>",
    ]
    return lines


def cloze_text(q: dict[str, Any]) -> str:
    """The question text with Moodle's embedded answers in place of `[[n]]`."""
    return multianswer_write(q["text"], q["spec"]["gaps"])


def numerical_read(
    node: Node, data: dict, report: QuestionReport, *, read_text: Callable[..., str]
) -> None:
    data["kind"] = "numerical"
    answers = []
    for answer in node.elements("answer"):
        value = answer.child_text("text")
        answers.append(
            {
                "value": value,
                "tolerance": answer.child_text("tolerance") or "0",
                "fraction": _fraction(answer.get("fraction", "0"), report),
                "feedback": read_text(answer.find("feedback"), report, "spec"),
            }
        )
    listed = node.find("units")
    units = [
        {"unit": unit.child_text("unit_name"), "multiplier": unit.child_text("multiplier") or "1"}
        for unit in (listed.elements("unit") if listed is not None else [])
    ]
    grading = node.child_text("unitgradingtype", default="0")
    show = node.child_text("showunits", default=_UNITS_NONE)
    spec: dict[str, Any] = {"answers": answers}
    if units:
        spec["units"] = units
        if show == _UNITS_NONE:
            spec["unit_handling"] = "none"
        elif grading in ("1", "2"):
            spec["unit_handling"] = "required"
            spec["unit_penalty"] = _number(node.child_text("unitpenalty") or "0")
            spec["unit_grading"] = "response" if grading == "1" else "question"
        else:
            spec["unit_handling"] = "optional"
        if show in ("1", "2") and spec["unit_handling"] != "none":
            report.warn("spec", "changed", "Moodle offered the units to pick; here they are typed.")
    if node.child_text("unitsleft") == "1":
        spec["units_left"] = True
    if node.child_text("instructions", "text"):
        report.warn("spec", "lost", "Moodle's unit instructions have no equivalent here.")
    data["spec"] = spec


def multianswer_read(node: Node, data: dict, report: QuestionReport, *, text: str) -> None:
    """A cloze question from the question text (read to plain text by the caller)."""
    data["kind"] = "cloze"
    data["text"], gaps, problems = multianswer_parse(text)
    for problem in problems:
        report.warn("spec", "changed", problem)
    data["spec"] = {"gaps": gaps}


def _percent(fraction: Any) -> str:
    return _number(str(Decimal(str(fraction)) * 100))


def _fraction(percent: str, report: QuestionReport) -> str:
    try:
        return _number(str(Decimal(percent.strip() or "0") / 100))
    except InvalidOperation:
        report.error("spec", f"fraction {percent[:20]!r} is not a number.")
        return "0"


def _number(text: str) -> str:
    try:
        return f"{Decimal(text).normalize():f}"
    except InvalidOperation:
        return text


# GIFT -----------------------------------------------------------------------------------------


def gift_numerical_lines(
    q: dict[str, Any], report: QuestionReport, *, part: Callable[[str], str]
) -> list[str]:
    """The answers of `{#...}` as Moodle writes them: `=%100%9.81:0.05#feedback`, and `~#...`
    for the any-number answer; `part(text)` escapes a feedback."""
    spec = q["spec"]
    if spec.get("units"):
        report.warn("spec", "lost", "GIFT has no units: only the numbers are written.")
    lines = []
    for answer in spec["answers"]:
        feedback = f"#{part(answer.get('feedback', ''))}" if answer.get("feedback") else ""
        if answer["value"] == "*":
            lines.append(f"\t~{feedback or '#'}")
            continue
        percent = _percent(answer["fraction"])
        lines.append(f"\t=%{percent}%{answer['value']}:{answer.get('tolerance') or 0}{feedback}")
    return lines


def gift_numerical_read(
    answers: str, data: dict, report: QuestionReport, *, text: Callable[[str, str], str]
) -> None:
    """`{#3.14:0.01}`, `{#1.5..2.5}` or `{#=3.14:0.01#fb =%50%3:0.5 ~#wrong}` as Moodle's
    qformat_gift reads it: `text(raw, field)` is the plain text of a part."""
    data["kind"] = "numerical"
    body = answers.removeprefix("#")
    body, tilde, wrong = body.partition("~")
    parsed = []
    for raw in [a.strip() for a in body.split("=")]:
        if not raw:
            continue
        fraction = "1"
        weight = re.match(r"^%(-?\d+(?:\.\d*)?)%", raw)
        if weight:
            fraction, raw = _number(str(Decimal(weight.group(1)) / 100)), raw[weight.end() :]
        value_raw, _, feedback = raw.partition("#")
        value, tolerance = _gift_range(value_raw.strip())
        if value is None:
            report.error("spec", f"{value_raw.strip()[:30]!r} is not a number.")
            continue
        parsed.append(
            {
                "value": value,
                "tolerance": tolerance,
                "fraction": fraction,
                "feedback": text(feedback, "spec"),
            }
        )
    if tilde:
        feedback = wrong.strip().removeprefix("#")
        parsed.append(
            {"value": "*", "tolerance": "0", "fraction": "0", "feedback": text(feedback, "spec")}
        )
    data["spec"] = {"answers": parsed}


def _gift_range(raw: str) -> tuple[str | None, str]:
    """(value, tolerance) of `3.14:0.01`, `1.5..2.5` (the middle ± half the width) or `3`."""
    try:
        if ".." in raw:
            low, high = (Decimal(x) for x in raw.split("..", 1))
            return _number(str((low + high) / 2)), _number(str(abs(high - low) / 2))
        value, _, tolerance = raw.partition(":")
        return _number(str(Decimal(value))), _number(str(Decimal(tolerance or "0")))
    except InvalidOperation:
        return None, "0"
