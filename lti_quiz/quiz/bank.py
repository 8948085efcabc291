"""Writes of the question bank: banks, questions and their versions (quizzes: `quizzes.py`).

The one way questions change, whoever asks (REST API, import formats, content loader, admin):
every change is validated as a whole question, writes a new `QuestionVersion` and bumps
`Question.version`; a change that changes nothing writes nothing. A question anything has
asked is archived instead of deleted, so no attempt loses what it was scored with.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from lti_quiz.quiz.banks import bank_create, bank_delete, bank_update, bank_validate
from lti_quiz.quiz.errors import InvalidQuestion, VersionConflict
from lti_quiz.quiz.models import (
    AcceptedPattern,
    Attempt,
    AttemptQuestion,
    Choice,
    Question,
    QuestionBank,
    QuestionVersion,
    QuizQuestion,
    Response,
)
from lti_quiz.quiz.question_format import (
    OUTCOME_FEEDBACK,
    QUESTION_DEFAULTS,
    QUESTION_FIELDS,
    key_free,
    key_from_text,
    question_data,
    question_normalize,
    question_validate,
)
from lti_quiz.quiz.quizzes import (
    quiz_create,
    quiz_data,
    quiz_delete,
    quiz_update,
    quiz_validate,
)

__all__ = [
    "QUESTION_FIELDS",
    "bank_create",
    "bank_delete",
    "bank_update",
    "bank_validate",
    "question_create",
    "question_data",
    "question_delete",
    "question_is_referenced",
    "question_record_version",
    "question_update",
    "question_validate",
    "question_versions",
    "questions_write",
    "quiz_create",
    "quiz_data",
    "quiz_delete",
    "quiz_update",
    "quiz_validate",
]


# Questions ---------------------------------------------------------------------------------


def question_create(*, bank: QuestionBank, data: Mapping[str, Any], user: Any = None) -> Question:
    """A new question in `bank` at version 1. `key` is generated from the text when absent."""
    errors = question_validate(data, bank=bank)
    if errors:
        raise InvalidQuestion(errors)
    clean = question_normalize({**QUESTION_DEFAULTS, **data})
    with transaction.atomic():
        if not clean["key"]:
            clean["key"] = _free_key(bank, clean["text"])
        try:
            with transaction.atomic():
                question = Question.objects.create(bank=bank, version=1, **_scalars(clean))
        except IntegrityError:
            # Another request took the key between the check and the insert.
            raise InvalidQuestion(
                {"key": [f"The bank already has a question with key {clean['key']!r}."]}
            ) from None
        Choice.objects.bulk_create(
            Choice(question=question, position=position, **choice)
            for position, choice in enumerate(clean["choices"])
        )
        AcceptedPattern.objects.bulk_create(
            AcceptedPattern(question=question, pattern=pattern) for pattern in clean["patterns"]
        )
        _version_write(question, content=clean, changed_fields=list(QUESTION_FIELDS), user=user)
    return question


def question_update(
    *,
    question: Question,
    data: Mapping[str, Any],
    user: Any = None,
    expected_version: int | None = None,
) -> Question:
    """Apply `data` (all fields or some) to the question; a new version when anything changed.

    Raises VersionConflict when `expected_version` is given and is not the current version,
    InvalidQuestion when the resulting question would be invalid. Concurrent updates of one
    question run one after the other (row lock; the version number is unique besides).
    """
    with transaction.atomic():
        # of=("self",): lock the question only; PostgreSQL would lock the joined bank row too,
        # and every edit in the bank would wait for this one (measured by `make bench`).
        current = (
            Question.objects.select_for_update(of=("self",))
            .select_related("bank")
            .get(pk=question.pk)
        )
        if expected_version is not None and expected_version != current.version:
            raise VersionConflict(current.version)
        errors = question_validate(data, partial_of=current)
        if errors:
            raise InvalidQuestion(errors)
        before = question_data(current)
        after = question_normalize({**before, **data})
        changed = [name for name in QUESTION_FIELDS if after[name] != before[name]]
        if not changed:
            return current

        _change_write(current, after=after, changed=changed, user=user)
    return current


def _change_write(
    current: Question, *, after: dict[str, Any], changed: list[str], user: Any
) -> None:
    """Write the changed question (locked by the caller) and its new version."""
    for name, value in _scalars(after).items():
        setattr(current, name, value)
    current.version += 1
    try:
        with transaction.atomic():
            current.save()
            if "choices" in changed:
                _choices_sync(current, after["choices"])
            if "patterns" in changed:
                current.patterns.all().delete()
                AcceptedPattern.objects.bulk_create(
                    AcceptedPattern(question=current, pattern=p) for p in after["patterns"]
                )
            _version_write(current, content=after, changed_fields=changed, user=user)
    except IntegrityError:
        # Without row locks (SQLite) two writers can both get here: the unique version
        # number (or key) lets only the first one through.
        now = Question.objects.filter(pk=current.pk).values_list("version", flat=True).first()
        if now != current.version - 1:
            raise VersionConflict(now or current.version) from None
        raise InvalidQuestion(
            {"key": [f"The bank already has a question with key {after['key']!r}."]}
        ) from None


def questions_write(
    *,
    bank: QuestionBank,
    new: Sequence[Mapping[str, Any]],
    changed: Sequence[tuple[Question, Mapping[str, Any]]],
    user: Any = None,
) -> None:
    """Create and update many questions in one transaction of bulk statements: what
    `question_create` and `question_update` do one at a time, in a few statements per hundred
    rows instead of several per question (imports must not hold the write lock long).

    `new`: complete, validated, normalized QuestionData with keys free in `bank`. `changed`:
    each question as read (choices and patterns prefetched) with its complete, normalized data
    after the change; nothing unchanged. Raises VersionConflict, writing nothing, when one of
    them changed since it was read; IntegrityError when another request took a key meanwhile.
    """
    now = timezone.now()
    with transaction.atomic():
        if changed:
            read = {question.pk: question.version for question, _ in changed}
            # PostgreSQL: row locks as in question_update; SQLite: the transaction's write lock.
            current = dict(
                Question.objects.select_for_update(of=("self",))
                .filter(pk__in=read)
                .values_list("pk", "version")
            )
            moved = next((pk for pk, version in read.items() if current.get(pk) != version), None)
            if moved is not None:
                raise VersionConflict(current.get(moved, 0))
        # Needs INSERT ... RETURNING for the new primary keys (SQLite 3.35+, PostgreSQL).
        created = Question.objects.bulk_create(
            Question(bank=bank, version=1, **_scalars(data)) for data in new
        )
        choices: list[Choice] = []
        patterns: list[AcceptedPattern] = []
        versions: list[QuestionVersion] = []
        for question, data in zip(created, new, strict=True):
            choices += [
                Choice(question=question, position=n, **c) for n, c in enumerate(data["choices"])
            ]
            patterns += [AcceptedPattern(question=question, pattern=p) for p in data["patterns"]]
            versions.append(_version(question, data, list(QUESTION_FIELDS), user))
        rewritten: list[Choice] = []
        gone: list[int] = []
        cleared: list[int] = []
        for question, after in changed:
            before = question_data(question)
            fields = [name for name in QUESTION_FIELDS if after[name] != before[name]]
            for name, value in _scalars(after).items():
                setattr(question, name, value)
            question.version += 1
            question.updated_at = now
            if "choices" in fields:
                kept, added, removed = _choices_plan(question, after["choices"])
                rewritten += kept
                choices += added
                gone += removed
            if "patterns" in fields:
                cleared.append(question.pk)
                patterns += [
                    AcceptedPattern(question=question, pattern=p) for p in after["patterns"]
                ]
            versions.append(_version(question, after, fields, user))
        _rewrite(
            Question,
            [question for question, _ in changed],
            [*_SCALARS, "points", "version", "updated_at"],
        )
        _rewrite(Choice, rewritten, _CHOICE_COLUMNS)
        if gone:
            Choice.objects.filter(pk__in=gone).delete()
        if cleared:
            AcceptedPattern.objects.filter(question__in=cleared).delete()
        Choice.objects.bulk_create(choices)
        AcceptedPattern.objects.bulk_create(patterns)
        QuestionVersion.objects.bulk_create(versions)


def question_delete(*, question: Question, user: Any = None) -> Literal["deleted", "archived"]:
    """Delete the question, or archive it when an attempt, answer or used quiz refers to it.

    Deleting also takes it out of the (unused) quizzes that list it.
    """
    with transaction.atomic():
        current = Question.objects.select_for_update().get(pk=question.pk)
        if question_is_referenced(current):
            if current.status != Question.Status.ARCHIVED:
                # Not validated: archiving must work even for a question an older rule allowed.
                after = {**question_data(current), "status": Question.Status.ARCHIVED.value}
                _change_write(current, after=after, changed=["status"], user=user)
            question.refresh_from_db()
            return "archived"
        QuizQuestion.objects.filter(question=current).delete()
        current.delete()
    return "deleted"


def question_is_referenced(question: Question) -> bool:
    """Whether any attempt asked it, any answer points at it, or a quiz with attempts lists it."""
    return (
        AttemptQuestion.objects.filter(question=question).exists()
        or Response.objects.filter(question=question).exists()
        or Attempt.objects.filter(quiz__entries__question=question).exists()
    )


def question_versions(question: Question) -> QuerySet[QuestionVersion]:
    """The question's history, newest first, with who made each change."""
    return question.versions.select_related("changed_by").order_by("-number")


def question_record_version(*, question: Question, user: Any = None) -> QuestionVersion | None:
    """Record the question's current state as a version if it differs from the last one.

    For writes that bypass `question_update` (the Django admin's forms and inlines).
    """
    with transaction.atomic():
        current = Question.objects.select_for_update().get(pk=question.pk)
        content = question_data(current)
        latest = current.versions.order_by("-number").first()
        if latest is None:
            changed = list(QUESTION_FIELDS)
        else:
            # Versions written before a field existed hold its default.
            was = {**QUESTION_DEFAULTS, **latest.content}
            changed = [n for n in QUESTION_FIELDS if was.get(n) != content[n]]
            if not changed:
                return None
            current.version = latest.number + 1
            Question.objects.filter(pk=current.pk).update(version=current.version)
        version = _version_write(current, content=content, changed_fields=changed, user=user)
    question.version = current.version
    return version


_SCALARS = (
    "key", "kind", "text", "explanation", *OUTCOME_FEEDBACK, "tags", "status", "model_answer",
    "rejected_patterns", "spec", "hints",
)  # fmt: skip


def _scalars(data: Mapping[str, Any]) -> dict[str, Any]:
    """The Question row's own fields from normalized data."""
    return {"points": Decimal(data["points"]), **{name: data[name] for name in _SCALARS}}


_CHOICE_COLUMNS = ["position", "text", "is_correct", "fraction", "feedback"]


def _choices_sync(question: Question, choices: list[dict[str, Any]]) -> None:
    kept, added, removed = _choices_plan(question, choices)
    _rewrite(Choice, kept, _CHOICE_COLUMNS)
    Choice.objects.bulk_create(added)
    if removed:
        Choice.objects.filter(pk__in=removed).delete()


def _rewrite(model: type[Model], rows: list[Any], fields: list[str]) -> None:
    """Store these existing rows' `fields` as they are in memory, a few statements for any
    number of rows. An upsert on the primary key, not `bulk_update`: that one builds a CASE
    per row and field in Python, ~1 ms a question (measured by `make bench`)."""
    model._default_manager.bulk_create(
        rows, update_conflicts=True, unique_fields=["id"], update_fields=fields
    )


def _choices_plan(
    question: Question, choices: list[dict[str, Any]]
) -> tuple[list[Choice], list[Choice], list[int]]:
    """Choices rewritten in place by position, so unchanged choices keep their ids (attempt
    snapshots and statistics know a choice by its id): (rewritten, added, ids to delete)."""
    existing = list(question.choices.all())
    kept = existing[: len(choices)]
    for position, (choice, values) in enumerate(zip(kept, choices, strict=False)):
        choice.position = position
        for name, value in values.items():
            setattr(choice, name, value)
    added = [
        Choice(question=question, position=position, **values)
        for position, values in enumerate(choices)
        if position >= len(existing)
    ]
    return kept, added, [choice.pk for choice in existing[len(choices) :]]


def _version_write(
    question: Question, *, content: Mapping[str, Any], changed_fields: list[str], user: Any
) -> QuestionVersion:
    version = _version(question, content, changed_fields, user)
    version.save()
    return version


def _version(
    question: Question, content: Mapping[str, Any], changed: list[str], user: Any
) -> QuestionVersion:
    return QuestionVersion(
        question=question,
        number=question.version,
        content=dict(content),
        changed_fields=changed,
        changed_by=_user_or_none(user),
    )


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "pk", None) is not None else None


def _free_key(bank: QuestionBank, text: str) -> str:
    base = key_from_text(text)
    taken = set(
        Question.objects.filter(bank=bank, key__startswith=base).values_list("key", flat=True)
    )
    return key_free(base, taken=taken)
