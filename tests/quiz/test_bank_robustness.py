"""Whatever the data, validation answers with field messages and never raises; whatever it
accepts, the services store and read back unchanged. And concurrent edits of one question are
serialized: the second writer holding a stale version is told so."""

import threading
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lessons.services import lesson_validate
from lti_quiz.quiz import bank
from lti_quiz.quiz.errors import VersionConflict
from lti_quiz.quiz.models import Question, QuestionVersion
from lti_quiz.quiz.question_format import question_normalize
from tests.factories.quiz import make_bank, make_question, question_payload

# Text includes what JSON can carry and databases refuse: NUL and lone surrogates.
texts = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=12)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
choice_like = st.fixed_dictionaries(
    {"text": texts, "is_correct": st.booleans()}, optional={"feedback": texts}
)
field_values = {
    "key": st.from_regex(r"\A[a-z0-9-]{0,8}\Z") | json_values,
    "kind": st.sampled_from(["single_choice", "multiple_response", "true_false", "short_answer"])
    | json_values,
    "text": texts | json_values,
    "points": st.decimals(allow_nan=True, places=3) | st.integers() | texts | json_values,
    "explanation": texts,
    "correct_feedback": texts | json_values,
    "partially_correct_feedback": texts,
    "incorrect_feedback": texts,
    "tags": st.lists(st.from_regex(r"\A\w[\w.-]{0,5}\Z") | texts, max_size=4) | json_values,
    "status": st.sampled_from(["active", "archived"]) | json_values,
    "choices": st.lists(choice_like | json_values, max_size=4) | json_values,
    "patterns": st.lists(texts | st.sampled_from(["newton*", "push pull"]), max_size=3)
    | json_values,
}
# A valid question with some fields replaced by anything: close enough to valid that many
# examples get past the shape checks to the rules.
mutated_questions = st.tuples(
    st.sampled_from(["single_choice", "multiple_response", "true_false", "short_answer"]),
    st.dictionaries(st.sampled_from(sorted(field_values)), st.none(), max_size=3).flatmap(
        lambda chosen: st.fixed_dictionaries({name: field_values[name] for name in chosen})
    ),
).map(lambda pair: {**question_payload(pair[0]), "key": "", **pair[1]})
partial_changes = st.dictionaries(
    st.sampled_from(sorted(field_values)), st.none(), max_size=3
).flatmap(lambda chosen: st.fixed_dictionaries({name: field_values[name] for name in chosen}))
FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@contextmanager
def rolled_back():
    """Each generated example starts from the same database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
class TestAnyData:
    @FUZZ
    @given(data=json_values)
    def test_validation_of_any_json_never_raises(self, data):
        assert isinstance(bank.question_validate(data), dict)
        assert isinstance(bank.quiz_validate(data), dict)
        assert isinstance(lesson_validate(data), dict)

    @FUZZ
    @given(data=mutated_questions)
    def test_what_validation_accepts_is_stored_and_read_back_unchanged(self, data):
        with rolled_back():
            physics = make_bank(slug="fuzz")
            errors = bank.question_validate(data, bank=physics)
            event("refused" if errors else "stored")
            if errors:
                assert all(isinstance(m, str) and m for ms in errors.values() for m in ms)
                return
            created = bank.question_create(bank=physics, data=data)
            stored = Question.objects.get(pk=created.pk)
            assert bank.question_data(stored) == question_normalize({**data, "key": stored.key})

    @FUZZ
    @given(change=partial_changes)
    def test_what_a_partial_update_accepts_is_applied_exactly(self, change):
        with rolled_back():
            question = make_question(make_bank(slug="fuzz"), key="q")
            before = bank.question_data(question)
            errors = bank.question_validate(change, partial_of=question)
            event("refused" if errors else "applied")
            if errors:
                return
            updated = bank.question_update(question=question, data=change)
            after = bank.question_data(Question.objects.get(pk=question.pk))
            assert after == question_normalize({**before, **change})
            assert updated.version == (1 if after == before else 2)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_edits_of_the_same_version_let_one_through():
    question = make_question(make_bank(), key="force")
    barrier = threading.Barrier(2)
    done, conflicts, errors = [], [], []

    def edit(text):
        try:
            barrier.wait()
            done.append(
                bank.question_update(question=question, data={"text": text}, expected_version=1)
            )
        except VersionConflict as exc:
            conflicts.append(exc.current_version)
        except Exception as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(t,)) for t in ("First?", "Second?")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert (len(done), conflicts) == (1, [2])
    assert Question.objects.get().text == done[0].text
    assert list(QuestionVersion.objects.order_by("number").values_list("number", flat=True)) == [
        1,
        2,
    ]
