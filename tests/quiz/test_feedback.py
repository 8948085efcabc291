"""Feedback after an attempt: why each chosen option is right or wrong, the feedback for a
right, partly right or wrong answer, all from the attempt's snapshot, never the live question."""

from types import SimpleNamespace

import pytest

from lti_quiz.quiz import bank, display, services
from lti_quiz.quiz.models import Question
from tests.factories.quiz import choice_question, make_placement, make_quiz, snapshot_question

ALICE = "1:alice"
OVERALL = {
    "correct_feedback": "All right.",
    "partially_correct_feedback": "Partly right.",
    "incorrect_feedback": "Not right.",
}

pytestmark = pytest.mark.django_db


def response(slot="1", answer=(), is_correct=False, review_state="none", feedback=""):
    return SimpleNamespace(
        slot=slot,
        answer=list(answer) if not isinstance(answer, str) else answer,
        is_correct=is_correct,
        score=0,
        feedback=feedback,
        review_state=review_state,
        review_comment="",
    )


def result(question, answer, **kwargs):
    return display.results({"questions": [question]}, [response(answer=answer, **kwargs)])[0]


def multiple(**feedback):
    return {
        **snapshot_question("multiple_response", correct=("k1", "k2")),
        **OVERALL,
        **feedback,
    }


class TestTheResultShows:
    def test_the_chosen_options_feedback_and_the_wrong_answer_feedback(self):
        question = {**snapshot_question(), **OVERALL}

        item = result(question, ["k2"])

        assert [(c["text"], c["feedback"]) for c in item["choice_feedback"]] == [
            ("text k2", "fb k2")
        ]
        assert [c["text"] for c in item["missed_feedback"]] == ["text k1"]
        assert item["outcome_feedback"] == "Not right."

    def test_a_right_answer_gets_the_right_answer_feedback_and_misses_nothing(self):
        item = result({**snapshot_question(), **OVERALL}, ["k1"], is_correct=True)

        assert [c["feedback"] for c in item["choice_feedback"]] == ["fb k1"]
        assert item["missed_feedback"] == []
        assert item["outcome_feedback"] == "All right."

    def test_some_right_choices_of_a_multiple_response_are_partly_right(self):
        item = result(multiple(), ["k1", "k3"])

        assert [c["feedback"] for c in item["choice_feedback"]] == ["fb k1", "fb k3"]
        assert [c["feedback"] for c in item["missed_feedback"]] == ["fb k2"]
        assert item["outcome_feedback"] == "Partly right."

    def test_no_right_choice_of_a_multiple_response_is_wrong(self):
        assert result(multiple(), ["k3"])["outcome_feedback"] == "Not right."

    def test_partly_right_without_its_own_feedback_gets_the_wrong_answer_feedback(self):
        item = result(multiple(partially_correct_feedback=""), ["k1"])

        assert item["outcome_feedback"] == "Not right."

    def test_a_single_choice_is_never_partly_right(self):
        question = {**snapshot_question(), **OVERALL}

        assert result(question, ["k3"])["outcome_feedback"] == "Not right."

    def test_an_answer_waiting_for_review_gets_no_outcome_feedback_yet(self):
        question = {**snapshot_question("short_answer", patterns=("x",)), **OVERALL}

        item = result(question, "maybe", is_correct=None, review_state="pending")

        assert item["outcome_feedback"] == ""
        assert item["choice_feedback"] == [] and item["missed_feedback"] == []

    def test_a_snapshot_from_before_outcome_feedback_shows_none(self):
        assert result(snapshot_question(), ["k2"])["outcome_feedback"] == ""

    def test_options_without_feedback_are_left_out(self):
        question = snapshot_question()
        question["choices"][1]["feedback"] = ""

        item = result(question, ["k2"])

        assert item["choice_feedback"] == []


class TestTheSnapshot:
    @pytest.fixture
    def placement(self):
        quiz = make_quiz(
            questions=[choice_question("a", **OVERALL), choice_question("b", correct=1)]
        )
        return make_placement(quiz)

    def test_it_keeps_every_feedback(self, placement):
        attempt = services.attempt_get_or_start(placement=placement, learner_key=ALICE)

        first = attempt.snapshot["questions"][0]
        assert {name: first[name] for name in OVERALL} == OVERALL
        assert sorted(c["feedback"] for c in first["choices"]) == ["a fb 0", "a fb 1", "a fb 2"]

    def test_a_later_edit_never_changes_a_past_results_feedback(self, placement):
        attempt = services.attempt_get_or_start(placement=placement, learner_key=ALICE)
        asked = attempt.snapshot["questions"][0]
        wrong = next(c for c in asked["choices"] if not c["is_correct"])
        services.attempt_submit(
            attempt_id=attempt.pk, learner_key=ALICE, answers={"1": [wrong["key"]]}
        )
        question = Question.objects.get(key="a")
        data = bank.question_data(question)
        bank.question_update(
            question=question,
            data={
                "incorrect_feedback": "Edited later.",
                "choices": [{**c, "feedback": "Edited later."} for c in data["choices"]],
            },
        )

        attempt.refresh_from_db()
        item = attempt.results_for_display()[0]

        assert item["outcome_feedback"] == "Not right."
        assert [c["feedback"] for c in item["choice_feedback"]] == [wrong["feedback"]]
        assert "Edited later." not in str(item)

    def test_the_learners_questions_before_submitting_carry_no_feedback(self, placement):
        attempt = services.attempt_get_or_start(placement=placement, learner_key=ALICE)

        shown = str(attempt.questions_for_display())

        assert "fb" not in shown and "right." not in shown


class TestVersionsFromBeforeTheFields:
    def test_an_admin_save_does_not_count_their_absence_as_a_change(self):
        make_quiz(questions=[choice_question("a")])
        question = Question.objects.get(key="a")
        old = question.versions.get()
        old.content = {k: v for k, v in old.content.items() if k not in OVERALL}
        old.save()

        assert bank.question_record_version(question=question) is None

    def test_an_admin_edit_of_one_names_only_that_field(self):
        make_quiz(questions=[choice_question("a")])
        question = Question.objects.get(key="a")
        Question.objects.filter(pk=question.pk).update(correct_feedback="Well done.")

        version = bank.question_record_version(question=question)

        assert version is not None and version.changed_fields == ["correct_feedback"]
