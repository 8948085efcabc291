"""The worker's refresh-ahead sweep of platform key sets: launches find the key set in the cache
instead of waiting on the platform's JWKS, and a platform that fails is left alone a while."""

import time

import pytest
import time_machine
from django.core.cache import cache

from lti_quiz.lti import platform_keys
from lti_quiz.lti.models import Registration
from lti_quiz.lti.platform_keys import JWKS_SWEEP_LOCK_KEY, key_sets_refresh_sweep
from tests.support.lti_platform import launch_id_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def sweep(platform, monkeypatch):
    monkeypatch.setattr(platform_keys, "http_session", platform.jwks_session)

    def one_round() -> int | None:
        cache.delete(JWKS_SWEEP_LOCK_KEY)  # as if the sweep interval had passed
        return key_sets_refresh_sweep()

    return one_round


def test_a_launch_after_the_sweep_fetches_no_key_set(client, platform, sweep):
    assert sweep() == 1

    launch_id_of(platform.launch(client))

    assert platform.jwks_requests == [platform.key_set_url]  # the sweep's, none of the launch


def test_a_key_set_is_fetched_again_shortly_before_it_expires(client, platform, sweep, settings):
    settings.LTI_JWKS_CACHE_SECONDS = 100
    sweep()
    assert sweep() == 0  # fresh: left alone

    with time_machine.travel(time.time() + 85):  # 15 s left, under a fifth of its lifetime
        assert sweep() == 1
        with time_machine.travel(time.time() + 30):  # past the first fetch's expiry
            launch_id_of(platform.launch(client))

    assert len(platform.jwks_requests) == 2


def test_one_worker_sweeps_at_a_time(platform, sweep):
    sweep()

    assert key_sets_refresh_sweep() is None  # another worker's round holds the lock


def test_a_platform_whose_key_set_fails_is_tried_again_only_after_a_pause(platform, sweep):
    Registration.objects.update(key_set_url="https://lms.example.edu/moved")

    assert sweep() == 0
    assert sweep() == 0
    assert len(platform.jwks_requests) == 1

    with time_machine.travel(time.time() + platform_keys.JWKS_SWEEP_BACKOFF_SECONDS + 1):
        sweep()
    assert len(platform.jwks_requests) == 2


def test_inactive_registrations_are_not_swept(platform, sweep):
    Registration.objects.update(is_active=False)

    assert sweep() == 0
    assert platform.jwks_requests == []
