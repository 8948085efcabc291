"""The seed quiz's feedback: every option says why it is right or wrong, and a reload of the
content file updates it in place while past attempts keep the feedback they were shown."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from lessons.loading import CONTENT_DIR
from lti_quiz.quiz import services
from lti_quiz.quiz.models import Question
from tests.factories.quiz import SEED_SLUG, load_seed_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    return load_seed_content()


class TestSeedFeedback:
    def test_every_option_of_every_question_has_its_own_feedback(self, quiz):
        for question in quiz.ordered_questions():
            choices = list(question.choices.all())
            missing = [c.text for c in choices if len(c.feedback.strip()) < 20]
            assert missing == [], question.key
            feedback = [c.feedback for c in choices]
            assert len(set(feedback)) == len(feedback), question.key
            assert question.explanation not in feedback, question.key

    def test_the_right_option_says_it_is_right_and_no_wrong_one_does(self, quiz):
        for question in quiz.ordered_questions():
            for choice in question.choices.all():
                assert choice.feedback.startswith("Right") == choice.is_correct, choice.text

    def test_the_short_answer_has_feedback_for_a_right_and_a_wrong_answer(self, quiz):
        q8 = Question.objects.get(key="q8")

        assert q8.correct_feedback and q8.incorrect_feedback
        assert q8.correct_feedback != q8.incorrect_feedback != q8.explanation


class TestReload:
    @pytest.fixture
    def edited(self, tmp_path) -> Path:
        shutil.copytree(CONTENT_DIR, tmp_path / "content")
        return tmp_path / "content" / SEED_SLUG

    def test_edited_feedback_is_loaded_in_place_and_past_attempts_keep_theirs(self, quiz, edited):
        placement = services.placement_get_or_create(key="lti:1:feedback")
        attempt = services.attempt_get_or_start(placement=placement, learner_key="1:alice")
        q1 = Question.objects.get(key="q1")
        old = q1.choices.get(text="Focus only on speed instead of judgment").feedback
        quiz_file = edited / "quiz.toml"
        text = quiz_file.read_text(encoding="utf-8")
        text = text.replace(old, "Speed is not the point.")
        text = text.replace(q1.incorrect_feedback, "Read the summary again.")
        quiz_file.write_text(text, encoding="utf-8")

        call_command("load_content", "--content-dir", edited.parent, stdout=StringIO())

        q1.refresh_from_db()
        assert q1.version == 2
        assert q1.incorrect_feedback == "Read the summary again."
        assert q1.choices.get(text__startswith="Focus only").feedback == "Speed is not the point."
        asked = attempt.snapshot["questions"][0]
        assert asked["incorrect_feedback"] != "Read the summary again."
        assert old in [c["feedback"] for c in asked["choices"]]

    def test_loading_the_unchanged_file_again_writes_no_version(self, quiz):
        call_command("load_content", stdout=StringIO())

        assert {q.version for q in quiz.ordered_questions()} == {1}
