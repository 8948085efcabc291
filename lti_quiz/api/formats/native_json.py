"""Native JSON: a bank with every question exactly as QuestionData says it. Lossless.

    {"format": "lti-quiz-question-bank", "format_version": 1,
     "bank": {"slug": ..., "title": ...},
     "questions": [{"key", "kind", "text", "points", "explanation", "tags", "status",
                    "choices": [{"text", "is_correct", "feedback"}], "patterns"}, ...]}

Imports also take a bare list of questions. A file of a newer format_version is refused
rather than half understood.
"""

import json
from collections.abc import Mapping
from typing import Any

from lti_quiz.api.formats.report import FileError, NestedTooDeeply, ParsedFile, QuestionReport
from lti_quiz.api.nesting import MAX_DEPTH, json_too_deep
from lti_quiz.quiz.question_format import QUESTION_FIELDS

NAME = "json"
CONTENT_TYPE = "application/json"
KEEPS_STATUS = True
EXTENSION = ".json"
FORMAT_NAME = "lti-quiz-question-bank"
FORMAT_VERSION = 1


def dump(*, bank: Mapping[str, str], questions: list[dict[str, Any]]) -> tuple[str, list]:
    document = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "bank": {"slug": bank["slug"], "title": bank["title"]},
        "questions": questions,
    }
    reports = [
        QuestionReport(index=n, key=q["key"], action="exported")
        for n, q in enumerate(questions, start=1)
    ]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n", reports


def load(text: str) -> ParsedFile:
    if json_too_deep(text):
        raise NestedTooDeeply(MAX_DEPTH)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileError(f"The file is not valid JSON: {exc.msg}.", line=exc.lineno) from None
    entries: Any
    if isinstance(document, list):
        entries = document
    elif isinstance(document, Mapping):
        _check_header(document)
        entries = document.get("questions")
        if not isinstance(entries, list):
            raise FileError('The file has no "questions" list.')
    else:
        raise FileError('Expected an object with a "questions" list, or a list of questions.')

    parsed = ParsedFile()
    for entry in entries:
        item = parsed.add()
        if not isinstance(entry, Mapping):
            item.report.error("question", "Expected an object of question fields.")
            continue
        key = entry.get("key", "")
        item.report.key = key if isinstance(key, str) else ""
        for name, value in entry.items():
            if name in QUESTION_FIELDS:
                item.data[name] = value
            else:
                item.report.error(str(name), "Unknown field.")
    return parsed


def _check_header(document: Mapping[str, Any]) -> None:
    name = document.get("format", FORMAT_NAME)
    if name != FORMAT_NAME:
        raise FileError(f"This is not a question bank file (format {str(name)[:60]!r}).")
    version = document.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FileError("format_version must be a whole number.")
    if version > FORMAT_VERSION:
        raise FileError(
            f"The file has format_version {version}, written by a newer lti-quiz; "
            f"this one reads version {FORMAT_VERSION}."
        )
