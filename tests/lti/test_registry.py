"""Registrations, deployments and placements remembered per process (lti/registry.py): saved
changes are seen at once, changes no signal reports within REGISTRY_SECONDS."""

import time

import pytest
import time_machine
from django.test import Client

from lti_quiz.lti import registry
from lti_quiz.lti.models import Deployment, Registration, ResourceLink
from lti_quiz.lti.registrations import registration_activate, registration_remove
from tests.support.lti_platform import assert_refused, launch_id_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(platform, django_capture_on_commit_callbacks) -> Client:
    """A browser that launched once: this process remembers the platform and the placement."""
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        launch_id_of(platform.launch(browser))
    return browser


def test_a_registration_switched_off_is_refused_at_the_next_login(platform, browser):
    registration_activate(registration=Registration.objects.get(), active=False)

    response = browser.post("/lti/login/", platform.login_params())

    assert_refused(response, 403, "not registered with the quiz tool")


def test_a_deleted_deployment_is_refused_at_the_next_launch(platform, browser):
    Deployment.objects.get().delete()

    assert_refused(platform.launch(browser), 403, "deployment id")


def test_a_change_no_signal_reports_is_seen_within_the_registry_lifetime(platform, browser):
    # A queryset update (as a script might do) sends no signal: other processes never get one.
    Registration.objects.update(is_active=False)
    launch_id_of(platform.launch(browser))  # still remembered as active

    with time_machine.travel(time.time() + registry.REGISTRY_SECONDS + 1, tick=False):
        response = browser.post("/lti/login/", platform.login_params())

    assert_refused(response, 403, "not registered with the quiz tool")


def test_a_placement_the_platform_renamed_is_written(
    platform, browser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        launch_id_of(platform.launch(browser, resource_link={"id": "link-1", "title": "Week 2"}))

    assert ResourceLink.objects.get().title == "Week 2"


def test_a_placement_deleted_meanwhile_is_created_again(platform, browser):
    ResourceLink.objects.get().delete()

    launch_id_of(platform.launch(browser))

    assert ResourceLink.objects.count() == 1


def test_a_removed_platform_is_forgotten_with_its_placements(platform, browser):
    registration_remove(issuer=platform.issuer, client_id=platform.client_id)
    platform.register()

    launch_id_of(platform.launch(browser))

    link = ResourceLink.objects.get()
    assert link.registration == Registration.objects.get()


def test_what_is_handed_out_is_a_copy(platform, browser):
    found = registry.active_registration(platform.issuer, platform.client_id)
    assert found is not None
    found.name = "changed by a caller"

    again = registry.active_registration(platform.issuer, platform.client_id)

    assert again is not None and again.name != "changed by a caller"
