"""Builders for the import/export tests: banks, sample files, and the round-trip comparison."""

import json
from pathlib import Path
from typing import Any

from lti_quiz.api.formats import bank_export, bank_import, gift
from lti_quiz.quiz.bank import bank_create, question_create
from lti_quiz.quiz.models import QuestionBank
from lti_quiz.quiz.question_format import QUESTION_DEFAULTS, question_data, question_normalize

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "formats"
OUTCOME_FEEDBACK = ("correct_feedback", "partially_correct_feedback", "incorrect_feedback")
FIELDS = (
    "key", "kind", "text", "points", "explanation", *OUTCOME_FEEDBACK, "tags", "status",
    "choices", "patterns",
)  # fmt: skip
EMPTY = {
    "explanation": "", **dict.fromkeys(OUTCOME_FEEDBACK, ""), "tags": [], "choices": [],
    "patterns": [], "points": "1.00",
}  # fmt: skip


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
            "correct_feedback": "Well done: a < b & {that} #1.",
            "incorrect_feedback": "Not quite ~ read section 2 again.",
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
            "correct_feedback": "All the primes, and only them.",
            "partially_correct_feedback": "Some primes, not exactly them.",
            "incorrect_feedback": "A prime has exactly two divisors.",
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
            "correct_feedback": "Yes: a moon orbits a planet.",
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


def json_file(count: int, *, text: str = "Question {n}?", choices: int = 2, **fields: Any) -> str:
    """A native JSON bank file of `count` single-choice questions q0000, q0001, ... (`text`
    formatted with n), each with `choices` choices; `fields` are added to every question."""
    questions = [
        {
            "key": f"q{n:04d}",
            "kind": "single_choice",
            "text": text.format(n=n),
            "choices": [
                {"text": f"Choice {c}", "is_correct": c == 0, "feedback": f"Feedback {c}"}
                for c in range(choices)
            ],
            **fields,
        }
        for n in range(count)
    ]
    return json.dumps({"questions": questions})


def gift_file(count: int) -> str:
    """A GIFT file as Moodle would send it: `count` questions of the four kinds, about 1,000
    bytes each (5,000 make 5 MB), with ids, tags, feedback and explanations."""
    questions = []
    for n in range(count):
        kind = ("single_choice", "multiple_response", "true_false", "short_answer")[n % 4]
        data: dict[str, Any] = {
            **QUESTION_DEFAULTS,
            "key": f"q{n:05d}",
            "kind": kind,
            "text": f"Question {n}: which statement about model distillation holds when the "
            f"student model is {n % 7 + 2} times smaller than its teacher and is evaluated on "
            "long-tail prompts rather than on the aggregate benchmark?",
            "explanation": "Aggregate scores hide long-tail regressions: compare per "
            "capability before deciding, and keep the teacher's outputs as a reference. A "
            "student that matches its teacher on the benchmark average can still fail on "
            "rare entities, long documents and multi-step arithmetic; sample those prompts "
            "on purpose, score them separately, and only then decide to ship the student. "
            "Keep the comparison in the model card, so the next person knows what was lost.",
            "tags": ["distillation", f"week-{n % 10}"],
        }
        if kind == "short_answer":
            data["patterns"] = ["long tail", "long-tail regression*"]
        else:
            texts = (
                ["True", "False"]
                if kind == "true_false"
                else [
                    "It matches the teacher on every capability.",
                    "It loses long-tail capabilities that the aggregate score hides.",
                    "It needs more parameters than the teacher.",
                    "Its aggregate score always drops first.",
                ]
            )
            right = {1, 3} if kind == "multiple_response" else {n % 2}
            data["choices"] = [
                {
                    "text": text,
                    "is_correct": i in right,
                    "feedback": f"Choice {i}: look at the per-capability table again.",
                }
                for i, text in enumerate(texts)
            ]
        questions.append(question_normalize(data))
    return gift.dump(bank={"slug": "big", "title": "Big"}, questions=questions)[0]
