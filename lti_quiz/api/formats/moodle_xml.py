"""Moodle XML, as Moodle's qformat_xml writes and reads it.

Kinds: single choice and multiple response are `multichoice` (single true/false), true/false
is `truefalse`, short answer is `shortanswer`. The key is both `<name>` and `<idnumber>`;
explanation is `<generalfeedback>`, the feedback for a right, partly right and wrong answer
`<correctfeedback>`, `<partiallycorrectfeedback>` and `<incorrectfeedback>` (multichoice only),
points `<defaultgrade>`, archived is `<hidden>1</hidden>`, tags are `<tags>`. Texts are HTML
in Moodle: rich text goes both ways as sanitised HTML, plain text is escaped on export and
read back from paragraphs; `@@PLUGINFILE@@` files go to and come from the media store
(embedded_files.py, docs/rich-content.md).
Moodle's categories are not questions: their questions land in the bank imported into.
"""

import base64
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.sax.saxutils import escape

from lti_quiz.api.formats import common, embedded_files, moodle_numbers
from lti_quiz.api.formats import moodle_calculated as calculated
from lti_quiz.api.formats import moodle_xml_dropdowns as dropdowns
from lti_quiz.api.formats import moodle_xml_text_kinds as text_kinds
from lti_quiz.api.formats.categories import category_levels, category_path
from lti_quiz.api.formats.markup import (
    Node,
    as_html,
    looks_like_html,
    parse_xml,
    rich_read,
)
from lti_quiz.api.formats.report import (
    FileError,
    ParsedFile,
    ParsedQuestion,
    QuestionReport,
)

NAME = "moodle_xml"
CONTENT_TYPE = "application/xml"
KEEPS_STATUS = True
EXTENSION = "-moodle.xml"

_KINDS_OUT = {
    "single_choice": "multichoice",
    "multiple_response": "multichoice",
    "essay": "essay",
    "description": "description",
    "numerical": "numerical",
    "cloze": "multianswer",
}
# Moodle's combined feedback (multichoice only) and the QuestionData fields that hold it.
_OUTCOME = {
    "correctfeedback": "correct_feedback",
    "partiallycorrectfeedback": "partially_correct_feedback",
    "incorrectfeedback": "incorrect_feedback",
}
_SKIPPED = {
    "match": "matching questions have no equivalent here",
    "ddimageortext": "drag and drop onto an image (ddimageortext) has no equivalent here",
    "ddmarker": "drag markers onto an image (ddmarker) has no equivalent here",
}


# Export ---------------------------------------------------------------------------------------


def dump(*, bank: dict[str, str], questions: list[dict[str, Any]]) -> tuple[str, list]:
    title = bank["title"].replace("/", "//")  # "/" separates category levels in Moodle
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- {common.MOODLE_MARKER} -->",
        "<quiz>",
    ]
    reports = []
    category = None
    for index, question in enumerate(questions, start=1):
        levels = "".join(f"/{level}" for level in category_levels(question))
        if levels != category:
            # Moodle takes the bank's own category's idnumber from the first one only.
            idnumber = escape(bank["slug"]) if category is None else ""
            out += [
                '  <question type="category">',
                f"    <category>{_text('$course$/top/' + title + levels)}</category>",
                f'    <info format="moodle_auto_format">{_text("")}</info>',
                f"    <idnumber>{idnumber}</idnumber>",
                "  </question>",
            ]
            category = levels
        report = QuestionReport(index=index, key=question["key"], action="exported")
        out.extend(_question(question, report))
        reports.append(report)
    out.append("</quiz>")
    return "\n".join(out) + "\n", reports


def _question(q: dict[str, Any], report: QuestionReport) -> list[str]:
    kind = q["kind"]
    moodle_type = _KINDS_OUT.get(kind, "shortanswer" if kind == "short_answer" else "truefalse")
    moodle_type = dropdowns.moodle_type(q) or calculated.moodle_type(q) or moodle_type
    if kind == "true_false" and not _true_false_texts(q["choices"]):
        moodle_type = "multichoice"
        report.warn(
            "kind",
            "changed",
            "Moodle's true/false has no choice texts of its own: exported as single choice.",
        )
    penalty = {"truefalse": "1.0000000", "essay": "0", "description": "0"}.get(
        moodle_type, "0.3333333"
    )
    question_html = as_html(_question_text(q))
    lines = [
        f'  <question type="{moodle_type}">',
        f"    <name>{_text(q['key'])}</name>",
        f'    <questiontext format="html">{_text(question_html)}</questiontext>',
        f'    <generalfeedback format="html">{_html(q["explanation"])}</generalfeedback>',
        f"    <defaultgrade>{Decimal(q['points']):.7f}</defaultgrade>",
        f"    <penalty>{penalty}</penalty>",
        f"    <hidden>{1 if q['status'] == 'archived' else 0}</hidden>",
        f"    <idnumber>{escape(q['key'])}</idnumber>",
    ]
    combined = ("multichoice", *dropdowns.QTYPES, *calculated.QTYPES)
    if moodle_type not in combined:
        common.outcome_feedback_lost(q, report, f"Moodle's {moodle_type} questions")
    if moodle_type == "multichoice":
        lines += _multichoice(q, report)
    elif moodle_type == "numerical":
        lines += moodle_numbers.numerical_lines(q, report, text=_text, html=_html)
    elif moodle_type in calculated.QTYPES:
        lines += calculated.lines(q, moodle_type, report, text=_text, html=_html)
    elif moodle_type == "multianswer":
        pass  # the gaps are in the question text
    elif moodle_type in dropdowns.QTYPES:
        lines += dropdowns.write(q, moodle_type, report)
    elif moodle_type == "truefalse":
        common.choice_percents_lost(q, report, "Moodle's true/false questions")
        for choice in sorted(q["choices"], key=lambda c: c["text"].casefold() != "true"):
            lines += _answer(choice["text"].casefold(), choice, plain=True)
    elif moodle_type == "essay":
        lines += text_kinds.essay(q)
    elif moodle_type == "description":
        pass  # its text is all there is
    elif q["spec"].get("answers"):
        lines += text_kinds.moodle_short_answers(q["spec"])
    else:
        lines.append("    <usecase>0</usecase>")
        for pattern in q["patterns"]:
            choice = {"is_correct": True, "feedback": ""}
            lines += _answer(common.moodle_answer(pattern), choice, plain=True)
        if q["patterns"]:
            report.warn(
                "patterns",
                "changed",
                "Moodle matches the whole answer with * as a wildcard: each pattern p is the "
                "answer *p*, which also matches inside longer words ('test' in 'contest').",
            )
        if q.get("model_answer"):
            report.warn("model_answer", "lost", common.MODEL_ANSWER_LOST)
    lines += [f'    <hint format="html">{_html(hint)}</hint>' for hint in q.get("hints", [])]
    if q["tags"]:
        tags = "".join(f"<tag>{_text(tag)}</tag>" for tag in q["tags"])
        lines.append(f"    <tags>{tags}</tags>")
    lines.append("  </question>")
    return lines


def _multichoice(q: dict[str, Any], report: QuestionReport) -> list[str]:
    single = q["kind"] != "multiple_response"
    percents = common.choice_percents(q)
    if not single and (q.get("spec") or {}).get("scoring") != common.PER_OPTION:
        report.warn("kind", "note", common.MOODLE_PARTIAL_CREDIT)
    odd = sorted({p for p in percents if abs(p) not in common.MOODLE_GRADES})
    if odd:
        report.warn(
            "choices",
            "changed",
            f"Choices worth {', '.join(common.moodle_fraction(p) + '%' for p in odd)}: "
            "grades Moodle rounds to its nearest on import.",
        )
    lines = [f"    <{common.ALL_OR_NOTHING_MARK}>1</{common.ALL_OR_NOTHING_MARK}>"] * (
        common.is_all_or_nothing(q)
    )
    lines += [
        f"    <single>{'true' if single else 'false'}</single>",
        "    <shuffleanswers>true</shuffleanswers>",
        "    <answernumbering>abc</answernumbering>",
        "    <showstandardinstruction>0</showstandardinstruction>",
    ]
    lines += [
        f'    <{name} format="html">{_html(q[field])}</{name}>' for name, field in _OUTCOME.items()
    ]
    for choice, fraction in zip(q["choices"], percents, strict=True):
        lines += _answer(as_html(choice["text"], paragraphs=False), choice, fraction)
    return lines


def _answer(
    text: str, choice: dict[str, Any], fraction: Decimal | None = None, *, plain: bool = False
) -> list[str]:
    if fraction is None:
        fraction = Decimal(100) if choice["is_correct"] else Decimal(0)
    text_format = "moodle_auto_format" if plain else "html"
    return [
        f'    <answer fraction="{common.moodle_fraction(fraction)}" format="{text_format}">',
        f"      {_text(text)}",
        f'      <feedback format="html">{_html(choice["feedback"])}</feedback>',
        "    </answer>",
    ]


def _question_text(q: dict[str, Any]) -> str:
    return moodle_numbers.cloze_text(q) if q["kind"] == "cloze" else q["text"]


def _true_false_texts(choices: list[dict[str, Any]]) -> bool:
    return sorted(c["text"].strip().casefold() for c in choices) == ["false", "true"]


def _html(text: str) -> str:
    return _text(as_html(text, paragraphs=False) if text else "")


def _text(value: str) -> str:
    """A `<text>` element, and the `<file>`s of the media it shows (Moodle's @@PLUGINFILE@@)."""
    value, files = embedded_files.unembed(value)
    if "<" in value or "&" in value:
        value = "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    attached = "".join(
        f'<file name="{escape(name, {chr(34): "&quot;"})}" path="/" encoding="base64">'
        f"{base64.b64encode(data).decode('ascii')}</file>"
        for name, data in files
    )
    return f"<text>{value}</text>{attached}"


# Import ---------------------------------------------------------------------------------------


def load(text: str) -> ParsedFile:
    root = parse_xml(text)
    if root.tag != "quiz":
        raise FileError(f"This is not Moodle XML: the root element is <{root.tag}>, not <quiz>.")
    ours = common.MOODLE_MARKER in text[:1000]
    parsed = ParsedFile(ours=ours)
    category: tuple[str, ...] = ()
    for node in root.elements("question"):
        qtype = node.get("type")
        if qtype == "category":
            category = category_path(node.child_text("category", "text"))
            continue
        item = parsed.add(line=node.line)
        item.category = category
        with embedded_files.collecting() as files:
            _read(node, qtype, item, ours=ours)
        item.files = files
    return parsed


def _read(node: Node, qtype: str, item: ParsedQuestion, *, ours: bool) -> None:
    report = item.report
    raw_key = node.child_text("idnumber") or node.child_text("name", "text")
    report.key = common.key_from(raw_key, report)
    combined_feedback = qtype in ("multichoice", *dropdowns.READS, *calculated.QTYPES)
    read = (
        "multichoice", "truefalse", "shortanswer", "essay", "description", "numerical",
        "multianswer", *dropdowns.READS, *calculated.QTYPES,
    )  # fmt: skip
    if qtype not in read:
        item.skip = _SKIPPED.get(
            qtype, f"the Moodle question type {qtype!r} has no equivalent here"
        )
        return
    data = item.data
    if report.key:
        data["key"] = report.key
    data["text"] = _read_text(node.find("questiontext"), report, "text")
    if node.find("generalfeedback") is not None:
        data["explanation"] = _read_text(node.find("generalfeedback"), report, "explanation")
    if node.find("defaultgrade") is not None:
        points = common.points_from(node.child_text("defaultgrade"), report)
        if points is not None:
            data["points"] = points
    if node.find("hidden") is not None:
        data["status"] = "archived" if node.child_text("hidden") == "1" else "active"
    raw_tags = [t.child_text("text") for name in ("tags", "coursetags") for t in _tags(node, name)]
    if node.find("tags") is not None or raw_tags:
        data["tags"] = common.tags_from(raw_tags, report)
    for name, field in _OUTCOME.items():
        if combined_feedback and node.find(name) is not None:
            data[field] = _read_text(node.find(name), report, field)
    for name in _OUTCOME if not combined_feedback else []:
        for extra in node.elements(name):
            if extra.child_text("text"):
                report.warn("question", "lost", f"Moodle's <{name}> has no equivalent here.")
    hints = [_read_text(hint, report, "hints") for hint in node.elements("hint")]
    if any(hints):
        data["hints"] = [hint for hint in hints if hint]
    if qtype == "multichoice":
        _read_multichoice(node, data, report, ours=ours)
    elif qtype == "truefalse":
        _read_truefalse(node, data, report)
    elif qtype == "numerical":
        moodle_numbers.numerical_read(node, data, report, read_text=_read_text)
    elif qtype in calculated.QTYPES:
        calculated.read(node, qtype, data, report, read_text=_read_text)
    elif qtype == "multianswer":
        moodle_numbers.multianswer_read(node, data, report, text=data["text"])
    elif qtype in dropdowns.READS:
        dropdowns.read(node, qtype, data, report)
    elif qtype == "essay":
        text_kinds.read_essay(node, data, report)
    elif qtype == "description":
        data["kind"] = "description"
        data["points"] = "0"  # Moodle writes a description's grade as 0 too
    else:
        text_kinds.read_shortanswer(node, data, report, ours=ours)


def _tags(node: Node, name: str) -> list[Node]:
    container = node.find(name)
    return container.elements("tag") if container is not None else []


def _fraction(answer: Node, report: QuestionReport) -> Decimal:
    try:
        return Decimal(answer.get("fraction", "0").strip() or "0")
    except InvalidOperation:
        report.error("choices", f"fraction {answer.get('fraction')[:20]!r} is not a number.")
        return Decimal(0)


def _read_multichoice(node: Node, data: dict, report: QuestionReport, *, ours: bool) -> None:
    single = node.child_text("single", default="true").lower() not in ("false", "0")
    data["kind"] = "single_choice" if single else "multiple_response"
    answers = node.elements("answer")
    percents = [_fraction(answer, report) for answer in answers]
    choices = [_choice(answer, False, report) for answer in answers]
    marked = ours and node.child_text(common.ALL_OR_NOTHING_MARK) == "1"
    spec = common.choices_from_percents(choices, percents, single=single, all_or_nothing=marked)
    if spec:
        data["spec"] = spec
    data["choices"] = choices


def _read_truefalse(node: Node, data: dict, report: QuestionReport) -> None:
    data["kind"] = "true_false"
    by_text: dict[str, dict[str, Any]] = {}
    for position, answer in enumerate(node.elements("answer")):
        value = answer.child_text("text").casefold()
        if value not in ("true", "false"):  # very old files: true first, then false
            value = "true" if position == 0 else "false"
        by_text[value] = _choice(answer, _fraction(answer, report) >= 100, report)
        by_text[value]["text"] = value.title()
    data["choices"] = [by_text[v] for v in ("true", "false") if v in by_text]


def _choice(answer: Node, correct: bool, report: QuestionReport) -> dict[str, Any]:
    return {
        "text": _read_text(answer, report, "choices"),
        "is_correct": correct,
        "feedback": _read_text(answer.find("feedback"), report, "choices"),
    }


def _read_text(node: Node | None, report: QuestionReport, field: str) -> str:
    """A Moodle text field (`<x format="..."><text>...</text><file .../></x>`) as stored here:
    plain text, or sanitised HTML when it has more than paragraphs, its embedded files
    pointing at the media store (embedded_files)."""
    if node is None:
        return ""
    raw = node.child_text("text")
    files = [(f.get("name"), f.text()) for f in node.elements("file") if f.get("name")]
    if files:
        raw, problems = embedded_files.embed(raw, files)
        for problem in problems:
            report.warn(field, "lost", problem)
    text_format = node.get("format", "html")
    if text_format == "html" or (text_format == "moodle_auto_format" and looks_like_html(raw)):
        return rich_read(raw, report, field)
    if text_format == "markdown" and raw:
        report.warn(field, "note", "Markdown is kept as plain text.")
    return raw.strip()
