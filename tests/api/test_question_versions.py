"""/api/v1/questions/: updates, versions, ETag / If-Match on concurrent edits, and
archive-instead-of-delete for questions attempts refer to."""

from decimal import Decimal

import pytest
from django.urls import reverse

from lti_quiz.quiz import bank as bank_services
from lti_quiz.quiz.models import Question
from lti_quiz.quiz.services import attempt_get_or_start, attempt_submit
from tests.factories.api import error_of, make_user, questions_url, token_client
from tests.factories.api import question_url as detail
from tests.factories.quiz import (
    answers_from_key,
    make_bank,
    make_placement,
    make_question,
    question_payload,
)

LIST = questions_url()


class TestUpdate:
    def test_put_replaces_the_question_and_writes_a_version(self, editor_client, question, erin):
        payload = question_payload(kind="short_answer", text="Name the force.")

        response = editor_client.put(detail(question), payload, format="json")

        body = response.json()
        assert response.status_code == 200, body
        assert (body["kind"], body["version"], body["key"]) == ("short_answer", 2, "force")
        assert body["choices"] == [] and body["patterns"] == ["newton*"]
        assert response["ETag"] == f'"{question.pk}-2"'
        latest = question.versions.get(number=2)
        assert latest.changed_by == erin
        assert set(latest.changed_fields) == {"kind", "text", "choices", "patterns", "model_answer"}

    def test_put_needs_the_required_fields(self, editor_client, question):
        response = editor_client.put(detail(question), {"text": "Only text"}, format="json")

        assert error_of(response)["fields"] == {"kind": ["This field is required."]}

    def test_patch_changes_only_the_given_fields(self, editor_client, question):
        response = editor_client.patch(detail(question), {"points": 3.5}, format="json")

        body = response.json()
        assert response.status_code == 200, body
        assert body["points"] == "3.50" and body["text"] == question.text
        assert body["version"] == 2 and len(body["choices"]) == 3

    def test_patch_is_judged_on_the_whole_question(self, editor_client, question):
        response = editor_client.patch(detail(question), {"kind": "short_answer"}, format="json")

        fields = error_of(response)["fields"]
        assert fields["choices"] == ["A short-answer question has no choices."]
        assert fields["patterns"] == ["A short-answer question needs at least one pattern."]

    def test_a_change_that_changes_nothing_writes_no_version(self, editor_client, question):
        response = editor_client.patch(detail(question), {"text": question.text}, format="json")

        assert response.json()["version"] == 1
        assert question.versions.count() == 1

    def test_a_question_cannot_move_to_another_bank(self, editor_client, question):
        other = make_bank("other", "Other")

        response = editor_client.patch(detail(question), {"bank": other.pk}, format="json")

        assert error_of(response)["fields"] == {
            "bank": ["A question cannot move to another bank: create a copy there instead."]
        }

    def test_naming_its_own_bank_is_fine(self, editor_client, question):
        response = editor_client.patch(detail(question), {"bank": question.bank_id}, format="json")

        assert response.status_code == 200


class TestConcurrentEdits:
    def test_a_write_with_the_current_etag_succeeds(self, editor_client, question):
        etag = editor_client.get(detail(question))["ETag"]

        response = editor_client.patch(
            detail(question), {"text": "New?"}, format="json", HTTP_IF_MATCH=etag
        )

        assert response.status_code == 200
        assert response["ETag"] == f'"{question.pk}-2"'

    def test_a_stale_write_is_refused_with_412(self, editor_client, question):
        etag = editor_client.get(detail(question))["ETag"]
        editor_client.patch(detail(question), {"text": "Someone else's edit?"}, format="json")

        response = editor_client.put(
            detail(question), question_payload(text="Mine?"), format="json", HTTP_IF_MATCH=etag
        )

        assert response.status_code == 412
        error = error_of(response)
        assert error["code"] == "precondition_failed"
        assert "version 2" in error["message"]
        question.refresh_from_db()
        assert question.text == "Someone else's edit?"

    def test_a_weak_etag_never_matches(self, editor_client, question):
        response = editor_client.patch(
            detail(question), {"text": "New?"}, format="json", HTTP_IF_MATCH=f'W/"{question.pk}-1"'
        )

        assert response.status_code == 412

    def test_if_match_star_and_lists_are_understood(self, editor_client, question):
        star = editor_client.patch(
            detail(question), {"text": "One?"}, format="json", HTTP_IF_MATCH="*"
        )
        listed = editor_client.patch(
            detail(question),
            {"text": "Two?"},
            format="json",
            HTTP_IF_MATCH=f'"{question.pk}-1", "{question.pk}-2"',
        )

        assert (star.status_code, listed.status_code) == (200, 200)

    def test_a_stale_delete_is_refused_with_412(self, editor_client, question):
        editor_client.patch(detail(question), {"text": "Edited?"}, format="json")

        response = editor_client.delete(detail(question), HTTP_IF_MATCH=f'"{question.pk}-1"')

        assert response.status_code == 412
        assert Question.objects.filter(pk=question.pk).exists()

    def test_the_service_catches_a_change_between_check_and_write(self, editor_client, question):
        # As if another request committed between this request's If-Match check and its lock.
        with pytest.raises(Exception) as raised:
            bank_services.question_update(
                question=question, data={"text": "Late?"}, expected_version=0
            )

        assert type(raised.value).__name__ == "VersionConflict"


class TestVersions:
    def test_it_lists_who_changed_what_and_when_newest_first(self, editor_client, question, erin):
        alice = make_user("alice", staff=True)
        editor_client.patch(detail(question), {"text": "Second?"}, format="json")
        token_client(alice).patch(detail(question), {"points": "4", "tags": []}, format="json")

        response = editor_client.get(reverse("api:question-versions", args=[question.pk]))

        body = response.json()
        assert response.status_code == 200 and body["count"] == 3
        newest, middle, first = body["results"]
        assert newest["number"] == 3
        assert newest["changed_by"] == {"id": alice.pk, "username": "alice"}
        assert sorted(newest["changed_fields"]) == ["points", "tags"]
        assert newest["content"]["points"] == "4.00" and newest["content"]["tags"] == []
        assert middle["changed_by"]["username"] == "erin"
        assert middle["changed_fields"] == ["text"]
        assert middle["content"]["text"] == "Second?"
        assert first["number"] == 1 and first["changed_by"] is None  # made by a factory
        assert first["created_at"] <= middle["created_at"] <= newest["created_at"]

    def test_versions_of_a_missing_question_are_404(self, editor_client):
        response = editor_client.get(reverse("api:question-versions", args=[999]))

        assert response.status_code == 404


class TestDelete:
    def test_it_deletes_a_question_nothing_refers_to(self, editor_client, question):
        response = editor_client.delete(detail(question))

        assert response.status_code == 204
        assert not Question.objects.filter(pk=question.pk).exists()

    def test_it_archives_a_question_an_attempt_answered(self, editor_client, physics):
        question = make_question(physics, key="asked")
        quiz = bank_services.quiz_create(
            data={"slug": "week-1", "title": "Week 1", "questions": [question.pk]}
        )
        attempt = attempt_get_or_start(placement=make_placement(quiz), learner_key="1:s")
        attempt_submit(attempt_id=attempt.pk, learner_key="1:s", answers=answers_from_key(attempt))

        response = editor_client.delete(detail(question))

        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "archived" and body["version"] == 2
        question.refresh_from_db()
        assert question.status == "archived"

    def test_an_answered_question_edited_keeps_the_old_version_in_the_attempt(
        self, editor_client, physics
    ):
        question = make_question(physics, key="asked", points="2")
        quiz = bank_services.quiz_create(
            data={"slug": "week-2", "title": "Week 2", "questions": [question.pk]}
        )
        attempt = attempt_get_or_start(placement=make_placement(quiz), learner_key="1:s")
        attempt_submit(attempt_id=attempt.pk, learner_key="1:s", answers=answers_from_key(attempt))

        response = editor_client.patch(detail(question), {"points": "5"}, format="json")

        assert response.json()["version"] == 2
        attempt.refresh_from_db()
        asked = attempt.snapshot["questions"][0]
        assert asked["points"] == "2.00" and asked["question_version"] == 1
        assert attempt.score == Decimal("2.00")
