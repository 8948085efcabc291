"""Matching: each prompt gets one answer from a shared list (Moodle's qtype_match).

spec: {"pairs": [{"prompt": "Cat", "answer": "Meow"}, ...], "distractors": ["Moo"],
"shuffle": true}. Answers may repeat across prompts; the options a learner picks from are the
distinct answers plus the distractors, always shuffled (as Moodle does); `shuffle` also
shuffles the prompts when the quiz shuffles choices. Score: points * right pairs / pairs.
"""

import random
from typing import TYPE_CHECKING, Any

from lti_quiz.lib.fields import Errors
from lti_quiz.quiz.kinds.base import (
    Answer,
    Kind,
    Outcome,
    QuestionData,
    SnapshotQuestion,
    as_parts,
    shuffled,
)
from lti_quiz.quiz.kinds.choice import unique_keys
from lti_quiz.quiz.kinds.dropdowns import SpecChecker, credit, options_check, options_problem

if TYPE_CHECKING:
    from lti_quiz.quiz.models import Question


def _same(text: str) -> str:
    return " ".join(text.split())


class Matching(Kind):
    name = "matching"
    label = "matching"
    answer_shape = "parts"
    template = "matching"
    fields = frozenset({"spec"})

    def validate(self, question: QuestionData, errors: Errors) -> None:
        super().validate(question, errors)
        check = SpecChecker(question["spec"], errors, allowed=("pairs", "distractors", "shuffle"))
        pairs = check.items("pairs", minimum=2)
        for number, pair in enumerate(pairs, start=1):
            where = f"spec.pairs[{number}]"
            if not isinstance(pair, dict):
                check.add(where, "Must be an object with prompt and answer.")
                continue
            for name in pair:
                if name not in ("prompt", "answer"):
                    check.add(f"{where}.{name}", "Unknown field.")
            check.text(f"{where}.prompt", pair.get("prompt"))
            check.text(f"{where}.answer", pair.get("answer"))
        prompts = [pair.get("prompt") for pair in pairs if isinstance(pair, dict)]
        check.unique("spec.pairs", prompts, "prompts")
        distractors = check.items("distractors", minimum=0, required=False)
        answers = {
            _same(p["answer"])
            for p in pairs
            if isinstance(p, dict) and isinstance(p.get("answer"), str)
        }
        for number, text in enumerate(distractors, start=1):
            where = f"spec.distractors[{number}]"
            if check.text(where, text) and _same(text) in answers:
                check.add(where, "Already an answer of a pair.")
        check.unique("spec.distractors", distractors, "distractors")
        check.flag("shuffle")

    def snapshot(self, question: "Question", *, rng: random.Random, shuffle: bool) -> dict:
        spec = question.spec
        pairs = list(spec["pairs"])
        if shuffle and spec.get("shuffle", True):
            pairs = shuffled(pairs, rng)
        texts: list[str] = []
        for text in [pair["answer"] for pair in spec["pairs"]] + list(spec.get("distractors", [])):
            if _same(text) not in map(_same, texts):
                texts.append(text)
        options = dict(zip(shuffled(texts, rng), unique_keys(len(texts)), strict=True))
        by_text = {_same(text): key for text, key in options.items()}
        return {
            "spec": dict(spec),
            "parts": [
                {"key": key, "prompt": pair["prompt"], "answer": by_text[_same(pair["answer"])]}
                for key, pair in zip(unique_keys(len(pairs)), pairs, strict=True)
            ],
            "options": [{"key": key, "text": text} for text, key in options.items()],
        }

    def answer_problem(self, question: SnapshotQuestion, value: Any) -> str | None:
        names = [part["key"] for part in question["parts"]]
        keys = [option["key"] for option in question["options"]]
        return options_problem(value, names, dict.fromkeys(names, keys))

    def score(self, question: SnapshotQuestion, answer: Answer) -> Outcome:
        parts = question["parts"]
        chosen = as_parts(question, answer, [part["key"] for part in parts])
        keys = {option["key"] for option in question["options"]}
        options_check(question, chosen, {part["key"]: keys for part in parts})
        right = sum(chosen[part["key"]] == part["answer"] for part in parts)
        return Outcome(
            answer=chosen,
            is_correct=right == len(parts),
            score=credit(question, right=right, out_of=len(parts)),
        )

    def ask(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        chosen = answer if isinstance(answer, dict) else {}
        options = [{"key": o["key"], "text": o["text"]} for o in question["options"]]
        return {
            "parts": [
                {"key": part["key"], "prompt": part["prompt"], "value": chosen.get(part["key"], "")}
                for part in question["parts"]
            ],
            "options": options,
        }

    def review(self, question: SnapshotQuestion, answer: Any) -> dict[str, Any]:
        chosen = answer if isinstance(answer, dict) else {}
        texts = {option["key"]: option["text"] for option in question["options"]}
        return {
            "parts": [
                {
                    "prompt": part["prompt"],
                    "chosen": texts.get(chosen.get(part["key"], ""), ""),
                    "right": texts[part["answer"]],
                    "is_correct": chosen.get(part["key"]) == part["answer"],
                }
                for part in question["parts"]
            ]
        }

    def answer_text(self, question: SnapshotQuestion, answer: Any) -> str:
        chosen = answer if isinstance(answer, dict) else {}
        texts = {option["key"]: option["text"] for option in question["options"]}
        return "; ".join(
            f"{part['prompt']} → {texts.get(chosen.get(part['key'], ''), '—')}"
            for part in question["parts"]
        )


MATCHING = Matching()
