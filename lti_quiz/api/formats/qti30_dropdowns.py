"""QTI 3.0 items for the kinds answered with drop-downs.

- matching: a `qti-match-interaction` of two `qti-simple-match-set`s (prompts P1..., options
  O1...), its response a multiple `directedPair` ("P1 O2") mapped to points / pairs each, so
  QTI's map_response gives the same partial credit;
- ordering: a `qti-order-interaction` (response `ordered` identifiers), scored all or nothing
  as QTI's match_correct does, the only ordering score its templates know; our scoring rides
  along as the interaction's `data-scoring` attribute (other players ignore it: reported);
- select missing words: a `qti-inline-choice-interaction` in the text for each gap, each with
  its own response RESPONSE_<n> mapped to points / gaps for its right choice, SCORE the sum.
  On import, gaps listing the same options share a group.

The explanation and the feedback by outcome are written and read as for the other kinds.
"""

import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

from lti_quiz.api.formats import common, qti30_processing
from lti_quiz.api.formats import qti30 as base
from lti_quiz.api.formats.markup import Node, text_from_node
from lti_quiz.api.formats.report import QuestionReport
from lti_quiz.quiz.kinds.select_missing_words import gap_segments

KINDS = ("matching", "ordering", "select_missing_words")
INTERACTIONS = ("qti-match-interaction", "qti-order-interaction", "qti-inline-choice-interaction")
SCORINGS = ("positions", "adjacent_pairs", "all_or_nothing")


# Export ---------------------------------------------------------------------------------------


def item(q: dict[str, Any], report: QuestionReport) -> ET.Element:
    identifier = q["key"] if q["key"][:1].isalpha() else f"_{q['key']}"
    element = ET.Element(
        "qti-assessment-item",
        {
            "xmlns": base.NAMESPACE,
            "xmlns:xsi": base.XSI,
            "xsi:schemaLocation": base.SCHEMA,
            "identifier": identifier,
            "title": q["key"],
            "adaptive": "false",
            "time-dependent": "false",
        },
    )
    if q["tags"]:
        report.warn("tags", "lost", "QTI 3 items carry no tags.")
    spec = q["spec"]
    shuffle = "true" if spec.get("shuffle", True) else "false"
    if q["kind"] == "matching":
        responses = _matching(element, q, shuffle)
    elif q["kind"] == "ordering":
        responses = _ordering(element, q, report)
    else:
        responses = _gaps(element, q, shuffle, report)
    if q["explanation"]:
        body = element.find("qti-item-body")
        assert body is not None
        block = base._sub(body, "qti-feedback-block", base._feedback(base.EXPLANATION))
        base._paragraphs(block, q["explanation"])
    _processing(element, q, responses)
    for name, field in base._OUTCOME.items():
        if q[field]:
            modal = base._sub(element, "qti-modal-feedback", base._feedback(name))
            base._paragraphs(base._sub(modal, "qti-content-body"), q[field])
    return element


def _declare(item: ET.Element, identifier: str, cardinality: str, kind: str) -> ET.Element:
    return base._sub(
        item,
        "qti-response-declaration",
        {"identifier": identifier, "cardinality": cardinality, "base-type": kind},
    )


def _map(declaration: ET.Element, keys: list[str], value: str) -> None:
    mapping = base._sub(declaration, "qti-mapping", {"default-value": "0"})
    for key in keys:
        base._sub(mapping, "qti-map-entry", {"map-key": key, "mapped-value": value})


def _outcomes(item: ET.Element, q: dict[str, Any]) -> None:
    base._outcome(item, "SCORE", "float", "0")
    base._outcome(item, "MAXSCORE", "float", common.number_text(q["points"]))
    base._outcome(item, "FEEDBACK", "identifier", None, cardinality="multiple")


def _matching(item: ET.Element, q: dict[str, Any], shuffle: str) -> list[str]:
    spec = q["spec"]
    options: list[str] = []
    for text in [p["answer"] for p in spec["pairs"]] + list(spec.get("distractors", [])):
        if text not in options:
            options.append(text)
    pairs = [
        f"P{n} O{options.index(pair['answer']) + 1}" for n, pair in enumerate(spec["pairs"], 1)
    ]
    declaration = _declare(item, "RESPONSE", "multiple", "directedPair")
    correct = base._sub(declaration, "qti-correct-response")
    for pair in pairs:
        base._sub(correct, "qti-value").text = pair
    _map(declaration, pairs, _share(q, len(pairs)))
    _outcomes(item, q)
    body = base._sub(item, "qti-item-body")
    interaction = base._sub(
        body,
        "qti-match-interaction",
        {"response-identifier": "RESPONSE", "shuffle": shuffle, "max-associations": "0"},
    )
    base._lines(base._sub(interaction, "qti-prompt"), q["text"])
    prompts = base._sub(interaction, "qti-simple-match-set")
    for number, pair in enumerate(spec["pairs"], start=1):
        choice = base._sub(
            prompts, "qti-simple-associable-choice", {"identifier": f"P{number}", "match-max": "1"}
        )
        base._lines(choice, pair["prompt"])
    targets = base._sub(interaction, "qti-simple-match-set")
    for number, text in enumerate(options, start=1):
        choice = base._sub(
            targets, "qti-simple-associable-choice", {"identifier": f"O{number}", "match-max": "0"}
        )
        base._lines(choice, text)
    return ["RESPONSE"]


def _ordering(item: ET.Element, q: dict[str, Any], report: QuestionReport) -> list[str]:
    spec = q["spec"]
    scoring = spec.get("scoring", "positions")
    if scoring != "all_or_nothing":
        report.warn(
            "spec",
            "changed",
            "QTI 3 scores an order all or nothing: other players ignore our scoring "
            f"({scoring}), kept in the interaction's data-scoring attribute.",
        )
    declaration = _declare(item, "RESPONSE", "ordered", "identifier")
    correct = base._sub(declaration, "qti-correct-response")
    for number in range(1, len(spec["items"]) + 1):
        base._sub(correct, "qti-value").text = f"I{number}"
    _outcomes(item, q)
    body = base._sub(item, "qti-item-body")
    interaction = base._sub(
        body,
        "qti-order-interaction",
        {"response-identifier": "RESPONSE", "shuffle": "true", "data-scoring": scoring},
    )
    base._lines(base._sub(interaction, "qti-prompt"), q["text"])
    for number, text in enumerate(spec["items"], start=1):
        base._lines(base._sub(interaction, "qti-simple-choice", identifier=f"I{number}"), text)
    return []


def _gaps(item: ET.Element, q: dict[str, Any], shuffle: str, report: QuestionReport) -> list[str]:
    choices = q["spec"]["choices"]
    segments = gap_segments(q["text"])
    gaps = [segment["gap"] for segment in segments if "gap" in segment]
    share = _share(q, len(gaps))
    for number, choice_number in enumerate(gaps, start=1):
        declaration = _declare(item, f"RESPONSE_{number}", "single", "identifier")
        base._sub(
            base._sub(declaration, "qti-correct-response"), "qti-value"
        ).text = f"C{choice_number}"
        _map(declaration, [f"C{choice_number}"], share)
    _outcomes(item, q)
    body = base._sub(item, "qti-item-body")
    paragraph = base._sub(body, "p")
    last: ET.Element | None = None
    count = 0
    for segment in segments:
        if "text" in segment:
            if last is None:
                paragraph.text = (paragraph.text or "") + segment["text"]
            else:
                last.tail = (last.tail or "") + segment["text"]
            continue
        count += 1
        group = choices[segment["gap"] - 1].get("group", 1)
        last = base._sub(
            paragraph,
            "qti-inline-choice-interaction",
            {"response-identifier": f"RESPONSE_{count}", "shuffle": shuffle},
        )
        for number, choice in enumerate(choices, start=1):
            if choice.get("group", 1) == group:
                option = base._sub(last, "qti-inline-choice", identifier=f"C{number}")
                option.text = choice["text"]
    if any(c.get("unlimited") for c in choices) or q["spec"].get("source") == "ddwtos":
        report.warn(
            "spec",
            "lost",
            "QTI 3's inline choices are not drag and drop: unlimited choices and the Moodle "
            "type (ddwtos) are not kept.",
        )
    return [f"RESPONSE_{n}" for n in range(1, len(gaps) + 1)]


def _share(q: dict[str, Any], parts: int) -> str:
    """points / parts, to 7 places (a mapped value per right part)."""
    return common.number_text((Decimal(q["points"]) / parts).quantize(Decimal("0.0000001")))


def _processing(item: ET.Element, q: dict[str, Any], responses: list[str]) -> None:
    processing = base._sub(item, "qti-response-processing")
    if not responses:  # ordering: all or nothing, as match_correct
        branch = base._sub(base._sub(processing, "qti-response-condition"), "qti-response-if")
        match = base._sub(branch, "qti-match")
        base._sub(match, "qti-variable", identifier="RESPONSE")
        base._sub(match, "qti-correct", identifier="RESPONSE")
        base._sub(
            base._sub(branch, "qti-set-outcome-value", identifier="SCORE"),
            "qti-variable",
            identifier="MAXSCORE",
        )
    else:
        total = base._sub(
            base._sub(processing, "qti-set-outcome-value", identifier="SCORE"), "qti-sum"
        )
        for response in responses:
            base._sub(total, "qti-map-response", identifier=response)
    if q["explanation"]:
        feedback = base._sub(processing, "qti-set-outcome-value", identifier="FEEDBACK")
        values = base._sub(feedback, "qti-multiple")
        base._sub(values, "qti-base-value", {"base-type": "identifier"}).text = base.EXPLANATION
    if any(q[field] for field in base._OUTCOME.values()):
        condition = base._sub(processing, "qti-response-condition")
        full = base._sub(condition, "qti-response-if")
        equal = base._sub(full, "qti-equal", {"tolerance-mode": "exact"})
        base._sub(equal, "qti-variable", identifier="SCORE")
        base._sub(equal, "qti-variable", identifier="MAXSCORE")
        qti30_processing.add_feedback(full, q, "CORRECT")
        if q["partially_correct_feedback"]:
            partly = base._sub(condition, "qti-response-else-if")
            more = base._sub(partly, "qti-gt")
            base._sub(more, "qti-variable", identifier="SCORE")
            base._sub(more, "qti-base-value", {"base-type": "float"}).text = "0"
            qti30_processing.add_feedback(partly, q, "PARTIALLY_CORRECT")
        qti30_processing.add_feedback(base._sub(condition, "qti-response-else"), q, "INCORRECT")


# Import ---------------------------------------------------------------------------------------


def reads(interactions: list[Node]) -> bool:
    """Whether these are the interactions of one of our kinds (one match or order interaction,
    or inline choices only)."""
    tags = {interaction.tag for interaction in interactions}
    if tags in ({"qti-match-interaction"}, {"qti-order-interaction"}):
        return len(interactions) == 1
    return tags == {"qti-inline-choice-interaction"}


def read(node: Node, body: Node, interactions: list[Node], data: dict, report: QuestionReport):
    declarations = {d.get("identifier"): d for d in node.elements("qti-response-declaration")}

    def correct(interaction: Node) -> list[str]:
        declaration = declarations.get(interaction.get("response-identifier"))
        if declaration is None:
            return []
        return [v.text().strip() for v in declaration.iter("qti-value")]

    first = interactions[0]
    shuffle = first.get("shuffle", "false") == "true"
    if first.tag == "qti-match-interaction":
        sets = first.elements("qti-simple-match-set")
        texts = [
            {
                c.get("identifier"): _plain(c, report)
                for c in s.elements("qti-simple-associable-choice")
            }
            for s in sets[:2]
        ]
        prompts, options = [*texts, {}, {}][:2]
        right = dict(value.split()[:2] for value in correct(first) if len(value.split()) >= 2)
        answers = [options.get(right.get(key, ""), "") for key in prompts]
        data["kind"] = "matching"
        data["text"] = _prompt(first, report)
        data["spec"] = {
            "pairs": [
                {"prompt": prompt, "answer": answer}
                for prompt, answer in zip(prompts.values(), answers, strict=True)
            ],
            "distractors": [o for o in options.values() if o not in answers],
            "shuffle": shuffle,
        }
    elif first.tag == "qti-order-interaction":
        labels = {
            c.get("identifier"): _plain(c, report) for c in first.elements("qti-simple-choice")
        }
        order = [labels[key] for key in correct(first) if key in labels]
        scoring = first.get("data-scoring")
        if scoring not in SCORINGS:
            scoring = "all_or_nothing"
        data["kind"] = "ordering"
        data["text"] = _prompt(first, report)
        data["spec"] = {"items": order or list(labels.values()), "scoring": scoring}
    else:
        _read_gaps(body, interactions, correct, shuffle, data, report)


def _read_gaps(body, interactions, correct, shuffle: bool, data: dict, report) -> None:
    choices: list[dict[str, Any]] = []
    groups: list[list[str]] = []
    right_of: dict[int, int] = {}
    for index, interaction in enumerate(interactions):
        options = {
            c.get("identifier"): c.text().strip() for c in interaction.iter("qti-inline-choice")
        }
        texts = list(options.values())
        if texts not in groups:
            groups.append(texts)
            choices += [{"text": t, "group": len(groups), "unlimited": False} for t in texts]
        group = groups.index(texts) + 1
        wanted = options.get(next(iter(correct(interaction)), ""), "")
        right_of[index] = next(
            (n for n, c in enumerate(choices, 1) if c["group"] == group and c["text"] == wanted), 0
        )
    positions = {id(interaction): index for index, interaction in enumerate(interactions)}

    def pruned(current: Node) -> Node:
        copy = Node(current.tag, current.attrs, current.line)
        for child in current.children:
            if isinstance(child, str):
                copy.children.append(child)
            elif child.tag == "qti-inline-choice-interaction":
                copy.children.append(f"[[{right_of[positions[id(child)]]}]]")
            elif child.tag not in base._NOT_TEXT:
                copy.children.append(pruned(child))
        return copy

    text, _ = text_from_node(pruned(body))
    data["kind"] = "select_missing_words"
    data["text"] = text
    data["spec"] = {"choices": choices, "shuffle": shuffle, "source": "gapselect"}


def _prompt(interaction: Node, report: QuestionReport) -> str:
    prompt = interaction.find("qti-prompt")
    return base._text(prompt, report, "text")[0] if prompt is not None else ""


def _plain(node: Node, report: QuestionReport) -> str:
    return base._text(node, report, "spec")[0]
