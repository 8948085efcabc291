"""Export a bank to a file, read an uploaded file: the formats' one way out and first step in.

`parse_file` checks size, encoding and nesting and hands the text to its format's reader;
`importing.bank_import` takes it from there.
"""

import logging
import re
from types import ModuleType
from typing import Any

from lti_quiz.api.formats import gift, moodle_xml, native_json, qti12, qti30
from lti_quiz.api.formats.report import (
    ExportReport,
    ExportResult,
    FileError,
    NestedTooDeeply,
    ParsedFile,
    QuestionReport,
)
from lti_quiz.quiz.models import Question, QuestionBank
from lti_quiz.quiz.question_format import question_data

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


def _module(fmt: str) -> ModuleType:
    try:
        return _MODULES[fmt]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.") from None


def parse_file(text: str | bytes, fmt: str) -> ParsedFile:
    """The file read by its format's reader; FileError when it cannot be (never another
    exception: a reader's bug is logged and reported as a FileError too)."""
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
    except NestedTooDeeply:
        # Someone's odd file, not our bug: a line without a trace.
        logger.warning("Refused a %s file nested too deeply", fmt)
        raise
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
