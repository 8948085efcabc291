"""The question bank: validation, versions, concurrent edits, archive-on-delete."""

from decimal import Decimal

import pytest

from lti_quiz.quiz import bank, services
from lti_quiz.quiz.errors import InvalidQuestion, VersionConflict
from lti_quiz.quiz.models import (
    AttemptQuestion,
    Choice,
    Question,
    QuestionVersion,
    QuizQuestion,
)
from tests.factories.quiz import (
    answers_from_key,
    make_bank,
    make_placement,
    make_question,
    question_payload,
)

pytestmark = pytest.mark.django_db

ALICE = "1:alice"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("erin", password="x")


@pytest.fixture
def other_editor(django_user_model):
    return django_user_model.objects.create_user("oscar", password="x")


@pytest.fixture
def question(physics, editor):
    return bank.question_create(bank=physics, data=question_payload(key="force"), user=editor)


def fixed_quiz(*questions, slug="week-1"):
    return bank.quiz_create(
        data={"slug": slug, "title": "Week 1", "questions": [q.pk for q in questions]}
    )


def errors_of(data, **kwargs):
    return bank.question_validate(data, **kwargs)


class TestQuestionData:
    def test_it_gives_the_neutral_format_with_choices_in_authoring_order(self, question):
        assert bank.question_data(question) == {
            "key": "force",
            "kind": "single_choice",
            "text": "A single choice question?",
            "points": "2.00",
            "explanation": "Because.",
            "correct_feedback": "",
            "partially_correct_feedback": "",
            "incorrect_feedback": "",
            "tags": ["mechanics"],
            "status": "active",
            "choices": [
                {"text": "Force", "is_correct": True, "feedback": "Yes."},
                {"text": "Mass", "is_correct": False, "feedback": ""},
                {"text": "Colour", "is_correct": False, "feedback": "No."},
            ],
            "patterns": [],
            "model_answer": "",
            "rejected_patterns": [],
            "spec": {},
            "hints": [],
        }

    @pytest.mark.parametrize(
        "kind", ["single_choice", "multiple_response", "true_false", "short_answer"]
    )
    def test_every_kind_round_trips_through_create(self, physics, kind):
        data = question_payload(kind, key=f"k-{kind}", points="1.50")
        created = bank.question_create(bank=physics, data=data)
        assert bank.question_data(created) == {**data, "points": "1.50"}


class TestValidation:
    def test_a_valid_question_has_no_errors(self, physics):
        assert errors_of(question_payload(), bank=physics) == {}

    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            (
                {"choices": [{"text": "a", "is_correct": True}, {"text": "b", "is_correct": True}]},
                "choices",
                "Mark exactly one choice correct (2 are marked).",
            ),
            (
                {"choices": [{"text": "a"}, {"text": "b"}]},
                "choices",
                "Mark exactly one choice correct (0 are marked).",
            ),
            ({"choices": [{"text": "a", "is_correct": True}]}, "choices", "Give at least two "),
            ({"choices": []}, "choices", "Give at least two choices."),
            ({"patterns": ["x"]}, "patterns", "Only short-answer questions take patterns."),
            ({"choices": [{"text": "a", "is_correct": "yes"}, {"text": "b"}]}, "choices", "is_"),
            ({"choices": [{"text": "", "is_correct": True}, {"text": "b"}]}, "choices", "blank"),
            ({"choices": [{"text": "a", "is_correct": True}, {"text": "a"}]}, "choices", "same"),
            (
                {"choices": [{"text": "a", "is_correct": True, "why": "x"}, {"text": "b"}]},
                "choices",
                "Choice 1: unknown field 'why'.",
            ),
            ({"choices": "a, b"}, "choices", "Must be a list of choices."),
            ({"choices": ["a", "b"]}, "choices", "Choice 1: must be an object"),
            ({"points": 0}, "points", "Must be more than 0 and at most 1000."),
            ({"points": "1000.01"}, "points", "Must be more than 0 and at most 1000."),
            ({"points": "-1"}, "points", "Must be more than 0"),
            ({"points": "1.234"}, "points", "At most 2 decimal places."),
            ({"points": "two"}, "points", "A number is required."),
            ({"points": True}, "points", "A number is required."),
            ({"points": "NaN"}, "points", "A number is required."),
            ({"points": None}, "points", "A number is required."),
            ({"text": "x" * 5001}, "text", "At most 5000 characters (got 5001)."),
            ({"text": "   "}, "text", "This field may not be blank."),
            ({"text": 12}, "text", "Must be a string."),
            ({"text": "nul\x00byte"}, "text", "Text may not contain NUL characters or unpaired"),
            ({"explanation": "\ud800"}, "explanation", "Text may not contain NUL characters or"),
            ({"explanation": "x" * 5001}, "explanation", "At most 5000 characters"),
            ({"tags": "mechanics"}, "tags", "Must be a list of strings."),
            ({"tags": ["two words"]}, "tags", "'two words': use letters, digits"),
            ({"tags": ["a", "a"]}, "tags", "A tag appears twice."),
            ({"tags": ["x" * 51]}, "tags", "at most 50 characters"),
            ({"tags": [f"t{i}" for i in range(21)]}, "tags", "At most 20 tags."),
            ({"key": "not a slug"}, "key", "Use letters, digits, hyphens and underscores only."),
            ({"key": "k" * 101}, "key", "At most 100 characters."),
            ({"status": "deleted"}, "status", "Must be one of: active, archived."),
            ({"kind": "poem"}, "kind", "Must be one of: single_choice"),
            ({"colour": "red"}, "colour", "Unknown field."),
        ],
    )
    def test_a_single_choice_question_breaking_a_rule_is_refused(self, fields, field, message):
        errors = errors_of(question_payload(**fields))
        assert any(message in m for m in errors.get(field, [])), errors

    @pytest.mark.parametrize(
        ("kind", "fields", "field", "message"),
        [
            (
                "multiple_response",
                {"choices": [{"text": "a"}, {"text": "b"}]},
                "choices",
                "Mark at least one choice correct.",
            ),
            (
                "true_false",
                {"choices": [{"text": "a", "is_correct": True}, {"text": "b"}, {"text": "c"}]},
                "choices",
                "A true/false question has exactly two choices.",
            ),
            (
                "short_answer",
                {"patterns": []},
                "patterns",
                "A short-answer question needs at least one pattern.",
            ),
            (
                "short_answer",
                {"choices": [{"text": "a", "is_correct": True}, {"text": "b"}]},
                "choices",
                "A short-answer question has no choices.",
            ),
            ("short_answer", {"patterns": ["new.ton"]}, "patterns", "'new.ton': "),
            ("short_answer", {"patterns": ["   "]}, "patterns", "'   ': A pattern needs"),
            ("short_answer", {"patterns": "newton"}, "patterns", "Must be a list of strings."),
            ("short_answer", {"patterns": ["x" * 201]}, "patterns", "'xxxxxxxxxxxxxxxxxxxx'…"),
        ],
    )
    def test_kind_rules_are_enforced(self, kind, fields, field, message):
        errors = errors_of(question_payload(kind, **fields))
        assert any(m.startswith(message) for m in errors.get(field, [])), errors

    def test_kind_and_text_are_required_on_create(self):
        assert errors_of({"choices": []}) == {
            "kind": ["This field is required."],
            "text": ["This field is required."],
        }

    def test_anything_but_an_object_is_refused(self):
        assert errors_of(["not", "a", "dict"]) == {
            "non_field_errors": ["Expected an object of question fields."]
        }

    def test_a_key_already_used_in_the_bank_is_refused(self, physics, question):
        errors = errors_of(question_payload(key="force"), bank=physics)
        assert errors == {"key": ["The bank already has a question with key 'force'."]}

    def test_the_same_key_in_another_bank_is_fine(self, question):
        assert errors_of(question_payload(key="force"), bank=make_bank("chemistry")) == {}

    def test_a_partial_update_is_judged_as_the_whole_question_it_would_make(self, question):
        errors = errors_of({"kind": "short_answer"}, partial_of=question)
        assert errors == {
            "choices": ["A short-answer question has no choices."],
            "patterns": ["A short-answer question needs at least one pattern."],
        }
        assert errors_of({"text": "Better?"}, partial_of=question) == {}

    def test_a_question_keeps_its_own_key_on_update(self, question):
        assert errors_of({"key": "force"}, partial_of=question) == {}

    def test_create_raises_with_the_field_messages_and_writes_nothing(self, physics):
        with pytest.raises(InvalidQuestion) as raised:
            bank.question_create(bank=physics, data=question_payload(points="0"))
        assert raised.value.errors == {"points": ["Must be more than 0 and at most 1000."]}
        assert "points: Must be more than 0" in raised.value.message
        assert not Question.objects.exists()


class TestCreate:
    def test_it_writes_version_one_with_who_and_what(self, question, editor):
        assert question.version == 1
        version = bank.question_versions(question).get()
        assert (version.number, version.changed_by) == (1, editor)
        assert version.content == bank.question_data(question)
        assert version.changed_fields == list(bank.QUESTION_FIELDS)

    def test_a_key_is_made_from_the_text_when_none_is_given(self, physics):
        first = make_question(physics, text="What is the unit of force?")
        second = make_question(physics, text="What is the unit of force?")
        assert (first.key, second.key) == (
            "what-is-the-unit-of-force",
            "what-is-the-unit-of-force-2",
        )

    def test_points_default_to_one_and_status_to_active(self, physics):
        data = question_payload()
        for name in ("points", "status", "tags", "explanation"):
            del data[name]
        created = bank.question_create(bank=physics, data=data)
        assert (created.points, created.status, created.tags) == (Decimal(1), "active", [])


class TestUpdate:
    def test_a_change_writes_the_next_version_naming_the_changed_fields(
        self, question, other_editor
    ):
        updated = bank.question_update(
            question=question,
            data={"text": "Which is a force?", "tags": ["forces"]},
            user=other_editor,
        )
        assert updated.version == 2
        latest = bank.question_versions(question).first()
        assert (latest.number, latest.changed_fields) == (2, ["text", "tags"])
        assert latest.changed_by == other_editor
        assert latest.content["text"] == "Which is a force?"
        assert [v.number for v in bank.question_versions(question)] == [2, 1]

    def test_an_update_that_changes_nothing_writes_nothing(self, question):
        same = bank.question_data(question)
        updated = bank.question_update(question=question, data={**same, "points": 2})
        assert updated.version == 1
        assert QuestionVersion.objects.count() == 1

    def test_a_stale_expected_version_is_a_conflict_naming_the_current_one(self, question):
        bank.question_update(question=question, data={"text": "First edit?"}, expected_version=1)
        with pytest.raises(VersionConflict) as raised:
            bank.question_update(
                question=question, data={"text": "Second edit?"}, expected_version=1
            )
        assert raised.value.current_version == 2
        question.refresh_from_db()
        assert question.text == "First edit?"

    def test_an_invalid_update_changes_nothing(self, question):
        with pytest.raises(InvalidQuestion) as raised:
            bank.question_update(question=question, data={"choices": []})
        assert raised.value.errors == {
            "choices": [
                "Give at least two choices.",
                "Mark exactly one choice correct (0 are marked).",
            ]
        }
        assert question.choices.count() == 3
        assert bank.question_versions(question).count() == 1

    def test_edited_choices_keep_their_ids_by_position(self, question):
        before = list(question.choices.values_list("pk", flat=True))
        choices = bank.question_data(question)["choices"]
        choices[2]["text"] = "Colour, obviously"
        bank.question_update(question=question, data={"choices": choices[:2] + choices[2:]})
        assert list(question.choices.values_list("pk", flat=True)) == before
        bank.question_update(question=question, data={"choices": choices[:2]})
        assert list(question.choices.values_list("pk", flat=True)) == before[:2]

    def test_a_kind_change_with_its_patterns_is_applied(self, question):
        updated = bank.question_update(
            question=question, data={"kind": "short_answer", "choices": [], "patterns": ["push*"]}
        )
        assert (updated.kind, updated.version) == ("short_answer", 2)
        assert not Choice.objects.filter(question=question).exists()
        assert list(updated.patterns.values_list("pattern", flat=True)) == ["push*"]

    def test_moving_to_a_key_taken_in_the_bank_is_refused(self, physics, question):
        make_question(physics, key="mass")
        with pytest.raises(InvalidQuestion) as raised:
            bank.question_update(question=question, data={"key": "mass"})
        assert raised.value.errors == {"key": ["The bank already has a question with key 'mass'."]}


class TestVersionsOfAnsweredQuestions:
    def test_an_edit_after_an_attempt_leaves_the_attempt_as_asked_and_names_its_version(
        self, question
    ):
        placement = make_placement(fixed_quiz(question))
        attempt = services.attempt_get_or_start(placement=placement, learner_key=ALICE)
        services.attempt_submit(
            attempt_id=attempt.pk, learner_key=ALICE, answers=answers_from_key(attempt)
        )
        asked = attempt.snapshot["questions"][0]

        choices = bank.question_data(question)["choices"]
        choices[0]["is_correct"], choices[2]["is_correct"] = False, True
        bank.question_update(question=question, data={"text": "Edited?", "choices": choices})

        attempt.refresh_from_db()
        assert attempt.snapshot["questions"][0] == asked
        assert asked["question_version"] == 1
        assert [c["is_correct"] for c in asked["choices"]] == [True, False, False]
        assert attempt.score == 2
        assert AttemptQuestion.objects.get(attempt=attempt).version == 1
        old = question.versions.get(number=1).content
        assert (old["text"], old["choices"][0]["is_correct"]) == (asked["text"], True)

        again = services.attempt_get_or_start(placement=placement, learner_key="1:bob")
        assert again.snapshot["questions"][0]["question_version"] == 2
        assert again.snapshot["questions"][0]["text"] == "Edited?"


class TestDelete:
    def test_a_question_nothing_refers_to_is_deleted_with_its_history(self, question):
        quiz = fixed_quiz(question)
        assert bank.question_delete(question=question) == "deleted"
        assert not Question.objects.exists()
        assert not QuestionVersion.objects.exists()
        assert not QuizQuestion.objects.filter(quiz=quiz).exists()

    def test_a_question_an_open_attempt_asked_is_archived(self, question, editor):
        placement = make_placement(fixed_quiz(question))
        services.attempt_get_or_start(placement=placement, learner_key=ALICE)
        assert bank.question_delete(question=question, user=editor) == "archived"
        question.refresh_from_db()
        assert (question.status, question.version) == ("archived", 2)
        latest = bank.question_versions(question).first()
        assert (latest.changed_fields, latest.changed_by) == (["status"], editor)

    def test_a_question_listed_by_a_quiz_with_attempts_is_archived(self, physics, question):
        other = make_question(physics, key="other")
        quiz = fixed_quiz(other)
        services.attempt_get_or_start(placement=make_placement(quiz), learner_key=ALICE)
        bank.quiz_update(quiz=quiz, data={"questions": [other.pk, question.pk]})
        assert bank.question_delete(question=question) == "archived"

    def test_an_answered_question_is_archived_and_the_attempt_keeps_it(self, question):
        placement = make_placement(fixed_quiz(question))
        attempt = services.attempt_get_or_start(placement=placement, learner_key=ALICE)
        services.attempt_submit(
            attempt_id=attempt.pk, learner_key=ALICE, answers=answers_from_key(attempt)
        )
        assert bank.question_delete(question=question) == "archived"
        attempt.refresh_from_db()
        assert attempt.responses.get().question == question
        assert attempt.results_for_display()[0]["text"] == "A single choice question?"

    def test_deleting_an_archived_question_again_writes_no_version(self, question):
        services.attempt_get_or_start(
            placement=make_placement(fixed_quiz(question)), learner_key=ALICE
        )
        bank.question_delete(question=question)
        assert bank.question_delete(question=question) == "archived"
        assert bank.question_versions(question).count() == 2

    def test_archived_questions_are_no_longer_asked(self, physics, question):
        other = make_question(physics, key="other")
        placement = make_placement(fixed_quiz(question, other))
        services.attempt_get_or_start(placement=placement, learner_key=ALICE)
        bank.question_delete(question=question)
        attempt = services.attempt_get_or_start(placement=placement, learner_key="1:bob")
        assert [q["question_key"] for q in attempt.snapshot["questions"]] == ["other"]


class TestRecordVersion:
    """For edits that bypass the services (the Django admin's forms)."""

    def test_a_direct_change_is_recorded_as_the_next_version(self, question, editor):
        Question.objects.filter(pk=question.pk).update(text="Edited in the admin?")
        Choice.objects.filter(question=question, text="Mass").update(feedback="Close.")
        version = bank.question_record_version(question=question, user=editor)
        assert (version.number, version.changed_fields) == (2, ["text", "choices"])
        assert question.version == 2
        assert Question.objects.get().version == 2

    def test_nothing_is_recorded_when_nothing_changed(self, question):
        assert bank.question_record_version(question=question) is None
        assert question.versions.count() == 1

    def test_a_question_without_history_gets_version_one(self, physics):
        raw = Question.objects.create(bank=physics, key="raw", kind="short_answer", text="?")
        version = bank.question_record_version(question=raw)
        assert (version.number, raw.version) == (1, 1)

    def test_the_admin_records_a_version_when_a_question_is_saved(self, admin_client, question):
        url = f"/admin/quiz/question/{question.pk}/change/"
        page = admin_client.get(url)
        form = page.context["adminform"].form
        fields = ("bank", "key", "kind", "points", "explanation", "status")
        data = {name: form.initial.get(name, "") for name in fields}
        data.update(tags='["mechanics"]', text="Via admin?")
        for inline in page.context["inline_admin_formsets"]:
            formset = inline.formset
            data.update(
                {
                    f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
                    f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
                }
            )
            for form_ in formset.forms:
                for field in form_.fields:
                    value = form_.initial.get(field, "")
                    if field == "id":
                        value = form_.instance.pk
                    if isinstance(value, bool):
                        value = "on" if value else ""
                    if value is None:
                        value = ""
                    data[f"{form_.prefix}-{field}"] = value
        response = admin_client.post(url, data)
        assert response.status_code == 302, response.context and response.context["errors"]
        latest = bank.question_versions(question).first()
        assert (latest.number, latest.changed_fields) == (2, ["text"])
        assert latest.changed_by.username == "admin"


class TestTagged:
    def test_it_matches_a_whole_tag_exactly(self, physics):
        make_question(physics, key="a", tags=["mechanics", "forces"])
        make_question(physics, key="b", tags=["mechanic"])
        make_question(physics, key="c", tags=["Mechanics"])
        make_question(physics, key="d", tags=[])
        assert [q.key for q in Question.objects.tagged("mechanics").order_by("key")] == ["a"]
        assert [q.key for q in Question.objects.tagged("forces")] == ["a"]
