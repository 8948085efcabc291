"""Answers saved as the learner goes: stored per question, restored into the form, refused for
a submitted or foreign attempt and for what the attempt did not ask; a submit is unaffected."""

import pytest
import time_machine

from lti_quiz.quiz import services
from lti_quiz.quiz.drafts import answers_with_drafts, attempt_draft_save
from lti_quiz.quiz.errors import AttemptAlreadySubmitted, AttemptNotFound, InvalidDraft
from lti_quiz.quiz.models import DraftAnswer
from tests.factories.quiz import answers_from_key, make_placement, make_quiz

ALICE = "1:alice"
BOB = "1:bob"

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement():
    return make_placement(make_quiz())


@pytest.fixture
def attempt(placement):
    """Alice's attempt in progress: two single-choice questions, then a short answer."""
    return services.attempt_get_or_start(placement=placement, learner_key=ALICE)


def slots(attempt) -> list[str]:
    return [question["slot"] for question in attempt.snapshot["questions"]]


def keys(attempt, slot: str) -> list[str]:
    question = next(q for q in attempt.snapshot["questions"] if q["slot"] == slot)
    return [choice["key"] for choice in question["choices"]]


def save(attempt, answers=None, flags=None, *, learner=ALICE, placement=None):
    return attempt_draft_save(
        attempt_id=attempt.pk,
        learner_key=learner,
        placement=placement or attempt.placement,
        answers=answers or {},
        flags=flags or {},
    )


def by_slot(attempt) -> dict:
    return {q["slot"]: q for q in attempt.questions_for_display()}


def test_saved_answers_come_back_in_the_form(attempt):
    a, b, c = slots(attempt)
    save(attempt, {a: [keys(attempt, a)[1]], c: "testing it"})

    shown = by_slot(attempt)
    assert [choice["chosen"] for choice in shown[a]["choices"]] == [False, True, False]
    assert not any(choice["chosen"] for choice in shown[b]["choices"])
    assert shown[c]["answer_text"] == "testing it"
    assert shown[b]["answer_text"] == ""


def test_a_later_save_overwrites_its_slots_and_keeps_the_others(attempt):
    a, _, c = slots(attempt)
    save(attempt, {a: [keys(attempt, a)[0]], c: "first"})
    save(attempt, {c: "second"})

    assert {d.slot: d.answer for d in DraftAnswer.objects.all()} == {
        a: [keys(attempt, a)[0]],
        c: "second",
    }


def test_flags_are_kept_apart_from_answers(attempt):
    a, b, _ = slots(attempt)
    save(attempt, {a: [keys(attempt, a)[0]]})
    save(attempt, flags={a: True, b: True})
    save(attempt, {a: [keys(attempt, a)[2]]}, flags={b: False})

    shown = by_slot(attempt)
    assert (shown[a]["flagged"], shown[b]["flagged"]) == (True, False)
    assert shown[a]["choices"][2]["chosen"]


def test_it_answers_when_it_saved(attempt):
    with time_machine.travel("2026-03-02 10:42:00+00:00", tick=False):
        saved_at = save(attempt, {slots(attempt)[2]: "x"})

    assert saved_at.isoformat() == "2026-03-02T10:42:00+00:00"
    assert attempt.draft_saved_at() == saved_at


def test_a_submitted_attempt_takes_no_more_drafts(attempt):
    services.attempt_submit(
        attempt_id=attempt.pk, learner_key=ALICE, answers=answers_from_key(attempt)
    )

    with pytest.raises(AttemptAlreadySubmitted) as refused:
        save(attempt, {slots(attempt)[2]: "late"})
    assert refused.value.status == 409


def test_bob_cannot_save_into_alices_attempt(attempt):
    with pytest.raises(AttemptNotFound) as refused:
        save(attempt, {slots(attempt)[2]: "bob was here"}, learner=BOB)
    assert refused.value.status == 404
    assert not DraftAnswer.objects.exists()


def test_an_attempt_of_another_placement_is_not_found(attempt):
    elsewhere = make_placement(attempt.quiz, key="lti:1:other")

    with pytest.raises(AttemptNotFound):
        save(attempt, {slots(attempt)[2]: "x"}, placement=elsewhere)


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (lambda attempt, a, c: {"nope": ["x"]}, "answers.nope"),
        (lambda attempt, a, c: {a: ["zz"]}, "answers.{a}"),
        (lambda attempt, a, c: {a: keys(attempt, a)[:2]}, "answers.{a}"),
        (lambda attempt, a, c: {a: "text"}, "answers.{a}"),
        (lambda attempt, a, c: {c: ["k"]}, "answers.{c}"),
        (lambda attempt, a, c: {c: "x" * 2001}, "answers.{c}"),
    ],
    ids=["unknown slot", "unknown key", "two keys", "text", "keys", "too long"],
)
def test_what_the_attempt_did_not_ask_is_refused_naming_the_field(attempt, answer, problem):
    a, _, c = slots(attempt)
    with pytest.raises(InvalidDraft) as refused:
        save(attempt, answer(attempt, a, c))

    field = problem.format(a=a, c=c)
    assert list(refused.value.errors) == [field]
    assert refused.value.status == 400
    assert field in str(refused.value.message)
    assert not DraftAnswer.objects.exists()


def test_a_flag_must_be_true_or_false_on_a_question_asked(attempt):
    a = slots(attempt)[0]
    with pytest.raises(InvalidDraft) as refused:
        save(attempt, flags={a: "yes", "nope": True})

    assert set(refused.value.errors) == {f"flags.{a}", "flags.nope"}


def test_a_submit_scores_the_posted_form_not_the_draft_and_clears_it(attempt):
    a = slots(attempt)[0]
    wrong = answers_from_key(attempt, right=False, short="no idea")
    save(attempt, answers_from_key(attempt), flags={a: True})

    result = services.attempt_submit(attempt_id=attempt.pk, learner_key=ALICE, answers=wrong)

    assert result.attempt.score == 0
    assert not DraftAnswer.objects.exists()
    assert not any(row["is_correct"] for row in result.attempt.results_for_display())


class TestTheAnswersASubmitScores:
    def test_drafts_fill_in_the_questions_the_posted_page_did_not_show(self, attempt):
        first, second, short = slots(attempt)
        save(attempt, {first: [keys(attempt, first)[0]], short: "saved text"})

        merged = answers_with_drafts(
            attempt=attempt, answers={second: [keys(attempt, second)[1]]}, shown=[second]
        )

        assert merged == {
            first: [keys(attempt, first)[0]],
            second: [keys(attempt, second)[1]],
            short: "saved text",
        }

    def test_a_question_shown_and_left_blank_is_blank_whatever_its_draft(self, attempt):
        first, _, _ = slots(attempt)
        save(attempt, {first: [keys(attempt, first)[0]]})

        merged = answers_with_drafts(attempt=attempt, answers={}, shown=[first])

        assert merged == {}

    def test_bob_cannot_submit_alices_attempt_and_her_drafts_stay(self, attempt):
        first, _, _ = slots(attempt)
        save(attempt, {first: [keys(attempt, first)[0]]})

        with pytest.raises(AttemptNotFound):
            services.attempt_submit(attempt_id=attempt.pk, learner_key=BOB, answers={}, shown=[])

        assert DraftAnswer.objects.filter(attempt=attempt).count() == 1

    def test_a_submit_from_the_summary_scores_the_drafts(self, attempt):
        first, _, short = slots(attempt)
        save(attempt, {first: [keys(attempt, first)[0]], short: "saved text"})

        result = services.attempt_submit(
            attempt_id=attempt.pk, learner_key=ALICE, answers={}, shown=[]
        )

        answered = {r.slot: r.answer for r in result.attempt.responses.all()}
        assert answered[first] == [keys(attempt, first)[0]]
        assert answered[short] == "saved text"
        assert not DraftAnswer.objects.filter(attempt=attempt).exists()
