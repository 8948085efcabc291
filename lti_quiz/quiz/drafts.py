"""Answers saved as the learner goes: each answer and flag of an attempt in progress is stored
when it changes, so a reload, a new launch or another device shows the form as it was left.

A submit scores the posted form merged with the drafts of the questions it did not show
(answers_with_drafts), then deletes them.
"""

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from lti_quiz.lib.fields import Errors
from lti_quiz.quiz import timing
from lti_quiz.quiz.errors import (
    AttemptAlreadySubmitted,
    AttemptNotFound,
    AttemptTimeUp,
    InvalidDraft,
)
from lti_quiz.quiz.kinds import kind_get
from lti_quiz.quiz.models import Attempt, DraftAnswer, Placement

DraftValue = list[str] | str | dict[str, str]


def attempt_draft_save(
    *,
    attempt_id: int,
    learner_key: str,
    placement: Placement,
    answers: Mapping[str, Any],
    flags: Mapping[str, Any],
) -> datetime:
    """Store the answers and flags given (other slots keep theirs); returns when.

    An answer has its kind's shape (choice keys, a text, parts by name); a slot or key the
    attempt did not ask is refused (InvalidDraft, naming `answers.<slot>` or `flags.<slot>`).
    """
    with transaction.atomic():
        # The row lock orders a save against a submit: a save after it sees "submitted".
        attempt = (
            Attempt.objects.select_for_update()
            .filter(pk=attempt_id, learner_key=learner_key, placement=placement)
            .first()
        )
        if attempt is None:
            raise AttemptNotFound()
        if attempt.is_submitted:
            raise AttemptAlreadySubmitted()
        now = timezone.now()
        # The grace is for the final submit only: a change after the deadline is not the
        # learner's answer any more (and the page submits itself at zero).
        deadline = timing.attempt_deadline(attempt=attempt)
        if deadline is not None and now > deadline:
            raise AttemptTimeUp()
        clean_answers, clean_flags = _checked(attempt.snapshot, answers, flags)
        drafts = {draft.slot: draft for draft in attempt.drafts.all()}
        for slot in clean_answers.keys() | clean_flags.keys():
            draft = drafts.get(slot) or DraftAnswer(attempt=attempt, slot=slot)
            draft.answer = clean_answers.get(slot, draft.answer)
            draft.flagged = clean_flags.get(slot, draft.flagged)
            draft.saved_at = now
            draft.save()
    return now


def answers_with_drafts(
    *, attempt: Attempt, answers: Mapping[str, DraftValue], shown: Collection[str]
) -> dict[str, DraftValue]:
    """What a submit scores: the posted answers, and the saved drafts of the questions the
    posted page did not show (a quiz shown one question per page, or a submit from the
    summary, posts only some or none of them). A page that showed every question needs no
    draft, so none is read.

    A question the page showed and left blank is blank, whatever its draft said: a form posts
    nothing for a question with no choice ticked.
    """
    covered = set(shown) | set(answers)
    if all(question["slot"] in covered for question in attempt.snapshot["questions"]):
        return dict(answers)
    merged: dict[str, DraftValue] = {
        draft.slot: draft.answer for draft in attempt.drafts.all() if draft.slot not in covered
    }
    merged.update(answers)
    return merged


def attempt_draft_answers(*, attempt: Attempt, saved_by: datetime) -> dict[str, DraftValue]:
    """The answers saved by `saved_by`, as a submitted form would give them (an attempt whose
    time ran out is scored from these)."""
    return {draft.slot: draft.answer for draft in attempt.drafts.filter(saved_at__lte=saved_by)}


def _checked(
    snapshot: Mapping[str, Any], answers: Mapping[str, Any], flags: Mapping[str, Any]
) -> tuple[dict[str, DraftValue], dict[str, bool]]:
    questions = {question["slot"]: question for question in snapshot["questions"]}
    errors: Errors = {}
    if not isinstance(answers, Mapping):
        errors["answers"] = ["Expected an object of answers by question slot."]
        answers = {}
    if not isinstance(flags, Mapping):
        errors["flags"] = ["Expected an object of true or false by question slot."]
        flags = {}
    clean_answers: dict[str, DraftValue] = {}
    for slot, value in answers.items():
        question = questions.get(slot)
        problem = "No question of this attempt has this slot." if question is None else None
        if question is not None:
            problem = _answer_problem(question, value)
        if problem:
            errors[f"answers.{slot}"] = [problem]
        else:
            clean_answers[slot] = value
    clean_flags: dict[str, bool] = {}
    for slot, value in flags.items():
        if slot not in questions:
            errors[f"flags.{slot}"] = ["No question of this attempt has this slot."]
        elif not isinstance(value, bool):
            errors[f"flags.{slot}"] = ["Expected true or false."]
        else:
            clean_flags[slot] = value
    if errors:
        raise InvalidDraft(errors)
    return clean_answers, clean_flags


def _answer_problem(question: Mapping[str, Any], value: Any) -> str | None:
    """What is wrong with `value` as a draft answer to `question`, or None."""
    kind = kind_get(question["kind"])
    if not kind.scored:
        return "This part of the quiz takes no answer."
    return kind.answer_problem(question, value)
