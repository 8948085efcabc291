"""The snapshot an attempt keeps: exactly what was asked, in the asked order, with the key.

Each kind adds its own part (quiz/kinds/): choice keys, random per attempt, say nothing about
correctness or authoring order, and a key learned from one attempt means nothing in the next.
"""

import random
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from lti_quiz.quiz.errors import QuizError
from lti_quiz.quiz.kinds import kind_get
from lti_quiz.quiz.models import Question, Quiz

# 2: each question records its `question_version`; quizzes may draw questions from a bank.
SNAPSHOT_VERSION = 2


def snapshot_take(
    *, quiz: Quiz, rng: random.Random, shuffle_choices: bool | None = None
) -> dict[str, Any]:
    """What an attempt asks; `shuffle_choices` None: the quiz's own (a placement may override)."""
    shuffle = quiz.shuffle_choices if shuffle_choices is None else shuffle_choices
    if quiz.is_drawn:
        questions = _draw(quiz, rng)
    else:
        questions = [q for q in quiz.ordered_questions() if q.status == Question.Status.ACTIVE]
        if quiz.shuffle_questions:
            rng.shuffle(questions)
    if not any(kind_get(question.kind).scored for question in questions):
        raise QuizError(gettext("This quiz has no questions yet."))
    asked = [
        _question(question, slot=str(number), shuffle=shuffle, rng=rng)
        for number, question in enumerate(questions, start=1)
    ]
    return {
        "version": SNAPSHOT_VERSION,
        "quiz": {"id": quiz.pk, "slug": quiz.slug, "title": quiz.title},
        "questions": asked,
        "max_score": str(sum((Decimal(q["points"]) for q in asked), Decimal(0))),
    }


def _draw(quiz: Quiz, rng: random.Random) -> list[Question]:
    """`draw_count` active questions of the bank with the tag, in random order."""
    # A description is a text between questions: a draw never picks one.
    pool = Question.objects.filter(bank_id=quiz.draw_bank_id).active().exclude(kind="description")
    if quiz.draw_tag:
        pool = pool.tagged(quiz.draw_tag)
    ids = list(pool.values_list("pk", flat=True))
    count = quiz.draw_count or 0
    if len(ids) < count:
        # Questions were archived since the quiz was set up: drawing fewer would make
        # learners' scores incomparable.
        raise QuizError(
            gettext(
                "This quiz draws %(count)d questions from its bank, which has only "
                "%(available)d available now. Please tell your instructor."
            )
            % {"count": count, "available": len(ids)}
        )
    chosen = rng.sample(ids, count)
    by_id = Question.objects.prefetch_related("choices", "patterns").in_bulk(chosen)
    return [by_id[pk] for pk in chosen]


def _question(question: Question, *, slot: str, shuffle: bool, rng: random.Random) -> dict:
    common = {
        "slot": slot,
        "question_id": question.pk,
        "question_key": question.key,
        "question_version": question.version,
        "kind": question.kind,
        "text": question.text,
        "points": str(question.points),
        "explanation": question.explanation,
        # Feedback by outcome: a later edit of the question never changes a past result's.
        "correct_feedback": question.correct_feedback,
        "partially_correct_feedback": question.partially_correct_feedback,
        "incorrect_feedback": question.incorrect_feedback,
        "hints": list(question.hints),
        # Each kind's own part (choices with their keys, patterns, pairs...); these defaults
        # keep every snapshot question the same shape for the pages that read it.
        "choices": [],
        "patterns": [],
        "model_answer": "",
        "rejected_patterns": [],
    }
    return common | kind_get(question.kind).snapshot(question, rng=rng, shuffle=shuffle)
