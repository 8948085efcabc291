"""/api/v1/quizzes/: fixed lists and draws by tag, settings, validation, delete rules."""

import pytest
from django.urls import reverse

from lti_quiz.quiz.models import Quiz
from lti_quiz.quiz.services import attempt_get_or_start
from tests.factories.api import error_of
from tests.factories.quiz import make_placement, make_question

LIST = reverse("api:quiz-list")


def detail(pk: int) -> str:
    return reverse("api:quiz-detail", args=[pk])


@pytest.fixture
def questions(physics):
    return [
        make_question(physics, key="a", tags=["orbits"]),
        make_question(physics, key="b", kind="short_answer", tags=["orbits"]),
        make_question(physics, key="c", tags=["energy"]),
    ]


class TestCreate:
    def test_it_creates_a_quiz_of_listed_questions_in_order(self, editor_client, questions):
        ids = [questions[2].pk, questions[0].pk]

        response = editor_client.post(
            LIST,
            {"slug": "week-1", "title": "Week 1", "questions": ids, "attempts_allowed": 2},
            format="json",
        )

        body = response.json()
        assert response.status_code == 201, body
        assert body["questions"] == ids and body["draw"] is None
        assert (body["attempts_allowed"], body["scoring_policy"]) == (2, "highest")
        assert (body["shuffle_questions"], body["shuffle_choices"], body["lesson"]) == (
            False,
            False,
            None,
        )

    def test_it_creates_a_quiz_that_draws_from_a_bank_by_tag(
        self, editor_client, physics, questions
    ):
        response = editor_client.post(
            LIST,
            {
                "slug": "drawn",
                "title": "Drawn",
                "draw": {"bank": physics.pk, "tag": "orbits", "count": 2},
                "scoring_policy": "latest",
            },
            format="json",
        )

        body = response.json()
        assert response.status_code == 201, body
        assert body["draw"] == {"bank": physics.pk, "tag": "orbits", "count": 2}
        assert body["questions"] is None
        attempt = attempt_get_or_start(
            placement=make_placement(Quiz.objects.get(pk=body["id"])), learner_key="1:s"
        )
        assert {q["question_key"] for q in attempt.snapshot["questions"]} == {"a", "b"}

    def test_a_draw_larger_than_the_bank_is_refused(self, editor_client, physics, questions):
        response = editor_client.post(
            LIST,
            {"slug": "x", "title": "X", "draw": {"bank": physics.pk, "tag": "orbits", "count": 5}},
            format="json",
        )

        assert response.status_code == 400
        assert error_of(response)["fields"] == {
            "draw": ["The bank has only 2 active questions tagged 'orbits'; this quiz asks for 5."]
        }

    def test_it_needs_exactly_one_of_questions_and_draw(self, editor_client, physics, questions):
        neither = editor_client.post(LIST, {"slug": "n", "title": "N"}, format="json")
        both = editor_client.post(
            LIST,
            {
                "slug": "b",
                "title": "B",
                "questions": [questions[0].pk],
                "draw": {"bank": physics.pk, "count": 1},
            },
            format="json",
        )

        assert error_of(neither)["fields"] == {
            "non_field_errors": ["Give the quiz either its questions or a draw from a bank."]
        }
        assert "not both" in error_of(both)["fields"]["non_field_errors"][0]

    def test_it_names_unknown_question_ids(self, editor_client, questions):
        response = editor_client.post(
            LIST, {"slug": "u", "title": "U", "questions": [questions[0].pk, 9998]}, format="json"
        )

        assert error_of(response)["fields"] == {"questions": ["There is no question 9998."]}

    def test_a_question_listed_twice_is_refused(self, editor_client, questions):
        pk = questions[0].pk

        response = editor_client.post(
            LIST, {"slug": "t", "title": "T", "questions": [pk, pk]}, format="json"
        )

        assert error_of(response)["fields"] == {"questions": ["A question appears twice."]}

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"attempts_allowed": -1}, "attempts_allowed"),
            ({"attempts_allowed": "3"}, "attempts_allowed"),
            ({"attempts_allowed": 1.5}, "attempts_allowed"),
            ({"shuffle_questions": "yes"}, "shuffle_questions"),
            ({"scoring_policy": "best"}, "scoring_policy"),
            ({"slug": "not a slug"}, "slug"),
            ({"title": "t" * 201}, "title"),
            ({"lesson": 999}, "lesson"),
            ({"questions": ["1"]}, "questions.0"),
            ({"draw": {"bank": 1, "count": 0}}, "draw.count"),
            ({"draw": {"bank": 1, "count": 1, "weight": 2}}, "draw.weight"),
            ({"timer": 30}, "timer"),
        ],
    )
    def test_it_refuses_invalid_fields(self, editor_client, questions, fields, field):
        body = {"slug": "v", "title": "V", "questions": [questions[0].pk], **fields}

        response = editor_client.post(LIST, body, format="json")

        assert response.status_code == 400
        assert field in error_of(response)["fields"], response.json()

    def test_a_slug_in_use_is_refused(self, editor_client, questions):
        body = {"slug": "same", "title": "S", "questions": [questions[0].pk]}
        editor_client.post(LIST, body, format="json")

        response = editor_client.post(LIST, body, format="json")

        assert error_of(response)["fields"] == {"slug": ["A quiz with slug 'same' already exists."]}


class TestUpdateAndDelete:
    @pytest.fixture
    def quiz(self, editor_client, questions):
        body = {"slug": "q", "title": "Q", "questions": [q.pk for q in questions]}
        return editor_client.post(LIST, body, format="json").json()

    def test_patch_reorders_the_questions(self, editor_client, quiz):
        new_order = list(reversed(quiz["questions"]))

        response = editor_client.patch(detail(quiz["id"]), {"questions": new_order}, format="json")

        assert response.json()["questions"] == new_order

    def test_patch_switches_to_a_draw(self, editor_client, quiz, physics):
        response = editor_client.patch(
            detail(quiz["id"]),
            {"questions": None, "draw": {"bank": physics.pk, "count": 3}},
            format="json",
        )

        body = response.json()
        assert response.status_code == 200, body
        assert body["draw"] == {"bank": physics.pk, "tag": "", "count": 3}
        assert body["questions"] is None

    def test_put_replaces_the_settings(self, editor_client, quiz):
        response = editor_client.put(
            detail(quiz["id"]),
            {"slug": "q", "title": "New", "questions": quiz["questions"][:1]},
            format="json",
        )

        body = response.json()
        assert (body["title"], body["questions"]) == ("New", quiz["questions"][:1])

    def test_it_deletes_an_unused_quiz(self, editor_client, quiz):
        assert editor_client.delete(detail(quiz["id"])).status_code == 204
        assert not Quiz.objects.filter(pk=quiz["id"]).exists()

    def test_a_placed_quiz_cannot_be_deleted(self, editor_client, quiz):
        make_placement(Quiz.objects.get(pk=quiz["id"]))

        response = editor_client.delete(detail(quiz["id"]))

        assert response.status_code == 409
        assert error_of(response)["code"] == "conflict"
        assert Quiz.objects.filter(pk=quiz["id"]).exists()

    def test_listing_quizzes_takes_constant_queries(
        self, editor_client, questions, django_assert_max_num_queries
    ):
        for number in range(20):
            editor_client.post(
                LIST,
                {"slug": f"q{number}", "title": "Q", "questions": [questions[0].pk]},
                format="json",
            )

        with django_assert_max_num_queries(6):
            assert editor_client.get(LIST).json()["count"] == 20
