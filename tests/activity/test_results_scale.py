"""The results page, its CSV, the item analysis and its exports cost the same number of queries
for 5 learners or 200: attempts, counted scores, latest deliveries and the review queue are read
grouped, never one per learner."""

import copy
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.lti import nrps
from lti_quiz.quiz.models import Attempt, Response
from tests.factories.quiz import load_seed_content
from tests.factories.results import member, open_activity, roster_session, take_quiz
from tests.support.answer_key import SHORT_ANSWER_UNMATCHED

pytestmark = pytest.mark.django_db

# Whatever the class size: session, launch, roster, attempts + responses, deliveries,
# review queue, quiz entries, the gradebook column's state. Measured: 19 at 5 and at 200
# learners (was 27 and 612).
QUERY_BOUND = 20


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


@pytest.fixture
def class_of_120(client, class_of) -> str:
    """120 learners who submitted (Alice and her copies), 3 in progress, 2 failed deliveries."""
    instructor = class_of(120)
    late = Attempt.objects.filter(learner_key__endswith=":learner-0100").get()
    Attempt.objects.filter(learner_key__regex=r":learner-011[0-2]$").update(
        status=Attempt.Status.IN_PROGRESS, submitted_at=None, score=None, needs_review=False
    )
    GradeDelivery.objects.filter(user_sub__in=["learner-0005", "learner-0006"]).update(
        state="failed"
    )
    Attempt.objects.filter(pk=late.pk).update(score=10)
    return instructor


def rows(page: str) -> list[str]:
    return re.findall(r'data-testid="learner-([^"]+)"', page)


def test_the_learners_table_shows_fifty_a_page_and_says_which(client, class_of_120):
    first = client.get(class_of_120 + "results/").content.decode()
    third = client.get(class_of_120 + "results/?page=3").content.decode()

    assert len(rows(first)) == 50
    assert "Showing 1\N{EN DASH}50 of 120" in first
    assert 'rel="next"' in first
    assert len(rows(third)) == 20
    assert "Showing 101\N{EN DASH}120 of 120" in third
    assert not set(rows(first)) & set(rows(third))


def test_filters_keep_only_the_learners_in_that_state(client, class_of_120):
    failed = client.get(class_of_120 + "results/?filter=failed").content.decode()
    going = client.get(class_of_120 + "results/?filter=in-progress").content.decode()
    nobody = client.get(class_of_120 + "results/?filter=not-started").content.decode()

    assert sorted(rows(failed)) == ["learner-0005", "learner-0006"]
    assert len(rows(going)) == 3
    assert "No learner matches this filter." in nobody


def test_sorting_by_score_descending_puts_the_best_first_and_marks_the_column(client, class_of_120):
    page = client.get(class_of_120 + "results/?sort=score&order=desc").content.decode()

    assert rows(page)[0] == "learner-0100"
    assert page.count('aria-sort="descending"') == 1
    assert rows(page)[-1] != "learner-0100"


def test_an_unknown_filter_or_order_is_refused_with_a_sentence(client, class_of_120):
    response = client.get(class_of_120 + "results/?filter=everyone-please")

    assert response.status_code == 400
    assert "cannot show that view" in response.content.decode()


def test_the_review_queue_shows_twenty_answers_and_counts_the_rest(client, class_of):
    instructor = class_of(30)

    page = client.get(instructor + "results/").content.decode()

    assert len(re.findall(r'data-testid="review-\d+"', page)) == 20
    assert "10 more answers wait for review" in page


ANALYSIS_VIEWS = [
    "results/analysis/",
    "results/analysis/?attempts=all&scope=course",
    "results/analysis/export/responses/?format=csv",
    "results/analysis/export/attempts/?format=xlsx",
    "results/analysis/export/analysis/?format=csv",
]


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("tail", ANALYSIS_VIEWS)
def test_the_item_analysis_and_its_exports_cost_the_same_queries_for_5_learners_or_200(
    client, class_of, tail
):
    instructor = class_of(5)
    client.get(instructor + tail)  # the roster is read from the platform once, then kept
    few = queries_of(client, instructor + tail)
    template = Attempt.objects.filter(is_preview=False).order_by("pk").first()
    clone_class(template, [f"more-{n:04d}" for n in range(195)])

    many = queries_of(client, instructor + tail)

    assert Attempt.objects.filter(is_preview=False).count() == 200
    assert many == few
