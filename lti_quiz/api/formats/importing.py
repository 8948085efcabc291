"""Import a file into a bank: everything read and checked first, then written in short batches.

An import does what an editor creating or updating each question by its key would do, and
reports it question by question. It never holds the database for long:

1. Outside any transaction: the file is read, its questions counted (at most
   settings.API_IMPORT_MAX_QUESTIONS, else 413), keys settled, the bank's questions with those
   keys read (three queries per BATCH keys), and every question validated and compared with
   the stored one. A dry run ends here: it reads and never writes, so it takes no write lock,
   and its report is what the real import would say.
2. A real import writes what changed in batches of BATCH questions, each one short
   transaction of bulk statements (`quiz.bank.questions_write`): a few statements per hundred
   rows, not several per question.

Why batches inside the request rather than a background task the client polls: on SQLite any
transaction takes the one write lock at BEGIN (settings: transaction_mode IMMEDIATE), so a
task would have to write in short batches too; with batches and the question cap, the
longest import fits in a request, the report comes back in the answer as before, and there is
no job table, status URL or worker queue to keep.

What batches give up is the whole file in one transaction: a real import stopped half way
(the server killed, the database gone) keeps the batches already written; importing the same
file again finishes it (what was written reports "unchanged"). A question is always written
whole (its choices, patterns and version with it) or not at all. A batch that meets a
concurrent change (an editor saved one of its questions, or created one of its keys, after it
was read) is written question by question instead, each read and checked again.
"""

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction

from lti_quiz.api.formats.categories import categories_apply
from lti_quiz.api.formats.report import (
    FileError,
    ImportReport,
    ParsedQuestion,
    TooManyQuestions,
)
from lti_quiz.api.formats.services import parse_file
from lti_quiz.api.formats.sub_banks import (
    category_paths,
    sub_bank_find,
    sub_bank_get_or_create,
    sub_bank_notes,
)
from lti_quiz.lib.errors import InvalidData
from lti_quiz.quiz.bank import question_create, question_update, questions_write
from lti_quiz.quiz.errors import QuizError, VersionConflict
from lti_quiz.quiz.media import media_store
from lti_quiz.quiz.models import Question, QuestionBank
from lti_quiz.quiz.question_format import (
    QUESTION_DEFAULTS,
    key_free,
    key_from_text,
    question_data,
    question_normalize,
    question_validate,
)

logger = logging.getLogger(__name__)

# Questions per read and per write transaction: a batch holds SQLite's write lock for tens of
# milliseconds (`make bench` measures the whole import).
BATCH = 250
PAUSE = 0.02  # seconds between two write batches on SQLite

T = TypeVar("T")


@dataclass(frozen=True)
class _Write:
    """A question a real import writes: new (`stored` None) or changed, with its data after."""

    item: ParsedQuestion
    stored: Question | None
    data: dict[str, Any]


def bank_import(
    *,
    bank: QuestionBank,
    text: str | bytes,
    fmt: str,
    dry_run: bool,
    user: Any = None,
    max_questions: int | None = None,
    categories: str = "tags",
) -> ImportReport:
    """Create or update the file's questions in `bank` by key. Never raises for bad input:
    a file that cannot be read or holds more than `max_questions` (default: the setting
    API_IMPORT_MAX_QUESTIONS) is `report.error`, a bad question is an "invalid" entry.
    `categories`: what Moodle categories become, "tags" or "banks" (see `categories`)."""
    report = ImportReport(format=fmt, dry_run=dry_run)
    limit = settings.API_IMPORT_MAX_QUESTIONS if max_questions is None else max_questions
    try:
        parsed = parse_file(text, fmt)
        if len(parsed.questions) > limit:
            raise TooManyQuestions(len(parsed.questions), limit)
    except FileError as exc:
        report.error = exc
        return report
    if categories == "banks":
        groups = category_paths(parsed, ours=parsed.ours)
    else:
        categories_apply(parsed, ours=parsed.ours)
        groups = {(): parsed.questions}
    for path, items in groups.items():
        # Keys are unique in a bank: each sub-bank settles its own.
        _settle_keys(items)
        target = sub_bank_find(bank, path) if path else bank
        if path:
            sub_bank_notes(parsed, path, len(items), exists=target is not None, dry_run=dry_run)
        writes: list[_Write] = []
        for batch in _batches(items):
            writes += _plan(target, batch)
        if dry_run or not writes:
            continue
        if target is None:
            target = sub_bank_get_or_create(bank, path, user=user)
        for number, chunk in enumerate(_batches(writes)):
            if number and connection.vendor == "sqlite":
                # A turn for whoever waits for the write lock: SQLite's busy handler retries
                # every few ms at first, then every 100 ms, and keeps no queue.
                time.sleep(PAUSE)
            _write(target, chunk, user)
        _store_files(target, items)
    report.warnings.extend(parsed.warnings)
    report.questions = [item.report for item in parsed.questions]
    return report


def _store_files(bank: QuestionBank, items: Sequence[ParsedQuestion]) -> None:
    """The embedded files of the questions written, in the bank's media store (the texts
    already point at the URLs they get: embedded_files)."""
    for item in items:
        if item.report.action in ("created", "updated", "unchanged"):
            for name, data in item.files.values():
                media_store(bank=bank, name=name, data=data)


def _batches(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _settle_keys(items: list[ParsedQuestion]) -> None:
    """Give keyless questions a key from their text; refuse a key used twice in one file."""
    seen: dict[str, int] = {}
    for item in items:
        report = item.report
        if item.skip or report.errors:
            continue
        if not report.key:
            key = key_free(key_from_text(str(item.data.get("text", ""))), taken=seen)
            report.key = key
            report.warn(
                "key", "note", f"The file names no id: the key {key!r} comes from the text."
            )
        elif report.key in seen:
            report.error("key", f"Question {seen[report.key]} of this file has this key too.")
            continue
        item.data["key"] = report.key
        seen[report.key] = report.index


def _plan(bank: QuestionBank | None, items: Sequence[ParsedQuestion]) -> list[_Write]:
    """Validate a batch against the stored questions with its keys (read at once), set each
    report's action; returns what a real import writes. `bank` None: a sub-bank not created
    yet, which holds nothing."""
    writes: list[_Write] = []
    keys = [item.report.key for item in items if not item.skip and not item.report.errors]
    found = Question.objects.filter(bank=bank, key__in=keys) if bank else Question.objects.none()
    stored = {question.key: question for question in found.prefetch_related("choices", "patterns")}
    for item in items:
        report = item.report
        if item.skip:
            report.action = "skipped"
            report.warn("question", "lost", f"Not imported: {item.skip}.")
            continue
        if report.errors:
            report.action = "invalid"
            continue
        existing = stored.get(report.key)
        # Validated as a whole question with no bank: the key's uniqueness is what `stored`
        # just said, without a query per question.
        if existing is None:
            report.errors = question_validate(item.data)
            if not report.errors:
                clean = question_normalize({**QUESTION_DEFAULTS, **item.data})
                writes.append(_Write(item, None, clean))
                report.action = "created"
        else:
            before = question_data(existing)
            _keep_tags(item, before["tags"])
            report.errors = question_validate({**before, **item.data})
            if not report.errors:
                after = question_normalize({**before, **item.data})
                if after == before:
                    report.action = "unchanged"
                else:
                    writes.append(_Write(item, existing, after))
                    report.action = "updated"
        if report.errors:
            report.action = "invalid"
    return writes


def _keep_tags(item: ParsedQuestion, stored: list[str]) -> None:
    """A file that names no tags leaves a question's tags alone: its category tag is added to
    the stored ones rather than replacing them."""
    if item.added_tags:
        item.data["tags"] = [*stored, *(t for t in item.added_tags if t not in stored)]
        item.added_tags = []


def _write(bank: QuestionBank, batch: Sequence[_Write], user: Any) -> None:
    """One batch in one short transaction."""
    try:
        questions_write(
            bank=bank,
            new=[write.data for write in batch if write.stored is None],
            changed=[(write.stored, write.data) for write in batch if write.stored is not None],
            user=user,
        )
    except (VersionConflict, IntegrityError):
        # Someone else wrote one of these questions or keys after they were read.
        for write in batch:
            _apply_one(bank, write.item, user)
    except DatabaseError:
        logger.exception("Importing %d questions into bank %s failed", len(batch), bank.pk)
        for write in batch:
            write.item.report.errors = {"question": ["The question could not be saved."]}
            write.item.report.action = "invalid"


def _apply_one(bank: QuestionBank, item: ParsedQuestion, user: Any) -> None:
    """One question read, checked and written again on its own, as an editor's edit is."""
    report = item.report
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
                _keep_tags(item, list(existing.tags))
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
        report.errors = {"question": [str(exc.message)]}
    except DatabaseError:
        logger.exception("Importing question %r into bank %s failed", report.key, bank.pk)
        report.errors = {"question": ["The question could not be saved."]}
    if report.errors:
        report.action = "invalid"
