"""QTI 3.0 response processing of the choice and short-answer items we write: the score, the
chosen choices' feedback and the explanation, and the feedback by outcome."""

import xml.etree.ElementTree as ET  # builds our output only: input is read with defusedxml
from typing import Any

from lti_quiz.api.formats import qti30 as base
from lti_quiz.api.formats.qti_patterns import regex_from_pattern


def processing(item: ET.Element, q: dict[str, Any], ids: list[str], *, short: bool) -> None:
    processing = base._sub(item, "qti-response-processing")
    branch = base._sub(base._sub(processing, "qti-response-condition"), "qti-response-if")
    if short:
        either = base._sub(branch, "qti-or")
        for pattern in q["patterns"]:
            match = base._sub(either, "qti-pattern-match", pattern=regex_from_pattern(pattern))
            base._sub(match, "qti-variable", identifier="RESPONSE")
    else:
        match = base._sub(branch, "qti-match")
        base._sub(match, "qti-variable", identifier="RESPONSE")
        base._sub(match, "qti-correct", identifier="RESPONSE")
    base._sub(
        base._sub(branch, "qti-set-outcome-value", identifier="SCORE"),
        "qti-variable",
        identifier="MAXSCORE",
    )
    # Once answered: the feedback of the chosen choices, and the explanation.
    chosen = any(c["feedback"] for c in q["choices"])
    if chosen or q["explanation"]:
        feedback = base._sub(processing, "qti-set-outcome-value", identifier="FEEDBACK")
        values = base._sub(feedback, "qti-multiple")
        if chosen:
            base._sub(values, "qti-variable", identifier="RESPONSE")
        if q["explanation"]:
            base._sub(values, "qti-base-value", {"base-type": "identifier"}).text = base.EXPLANATION
    if any(q[field] for field in base._OUTCOME.values()):
        outcome_processing(processing, q, ids)


def outcome_processing(processing: ET.Element, q: dict[str, Any], ids: list[str]) -> None:
    """Add CORRECT when the score is full, PARTIALLY_CORRECT when a right choice is among the
    chosen, else INCORRECT, to FEEDBACK (each only when the question has that feedback)."""
    condition = base._sub(processing, "qti-response-condition")
    full = base._sub(condition, "qti-response-if")
    equal = base._sub(full, "qti-equal", {"tolerance-mode": "exact"})
    base._sub(equal, "qti-variable", identifier="SCORE")
    base._sub(equal, "qti-variable", identifier="MAXSCORE")
    add_feedback(full, q, "CORRECT")
    right = [i for i, c in zip(ids, q["choices"], strict=True) if c["is_correct"]]
    if q["kind"] == "multiple_response" and q["partially_correct_feedback"]:
        partly = base._sub(condition, "qti-response-else-if")
        either = base._sub(partly, "qti-or")
        for ident in right:
            member = base._sub(either, "qti-member")
            base._sub(member, "qti-base-value", {"base-type": "identifier"}).text = ident
            base._sub(member, "qti-variable", identifier="RESPONSE")
        add_feedback(partly, q, "PARTIALLY_CORRECT")
    add_feedback(base._sub(condition, "qti-response-else"), q, "INCORRECT")


def add_feedback(branch: ET.Element, q: dict[str, Any], identifier: str) -> None:
    if q[base._OUTCOME[identifier]]:
        values = base._sub(
            base._sub(branch, "qti-set-outcome-value", identifier="FEEDBACK"), "qti-multiple"
        )
        base._sub(values, "qti-variable", identifier="FEEDBACK")
        base._sub(values, "qti-base-value", {"base-type": "identifier"}).text = identifier
