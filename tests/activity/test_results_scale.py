"""The results page and its CSV cost the same number of queries for 5 learners or 200: attempts,
counted scores, latest deliveries and the review queue are read grouped, never one per learner."""

import copy

import pytest

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.lti import nrps
from lti_quiz.quiz.models import Attempt, Response
from tests.factories.quiz import load_seed_content
from tests.factories.results import member, open_activity, roster_session, take_quiz
from tests.support.answer_key import SHORT_ANSWER_UNMATCHED

pytestmark = pytest.mark.django_db

# Whatever the class size: session, launch, roster, attempts + responses, deliveries,
# review queue, quiz entries. Measured: 12 at 5 and at 200 learners (was 27 and 612).
QUERY_BOUND = 15


def clone_class(template: Attempt, subs: list[str]) -> None:
    """Give every sub a copy of `template` (its submitted attempt, answers and delivery)."""
    prefix = template.learner_key.rsplit(":", 1)[0]
    responses = list(Response.objects.filter(attempt=template))
    delivery = GradeDelivery.objects.filter(user_sub=template.learner_key.rsplit(":", 1)[1]).first()
    attempts = []
    for sub in subs:
        clone = copy.copy(template)
        clone.pk = None
        clone.learner_key = f"{prefix}:{sub}"
        attempts.append(clone)
    attempts = Attempt.objects.bulk_create(attempts)
    copies = []
    for attempt in attempts:
        for response in responses:
            clone = copy.copy(response)
            clone.pk = None
            clone.attempt_id = attempt.pk
            copies.append(clone)
    Response.objects.bulk_create(copies)
    if delivery is not None:
        deliveries = []
        for sub in subs:
            clone = copy.copy(delivery)
            clone.pk = None
            clone.user_sub = sub
            deliveries.append(clone)
        GradeDelivery.objects.bulk_create(deliveries)


@pytest.fixture
def class_of(client, platform, monkeypatch):
    def seed(size: int) -> str:
        load_seed_content()
        subs = [f"learner-{n:04d}" for n in range(size - 1)]
        members = [member("student-sub-1", "Alice Student")] + [
            member(sub, f"Learner {sub}") for sub in subs
        ]
        session = roster_session(members)
        monkeypatch.setattr(nrps, "http_session", lambda: session)
        alice = open_activity(client, platform)
        template = take_quiz(client, alice, short_answer=SHORT_ANSWER_UNMATCHED)
        clone_class(template, subs)
        assert Attempt.objects.filter(is_preview=False).count() == size
        return open_activity(client, platform, role="instructor")

    return seed


@pytest.mark.parametrize("size", [5, 200])
def test_the_results_page_costs_the_same_queries_whatever_the_class_size(
    client, class_of, size, django_assert_max_num_queries
):
    instructor = class_of(size)
    client.get(instructor + "results/")  # the roster is read from the platform once, then kept

    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(instructor + "results/")

    assert response.status_code == 200
    assert "Learner learner-0003" in response.content.decode()


@pytest.mark.parametrize("size", [5, 200])
def test_the_csv_export_costs_the_same_queries_whatever_the_class_size(
    client, class_of, size, django_assert_max_num_queries
):
    instructor = class_of(size)
    client.get(instructor + "results/export.csv")

    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(instructor + "results/export.csv")

    assert response.status_code == 200
    assert len(response.content.decode().splitlines()) == size + 1
