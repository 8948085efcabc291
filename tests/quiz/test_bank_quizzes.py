"""Banks and quizzes: fixed lists and draws by tag, validation, deleting what is unused."""

import random
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from lessons.loading import CONTENT_DIR
from lti_quiz.quiz import bank, services
from lti_quiz.quiz.errors import BankNotEmpty, InvalidBank, InvalidQuiz, QuizError, QuizInUse
from lti_quiz.quiz.models import Question, QuestionBank, QuestionVersion, Quiz
from lti_quiz.quiz.snapshots import snapshot_take
from tests.factories.quiz import (
    SEED_SLUG,
    load_seed_content,
    make_placement,
    make_question,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mechanics(physics):
    """Five active questions tagged mechanics, one archived, two tagged optics."""
    questions = [make_question(physics, key=f"m{i}", tags=["mechanics"]) for i in range(5)]
    make_question(physics, key="old", tags=["mechanics"], status="archived")
    make_question(physics, key="o1", tags=["optics"])
    make_question(physics, key="o2", tags=["optics", "waves"])
    return questions


def quiz_data(**fields):
    return {"slug": "week-1", "title": "Week 1", **fields}


def draw_quiz(physics, count=3, tag="mechanics", **fields):
    return bank.quiz_create(
        data=quiz_data(draw={"bank": physics.pk, "tag": tag, "count": count}, **fields)
    )


class TestBanks:
    def test_a_bank_is_created_and_renamed(self):
        created = bank.bank_create(slug="chem", title="Chemistry")
        renamed = bank.bank_update(bank=created, title="Organic chemistry")
        assert QuestionBank.objects.get().title == renamed.title == "Organic chemistry"

    @pytest.mark.parametrize(
        ("slug", "title", "errors"),
        [
            ("physics", "Again", {"slug": ["A question bank with slug 'physics' already exists."]}),
            ("two words", "T", {"slug": ["Use letters, digits, hyphens and underscores only."]}),
            ("ok", "  ", {"title": ["This field may not be blank."]}),
            ("ok", "x" * 201, {"title": ["At most 200 characters."]}),
            (
                None,
                5,
                {
                    "slug": ["Use letters, digits, hyphens and underscores only."],
                    "title": ["This field may not be blank."],
                },
            ),
        ],
    )
    def test_an_invalid_bank_is_refused_with_field_messages(self, physics, slug, title, errors):
        with pytest.raises(InvalidBank) as raised:
            bank.bank_create(slug=slug, title=title)
        assert raised.value.errors == errors

    def test_a_bank_keeps_its_own_slug_on_update(self, physics):
        assert bank.bank_update(bank=physics, slug="physics", title="Physics I").slug == "physics"

    def test_an_empty_bank_is_deleted(self, physics):
        bank.bank_delete(bank=physics)
        assert not QuestionBank.objects.exists()

    def test_a_bank_with_questions_is_not_deleted(self, physics):
        make_question(physics)
        with pytest.raises(BankNotEmpty, match="still has questions"):
            bank.bank_delete(bank=physics)

    def test_a_bank_a_quiz_draws_from_is_not_deleted(self, physics, mechanics):
        draw_quiz(physics)
        for question in Question.objects.all():
            bank.question_delete(question=question)
        with pytest.raises(BankNotEmpty, match="Quizzes draw"):
            bank.bank_delete(bank=physics)


class TestFixedQuizzes:
    def test_a_quiz_lists_its_questions_in_order(self, physics, mechanics):
        ids = [mechanics[2].pk, mechanics[0].pk]
        quiz = bank.quiz_create(data=quiz_data(questions=ids, attempts_allowed=2))
        assert [q.pk for q in quiz.ordered_questions()] == ids
        assert bank.quiz_data(quiz) == {
            "slug": "week-1",
            "title": "Week 1",
            "lesson": None,
            "questions": ids,
            "draw": None,
            "shuffle_questions": False,
            "shuffle_choices": False,
            "attempts_allowed": 2,
            "scoring_policy": "highest",
        }

    def test_an_update_reorders_adds_and_removes_questions(self, physics, mechanics):
        quiz = bank.quiz_create(data=quiz_data(questions=[mechanics[0].pk, mechanics[1].pk]))
        ids = [mechanics[2].pk, mechanics[0].pk]
        bank.quiz_update(quiz=quiz, data={"questions": ids, "title": "Week one"})
        quiz.refresh_from_db()
        assert ([q.pk for q in quiz.ordered_questions()], quiz.title) == (ids, "Week one")

    def test_the_lesson_is_set_by_id(self):
        seed = load_seed_content()
        quiz = bank.quiz_create(data=quiz_data(questions=[], lesson=seed.lesson_id))
        assert quiz.lesson == seed.lesson


class TestDrawQuizzes:
    def test_each_attempt_draws_count_active_questions_with_the_tag(self, physics, mechanics):
        quiz = draw_quiz(physics, count=3)
        tagged = {q.pk for q in mechanics}
        drawn = []
        for seed in range(8):
            snapshot = snapshot_take(quiz=quiz, rng=random.Random(seed))
            ids = [q["question_id"] for q in snapshot["questions"]]
            assert len(ids) == len(set(ids)) == 3
            assert set(ids) <= tagged
            assert snapshot["max_score"] == "6.00"
            drawn.append(tuple(ids))
        assert len(set(drawn)) > 1

    def test_a_blank_tag_draws_from_the_whole_bank(self, physics, mechanics):
        quiz = draw_quiz(physics, count=7, tag="")
        snapshot = snapshot_take(quiz=quiz, rng=random.Random(1))
        keys = {q["question_key"] for q in snapshot["questions"]}
        assert keys == {"m0", "m1", "m2", "m3", "m4", "o1", "o2"}

    def test_attempts_of_a_draw_quiz_record_what_they_drew(self, physics, mechanics):
        placement = make_placement(draw_quiz(physics, count=2, tag="optics"))
        attempt = services.attempt_get_or_start(placement=placement, learner_key="1:alice")
        asked = sorted(attempt.asked.values_list("question__key", "version"))
        assert asked == [("o1", 1), ("o2", 1)]

    def test_a_draw_asking_for_more_than_the_bank_has_is_refused(self, physics, mechanics):
        with pytest.raises(InvalidQuiz) as raised:
            draw_quiz(physics, count=6)
        assert raised.value.errors == {
            "draw": [
                "The bank has only 5 active questions tagged 'mechanics'; this quiz asks for 6."
            ]
        }

    def test_a_draw_that_the_bank_can_no_longer_fill_fails_clearly(self, physics, mechanics):
        quiz = draw_quiz(physics, count=5)
        bank.question_delete(question=mechanics[0])
        with pytest.raises(QuizError, match="draws 5 questions from its bank, which has only 4"):
            snapshot_take(quiz=quiz, rng=random.Random(1))

    def test_a_fixed_quiz_becomes_a_draw_when_its_list_is_cleared(self, physics, mechanics):
        quiz = bank.quiz_create(data=quiz_data(questions=[mechanics[0].pk]))
        draw = {"bank": physics.pk, "tag": "optics", "count": 1}
        bank.quiz_update(quiz=quiz, data={"questions": None, "draw": draw})
        quiz.refresh_from_db()
        assert (quiz.draw_bank, quiz.draw_tag, quiz.draw_count) == (physics, "optics", 1)
        assert bank.quiz_data(quiz)["questions"] is None
        assert not quiz.entries.exists()


class TestQuizValidation:
    @pytest.mark.parametrize(
        ("fields", "errors"),
        [
            (
                {},
                {"non_field_errors": ["Give the quiz either its questions or a draw from a bank."]},
            ),
            (
                {"questions": [], "draw": {"bank": 999, "count": 1}},
                {
                    "non_field_errors": [
                        "A quiz either lists its questions or draws them from a bank, not both: "
                        "set the other one to null."
                    ],
                    "draw": ["bank: there is no question bank 999."],
                },
            ),
            ({"questions": [999999]}, {"questions": ["There is no question 999999."]}),
            (
                {"questions": [999998, 999999]},
                {"questions": ["There are no questions 999998, 999999."]},
            ),
            ({"questions": ["1"]}, {"questions": ["A list of question ids (whole numbers)."]}),
            ({"questions": [2**70]}, {"questions": ["A list of question ids (whole numbers)."]}),
            ({"questions": [], "lesson": 999}, {"lesson": ["There is no lesson 999."]}),
            (
                {"questions": [], "attempts_allowed": -1},
                {"attempts_allowed": ["A whole number from 0 (unlimited) to 1000."]},
            ),
            (
                {"questions": [], "attempts_allowed": True},
                {"attempts_allowed": ["A whole number from 0 (unlimited) to 1000."]},
            ),
            (
                {"questions": [], "scoring_policy": "best"},
                {"scoring_policy": ["Must be one of: highest, latest, first."]},
            ),
            (
                {"questions": [], "shuffle_choices": "yes"},
                {"shuffle_choices": ["Must be true or false."]},
            ),
            ({"questions": [], "title": ""}, {"title": ["This field may not be blank."]}),
            (
                {"questions": [], "slug": "a b"},
                {"slug": ["Use letters, digits, hyphens and underscores only."]},
            ),
            ({"questions": [], "colour": "red"}, {"colour": ["Unknown field."]}),
            (
                {"draw": {"bank": 999, "count": 1}},
                {"draw": ["bank: there is no question bank 999."]},
            ),
            ({"draw": "physics"}, {"draw": ["An object {bank, tag, count} or null."]}),
        ],
    )
    def test_an_invalid_quiz_is_refused_with_field_messages(self, fields, errors):
        assert bank.quiz_validate(quiz_data(**fields)) == errors
        with pytest.raises(InvalidQuiz):
            bank.quiz_create(data=quiz_data(**fields))
        assert not Quiz.objects.exists()

    def test_a_draw_with_bad_parts_names_each(self, physics):
        errors = bank.quiz_validate(
            quiz_data(draw={"bank": physics.pk, "tag": "two words", "count": 0, "x": 1})
        )
        assert errors == {
            "draw": [
                "Unknown field 'x'.",
                "tag: a tag (letters, digits, - _ .) or an empty string for any tag.",
                "count: a whole number from 1 to 500.",
            ]
        }

    def test_slug_and_title_are_required_and_slugs_unique(self, physics):
        assert bank.quiz_validate({"questions": []}) == {
            "slug": ["This field is required."],
            "title": ["This field is required."],
        }
        bank.quiz_create(data=quiz_data(questions=[]))
        assert bank.quiz_validate(quiz_data(questions=[])) == {
            "slug": ["A quiz with slug 'week-1' already exists."]
        }

    def test_a_partial_update_is_judged_with_the_rest_of_the_quiz(self, physics, mechanics):
        quiz = bank.quiz_create(data=quiz_data(questions=[mechanics[0].pk]))
        draw = {"bank": physics.pk, "tag": "optics", "count": 1}
        assert bank.quiz_validate({"draw": draw}, instance=quiz) == {
            "non_field_errors": [
                "A quiz either lists its questions or draws them from a bank, not both: "
                "set the other one to null."
            ]
        }
        assert bank.quiz_validate({"slug": "week-1"}, instance=quiz) == {}


class TestQuizDelete:
    def test_an_unused_quiz_is_deleted_and_its_questions_stay(self, physics, mechanics):
        quiz = bank.quiz_create(data=quiz_data(questions=[mechanics[0].pk]))
        bank.quiz_delete(quiz=quiz)
        assert not Quiz.objects.exists()
        assert Question.objects.filter(pk=mechanics[0].pk).exists()

    def test_a_placed_quiz_is_not_deleted(self, physics, mechanics):
        quiz = bank.quiz_create(data=quiz_data(questions=[mechanics[0].pk]))
        make_placement(quiz)
        with pytest.raises(QuizInUse, match="placed in a course"):
            bank.quiz_delete(quiz=quiz)
        assert Quiz.objects.filter(pk=quiz.pk).exists()


class TestLoadContentWritesVersions:
    def test_the_seed_questions_start_at_version_one(self):
        load_seed_content()
        assert set(Question.objects.values_list("version", flat=True)) == {1}
        assert QuestionVersion.objects.count() == 10
        load_seed_content()
        assert QuestionVersion.objects.count() == 10

    def test_an_edited_file_writes_a_version_of_the_edited_question_only(self, tmp_path: Path):
        load_seed_content()
        shutil.copytree(CONTENT_DIR, tmp_path / "content")
        quiz_file = tmp_path / "content" / SEED_SLUG / "quiz.toml"
        old = "Which use of AI fits this topic best?"
        quiz_file.write_text(quiz_file.read_text().replace(old, "Which use fits best?"))
        out = StringIO()
        call_command("load_content", "--content-dir", tmp_path / "content", stdout=out)
        assert "10 questions, 1 changes." in out.getvalue()
        edited = Question.objects.get(key="q3")
        assert edited.version == 2
        assert edited.versions.get(number=2).changed_fields == ["text"]
        assert QuestionVersion.objects.count() == 11
