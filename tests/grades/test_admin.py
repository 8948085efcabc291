import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from lti_quiz.grades.models import GradeDelivery
from tests.factories.grades import delivery_create

pytestmark = pytest.mark.django_db

State = GradeDelivery.State
CHANGELIST = "admin:grades_gradedelivery_changelist"


@pytest.fixture
def failed(link):
    delivery = delivery_create(link, user_sub="alice-sub")
    GradeDelivery.objects.filter(pk=delivery.pk).update(
        state=State.FAILED,
        attempts=1,
        last_error="Score publish: HTTP 422: User not found in course",
    )
    return GradeDelivery.objects.get(pk=delivery.pk)


@pytest.fixture
def sent(link):
    delivery = delivery_create(link, user_sub="bob-sub")
    GradeDelivery.objects.filter(pk=delivery.pk).update(
        state=State.SENT, sent_at=delivery.created_at
    )
    return GradeDelivery.objects.get(pk=delivery.pk)


@pytest.fixture
def no_http(monkeypatch):
    def refuse():
        raise AssertionError("the admin must not call the platform")

    monkeypatch.setattr("lti_quiz.lti.ags.http_session", refuse)
    monkeypatch.setattr("lti_quiz.lti.tokens.http_session", refuse)


def test_the_list_filters_deliveries_by_state(admin_client, failed, sent):
    response = admin_client.get(reverse(CHANGELIST), {"state__exact": "failed"})

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [failed]


def test_the_detail_page_is_read_only_and_shows_the_last_error(admin_client, failed):
    response = admin_client.get(reverse("admin:grades_gradedelivery_change", args=[failed.pk]))

    assert response.status_code == 200
    assert "User not found in course" in response.content.decode()
    assert not response.context["has_change_permission"]
    admin_client.post(
        reverse("admin:grades_gradedelivery_change", args=[failed.pk]), {"state": "sent"}
    )
    failed.refresh_from_db()
    assert failed.state == State.FAILED


def test_send_again_queues_a_new_delivery_without_sending_it(
    admin_client, failed, no_http, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            reverse(CHANGELIST), {"action": "send_again", "_selected_action": [failed.pk]}
        )

    assert response.status_code == 302
    again = GradeDelivery.objects.exclude(pk=failed.pk).get()
    assert again.reason == GradeDelivery.Reason.RESEND
    assert again.state == State.PENDING
    assert again.attempts == 0
    assert again.score_given == failed.score_given
    assert callbacks == []  # the task is written with the delivery, in the same transaction
    assert DBTaskResult.objects.filter(args_kwargs__args=[again.pk]).exists()
    failed.refresh_from_db()
    assert failed.state == State.FAILED


def test_send_again_skips_a_delivery_that_has_a_newer_one(admin_client, link, failed):
    newer = delivery_create(link, user_sub="alice-sub")

    response = admin_client.post(
        reverse(CHANGELIST), {"action": "send_again", "_selected_action": [failed.pk]}, follow=True
    )

    assert f"send #{newer.pk} again instead" in response.content.decode()
    assert GradeDelivery.objects.count() == 2


def test_staff_who_may_only_view_deliveries_cannot_send_them_again(client, failed):
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_gradedelivery"))
    client.force_login(viewer)

    client.post(reverse(CHANGELIST), {"action": "send_again", "_selected_action": [failed.pk]})

    assert list(GradeDelivery.objects.all()) == [failed]
