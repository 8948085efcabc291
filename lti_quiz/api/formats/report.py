"""What an import or export did, question by question: the shared report of every format.

Nothing is dropped silently: each thing a format cannot hold, and each thing it holds
differently, becomes a `Note` on its question, naming the field and whether it was lost or
changed. A file that cannot be read at all is a `FileError` with the line where reading
stopped; it is reported, never raised out of `bank_import`.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

Effect = Literal["lost", "changed", "note"]
ImportAction = Literal["created", "updated", "unchanged", "invalid", "skipped"]
ExportAction = Literal["exported", "skipped"]

IMPORT_ACTIONS: tuple[ImportAction, ...] = ("created", "updated", "unchanged", "invalid", "skipped")
EXPORT_ACTIONS: tuple[ExportAction, ...] = ("exported", "skipped")


@dataclass(frozen=True)
class Note:
    """One thing a conversion could not keep as it was.

    field: the QuestionData field it concerns ("tags", "patterns", "choices", ...; "question"
    for the question as a whole). effect: "lost" (not carried), "changed" (carried
    differently), "note" (worth knowing, nothing lost).
    """

    field: str
    effect: Effect
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "effect": self.effect, "message": self.message}


class FileError(Exception):
    """The file as a whole cannot be read (or refused): nothing in it is imported.

    `status_code` and `code` are the API's answer to it (`summary()` its message).
    """

    status_code = 400
    code = "invalid_file"

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"{message} (line {line})" if line else message)

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "line": self.line}

    def summary(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"The file could not be read: {self.message}{where}"


class NestedTooDeeply(FileError):
    """Refused before any reader recursed into it (see `api.nesting`)."""

    def __init__(self, limit: int, *, line: int | None = None) -> None:
        super().__init__(f"The file is nested too deeply: at most {limit} levels.", line=line)


class TooManyQuestions(FileError):
    """More questions than one import may hold (settings.API_IMPORT_MAX_QUESTIONS)."""

    status_code = 413
    code = "too_large"

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(
            f"The file holds {count:,} questions; one import takes at most {limit:,} "
            "(API_IMPORT_MAX_QUESTIONS). Split it into smaller files."
        )
        self.count = count
        self.limit = limit

    def summary(self) -> str:
        return self.message


@dataclass
class QuestionReport:
    """One question of a file (import) or of the bank (export).

    index: 1-based position in the file or the export. line: where the question starts in the
    file (imports of text formats), None otherwise.
    """

    index: int
    key: str = ""
    action: str = ""
    line: int | None = None
    warnings: list[Note] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def warn(self, field_name: str, effect: Effect, message: str) -> None:
        note = Note(field_name, effect, message)
        if note not in self.warnings:
            self.warnings.append(note)

    def error(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(message)

    def fields(self, effect: Effect) -> set[str]:
        """The fields with a note of this effect (e.g. every field a conversion lost)."""
        return {note.field for note in self.warnings if note.effect == effect}

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "key": self.key,
            "action": self.action,
            "line": self.line,
            "warnings": [note.as_dict() for note in self.warnings],
            "errors": self.errors,
        }


@dataclass
class ImportReport:
    """The answer of `bank_import`; `as_dict()` is the API's JSON body.

    `error` set: the file was refused or could not be read, nothing was imported.
    """

    format: str
    dry_run: bool
    questions: list[QuestionReport] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    error: FileError | None = None

    @property
    def totals(self) -> dict[str, int]:
        counts = Counter(q.action for q in self.questions)
        return {action: counts.get(action, 0) for action in IMPORT_ACTIONS}

    @property
    def ok(self) -> bool:
        """The file was read and every question in it was imported or already there."""
        return self.error is None and not any(
            q.action in ("invalid", "skipped") for q in self.questions
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "error": self.error.as_dict() if self.error else None,
            "totals": self.totals,
            "warnings": [note.as_dict() for note in self.warnings],
            "questions": [q.as_dict() for q in self.questions],
        }


@dataclass
class ExportReport:
    format: str
    questions: list[QuestionReport] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        counts = Counter(q.action for q in self.questions)
        return {action: counts.get(action, 0) for action in EXPORT_ACTIONS}

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "totals": self.totals,
            "warnings": [note.as_dict() for note in self.warnings],
            "questions": [q.as_dict() for q in self.questions],
        }


@dataclass(frozen=True)
class ExportResult:
    text: str
    content_type: str
    filename: str
    report: ExportReport


@dataclass
class ParsedQuestion:
    """A question as a format read it, before validation.

    `data` holds only the fields the file carries: an import updating an existing question
    leaves the others as they are, and a new question gets the defaults for them.
    `skip`: why the entry is not imported at all (a question type with no equivalent here).
    `category`: the Moodle category path it was read under (see `categories`); `added_tags`:
    the tags an import adds to a stored question's own (its file named none).
    """

    report: QuestionReport
    data: dict[str, Any] = field(default_factory=dict)
    skip: str = ""
    category: tuple[str, ...] = ()
    added_tags: list[str] = field(default_factory=list)  # the only tags, in a file with none
    # Files its texts embed, by the media URL they point at: (name, bytes), stored on import.
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


@dataclass
class ParsedFile:
    questions: list[ParsedQuestion] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    ours: bool = False  # written by this tool's export (see `categories`)

    def add(self, *, line: int | None = None) -> ParsedQuestion:
        item = ParsedQuestion(QuestionReport(index=len(self.questions) + 1, line=line))
        self.questions.append(item)
        return item
