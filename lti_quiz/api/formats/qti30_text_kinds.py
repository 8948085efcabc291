"""QTI 3.0 for essays (extended text, human-scored), descriptions (items with no interaction)
and, on import, short answers (a text entry scored by patterns or exact strings)."""

import xml.etree.ElementTree as ET  # builds our output only: input is read with defusedxml
from typing import Any

from lti_quiz.api.formats import common
from lti_quiz.api.formats import qti30 as base
from lti_quiz.api.formats.markup import Node
from lti_quiz.api.formats.qti_patterns import pattern_from_regex
from lti_quiz.api.formats.report import ParsedQuestion, QuestionReport
from lti_quiz.quiz.kinds.essay import essay_spec


def text_item(item: ET.Element, q: dict[str, Any], report: QuestionReport) -> None:
    """An essay is an extended text interaction scored by a person (`external-scored`), its
    template the response's default value, its grader information a rubric block for
    scorers; a description is an item with no interaction and nothing to score."""
    essay = q["kind"] == "essay"
    spec = essay_spec(q)
    if essay:
        response = base._sub(
            item,
            "qti-response-declaration",
            {"identifier": "RESPONSE", "cardinality": "single", "base-type": "string"},
        )
        if spec["response_template"]:
            base._sub(base._sub(response, "qti-default-value"), "qti-value").text = spec[
                "response_template"
            ]
        if spec["min_words"] or spec["max_words"]:
            report.warn(
                "spec", "lost", "QTI 3 has no word limits (expected-length counts characters)."
            )
    score = base._sub(
        item,
        "qti-outcome-declaration",
        {"identifier": "SCORE", "cardinality": "single", "base-type": "float"},
    )
    if essay:
        score.set("external-scored", "human")
    base._sub(base._sub(score, "qti-default-value"), "qti-value").text = "0"
    base._outcome(item, "MAXSCORE", "float", common.number_text(q["points"]))
    body = base._sub(item, "qti-item-body")
    base._paragraphs(body, q["text"])
    if essay and q.get("model_answer"):
        rubric = base._sub(body, "qti-rubric-block", {"view": "scorer", "use": "scoring"})
        base._paragraphs(base._sub(rubric, "qti-content-body"), q["model_answer"])
    if essay:
        attrs = {"response-identifier": "RESPONSE", "expected-lines": "15"}
        if spec["response_format"] == "monospaced":
            attrs["format"] = "preformatted"
        base._sub(body, "qti-extended-text-interaction", attrs)
    if q["explanation"]:
        if essay:
            base._outcome(item, "FEEDBACK", "identifier", None, cardinality="multiple")
            block = base._sub(body, "qti-feedback-block", base._feedback(base.EXPLANATION))
            base._paragraphs(block, q["explanation"])
        else:
            report.warn(
                "explanation", "lost", "A QTI 3 item with no interaction shows no feedback."
            )


def read_description(node: Node, body: Node, item: ParsedQuestion) -> None:
    """An item with no interaction asks nothing: a description."""
    data = item.data
    data["kind"], data["points"] = "description", "0"
    data["text"] = base._text(body, item.report, "text")[0]


def read_essay(
    node: Node,
    body: Node,
    interaction: Node,
    declaration: Node | None,
    data: dict,
    report: QuestionReport,
) -> None:
    """An extended text interaction is an essay: a person marks it."""
    data["kind"] = "essay"
    spec: dict[str, Any] = {}
    if interaction.get("format") == "preformatted":
        spec["response_format"] = "monospaced"
    default = declaration.find("qti-default-value") if declaration is not None else None
    if default is not None and default.child_text("qti-value"):
        spec["response_template"] = default.child_text("qti-value")
    data["spec"] = spec
    for rubric in body.iter("qti-rubric-block"):
        if "scorer" in rubric.get("view", "").split():
            data["model_answer"] = base._text(rubric, report, "model_answer")[0]


def read_short(node: Node, correct: set[str], data: dict, report: QuestionReport) -> None:
    found: list[tuple[str | None, str]] = []
    for match in node.iter("qti-pattern-match"):
        regex = match.get("pattern")
        pattern = pattern_from_regex(regex)
        # A pattern we wrote means what it meant: no change to note.
        found.append(
            (pattern, "" if pattern else f"the regular expression {regex[:60]!r}: left out")
        )
    if all(pattern is None for pattern, _ in found):
        # No patterns of ours: exact answers (correct response, string matches).
        exact = correct | {
            v.text().strip()
            for m in node.iter("qti-string-match")
            for v in m.iter("qti-base-value")
        }
        found += map(common.pattern_from_exact, sorted(exact))
    data["patterns"] = common.patterns_read(found, report)
