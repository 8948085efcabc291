"""Conversions more than one format needs: keys, tags, points, short-answer patterns.

Patterns here are words matched whole, in any case, anywhere in the answer, with an optional
`*` ending a word ("test*": tests, testing). Moodle compares the WHOLE answer with `*` as a
wildcard for any characters, Canvas and QTI compare exact text: no format says exactly what
a pattern says, so each conversion reports how the meaning moved.
"""

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.text import slugify

from lti_quiz.api.formats.report import QuestionReport
from lti_quiz.lib.slugs import is_slug
from lti_quiz.quiz import patterns as pattern_rules
from lti_quiz.quiz.kinds.choice import ALL_OR_NOTHING, PER_OPTION, effective_fractions
from lti_quiz.quiz.question_format import MAX_KEY, MAX_MODEL_ANSWER, MAX_TAG, TAG_RE

CENT = Decimal("0.01")

# Written at the top of Moodle XML and GIFT exports: a file carrying it writes each pattern p
# as the Moodle answer "*p*", so an import gives back p exactly. Files from anywhere else are
# read by what Moodle's wildcard means.
MOODLE_MARKER = "Written by lti-quiz: each short-answer pattern p is the Moodle answer *p*."
SHORT_FEEDBACK_LOST = "Feedback on a short answer has no equivalent here."
MOODLE_PARTIAL_CREDIT = (
    "Moodle gives partial credit for each correct choice ticked (a wrong one cancels it); "
    "this multiple response is all or nothing here (Moodle scores it per option)."
)


OUTCOME_FEEDBACK_NAMES = {
    "correct_feedback": "right",
    "partially_correct_feedback": "partly right",
    "incorrect_feedback": "wrong",
}


def outcome_feedback_lost(q: dict[str, Any], report: QuestionReport, where: str) -> None:
    """Report each feedback for a right, partly right or wrong answer that `where` cannot hold
    (a question exported without them keeps only its per-choice feedback and explanation)."""
    for field, outcome in OUTCOME_FEEDBACK_NAMES.items():
        if q.get(field):
            report.warn(field, "lost", f"{where} have no feedback for a {outcome} answer.")


def key_from(raw: str, report: QuestionReport) -> str:
    """A question key from a file's id or name ("" when there is none)."""
    raw = raw.strip()
    if not raw:
        return ""
    if is_slug(raw) and len(raw) <= MAX_KEY:
        return raw
    key = slugify(raw)[:MAX_KEY].strip("-")
    report.warn("key", "changed", f"The file's id {raw[:60]!r} became the key {key!r}.")
    return key


def tags_from(raws: list[str], report: QuestionReport) -> list[str]:
    """Tags as this bank writes them: one word, letters, digits, - _ . inside."""
    tags: list[str] = []
    for raw in raws:
        tag = re.sub(r"\s+", "-", raw.strip())
        tag = re.sub(r"[^\w.-]", "", tag).lstrip(".-")[:MAX_TAG]
        if not tag or not TAG_RE.match(tag):
            report.warn("tags", "lost", f"The tag {raw!r} has no letters or digits: left out.")
            continue
        if tag != raw:
            report.warn("tags", "changed", f"The tag {raw!r} became {tag!r}.")
        if tag not in tags:
            tags.append(tag)
    return tags


def points_from(raw: str, report: QuestionReport) -> str | None:
    """Points with 2 decimals; None (and an error) when `raw` is not a number."""
    try:
        value = Decimal(raw.strip())
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        report.error("points", f"{raw.strip()[:30]!r} is not a number.")
        return None
    rounded = value.quantize(CENT)
    if rounded != value:
        report.warn("points", "changed", f"Points {raw.strip()} were rounded to {rounded}.")
    return str(rounded)


def number_text(value: Decimal | str) -> str:
    """A number without trailing zeros or exponent: 1, 2.5, 10."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fraction_from_percent(percent: Decimal) -> str:
    """A Moodle grade percentage (50, 33.33333) as a fraction of QuestionData ("0.5")."""
    fraction = (percent / 100).quantize(Decimal("0.0000001"))
    return f"{fraction.normalize():f}"


def moodle_fraction(percent: Decimal) -> str:
    """A grade percentage as Moodle writes it: 100, 50, 33.33333, -100."""
    text = f"{percent:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# The grades Moodle accepts for an answer (question_bank::fraction_options_full), in percent.
MOODLE_GRADES = {
    Decimal(g)
    for g in (
        "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333",
        "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0",
    )
}  # fmt: skip


def moodle_share(count: int) -> Decimal:
    """Each of `count` correct choices' share of 100%, rounded as Moodle rounds it."""
    return (Decimal(100) / count).quantize(Decimal("0.00001"))


def moodle_answer(pattern: str) -> str:
    """The Moodle answer written for a pattern (in files carrying MOODLE_MARKER)."""
    return f"*{pattern}*"


def pattern_from_moodle(answer: str, *, ours: bool) -> tuple[str | None, str]:
    """A pattern from a Moodle short answer, and how its meaning changed ("" if not at all).

    None: the answer cannot be a pattern here (the reason is the second value).
    """
    answer = " ".join(answer.split())
    if ours and len(answer) > 2 and answer.startswith("*") and answer.endswith("*"):
        inner = answer[1:-1]
        if _valid(inner):
            return inner, ""
    core = answer.lstrip("*").strip()
    trailing = core.endswith("*")
    core = core.rstrip("*").strip() + ("*" if trailing else "")
    if not core.strip("*"):
        return None, f"{answer!r} accepts any answer: left out (unmatched answers wait for review)"
    if not _valid(core):
        return None, (
            f"{answer!r} uses * inside a word or characters other than letters and digits: left out"
        )
    if answer.startswith("*"):
        how = f"{answer!r} matched inside words in Moodle; here {core!r} matches whole words"
    elif trailing:
        how = f"{answer!r} had to start the answer in Moodle; here {core!r} matches anywhere"
    else:
        how = f"Moodle accepted exactly {answer!r}; here {core!r} matches anywhere in the answer"
    return core, how


def pattern_from_exact(text: str) -> tuple[str | None, str]:
    """A pattern from an exact expected answer (Canvas, QTI string match)."""
    answer = " ".join(text.split())
    if not answer:
        return None, "an empty expected answer was left out"
    if _valid(answer):
        return answer, f"{answer!r} was the exact answer; here it matches anywhere in the answer"
    words = re.sub(r"[^\w\s-]", " ", answer).split()
    core = " ".join(words)
    if words and _valid(core):
        return core, f"{answer!r} was the exact answer; here {core!r} matches anywhere in it"
    return None, f"{answer!r} has no letters or digits: left out"


def exact_from_pattern(pattern: str) -> str:
    """The exact answer closest to a pattern, for formats that only compare exact text."""
    return " ".join(pattern_rules.normalize(pattern).replace("*", "").split())


def _valid(pattern: str) -> bool:
    try:
        pattern_rules.validate(pattern)
    except ValueError:
        return False
    return True


def patterns_read(found: Iterable[tuple[str | None, str]], report: QuestionReport) -> list[str]:
    """A short answer's accepted patterns, each once, from what a file's answers became.

    `found`: (pattern, how its meaning changed) pairs as `pattern_from_moodle` and
    `pattern_from_exact` give them; a None pattern was left out, `how` saying why. The changes
    and losses go in one note each per question (a list reads better than ten notes).
    """
    accepted: list[str] = []
    changes: list[str] = []
    lost: list[str] = []
    for pattern, how in found:
        if pattern is None:
            lost.append(how)
        elif pattern not in accepted:
            accepted.append(pattern)
            if how:
                changes.append(how)
    if changes:
        report.warn("patterns", "changed", "; ".join(changes) + ".")
    if lost:
        report.warn("patterns", "lost", "; ".join(lost) + ".")
    return accepted


def plain(value: Any) -> str:
    return value if isinstance(value, str) else ""


MODEL_ANSWER_LOST = "Moodle's short answer has no model answer: it is left out."


def model_answer_read(full_credit: list[str], *, ours: bool) -> str:
    """A short answer's model answer from a Moodle file: its first full-credit answer without
    the wildcards (Moodle's answers are the expected answers themselves). Our own exports write
    patterns there, which are no model answer: "" for those."""
    if ours or not full_credit:
        return ""
    return " ".join(full_credit[0].replace("*", " ").split())[:MAX_MODEL_ANSWER]


def short_answer_as_patterns(q: dict[str, Any], report: QuestionReport) -> dict[str, Any]:
    """A short answer kept in Moodle's terms (spec.answers) as patterns, for a format that has
    only exact or pattern answers: its full-marks answers become patterns; partial credit and
    answer feedback are reported lost, and matching anywhere instead of whole is reported."""
    answers = q.get("spec", {}).get("answers")
    if q["kind"] != "short_answer" or not answers:
        return q
    patterns: list[str] = []
    for answer in answers:
        fraction = Decimal(str(answer.get("fraction", "1")))
        if answer.get("feedback"):
            report.warn("spec", "lost", SHORT_FEEDBACK_LOST)
        if fraction < 1:
            if answer["text"].strip("* "):
                percent = moodle_fraction(fraction * 100)
                report.warn("spec", "lost", f"{answer['text']!r} gave {percent}%: left out.")
            continue
        pattern, how = pattern_from_moodle(answer["text"], ours=False)
        if pattern is None:
            report.warn("spec", "lost", how + ".")
        elif pattern not in patterns:
            patterns.append(pattern)
            if how:
                report.warn("spec", "changed", how + ".")
    if not patterns:
        patterns = [pattern_from_exact(answers[0]["text"])[0] or "answer"]
    return {**q, "patterns": patterns, "spec": {}}


# Choice fractions as Moodle and GIFT write them (percent of the grade) -------------------------

FRACTION_STEP = Decimal("0.0000001")


def choice_percents(q: dict[str, Any]) -> list[Decimal]:
    """Each choice's share of the grade in percent (docs/question-kinds.md): its fraction or
    the default of its scoring rule. An all-or-nothing multiple response, which Moodle cannot
    say, is written as Moodle's shares: 100/R for a right choice, -100 for a wrong one."""
    choices = q["choices"]
    if q["kind"] == "multiple_response":
        scoring = (q.get("spec") or {}).get("scoring", ALL_OR_NOTHING)
        if scoring == ALL_OR_NOTHING:
            share = moodle_share(sum(c["is_correct"] for c in choices) or 1)
            return [share if c["is_correct"] else Decimal(-100) for c in choices]
    else:
        scoring = "single"
    return [value * 100 for value in effective_fractions(choices, scoring)]


def choice_percents_lost(q: dict[str, Any], report: QuestionReport, where: str) -> None:
    """Report fractions a format that marks choices only right or wrong cannot keep."""
    per_option = (q.get("spec") or {}).get("scoring") == PER_OPTION
    if per_option or any(c.get("fraction") not in (None, "") for c in q["choices"]):
        report.warn("choices", "lost", f"{where} have no partial credit per choice.")
    if per_option:
        report.warn("spec", "lost", f"{where} score a multiple response all or nothing.")


# Our own exports mark an all-or-nothing multiple response (Moodle has no such rule, and its
# percents alone cannot say it): an element Moodle ignores, a GIFT comment.
ALL_OR_NOTHING_MARK = "lti_quiz_all_or_nothing"


def is_all_or_nothing(q: dict[str, Any]) -> bool:
    return (
        q["kind"] == "multiple_response"
        and (q.get("spec") or {}).get("scoring", ALL_OR_NOTHING) == ALL_OR_NOTHING
    )


def choices_from_percents(
    choices: list[dict[str, Any]],
    percents: list[Decimal],
    *,
    single: bool,
    all_or_nothing: bool = False,
) -> dict[str, Any]:
    """Set each choice's `is_correct` and `fraction` from a file's percents; returns the
    question's `spec`. Fractions equal to the default are left out, so what a default wrote
    reads back as the default. A multiple response is scored per option, as in Moodle, unless
    the file marks it `all_or_nothing` (our own exports, ALL_OR_NOTHING_MARK)."""
    right = sum(p > 0 for p in percents) or 1
    if single:
        for choice, percent in zip(choices, percents, strict=True):
            choice["is_correct"] = percent >= 100
            if percent not in (0, 100):
                choice["fraction"] = _fraction(percent)
        return {}
    for choice, percent in zip(choices, percents, strict=True):
        choice["is_correct"] = percent > 0
    share = moodle_share(right)
    if all_or_nothing:
        return {}
    for choice, percent in zip(choices, percents, strict=True):
        default = share if percent > 0 else -share
        if moodle_fraction(percent) != moodle_fraction(default):
            choice["fraction"] = _fraction(percent)
    return {"scoring": PER_OPTION}


def _fraction(percent: Decimal) -> str:
    value = (percent / 100).quantize(FRACTION_STEP)
    return f"{value.normalize():f}"


# Kinds only Moodle XML carries (made anew per attempt from formulas or from other questions).
MOODLE_XML_ONLY = {
    "calculated": "calculated questions",
    "calculated_choice": "calculated multiple-choice questions",
    "random_matching": "random short-answer matching questions",
}


def left_out(q: dict[str, Any], report: QuestionReport, fmt: str) -> bool:
    """Whether the question is of a kind format `fmt` cannot hold (then reported skipped)."""
    what = MOODLE_XML_ONLY.get(q["kind"])
    if what is None:
        return False
    report.action = "skipped"
    report.warn("question", "lost", f"{fmt} has no {what}: export the bank as Moodle XML.")
    return True
