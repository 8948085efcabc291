"""Question-bank import and export: native JSON, Moodle XML, GIFT, QTI 1.2 (Canvas), QTI 3.0.

    bank_export(*, bank, fmt) -> ExportResult(text, content_type, filename, report)
    bank_import(*, bank, text, fmt, dry_run, user=None) -> ImportReport  (never raises)

Both reports say, question by question, what a format could not hold (`as_dict()` is the
API's JSON). One module per format (`load` and `dump`), `report.py` for the reports,
`markup.py` (XML and HTML) and `common.py` (keys, tags, patterns) for what formats share,
`importing.py` for how an import keeps its transactions short.
"""

from lti_quiz.api.formats.categories import MODES as CATEGORY_MODES
from lti_quiz.api.formats.importing import bank_import
from lti_quiz.api.formats.report import (
    ExportReport,
    ExportResult,
    FileError,
    ImportReport,
    Note,
    QuestionReport,
)
from lti_quiz.api.formats.services import FORMATS, MAX_IMPORT_BYTES, bank_export

__all__ = [
    "CATEGORY_MODES",
    "FORMATS",
    "MAX_IMPORT_BYTES",
    "ExportReport",
    "ExportResult",
    "FileError",
    "ImportReport",
    "Note",
    "QuestionReport",
    "bank_export",
    "bank_import",
]
