"""Canvas QTI 1.2 for the kinds answered in words: short answers (Canvas compares them
exactly), essays (essay_question) and descriptions (text_only_question)."""

import xml.etree.ElementTree as ET  # builds our output only: input is read with defusedxml
from typing import Any

from lti_quiz.api.formats import common
from lti_quiz.api.formats import qti12 as base
from lti_quiz.api.formats.report import QuestionReport
from lti_quiz.quiz.kinds.essay import essay_spec


def text_only(
    item: ET.Element, presentation: ET.Element, q: dict[str, Any], report: QuestionReport
) -> None:
    """Canvas's essay_question (a text box a person grades) and text_only_question (no box)."""
    if q["kind"] == "description":
        if q["explanation"]:
            report.warn("explanation", "lost", "Canvas's text-only questions have no feedback.")
        return
    if q.get("model_answer"):
        report.warn("model_answer", "lost", "Canvas essays have no information for graders.")
    if q["spec"] and essay_spec(q) != essay_spec({}):
        report.warn("spec", "lost", "Canvas essays have no word limits, template or format.")
    response = ET.SubElement(presentation, "response_str", ident="response1", rcardinality="Single")
    ET.SubElement(
        ET.SubElement(response, "render_fib"), "response_label", ident="answer1", rshuffle="No"
    )
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
    condition = ET.SubElement(processing, "respcondition", {"continue": "No"})
    ET.SubElement(ET.SubElement(condition, "conditionvar"), "other")
    if q["explanation"]:
        base._itemfeedback(item, "general_fb", q["explanation"])


def exact_answers(patterns: list[str], report: QuestionReport) -> list[str]:
    answers: list[str] = []
    changes = []
    for pattern in patterns:
        answer = common.exact_from_pattern(pattern)
        changes.append(f"{pattern!r} as {answer!r}")
        if answer not in answers:
            answers.append(answer)
    report.warn(
        "patterns",
        "changed",
        "Canvas accepts only an exact answer (any case), not words anywhere in it: "
        + ", ".join(changes)
        + ".",
    )
    return answers


def read_short(correct: list[str], data: dict, report: QuestionReport) -> None:
    data["patterns"] = common.patterns_read(map(common.pattern_from_exact, correct), report)
