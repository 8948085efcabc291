"""Moodle's embedded answers (Cloze) syntax, read and written: `{1:SHORTANSWER:=Berlin#Yes~*#No}`.

As Moodle's qtype_multianswer reads a question text: `{weight:TYPE:alternatives}`, the weight
optional (1); alternatives separated by `~`, each `=` (full credit) or `%fraction%` (in
percent) or nothing (0), then the answer, then `#feedback`. A numerical answer is
`value:tolerance`. `\\}`, `\\#`, `\\~`, `\\/` and `\\"` are the characters themselves.

Our cloze spec (quiz/kinds/cloze.py) keeps the text with `[[n]]` in place of each gap.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

# Moodle's type names (long and short) and the gap each makes here.
_TYPES: dict[str, dict[str, Any]] = {}
for _names, _gap in (
    ("SHORTANSWER SA MW", {"type": "short_answer", "case_sensitive": False}),
    ("SHORTANSWER_C SAC MWC", {"type": "short_answer", "case_sensitive": True}),
    ("NUMERICAL NM", {"type": "numerical"}),
    ("MULTICHOICE MC", {"type": "choice", "display": "dropdown"}),
    ("MULTICHOICE_V MCV", {"type": "choice", "display": "vertical"}),
    ("MULTICHOICE_H MCH", {"type": "choice", "display": "horizontal"}),
    ("MULTICHOICE_S MCS", {"type": "choice", "display": "dropdown", "shuffle": True}),
    ("MULTICHOICE_VS MCVS", {"type": "choice", "display": "vertical", "shuffle": True}),
    ("MULTICHOICE_HS MCHS", {"type": "choice", "display": "horizontal", "shuffle": True}),
    ("MULTIRESPONSE MR", {"type": "choice", "display": "vertical", "multiple": True}),
    ("MULTIRESPONSE_H MRH", {"type": "choice", "display": "horizontal", "multiple": True}),
    (
        "MULTIRESPONSE_S MRS",
        {"type": "choice", "display": "vertical", "multiple": True, "shuffle": True},
    ),
    (
        "MULTIRESPONSE_HS MRHS",
        {"type": "choice", "display": "horizontal", "multiple": True, "shuffle": True},
    ),
):
    for _name in _names.split():
        _TYPES[_name] = _gap

# A gap: `{`, an optional weight, `:TYPE:`, then up to the first `}` not escaped.
_GAP = re.compile(r"\{(\d*(?:\.\d+)?):([A-Z_]+):((?:\\.|[^\\}])*)\}")
_ESCAPES = {"\\}": "}", "\\#": "#", "\\~": "~", "\\/": "/", '\\"': '"', "\\\\": "\\"}


def multianswer_parse(text: str) -> tuple[str, list[dict[str, Any]], list[str]]:
    """(the text with `[[n]]` for each gap, the gaps as our spec has them, problems in words).

    A `{...}` that is not a gap Moodle reads stays text.
    """
    gaps: list[dict[str, Any]] = []
    problems: list[str] = []
    out = []
    at = 0
    for match in _GAP.finditer(text):
        weight, type_name, body = match.groups()
        if type_name not in _TYPES:
            continue
        gap = _gap_read(type_name, body, len(gaps) + 1, problems)
        if weight and Decimal(weight) != 1:
            gap = {"weight": _number_text(Decimal(weight)), **gap}
        gaps.append(gap)
        out.append(text[at : match.start()] + f"[[{len(gaps)}]]")
        at = match.end()
    out.append(text[at:])
    return "".join(out), gaps, problems


def multianswer_write(text: str, gaps: list[dict[str, Any]]) -> str:
    """The text with each `[[n]]` written as Moodle's `{weight:TYPE:...}`."""

    def gap_text(match: re.Match) -> str:
        number = int(match.group(1))
        if not 1 <= number <= len(gaps):
            return match.group()
        return _gap_write(gaps[number - 1])

    return re.sub(r"\[\[(\d+)\]\]", gap_text, text)


def _gap_read(type_name: str, body: str, number: int, problems: list[str]) -> dict[str, Any]:
    gap: dict[str, Any] = dict(_TYPES[type_name])
    kind = gap["type"]
    alternatives = []
    for raw in _split(body, "~"):
        fraction_text, rest = _fraction_split(raw)
        answer_raw, _, feedback_raw = _partition(rest, "#")
        fraction = _fraction(fraction_text, number, problems)
        answer = _unescape(answer_raw).strip()
        feedback = _unescape(feedback_raw).strip()
        alternatives.append((answer, fraction, feedback))
    if kind == "numerical":
        gap["answers"] = []
        for answer, fraction, feedback in alternatives:
            value, _, tolerance = answer.partition(":")
            gap["answers"].append(
                {
                    "value": value.strip(),
                    "tolerance": tolerance.strip() or "0",
                    "fraction": fraction,
                    "feedback": feedback,
                }
            )
    elif kind == "short_answer":
        gap["answers"] = [
            {"text": answer, "fraction": fraction, "feedback": feedback}
            for answer, fraction, feedback in alternatives
        ]
    else:
        gap["choices"] = [
            {"text": answer, "fraction": fraction, "feedback": feedback}
            for answer, fraction, feedback in alternatives
        ]
    return gap


def _gap_write(gap: dict[str, Any]) -> str:
    weight = Decimal(str(gap.get("weight", "1")))
    prefix = _number_text(weight)
    if gap["type"] == "short_answer":
        type_name = "SHORTANSWER_C" if gap.get("case_sensitive") else "SHORTANSWER"
        items = [(a["text"], a["fraction"], a.get("feedback", "")) for a in gap["answers"]]
    elif gap["type"] == "numerical":
        type_name = "NUMERICAL"
        items = [
            (
                str(a["value"])
                + (f":{a['tolerance']}" if Decimal(str(a.get("tolerance") or 0)) else ""),
                a["fraction"],
                a.get("feedback", ""),
            )
            for a in gap["answers"]
        ]
    else:
        base = "MULTIRESPONSE" if gap.get("multiple") else "MULTICHOICE"
        layout = {"dropdown": "", "vertical": "V", "horizontal": "H"}[
            gap.get("display", "dropdown")
        ]
        if gap.get("multiple"):
            layout = layout.replace("V", "")  # MULTIRESPONSE is vertical
        suffix = layout + ("S" if gap.get("shuffle") else "")
        type_name = f"{base}_{suffix}" if suffix else base
        items = [(c["text"], c["fraction"], c.get("feedback", "")) for c in gap["choices"]]
    written = "~".join(
        _fraction_write(Decimal(str(fraction)))
        + _escape(answer)
        + (f"#{_escape(feedback)}" if feedback else "")
        for answer, fraction, feedback in items
    )
    return f"{{{prefix}:{type_name}:{written}}}"


def _fraction_write(fraction: Decimal) -> str:
    if fraction == 1:
        return "="
    if fraction == 0:
        return ""
    return f"%{_number_text(fraction * 100)}%"


def _fraction_split(raw: str) -> tuple[str, str]:
    if raw.startswith("="):
        return "=", raw[1:]
    match = re.match(r"%(-?\d+(?:[.,]\d*)?)%", raw)
    if match:
        return match.group(1), raw[match.end() :]
    return "", raw


def _fraction(text: str, number: int, problems: list[str]) -> str:
    if text == "=":
        return "1"
    if not text:
        return "0"
    try:
        percent = Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits numbers only
        percent = Decimal(0)
    if not -100 <= percent <= 100:
        problems.append(f"Gap {number}: the fraction {text}% is out of range; read as 0.")
        return "0"
    return _number_text(percent / 100)


def _split(body: str, separator: str) -> list[str]:
    """`body` cut at each `separator` that no backslash escapes."""
    parts, current, escaped = [], [], False
    for char in body:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current) + ("\\" if escaped else ""))
    return parts


def _partition(raw: str, separator: str) -> tuple[str, str, str]:
    pieces = _split(raw, separator)
    if len(pieces) == 1:
        return raw, "", ""
    return pieces[0], separator, separator.join(pieces[1:])


def _unescape(text: str) -> str:
    return re.sub(r"\\[}#~/\"\\]", lambda m: _ESCAPES[m.group()], text)


def _escape(text: str) -> str:
    text = str(text).replace("\\", "\\\\")
    for char in "}#~":
        text = text.replace(char, "\\" + char)
    return text


def _number_text(value: Decimal) -> str:
    return f"{value.normalize():f}"
