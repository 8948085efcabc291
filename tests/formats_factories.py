"""Builders for the import/export tests: banks, sample files, and the round-trip comparison."""

from pathlib import Path
from typing import Any

from lti_quiz.api.formats import bank_export, bank_import
from lti_quiz.quiz.bank import bank_create, question_create
from lti_quiz.quiz.models import QuestionBank
from lti_quiz.quiz.question_format import question_data

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "formats"
FIELDS = ("key", "kind", "text", "points", "explanation", "tags", "status", "choices", "patterns")
EMPTY = {"explanation": "", "tags": [], "choices": [], "patterns": [], "points": "1.00"}


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def empty_bank(slug: str = "imported") -> QuestionBank:
    """A new bank with no questions (numbered when the slug is taken)."""
    taken = set(QuestionBank.objects.filter(slug__startswith=slug).values_list("slug", flat=True))
    name, number = slug, 1
    while name in taken:
        number += 1
        name = f"{slug}-{number}"
    return bank_create(slug=name, title=f"Bank {name}")


def bank_questions(bank: QuestionBank) -> dict[str, dict[str, Any]]:
    """QuestionData of every question in the bank, by key."""
    questions = bank.questions.order_by("pk").prefetch_related("choices", "patterns")
    return {q.key: question_data(q) for q in questions}


def round_trip(bank: QuestionBank, fmt: str) -> tuple[dict, dict, Any, Any]:
    """Export `bank` in `fmt` and import the file into a new bank: (before, after, exp, imp)."""
    exported = bank_export(bank=bank, fmt=fmt)
    target = empty_bank(f"round-trip-{fmt.replace('_', '-')}")
    imported = bank_import(bank=target, text=exported.text, fmt=fmt, dry_run=False)
    return bank_questions(bank), bank_questions(target), exported, imported


def survival_table(before: dict, after: dict) -> dict[str, str]:
    """Per field over the questions that made it: kept (same everywhere), lost (back to the
    default somewhere) or changed (different somewhere)."""
    table = {}
    for field in FIELDS:
        verdict = "kept"
        for key, old in before.items():
            new = after.get(key)
            if new is None:  # a question left out: see `differences`
                continue
            if new[field] != old[field]:
                verdict = "lost" if new[field] == EMPTY.get(field) else "changed"
                if verdict == "lost":
                    break
        table[field] = verdict
    return table


def differences(before: dict, after: dict) -> dict[tuple[str, str], Any]:
    """(key, field) -> the value after the round trip, wherever it differs."""
    found: dict[tuple[str, str], Any] = {}
    for key, old in before.items():
        new = after.get(key)
        if new is None:
            found[(key, "question")] = None
            continue
        for field in FIELDS:
            if new[field] != old[field]:
                found[(key, field)] = new[field]
    return found


def kitchen_sink_bank() -> QuestionBank:
    """A bank with every kind and every field in use, awkward characters included."""
    bank = bank_create(slug="kitchen-sink", title="Kitchen sink / all kinds")
    question_create(
        bank=bank,
        data={
            "key": "sc",
            "kind": "single_choice",
            "text": 'Pick one: {a} #1 = ~2 <b> & "q"\nSecond line',
            "points": "2.5",
            "explanation": "Because: {braces} and \\backslash\\.",
            "tags": ["alpha", "beta.2"],
            "choices": [
                {"text": "Right = {this}", "is_correct": True, "feedback": "Yes #1"},
                {"text": "Wrong ~ that", "is_correct": False, "feedback": "No: look again"},
                {"text": "[html] not a format", "is_correct": False, "feedback": ""},
            ],
        },
    )
    question_create(
        bank=bank,
        data={
            "key": "mr",
            "kind": "multiple_response",
            "text": "Tick the primes.",
            "points": "3",
            "choices": [
                {"text": "2", "is_correct": True, "feedback": "Even, and prime."},
                {"text": "3", "is_correct": True, "feedback": ""},
                {"text": "4", "is_correct": False, "feedback": "2 times 2"},
            ],
        },
    )
    question_create(
        bank=bank,
        data={
            "key": "tf",
            "kind": "true_false",
            "text": "The Moon is a planet.",
            "explanation": "It orbits the Earth.",
            "choices": [
                {"text": "True", "is_correct": False, "feedback": "It is a moon."},
                {"text": "False", "is_correct": True, "feedback": "Right."},
            ],
        },
    )
    question_create(
        bank=bank,
        data={
            "key": "yn",
            "kind": "true_false",
            "text": "Is water wet?",
            "choices": [
                {"text": "Yes", "is_correct": True, "feedback": ""},
                {"text": "No", "is_correct": False, "feedback": ""},
            ],
        },
    )
    question_create(
        bank=bank,
        data={
            "key": "sa",
            "kind": "short_answer",
            "text": "Name a way to check a model.",
            "patterns": ["shadow traffic", "test*", "compar* with the teacher model"],
            "tags": ["checks"],
        },
    )
    question_create(
        bank=bank,
        data={
            "key": "old",
            "kind": "single_choice",
            "text": "Retired question?",
            "status": "archived",
            "choices": [
                {"text": "A", "is_correct": True, "feedback": ""},
                {"text": "B", "is_correct": False, "feedback": ""},
            ],
        },
    )
    return bank
