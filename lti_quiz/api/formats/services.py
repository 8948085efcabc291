"""Import a file into a bank, export a bank to a file: the formats' one way in and out.

Every question goes through `quiz.bank` (validation, versions): an import is the same as an
editor creating or updating each question by its key, all in one transaction. A dry run does
the same work and rolls it back, so its report is exactly what the real import would say.
"""

import logging
import re
from types import ModuleType
from typing import Any

from django.db import DatabaseError, transaction
from django.utils.text import slugify

from lti_quiz.api.formats import gift, moodle_xml, native_json, qti12, qti30
from lti_quiz.api.formats.report import (
    ExportReport,
    ExportResult,
    FileError,
    ImportReport,
    ParsedFile,
    ParsedQuestion,
    QuestionReport,
)
from lti_quiz.quiz.bank import question_create, question_update
from lti_quiz.quiz.errors import InvalidData, QuizError
from lti_quiz.quiz.models import Question, QuestionBank
from lti_quiz.quiz.question_format import question_data, question_normalize, question_validate

logger = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 5 * 1024 * 1024
_MODULES: dict[str, ModuleType] = {
    module.NAME: module for module in (native_json, moodle_xml, gift, qti12, qti30)
}
FORMATS = ("json", "moodle_xml", "gift", "qti12", "qti30")
_XML_ENCODING = re.compile(
    rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)"""
)
# What XML 1.0 cannot carry at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def bank_export(*, bank: QuestionBank, fmt: str) -> ExportResult:
    """The bank's questions (oldest first) in `fmt`. Raises ValueError for an unknown format.

    Formats that cannot mark a question archived (GIFT, QTI) leave archived questions out
    (reported as skipped): Moodle or Canvas would otherwise ask them again.
    """
    module = _module(fmt)
    questions = bank.questions.order_by("pk").prefetch_related("choices", "patterns")
    reports: list[QuestionReport] = []
    exported: list[dict[str, Any]] = []
    for index, question in enumerate(questions, start=1):
        data = question_data(question)
        report = QuestionReport(index=index, key=data["key"])
        reports.append(report)
        if data["status"] == Question.Status.ARCHIVED and not module.KEEPS_STATUS:
            report.action = "skipped"
            report.warn("status", "lost", "Archived: this format cannot mark it, so left out.")
            continue
        if module.CONTENT_TYPE.endswith("xml"):
            data = _xml_safe(data, report)
        exported.append(data)
    text, written = module.dump(bank={"slug": bank.slug, "title": bank.title}, questions=exported)
    by_key = {r.key: r for r in reports}
    for done in written:
        report = by_key[done.key]
        report.action = done.action
        report.warnings.extend(done.warnings)
    return ExportResult(
        text=text,
        content_type=module.CONTENT_TYPE,
        filename=f"{bank.slug}{module.EXTENSION}",
        report=ExportReport(
            format=fmt, questions=reports, warnings=list(getattr(module, "EXPORT_NOTES", ()))
        ),
    )


def bank_import(
    *, bank: QuestionBank, text: str | bytes, fmt: str, dry_run: bool, user: Any = None
) -> ImportReport:
    """Create or update the file's questions in `bank` by key. Never raises for bad input:
    a file that cannot be read is `report.error`, a bad question is an "invalid" entry."""
    report = ImportReport(format=fmt, dry_run=dry_run)
    try:
        parsed = _parse(text, fmt)
    except FileError as exc:
        report.error = exc
        return report
    report.warnings.extend(parsed.warnings)
    _settle_keys(parsed.questions)
    with transaction.atomic():
        for item in parsed.questions:
            _apply(bank, item, user)
            report.questions.append(item.report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _module(fmt: str) -> ModuleType:
    try:
        return _MODULES[fmt]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.") from None


def _parse(text: str | bytes, fmt: str) -> ParsedFile:
    if fmt not in _MODULES:
        raise FileError(f"Unknown format {str(fmt)[:40]!r}: use one of {', '.join(FORMATS)}.")
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_IMPORT_BYTES:
        raise FileError(f"The file is {size / 2**20:.1f} MB: imports take at most 5 MB.")
    if isinstance(text, bytes):
        text = _decode(text)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise FileError("The file is empty.")
    try:
        return _MODULES[fmt].load(text)
    except FileError:
        raise
    except Exception:
        # A reader bug must not turn a bad upload into a 500: say so, keep the trace in the log.
        logger.exception("The %s reader failed on an upload", fmt)
        raise FileError("The file could not be read (the reader failed; it is logged).") from None


def _decode(raw: bytes) -> str:
    """UTF-8, or the encoding an XML declaration names (older exports say ISO-8859-1)."""
    declared = _XML_ENCODING.match(raw)
    encoding = declared.group(1).decode("ascii") if declared else "utf-8-sig"
    try:
        return raw.decode("utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding)
    except LookupError:
        raise FileError(f"The file declares an unknown encoding, {encoding[:40]!r}.") from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        name = "UTF-8" if encoding.lower().startswith("utf") else encoding
        raise FileError(f"The file is not {name} text.", line=line) from None


def _settle_keys(items: list[ParsedQuestion]) -> None:
    """Give keyless questions a key from their text; refuse a key used twice in one file."""
    seen: dict[str, int] = {}
    for item in items:
        report = item.report
        if item.skip or report.errors:
            continue
        if not report.key:
            base = slugify(" ".join(str(item.data.get("text", "")).split()[:6]))[:60].strip("-")
            key, number = base or "question", 1
            while key in seen:
                number += 1
                key = f"{base or 'question'}-{number}"
            report.key = key
            report.warn(
                "key", "note", f"The file names no id: the key {key!r} comes from the text."
            )
        elif report.key in seen:
            report.error("key", f"Question {seen[report.key]} of this file has this key too.")
            continue
        item.data["key"] = report.key
        seen[report.key] = report.index


def _apply(bank: QuestionBank, item: ParsedQuestion, user: Any) -> None:
    report = item.report
    if item.skip:
        report.action = "skipped"
        report.warn("question", "lost", f"Not imported: {item.skip}.")
        return
    if report.errors:
        report.action = "invalid"
        return
    existing = (
        Question.objects.filter(bank=bank, key=report.key)
        .prefetch_related("choices", "patterns")
        .first()
    )
    try:
        with transaction.atomic():
            if existing is None:
                report.errors = question_validate(item.data, bank=bank)
                if not report.errors:
                    question_create(bank=bank, data=item.data, user=user)
                    report.action = "created"
            else:
                report.errors = question_validate(item.data, partial_of=existing)
                if not report.errors:
                    before = question_data(existing)
                    if question_normalize({**before, **item.data}) == before:
                        report.action = "unchanged"
                    else:
                        question_update(question=existing, data=item.data, user=user)
                        report.action = "updated"
    except InvalidData as exc:
        report.errors = exc.errors
    except QuizError as exc:
        report.errors = {"question": [exc.message]}
    except DatabaseError:
        logger.exception("Importing question %r into bank %s failed", report.key, bank.pk)
        report.errors = {"question": ["The question could not be saved."]}
    if report.errors:
        report.action = "invalid"


def _xml_safe(data: dict[str, Any], report: QuestionReport) -> dict[str, Any]:
    """Replace characters XML cannot carry (control characters) and say so."""

    def clean(value: Any, field: str) -> Any:
        if isinstance(value, str) and _NOT_XML.search(value):
            report.warn(field, "changed", "Control characters XML cannot carry became \ufffd.")
            return _NOT_XML.sub("\ufffd", value)
        if isinstance(value, list):
            return [clean(v, field) for v in value]
        if isinstance(value, dict):
            return {k: clean(v, field) for k, v in value.items()}
        return value

    return {name: clean(value, name) for name, value in data.items()}
