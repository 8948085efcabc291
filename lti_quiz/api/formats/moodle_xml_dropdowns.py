"""Moodle XML for the kinds answered with drop-downs, as Moodle's qformat_xml and the qtypes'
own export_to_xml write them:

- matching is `matching`: `<shuffleanswers>`, then one `<subquestion>` per prompt holding its
  `<answer><text>`; a distractor is a subquestion with empty text;
- ordering is `ordering` (qtype_ordering): the items as `<answer>` in their right order
  (fraction 1, 2, 3...), `<gradingtype>` by name, `<layouttype>`, `<selecttype>`
  (ALL: every item is asked), `<selectcount>`, `<showgrading>`, `<numberingstyle>`;
- select missing words is `gapselect` (`<selectoption>` with `<group>`) or `ddwtos`
  (`<dragbox>` with `<group>` and `<infinite/>`), as spec.source says; the text keeps `[[n]]`.

All four carry Moodle's combined feedback (right, partly right, wrong). The shared parts of a
question (name, text, points...) are moodle_xml's.
"""

from typing import Any

from lti_quiz.api.formats import moodle_xml as base
from lti_quiz.api.formats.markup import Node, as_html
from lti_quiz.api.formats.report import QuestionReport

QTYPES = ("matching", "ordering", "gapselect", "ddwtos")
READS = (*QTYPES, "match")  # Moodle reads its matching questions under either name
# Moodle's grading types (names, and the numbers older files use) → our scoring.
_GRADING_IN = {
    "ALL_OR_NOTHING": "all_or_nothing",
    "-1": "all_or_nothing",
    "ABSOLUTE_POSITION": "positions",
    "0": "positions",
    "RELATIVE_NEXT_EXCLUDE_LAST": "adjacent_pairs",
    "1": "adjacent_pairs",
}
_GRADING_OUT = {
    "all_or_nothing": "ALL_OR_NOTHING",
    "positions": "ABSOLUTE_POSITION",
    "adjacent_pairs": "RELATIVE_NEXT_EXCLUDE_LAST",
}


def moodle_type(q: dict[str, Any]) -> str | None:
    """The Moodle qtype a question of ours is written as (None: not one of these kinds)."""
    if q["kind"] == "select_missing_words":
        return "ddwtos" if q["spec"].get("source") == "ddwtos" else "gapselect"
    return q["kind"] if q["kind"] in ("matching", "ordering") else None


# Export ---------------------------------------------------------------------------------------


def write(q: dict[str, Any], moodle: str, report: QuestionReport) -> list[str]:
    """The lines after the common ones: settings, combined feedback, then the parts."""
    spec = q["spec"]
    lines: list[str] = []
    if moodle == "ordering":
        lines += [
            "    <layouttype>VERTICAL</layouttype>",
            "    <selecttype>ALL</selecttype>",
            "    <selectcount>0</selectcount>",
            f"    <gradingtype>{_GRADING_OUT[spec.get('scoring', 'positions')]}</gradingtype>",
            "    <showgrading>SHOW</showgrading>",
            "    <numberingstyle>none</numberingstyle>",
        ]
    else:
        shuffle = spec.get("shuffle", True)
        if moodle == "matching":
            lines.append(f"    <shuffleanswers>{'true' if shuffle else 'false'}</shuffleanswers>")
        else:
            lines.append(f"    <shuffleanswers>{1 if shuffle else 0}</shuffleanswers>")
    lines += [
        f'    <{name} format="html">{base._html(q[field])}</{name}>'
        for name, field in base._OUTCOME.items()
    ]
    lines.append("    <shownumcorrect/>")
    if moodle == "matching":
        subquestions = [(p["prompt"], p["answer"]) for p in spec["pairs"]]
        subquestions += [("", text) for text in spec.get("distractors", [])]
        for prompt, answer in subquestions:
            lines += [
                '    <subquestion format="html">',
                f"      {base._text(as_html(prompt) if prompt else '')}",
                f"      <answer>{base._text(answer)}</answer>",
                "    </subquestion>",
            ]
    elif moodle == "ordering":
        for position, text in enumerate(spec["items"], start=1):
            lines += [
                f'    <answer fraction="{position}.0000000" format="html">',
                f"      {base._text(as_html(text, paragraphs=False))}",
                "    </answer>",
            ]
    else:
        element = "dragbox" if moodle == "ddwtos" else "selectoption"
        for choice in spec["choices"]:
            infinite = "<infinite/>" if moodle == "ddwtos" and choice.get("unlimited") else ""
            lines.append(
                f"    <{element}>{base._text(choice['text'])}"
                f"<group>{choice.get('group', 1)}</group>{infinite}</{element}>"
            )
            if moodle == "gapselect" and choice.get("unlimited"):
                report.warn(
                    "spec",
                    "lost",
                    f"Moodle's gapselect has no unlimited choices ({choice['text']!r}).",
                )
    return lines


# Import ---------------------------------------------------------------------------------------


def read(node: Node, qtype: str, data: dict[str, Any], report: QuestionReport) -> None:
    if qtype in ("matching", "match"):
        _read_matching(node, data, report)
    elif qtype == "ordering":
        _read_ordering(node, data, report)
    else:
        _read_gaps(node, qtype, data, report)


def _shuffle(node: Node) -> bool:
    return node.child_text("shuffleanswers", default="1").strip().lower() in ("1", "true")


def _read_matching(node: Node, data: dict[str, Any], report: QuestionReport) -> None:
    data["kind"] = "matching"
    pairs, distractors = [], []
    for sub in node.elements("subquestion"):
        prompt = base._read_text(sub, report, "spec")
        answer = sub.child_text("answer", "text").strip()
        if prompt:
            pairs.append({"prompt": prompt, "answer": answer})
        elif answer:
            distractors.append(answer)
    data["spec"] = {"pairs": pairs, "distractors": distractors, "shuffle": _shuffle(node)}


def _read_ordering(node: Node, data: dict[str, Any], report: QuestionReport) -> None:
    data["kind"] = "ordering"
    answers = []
    for number, answer in enumerate(node.elements("answer")):
        position = base._fraction(answer, report)
        answers.append((position, number, base._read_text(answer, report, "spec")))
        if answer.child_text("feedback", "text"):
            report.warn("spec", "lost", "Feedback on an ordering item has no equivalent here.")
    raw = node.child_text("gradingtype").strip().upper()
    scoring = _GRADING_IN.get(raw)
    if scoring is None:
        scoring = "positions" if raw in ("", "LONGEST_ORDERED_SUBSET") else "adjacent_pairs"
        if raw:
            report.warn(
                "spec",
                "changed",
                f"Moodle's grading type {raw} is scored here by "
                f"{'absolute positions' if scoring == 'positions' else 'adjacent pairs'}.",
            )
    select = node.child_text("selecttype").strip().upper()
    if select not in ("", "ALL", "0"):
        report.warn(
            "spec",
            "changed",
            f"Moodle asked a subset of the items ({select}); here every item is asked.",
        )
    data["spec"] = {"items": [text for *_, text in sorted(answers)], "scoring": scoring}


def _read_gaps(node: Node, qtype: str, data: dict[str, Any], report: QuestionReport) -> None:
    data["kind"] = "select_missing_words"
    element = "dragbox" if qtype == "ddwtos" else "selectoption"
    choices = []
    for option in node.elements(element):
        group = option.child_text("group", default="1").strip()
        choice: dict[str, Any] = {
            "text": option.child_text("text").strip(),
            "group": int(group) if group.isdigit() else 1,
            "unlimited": qtype == "ddwtos" and option.find("infinite") is not None,
        }
        choices.append(choice)
    data["spec"] = {"choices": choices, "shuffle": _shuffle(node), "source": qtype}
