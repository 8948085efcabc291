"""The seed lesson and quiz: loaded from lessons/content/, wording exact, idempotent."""

import re
import shutil
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lessons.loading import CONTENT_DIR
from lessons.models import Lesson
from lti_quiz.quiz import services
from lti_quiz.quiz.models import (
    AcceptedPattern,
    Attempt,
    Choice,
    Question,
    QuestionBank,
    Quiz,
    QuizQuestion,
)
from tests.factories.quiz import SEED_SLUG, load_seed_content

SOURCE = CONTENT_DIR / SEED_SLUG / "source"
MODEL_FEEDBACK = (
    "For example: check the long-tail capability against a trusted source or an expert, "
    "or run workload-specific tests such as shadow traffic."
)

pytestmark = pytest.mark.django_db


def seed_lines() -> list[str]:
    return (SOURCE / "seed.txt").read_text(encoding="utf-8").splitlines()


def answer_key() -> dict[int, tuple[str, str]]:
    """{number: (correct option text, why)} from the answer key's table."""
    rows = re.findall(r"^\| (\d+) \| [^|]+ \| ([^|]+) \| ([^|]+) \|$", _key_text(), re.MULTILINE)
    # Q10's "(The source lists three options ...)" is a note to us, not feedback for learners.
    return {
        int(n): (correct.strip(), re.sub(r" \(The source .*\)$", "", why.strip()))
        for n, correct, why in rows
    }


def _key_text() -> str:
    return (SOURCE / "answer-key.md").read_text(encoding="utf-8")


class BlockText(HTMLParser):
    """The text of each paragraph and list item, entities decoded."""

    def __init__(self):
        super().__init__()
        self.blocks: list[str] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "li"):
            self.blocks.append("")
            self._open = True

    def handle_endtag(self, tag):
        if tag in ("p", "li"):
            self._open = False

    def handle_data(self, data):
        if self._open:
            self.blocks[-1] += data


@pytest.fixture
def quiz():
    return load_seed_content()


class TestSeedLesson:
    def test_every_line_of_the_lesson_is_shown_word_for_word(self, quiz):
        lesson = Lesson.objects.get(slug=SEED_SLUG)
        shown = [lesson.title, lesson.summary, lesson.meta]
        for section in lesson.sections_for_display():
            parser = BlockText()
            parser.feed(section["html"])
            shown += [section["heading"], *parser.blocks]
        lines = seed_lines()
        assert shown == lines[: lines.index("End-of-lesson check")]

    def test_the_lesson_has_the_seed_sections_and_meta_line(self, quiz):
        lesson = Lesson.objects.get(slug=SEED_SLUG)
        assert lesson.meta == "11 min · Reviewed 2026"
        assert [s["heading"] for s in lesson.sections] == [
            "The premise",
            "What AI does well here",
            "What AI cannot do",
            "Practice this safely",
        ]
        assert quiz.lesson == lesson


class TestSeedQuiz:
    def test_it_is_the_default_quiz_with_ten_questions_worth_one_point(self, quiz):
        assert quiz.slug == SEED_SLUG
        questions = quiz.ordered_questions()
        assert len(questions) == 10
        assert {q.points for q in questions} == {1}

    def test_questions_and_options_are_word_for_word_in_authoring_order(self, quiz):
        asked = []
        for question in quiz.ordered_questions():
            asked += [question.text, *(c.text for c in question.choices.all())]
        lines = seed_lines()
        assert asked == lines[lines.index("End-of-lesson check") + 2 :]
        assert "long-tail capabilities — the tradeoff" in asked[1]  # an em dash, not a hyphen

    def test_correct_answers_and_feedback_follow_the_answer_key(self, quiz):
        key = answer_key()
        assert sorted(key) == list(range(1, 11))
        for number, question in enumerate(quiz.ordered_questions(), start=1):
            correct, why = key[number]
            if number == 8:
                assert question.kind == "short_answer"
                assert question.explanation == MODEL_FEEDBACK
                assert MODEL_FEEDBACK.replace(" ", "") in re.sub(r"\s", "", _key_text())
                continue
            assert question.kind == "single_choice"
            assert [c.text for c in question.choices.all() if c.is_correct] == [correct]
            assert question.explanation == why

    def test_question_ten_has_the_three_options_of_the_source(self, quiz):
        assert quiz.ordered_questions()[9].choices.count() == 3

    def test_every_correct_answer_scores_ten_out_of_ten(self, quiz):
        placement = services.placement_get_or_create(key="lti:1:seed")
        attempt = services.attempt_get_or_start(placement=placement, learner_key="1:alice")
        key = answer_key()
        answers: dict[str, list[str] | str] = {}
        for number, shown in enumerate(attempt.questions_for_display(), start=1):
            if shown["kind"] == "short_answer":
                answers[shown["slot"]] = "Check it against the original document"
            else:
                keys = [c["key"] for c in shown["choices"] if c["text"] == key[number][0]]
                answers[shown["slot"]] = keys
        result = services.attempt_submit(
            attempt_id=attempt.pk, learner_key="1:alice", answers=answers
        )
        assert (result.attempt.score, result.attempt.max_score) == (10, 10)
        assert result.attempt.needs_review is False


class TestQuestionEightPatterns:
    @pytest.fixture
    def question(self, quiz):
        return quiz.ordered_questions()[7]

    @pytest.mark.parametrize(
        "answer",
        [
            # checking against a trusted source
            "Check it against a trusted source",
            "Read the documentation",
            "compare with the original paper",
            "look it up in a reference",
            "the original",
            # asking a person who knows
            "Ask an expert",
            "ask my teacher",
            "ask the instructor",
            "find a specialist",
            "ask an adult",
            # testing on the real workload
            "Test it",
            "testing on our data",
            "run an eval",
            "an evaluation on my workload",
            "benchmark it",
            "use shadow traffic",
            "write long-tail prompts",
            "compare with the teacher model",
            # any case
            "ASK AN EXPERT",
            "Shadow-Traffic",
        ],
    )
    def test_each_accepted_idea_is_correct(self, question, answer):
        placement = services.placement_get_or_create(key="lti:1:q8")
        attempt = services.attempt_get_or_start(placement=placement, learner_key="1:alice")
        slot = next(q["slot"] for q in attempt.snapshot["questions"] if q["question_key"] == "q8")
        result = services.attempt_submit(
            attempt_id=attempt.pk, learner_key="1:alice", answers={slot: answer}
        )
        response = result.attempt.responses.get(slot=slot)
        assert (response.is_correct, response.score, response.review_state) == (True, 1, "auto")

    def test_an_answer_matching_no_idea_waits_for_review(self, question):
        placement = services.placement_get_or_create(key="lti:1:q8")
        attempt = services.attempt_get_or_start(placement=placement, learner_key="1:alice")
        slot = next(q["slot"] for q in attempt.snapshot["questions"] if q["question_key"] == "q8")
        result = services.attempt_submit(
            attempt_id=attempt.pk, learner_key="1:alice", answers={slot: "I trust my gut"}
        )
        response = result.attempt.responses.get(slot=slot)
        assert (response.is_correct, response.review_state) == (None, "pending")
        assert result.attempt.needs_review is True


class TestLoadContent:
    def counts(self):
        return [
            model.objects.count()
            for model in (
                Lesson,
                QuestionBank,
                Question,
                Choice,
                AcceptedPattern,
                Quiz,
                QuizQuestion,
            )
        ]

    def test_loading_twice_changes_nothing(self, quiz):
        before = self.counts()
        out = StringIO()
        call_command("load_content", stdout=out)
        assert self.counts() == before
        assert out.getvalue() == (
            "Lesson 'distillation-tradeoffs': unchanged.\n"
            "Quiz 'distillation-tradeoffs': 10 questions, unchanged.\n"
        )

    @pytest.fixture
    def edited(self, tmp_path) -> Path:
        """A copy of the content to edit."""
        shutil.copytree(CONTENT_DIR, tmp_path / "content")
        return tmp_path / "content" / SEED_SLUG

    def test_edited_wording_is_updated_in_place_and_past_attempts_keep_theirs(self, quiz, edited):
        placement = services.placement_get_or_create(key="lti:1:edit")
        attempt = services.attempt_get_or_start(placement=placement, learner_key="1:alice")
        old = "Which use of AI fits this topic best?"
        quiz_file = edited / "quiz.toml"
        quiz_file.write_text(quiz_file.read_text().replace(old, "Which use fits best?"))
        lesson_file = edited / "lesson.md"
        lesson_file.write_text(lesson_file.read_text().replace("11 min", "12 min"))
        before = self.counts()

        call_command("load_content", "--content-dir", edited.parent, stdout=StringIO())

        assert self.counts() == before
        assert Question.objects.get(key="q3").text == "Which use fits best?"
        assert Lesson.objects.get().meta == "12 min · Reviewed 2026"
        attempt.refresh_from_db()
        assert attempt.questions_for_display()[2]["text"] == old

    def test_a_question_dropped_from_the_file_is_archived_not_deleted(self, quiz, edited):
        quiz_file = edited / "quiz.toml"
        text = quiz_file.read_text()
        start = text.index('[[questions]]\nkey = "q10"')
        quiz_file.write_text(text[:start])
        call_command("load_content", "--content-dir", edited.parent, stdout=StringIO())
        assert len(quiz.ordered_questions()) == 9
        assert Question.objects.get(key="q10").status == Question.Status.ARCHIVED

    def test_a_broken_file_is_refused_and_changes_nothing(self, quiz, edited):
        quiz_file = edited / "quiz.toml"
        quiz_file.write_text(quiz_file.read_text().replace("correct = true", "corect = true", 1))
        with pytest.raises(CommandError, match="Unknown field 'corect'"):
            call_command("load_content", "--content-dir", edited.parent, stdout=StringIO())
        assert Question.objects.get(key="q1").choices.filter(is_correct=True).count() == 1

    def test_attempts_survive_a_reload(self, quiz):
        placement = services.placement_get_or_create(key="lti:1:keep")
        services.attempt_get_or_start(placement=placement, learner_key="1:alice")
        call_command("load_content", stdout=StringIO())
        assert Attempt.objects.count() == 1
