"""QTI 1.2 as Canvas writes it, for the kinds answered with drop-downs.

- matching is `matching_question`: one `response_lid` per prompt (its material is the prompt),
  each listing every option (answers and distractors) as `response_label`s; one
  `respcondition` per prompt adds its share of SCORE when its right label is chosen;
- select missing words is `multiple_dropdowns_question`: the text names each blank `[name]`,
  each blank is a `response_lid` "response_<name>" listing its own options, scored the same way.
  Our gaps are written as blanks `[gap1]`, `[gap2]`...; on import, blanks listing the same
  options become one group, so a text's `[[n]]` points at the blank's right option.

Canvas has no ordering question in QTI 1.2, no shuffle setting for these kinds, and no
unlimited choices: an export leaves ordering out and reports each of these.
"""

import re
import xml.etree.ElementTree as ET
from typing import Any

from lti_quiz.api.formats import common
from lti_quiz.api.formats import qti12 as base
from lti_quiz.api.formats.markup import Node, as_html
from lti_quiz.api.formats.qti12_material import material, material_text
from lti_quiz.api.formats.report import QuestionReport
from lti_quiz.quiz.kinds.select_missing_words import GAP_RE, gap_numbers

KINDS_IN = {
    "matching_question": "matching",
    "multiple_dropdowns_question": "select_missing_words",
}
ORDERING_LOST = "Canvas's QTI 1.2 has no ordering questions: left out (Moodle XML keeps them)."
_BLANK_RE = re.compile(r"\[([^\[\]\s]+)\]")


# Export ---------------------------------------------------------------------------------------


def writes(q: dict[str, Any]) -> bool:
    return q["kind"] in ("matching", "ordering", "select_missing_words")


def write(parent: ET.Element, index: int, q: dict[str, Any], report: QuestionReport) -> None:
    if q["kind"] == "ordering":
        report.action = "skipped"
        report.warn("question", "lost", ORDERING_LOST)
        return
    spec = q["spec"]
    if not spec.get("shuffle", True):
        report.warn("spec", "lost", "Canvas has no setting for the order of options.")
    if q["tags"]:
        report.warn("tags", "lost", "Canvas question banks have no tags.")
    if q["kind"] == "matching":
        qtype, text, blanks = "matching_question", q["text"], _matching_blanks(spec)
    else:
        qtype, text, blanks = "multiple_dropdowns_question", *_gap_blanks(q, report)
    ids = iter(range(index * 1000 + 1, index * 1000 + 1000))
    item = ET.SubElement(parent, "item", ident=q["key"], title=q["key"])
    meta = {"question_type": qtype, "points_possible": common.number_text(q["points"])}
    base._metadata(ET.SubElement(ET.SubElement(item, "itemmetadata"), "qtimetadata"), meta)
    presentation = ET.SubElement(item, "presentation")
    base._mattext(presentation, f"<div>{as_html(text)}</div>", "text/html")
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
        base._feedback_condition(processing, None, "general_fb")
    share = f"{100 / len(blanks):.2f}"
    for name, label, options, right in blanks:
        response = ET.SubElement(presentation, "response_lid", ident=f"response_{name}")
        base._mattext(response, label, "text/plain")
        render = ET.SubElement(response, "render_choice")
        right_id = ""
        for option in options:
            option_id = str(next(ids))
            right_id = option_id if option == right else right_id
            base._mattext(
                ET.SubElement(render, "response_label", ident=option_id), option, "text/plain"
            )
        condition = ET.SubElement(processing, "respcondition")
        ET.SubElement(
            ET.SubElement(condition, "conditionvar"), "varequal", respident=f"response_{name}"
        ).text = right_id
        ET.SubElement(condition, "setvar", varname="SCORE", action="Add").text = share
    for ident, field in base._OUTCOME.items():
        if q[field]:
            base._feedback_condition(processing, None, ident)
    if q["partially_correct_feedback"]:
        report.warn(
            "partially_correct_feedback",
            "lost",
            "Canvas has no feedback for a partly right answer.",
        )
    if q["explanation"]:
        base._itemfeedback(item, "general_fb", q["explanation"])
    for ident, field in base._OUTCOME.items():
        if q[field]:
            base._itemfeedback(item, ident, q[field])


def _matching_blanks(spec: dict[str, Any]) -> list[tuple[str, str, list[str], str]]:
    """(name, prompt, options, right option) per prompt; every prompt lists every option."""
    options: list[str] = []
    for text in [p["answer"] for p in spec["pairs"]] + list(spec.get("distractors", [])):
        if text not in options:
            options.append(text)
    return [
        (str(number), pair["prompt"], options, pair["answer"])
        for number, pair in enumerate(spec["pairs"], start=1)
    ]


def _gap_blanks(
    q: dict[str, Any], report: QuestionReport
) -> tuple[str, list[tuple[str, str, list[str], str]]]:
    """The text with Canvas blanks, and (name, name, options, right option) per gap."""
    choices = q["spec"]["choices"]
    blanks = []
    for number, choice_number in enumerate(gap_numbers(q["text"]), start=1):
        right = choices[choice_number - 1]
        group = right.get("group", 1)
        options = [c["text"] for c in choices if c.get("group", 1) == group]
        blanks.append((f"gap{number}", f"gap{number}", options, right["text"]))
    count = iter(range(1, len(blanks) + 1))
    text = GAP_RE.sub(lambda _: f"[gap{next(count)}]", q["text"])
    if _gaps_read(text, [(name, options, right) for name, _, options, right in blanks]) != (
        q["text"],
        [{k: c.get(k, d) for k, d in (("text", ""), ("group", 1))} for c in choices],
    ):
        report.warn(
            "spec",
            "changed",
            "Canvas lists each blank's options: choices no gap uses, or groups in another "
            "order, come back regrouped by blank.",
        )
    if any(c.get("unlimited") for c in choices) or q["spec"].get("source") == "ddwtos":
        report.warn(
            "spec",
            "lost",
            "Canvas's drop-downs are not drag and drop: unlimited choices and the Moodle "
            "type (ddwtos) are not kept.",
        )
    return text, blanks


# Import ---------------------------------------------------------------------------------------


def read(presentation: Node, conditions: list[Node], data: dict, report: QuestionReport) -> None:
    blanks = []
    for lid in presentation.iter("response_lid"):
        labels = {
            label.get("ident"): material(label, report, "spec")
            for label in lid.iter("response_label")
        }
        right = labels.get(_right_ident(conditions, lid.get("ident")), "")
        name = lid.get("ident").removeprefix("response_")
        found = lid.find("material")
        prompt = material_text(found, report, "spec") if found is not None else name
        blanks.append((name, prompt, list(labels.values()), right))
    if data["kind"] == "matching":
        answers = {right for *_, right in blanks}
        distractors: list[str] = []
        for _, _, options, _ in blanks:
            distractors += [o for o in options if o not in answers and o not in distractors]
        data["spec"] = {
            "pairs": [{"prompt": prompt, "answer": right} for _, prompt, _, right in blanks],
            "distractors": distractors,
            "shuffle": True,
        }
        return
    text, choices = _gaps_read(
        data.get("text", ""), [(name, options, right) for name, _, options, right in blanks]
    )
    data["text"] = text
    data["spec"] = {
        "choices": [{**choice, "unlimited": False} for choice in choices],
        "shuffle": True,
        "source": "gapselect",
    }


def _right_ident(conditions: list[Node], respident: str) -> str:
    for condition in conditions:
        if not any(base._positive(s) for s in condition.elements("setvar")):
            continue
        variable = condition.find("conditionvar")
        for value in base._varequals(variable) if variable is not None else []:
            if value.get("respident") == respident:
                return value.text().strip()
    return ""


def _gaps_read(
    text: str, blanks: list[tuple[str, list[str], str]]
) -> tuple[str, list[dict[str, Any]]]:
    """Our text (`[[n]]`) and choices from Canvas's text (`[name]`) and blanks: blanks listing
    the same options share a group."""
    choices: list[dict[str, Any]] = []
    groups: list[list[str]] = []
    right_of: dict[str, int] = {}
    for name, options, right in blanks:
        if options not in groups:
            groups.append(options)
            choices += [{"text": option, "group": len(groups)} for option in options]
        group = groups.index(options) + 1
        right_of[name] = next(
            (n for n, c in enumerate(choices, 1) if c["group"] == group and c["text"] == right), 0
        )

    def gap(match: re.Match) -> str:
        name = match.group(1)
        return f"[[{right_of[name]}]]" if right_of.get(name) else match.group(0)

    return _BLANK_RE.sub(gap, text), choices
