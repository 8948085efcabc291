"""Export a bank to a file, read an uploaded file: the formats' one way out and first step in.

`parse_file` checks size, encoding and nesting and hands the text to its format's reader;
`importing.bank_import` takes it from there.
"""

import logging
import re
from types import ModuleType
from typing import Any

from django.utils.translation import gettext as _

from lti_quiz.api.formats import gift, moodle_xml, native_json, packages, qti12, qti30
from lti_quiz.api.formats.categories import CATEGORY_FORMATS
from lti_quiz.api.formats.decoding import decode_upload
from lti_quiz.api.formats.report import (
    ExportReport,
    ExportResult,
    FileError,
    NestedTooDeeply,
    Note,
    ParsedFile,
    QuestionReport,
)
from lti_quiz.api.formats.sub_banks import sub_banks_below
from lti_quiz.quiz.models import Question, QuestionBank
from lti_quiz.quiz.question_format import question_data

logger = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 5 * 1024 * 1024
_MODULES: dict[str, ModuleType] = {
    module.NAME: module for module in (native_json, moodle_xml, gift, qti12, qti30)
}
FORMATS = ("json", "moodle_xml", "gift", "qti12", "qti30")
_PACKAGED = ("qti12", "qti30")
# What XML 1.0 cannot carry at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def bank_export(*, bank: QuestionBank, fmt: str) -> ExportResult:
    """The bank's questions (oldest first) in `fmt`. Raises ValueError for an unknown format.

    Formats that cannot mark a question archived (GIFT, QTI) leave archived questions out
    (reported as skipped): Moodle or Canvas would otherwise ask them again.
    """
    module = _module(fmt)
    banks: list[tuple[QuestionBank, tuple[str, ...]]] = [(bank, ())]
    if fmt in CATEGORY_FORMATS:  # sub-banks go along as Moodle categories (`categories`)
        banks += sub_banks_below(bank)
    reports: list[QuestionReport] = []
    exported: list[dict[str, Any]] = []
    exported_reports: list[QuestionReport] = []
    for source, path in banks:
        questions = source.questions.order_by("pk").prefetch_related("choices", "patterns")
        for question in questions:
            data = question_data(question)
            report = QuestionReport(index=len(reports) + 1, key=data["key"])
            reports.append(report)
            if data["status"] == Question.Status.ARCHIVED and not module.KEEPS_STATUS:
                report.action = "skipped"
                report.warn("status", "lost", "Archived: this format cannot mark it, so left out.")
                continue
            if module.CONTENT_TYPE.endswith("xml"):
                data = _xml_safe(data, report)
            if path:
                data["category"] = list(path)
            exported.append(data)
            exported_reports.append(report)
    text, written = module.dump(bank={"slug": bank.slug, "title": bank.title}, questions=exported)
    for done in written:
        # By position: keys repeat across sub-banks.
        report = exported_reports[done.index - 1]
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
    exception: a reader's bug is logged and reported as a FileError too). Bytes are decoded
    as `decoding` says; a zip is read as a QTI package (`packages`)."""
    if fmt not in _MODULES:
        raise FileError(f"Unknown format {str(fmt)[:40]!r}: use one of {', '.join(FORMATS)}.")
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_IMPORT_BYTES:
        raise FileError(f"The file is {size / 2**20:.1f} MB: imports take at most 5 MB.")
    try:
        if packages.is_zip(text):
            if fmt not in _PACKAGED:
                raise FileError(
                    _("A zip is read as a QTI package only (qti12 or qti30), not as %(fmt)s.")
                    % {"fmt": fmt}
                )
            assert isinstance(text, bytes)
            return packages.package_load(
                text, fmt=fmt, load=_MODULES[fmt].load, decode=lambda raw: _text(raw, fmt)[0]
            )
        text, note = _text(text, fmt)
        parsed = _MODULES[fmt].load(text)
        if note is not None:
            parsed.warnings.insert(0, note)
        return parsed
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


def _text(raw: str | bytes, fmt: str) -> tuple[str, Note | None]:
    """The file as text (JSON is UTF-8 by its RFC 8259; other formats any encoding)."""
    note = None
    if isinstance(raw, bytes):
        if fmt == "json":
            raw = _json_text(raw)
        else:
            raw, note = decode_upload(raw, xml=fmt != "gift")
    raw = raw.lstrip("\ufeff")
    if not raw.strip():
        raise FileError("The file is empty.")
    return raw, note


def _json_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileError("The file is not UTF-8 text.", line=line) from None


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
