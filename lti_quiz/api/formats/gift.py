"""GIFT, as Moodle's qformat_gift reads and writes it (Moodle 3.6+ for ids and tags).

    // [id:q1] [tag:main-idea]
    ::q1::Which ... ?{
        =the right one#feedback shown when chosen
        ~a wrong one
        ####the explanation (general feedback)
    }

Questions are separated by blank lines; `~ = # { } :` and new lines are escaped with a
backslash. Multiple response: `~%50%` weights and no `=`; true/false `{TRUE#wrong#right}`;
short answer `{=%100%answer}`. Texts and their formats (`[html]` keeps markup): gift_markup.py.
GIFT has no points, no archived state and no feedback for a
right or wrong answer as a whole (an export reports what it leaves out).
"""

import re
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from lti_quiz.api.formats import common, moodle_numbers
from lti_quiz.api.formats import gift_dropdowns as dropdowns
from lti_quiz.api.formats import gift_markup as markup
from lti_quiz.api.formats import gift_text_kinds as text_kinds
from lti_quiz.api.formats.categories import category_levels, category_path
from lti_quiz.api.formats.markup import dropped_note, looks_like_html, rich_read, text_from_html
from lti_quiz.api.formats.report import ParsedFile, ParsedQuestion, QuestionReport

NAME = "gift"
CONTENT_TYPE = "text/plain; charset=utf-8"
KEEPS_STATUS = False
EXTENSION = "-gift.txt"

_ESCAPES = {"\\:": ":", "\\#": "#", "\\=": "=", "\\{": "{", "\\}": "}", "\\~": "~", "\\n": "\n"}
# Private-use characters stand for escaped ones while the structure is parsed.
_HOLD = {escaped: chr(0xE001 + n) for n, escaped in enumerate(_ESCAPES)}
_BACKSLASH_HOLD = "\ue000"
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d*)?)%")
_FORMAT = re.compile(r"^\[(moodle|html|plain|markdown)\]")
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f])+)\]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
# The fields that may hold rich text (docs/rich-content.md): others are read as plain text.
_RICH_FIELDS = ("text", "explanation", "choices")
_SKIPPED = {
    "match": "matching questions (=a -> b) have no equivalent here",
}


# Export ---------------------------------------------------------------------------------------


def dump(*, bank: dict[str, str], questions: list[dict[str, Any]]) -> tuple[str, list]:
    title = bank["title"].replace("/", "//")  # "/" separates category levels in Moodle
    out = [f"// {common.MOODLE_MARKER}", ""]
    reports = []
    category = None
    for index, question in enumerate(questions, start=1):
        levels = "".join(f"/{level}" for level in category_levels(question))
        if levels != category:
            out += [f"$CATEGORY: $course$/top/{title}{levels}", ""]
            category = levels
        report = QuestionReport(index=index, key=question["key"], action="exported")
        reports.append(report)
        if common.left_out(question, report, "GIFT"):
            continue
        out.append(_question(index, question, report))
    return "\n".join(out), reports


def _question(index: int, q: dict[str, Any], report: QuestionReport) -> str:
    if q["kind"] in dropdowns.UNWRITABLE:
        return dropdowns.left_out(index, q, report)
    if q.get("hints"):
        report.warn("hints", "lost", "GIFT has no hints.")
    if q["kind"] == "description":
        return text_kinds.description(index, q, report)
    if Decimal(q["points"]) != 1:
        report.warn("points", "lost", f"GIFT has no points: Moodle gives 1, not {q['points']}.")
    common.outcome_feedback_lost(q, report, "GIFT questions")
    ids = [f"[id:{q['key']}]"] + [f"[tag:{tag}]" for tag in q["tags"]]
    ids += [f"[{common.ALL_OR_NOTHING_MARK}]"] * common.is_all_or_nothing(q)
    html = markup.is_rich(q)
    part = partial(markup.part, html=html)
    head = f"// question: {index}  name: {q['key']}\n// {' '.join(ids)}\n"
    head += f"::{_escape(q['key'])}::{markup.question_text(q, html=html)}"
    explanation = f"####{part(q['explanation'])}" if q["explanation"] else ""
    pair = _true_false(q["choices"]) if q["kind"] == "true_false" else None
    if pair is not None:
        true, false = pair
        right, wrong = (true, false) if true["is_correct"] else (false, true)
        answer = "TRUE" if true["is_correct"] else "FALSE"
        feedback = ""
        if wrong["feedback"] or right["feedback"]:
            feedback = f"#{part(wrong['feedback'])}"
        if right["feedback"]:
            feedback += f"#{part(right['feedback'])}"
        return f"{head}{{{answer}{feedback}{explanation}}}\n"
    if q["kind"] == "true_false":
        report.warn("kind", "changed", "GIFT's {T}/{F} has no choice texts: written as choices.")
    if q["kind"] == "true_false":
        common.choice_percents_lost(q, report, "GIFT's true/false questions")
    if q["kind"] == "essay":
        return text_kinds.essay(head, q, explanation, report)
    if q["kind"] == "cloze":
        report.action = "skipped"
        report.warn("kind", "lost", "GIFT has no embedded answers: use Moodle XML for cloze.")
        return ""
    lines = [head + ("{#" if q["kind"] == "numerical" else "{")]
    if q["kind"] == "numerical":
        lines += moodle_numbers.gift_numerical_lines(q, report, part=part)
    elif q["kind"] == "short_answer" and q["spec"].get("answers"):
        if q["spec"].get("case_sensitive"):
            report.warn("spec", "lost", "GIFT cannot say an answer must match case.")
        lines += [
            f"\t=%{common.moodle_fraction(Decimal(str(a['fraction'])) * 100)}%"
            + markup.plain(a["text"], html=html)
            + (f"#{part(a['feedback'])}" if a["feedback"] else "")
            for a in q["spec"]["answers"]
        ]
    elif q["kind"] == "short_answer":
        answers = [markup.plain(common.moodle_answer(p), html=html) for p in q["patterns"]]
        lines += [f"\t=%100%{answer}" for answer in answers]
        report.warn(
            "patterns",
            "changed",
            "Moodle matches the whole answer with * as a wildcard: each pattern p is the "
            "answer *p*, which also matches inside longer words ('test' in 'contest').",
        )
        if q.get("model_answer"):
            report.warn("model_answer", "lost", common.MODEL_ANSWER_LOST)
    elif q["kind"] == "matching":
        lines += dropdowns.matching_lines(q, report, part=part)
    else:
        lines += _choices(q, report, part=part)
    if explanation:
        lines.append(f"\t{explanation}")
    return "\n".join(lines) + "\n}\n"


def _choices(q: dict[str, Any], report: QuestionReport, *, part: Callable[[str], str]) -> list[str]:
    single = q["kind"] != "multiple_response"
    if not single and (q.get("spec") or {}).get("scoring") != common.PER_OPTION:
        report.warn("kind", "note", common.MOODLE_PARTIAL_CREDIT)
    lines = []
    for choice, percent in zip(q["choices"], common.choice_percents(q), strict=True):
        # As Moodle writes them: = for the one right answer, ~ for nothing, else ~%n%.
        if single and choice["is_correct"]:
            sign = "="
        elif percent == 0:
            sign = "~"
        else:
            sign = f"~%{common.moodle_fraction(percent)}%"
        feedback = f"#{part(choice['feedback'])}" if choice["feedback"] else ""
        lines.append(f"\t{sign}{part(choice['text'])}{feedback}")
    return lines


def _true_false(choices: list[dict[str, Any]]) -> tuple[dict, dict] | None:
    by_text = {c["text"].strip().casefold(): c for c in choices}
    if len(choices) == 2 and set(by_text) == {"true", "false"}:
        return by_text["true"], by_text["false"]
    return None


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("\r", "")
    for escaped, char in _ESCAPES.items():
        text = text.replace(char, escaped)
    return text


# Import ---------------------------------------------------------------------------------------


def load(text: str) -> ParsedFile:
    ours = common.MOODLE_MARKER in text[:1000]
    parsed = ParsedFile(ours=ours)
    category: tuple[str, ...] = ()
    for line, lines in _blocks(text):
        comments = "\n".join(x.strip() for x in lines if x.strip().startswith("//"))
        body = "\n".join(" " if x.strip().startswith("//") else x for x in lines).strip()
        if not body:
            continue
        if body.startswith("$CATEGORY:"):
            # Moodle reads the rest of the line as the category; a question may follow it.
            first, _, body = body.partition("\n")
            category = category_path(first.removeprefix("$CATEGORY:"))
            body = body.strip()
            if not body:
                continue
        body = _hold(body)
        item = parsed.add(line=line)
        item.category = category
        _read(body, comments, item, ours=ours)
    return parsed


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Questions are separated by blank lines: (first line number, lines) per question."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 1
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _read(text: str, comments: str, item: ParsedQuestion, *, ours: bool) -> None:
    report, data = item.report, item.data
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end != -1:
            name, text = _release(text[2:end]).strip(), text[end + 2 :].strip()
    ids = _ID.search(comments)
    report.key = common.key_from(ids.group(1).replace("\\]", "]") if ids else name, report)
    if report.key:
        data["key"] = report.key
    tags = [t.replace("\\]", "]") for t in _TAG.findall(comments)]
    if tags:
        data["tags"] = common.tags_from(tags, report)

    start, finish = text.find("{"), text.find("}")
    if start == -1 and finish == -1:
        data["kind"], data["points"] = "description", "0"
        data["text"] = _text(text, "moodle", report, "text")[1]
        return
    if start == -1 or finish == -1 or finish < start:
        report.error("question", "The answers need an opening { and a closing }.")
        return
    answers = text[start + 1 : finish].strip()
    if text.rstrip().endswith("}"):
        question_text = text[:start] + text[finish + 1 :]
    else:
        question_text = text[:start] + "_____" + text[finish + 1 :]
        report.warn("text", "note", "The blank of the missing-word format is written _____.")
    default, data["text"] = _text(question_text, "moodle", report, "text")
    separator = answers.rfind("####")
    if separator != -1:
        _, data["explanation"] = _text(answers[separator + 4 :], default, report, "explanation")
        answers = answers[:separator].strip()

    kind = _kind(answers)
    if kind == "match":
        dropdowns.read_matching(answers, default, data, report)
    elif kind in _SKIPPED:
        item.skip = _SKIPPED[kind]
    elif kind == "essay":
        data["kind"] = "essay"
    elif kind == "multichoice":
        marked = ours and f"[{common.ALL_OR_NOTHING_MARK}]" in comments
        _read_choices(answers, default, data, report, all_or_nothing=marked)
    elif kind == "truefalse":
        _read_true_false(answers, default, data, report)
    elif kind == "numerical":
        moodle_numbers.gift_numerical_read(
            answers, data, report, text=lambda raw, field: _text(raw, default, report, field)[1]
        )
    else:
        text_kinds.read_short(answers, default, data, report, ours=ours)


def _kind(answers: str) -> str:
    if not answers:
        return "essay"
    if answers.startswith("#"):
        return "numerical"
    if "~" in answers:
        return "multichoice"
    if "=" in answers and "->" in answers:
        return "match"
    if answers.split("#", 1)[0].strip() in _TRUE_FALSE:
        return "truefalse"
    return "shortanswer"


def _read_choices(
    answers: str, default: str, data: dict, report: QuestionReport, *, all_or_nothing: bool
) -> None:
    single = "=" in answers
    data["kind"] = "single_choice" if single else "multiple_response"
    choices, percents = [], []
    for raw in [a.strip() for a in answers.replace("=", "~=").split("~")]:
        if not raw:
            continue
        if raw.startswith("="):  # as Moodle reads it: no weight after an =
            weight, raw = Decimal(1), raw[1:]
        else:
            weight, raw = _weight(raw, exact=0)
        percents.append(weight * 100)
        answer, feedback = [*raw.split("#", 1), ""][:2]
        choices.append(
            {
                "text": _text(answer, default, report, "choices")[1],
                "feedback": _text(feedback, default, report, "choices")[1],
            }
        )
    spec = common.choices_from_percents(
        choices, percents, single=single, all_or_nothing=all_or_nothing
    )
    if spec:
        data["spec"] = spec
    data["choices"] = choices


def _read_true_false(answers: str, default: str, data: dict, report: QuestionReport) -> None:
    bits = [*answers.split("#", 2), "", ""]
    truth = _TRUE_FALSE[bits[0].strip()]
    wrong = _text(bits[1], default, report, "choices")[1]
    right = _text(bits[2], default, report, "choices")[1]
    data["kind"] = "true_false"
    data["choices"] = [
        {"text": "True", "is_correct": truth, "feedback": right if truth else wrong},
        {"text": "False", "is_correct": not truth, "feedback": wrong if truth else right},
    ]


def _weight(raw: str, *, exact: int) -> tuple[Decimal, str]:
    """A leading `%n%` weight as a fraction of 1 (`exact` without one), and the rest."""
    found = _WEIGHT.match(raw)
    if not found:
        return Decimal(exact), raw
    return Decimal(found.group(1)) / 100, raw[found.end() :]


def _text(raw: str, default: str, report: QuestionReport, field: str) -> tuple[str, str]:
    """(format, text) of a GIFT text with an optional [format] prefix: HTML kept sanitised
    in the fields that may be rich, turned into plain text in the others."""
    raw = raw.strip()
    text_format = default
    found = _FORMAT.match(raw)
    if found:
        text_format, raw = found.group(1), raw[found.end() :]
    text = _release(raw).strip()
    html = text_format == "html" or (text_format == "moodle" and looks_like_html(text))
    if html and field in _RICH_FIELDS:
        text = rich_read(text, report, field)
    elif html:
        text, dropped = text_from_html(text)
        if dropped:
            report.warn(field, "changed", f"Markup {dropped_note(dropped)}.")
    elif text_format == "markdown" and text:
        report.warn(field, "note", "Markdown is kept as plain text.")
    return text_format, text


def _hold(text: str) -> str:
    """Escaped characters become placeholders (as Moodle's escapedchar_pre does)."""
    text = text.replace("\\\\", _BACKSLASH_HOLD)
    for escaped, hold in _HOLD.items():
        text = text.replace(escaped, hold)
    return text.replace(_BACKSLASH_HOLD, "\\")


def _release(text: str) -> str:
    for escaped, hold in _HOLD.items():
        text = text.replace(hold, _ESCAPES[escaped])
    return text
