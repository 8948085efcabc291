"""Deep linking: the instructor's picker, the signed LtiDeepLinkingResponse, and a later launch of
the deep-linked link applying its settings (docs/platforms.md, "Deep linking 2.0")."""

import html
import logging
import re

import jwt
import pytest
from django.core.management import call_command

from lti_quiz.lti.claims import LTI_VERSION, Claim
from lti_quiz.lti.keys import active_tool_key
from lti_quiz.lti.models import Registration
from lti_quiz.quiz.models import Placement, Quiz
from lti_quiz.quiz.services import placement_configure
from tests.support.deep_linking import (
    RETURN_URL,
    choose,
    deep_link_launch,
    picker_url,
    posted_jwt,
    verified,
)
from tests.support.lti_platform import DROP, assert_refused, launch_id_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(db) -> Quiz:
    call_command("load_content", verbosity=0)
    return Quiz.objects.default()


class TestTheDeepLinkingLaunch:
    def test_an_instructor_is_sent_to_the_picker_listing_the_quizzes(self, client, platform, seed):
        page = client.get(picker_url(client, platform))

        assert page.status_code == 200
        text = page.content.decode()
        assert "Add a quiz to the course" in text
        assert seed.title in text
        assert seed.lesson.title in text
        assert "Out of 10" in text
        assert "frame-ancestors 'self' https://lms.example.edu" in page["Content-Security-Policy"]
        assert "X-Frame-Options" not in page

    @pytest.mark.parametrize(
        ("family", "default", "hint"),
        [
            ("moodle", "automatic_now", "Moodle keeps no score marked as waiting for review"),
            ("canvas", "marked_pending", "Canvas shows a score marked as waiting for review"),
            ("", "marked_pending", "depends on the LMS"),
        ],
    )
    def test_the_review_choice_starts_from_what_suits_the_lms(
        self, client, platform, seed, family, default, hint
    ):
        Registration.objects.update(platform_family=family)

        page = client.get(picker_url(client, platform)).content.decode()

        checked = re.search(r'name="review_scores" value="(\w+)" required checked', page)
        assert checked is not None and checked[1] == default
        assert hint in html.unescape(page)

    def test_a_learner_gets_a_clear_403_page(self, client, platform, seed):
        response = deep_link_launch(client, platform, role="student")

        assert_refused(response, 403, "Only instructors can add the quiz to a course.")

    def test_a_platform_that_does_not_accept_resource_links_is_told_so(
        self, client, platform, seed
    ):
        response = deep_link_launch(client, platform, accept_types=["file", "html"])

        assert_refused(response, 400, "must accept a resource link")

    def test_a_resource_link_launch_still_goes_to_the_activity(self, client, platform, seed):
        assert launch_id_of(platform.launch(client, role="instructor"))


class TestTheResponse:
    def test_the_jwt_carries_every_claim_and_one_graded_resource_link(self, client, platform, seed):
        response = choose(client, picker_url(client, platform))

        assert response.status_code == 200
        action, token = posted_jwt(response)
        assert action == RETURN_URL
        assert (
            "frame-ancestors 'self' https://lms.example.edu" in response["Content-Security-Policy"]
        )
        assert jwt.get_unverified_header(token) == {
            "alg": "RS256",
            "kid": active_tool_key().kid,
            "typ": "JWT",
        }
        claims = verified(token, platform)
        assert claims["exp"] - claims["iat"] == 300
        assert len(claims["nonce"]) >= 16
        assert claims[Claim.DEPLOYMENT_ID] == platform.deployment_id
        assert claims[Claim.MESSAGE_TYPE] == "LtiDeepLinkingResponse"
        assert claims[Claim.VERSION] == LTI_VERSION
        assert claims[Claim.DL_DATA] == "opaque-csrf-token-123"
        assert claims[Claim.DL_CONTENT_ITEMS] == [
            {
                "type": "ltiResourceLink",
                "title": seed.title,
                "url": "http://testserver/lti/launch/",
                "custom": {
                    "quiz": "distillation-tradeoffs",
                    "attempts_allowed": "1",
                    "scoring_policy": "latest",
                    "shuffle_choices": "true",
                    "review_scores": "marked_pending",
                    "one_question_per_page": "false",
                },
                "lineItem": {
                    "scoreMaximum": 10,
                    "label": seed.title,
                    "resourceId": "distillation-tradeoffs",
                    "tag": "lti-quiz",
                },
            }
        ]
        assert Claim.CUSTOM not in claims and "custom" not in claims

    def test_every_response_gets_a_fresh_nonce(self, client, platform, seed):
        nonces = {
            verified(posted_jwt(choose(client, picker_url(client, platform)))[1], platform)["nonce"]
            for _ in range(2)
        }

        assert len(nonces) == 2

    def test_a_request_without_data_gets_no_data_claim_not_a_null_one(self, client, platform, seed):
        response = choose(client, picker_url(client, platform, data=DROP))

        claims = verified(posted_jwt(response)[1], platform)
        assert Claim.DL_DATA not in claims
        assert None not in claims.values()

    @pytest.mark.parametrize(
        ("values", "words"),
        [
            ({"quiz": "no-such-quiz"}, "Choose one of the quizzes listed."),
            ({"attempts_allowed": "-1"}, "Attempts allowed must be a whole number"),
            ({"attempts_allowed": "two"}, "Attempts allowed must be a whole number"),
            ({"attempts_allowed": "101"}, "Attempts allowed must be a whole number"),
            ({"scoring_policy": "best"}, "Choose which attempt counts"),
            ({"shuffle_choices": "maybe"}, "Choose whether the answer choices are shuffled."),
            ({"one_question_per_page": "yes"}, "Choose whether the quiz shows one question per"),
        ],
    )
    def test_bad_picker_values_get_a_400_page_saying_what_is_wrong(
        self, client, platform, seed, values, words
    ):
        url = picker_url(client, platform)

        response = choose(client, url, **values)

        assert_refused(response, 400, words)
        assert 'name="JWT"' not in response.content.decode()
        assert choose(client, url).status_code == 200  # fixed, the same picker still answers

    def test_one_question_per_page_travels_in_the_link(self, client, platform, seed):
        picker_page = client.get(picker_url(client, platform)).content.decode()
        assert '<select name="one_question_per_page">' in picker_page

        response = choose(client, picker_url(client, platform), one_question_per_page="true")

        claims = verified(posted_jwt(response)[1], platform)
        [item] = claims[Claim.DL_CONTENT_ITEMS]
        assert item["custom"]["one_question_per_page"] == "true"

    def test_a_picker_answers_once(self, client, platform, seed):
        url = picker_url(client, platform)
        choose(client, url)

        again = choose(client, url)

        assert_refused(again, 404, "already used or has timed out")

    def test_an_unknown_picker_id_is_a_clear_404(self, client, platform, seed):
        assert_refused(client.get("/lti/deep-link/nope/"), 404, "already used or has timed out")


class TestALaunchOfTheDeepLinkedLink:
    def test_it_applies_the_custom_settings_to_the_placement(self, client, platform, seed):
        custom = {
            "quiz": "distillation-tradeoffs",
            "attempts_allowed": "1",
            "scoring_policy": "latest",
            "shuffle_choices": "true",
            "review_scores": "automatic_now",
        }

        launch_id = launch_id_of(platform.launch(client, custom=custom))
        assert client.get(f"/lti/activity/{launch_id}/").status_code == 200

        placement = Placement.objects.get()
        assert placement.quiz == seed
        assert placement.attempts_limit == 1
        assert placement.effective_scoring_policy == "latest"
        assert placement.effective_shuffle_choices is True
        assert placement.review_scores == "automatic_now"

    def test_a_setting_the_instructor_changed_later_survives_the_next_launch(
        self, client, platform, seed
    ):
        custom = {"attempts_allowed": "1", "review_scores": "automatic_now"}
        client.get(f"/lti/activity/{launch_id_of(platform.launch(client, custom=custom))}/")
        placement = Placement.objects.get()
        placement_configure(placement=placement, attempts_allowed=3, review_scores="marked_pending")

        client.get(f"/lti/activity/{launch_id_of(platform.launch(client, custom=custom))}/")
        placement.refresh_from_db()
        assert (placement.attempts_allowed, placement.review_scores) == (3, "marked_pending")

        # The LMS sending a different value (an admin edited the link) wins again.
        custom["attempts_allowed"] = "2"
        client.get(f"/lti/activity/{launch_id_of(platform.launch(client, custom=custom))}/")
        placement.refresh_from_db()
        assert (placement.attempts_allowed, placement.review_scores) == (2, "marked_pending")

    def test_one_question_per_page_from_the_link_applies_until_the_instructor_changes_it(
        self, client, platform, seed
    ):
        custom = {"one_question_per_page": "true"}
        client.get(f"/lti/activity/{launch_id_of(platform.launch(client, custom=custom))}/")
        placement = Placement.objects.get()
        assert placement.one_question_per_page is True

        placement_configure(placement=placement, one_question_per_page=False)
        client.get(f"/lti/activity/{launch_id_of(platform.launch(client, custom=custom))}/")
        placement.refresh_from_db()
        assert placement.one_question_per_page is False

    def test_junk_custom_values_are_logged_and_ignored(self, client, platform, seed, caplog):
        custom = {
            "quiz": "no-such-quiz",
            "attempts_allowed": "lots",
            "scoring_policy": "best",
            "shuffle_choices": "sometimes",
            "one_question_per_page": "perhaps",
        }

        with caplog.at_level(logging.WARNING, logger="lti_quiz.activity.services"):
            launch_id = launch_id_of(platform.launch(client, custom=custom))
            home = client.get(f"/lti/activity/{launch_id}/")

        assert home.status_code == 200
        placement = Placement.objects.get()
        assert (placement.attempts_allowed, placement.scoring_policy) == (None, "")
        assert placement.shuffle_choices is None
        assert placement.one_question_per_page is False
        logged = caplog.text
        for word in ("no-such-quiz", "lots", "best", "sometimes", "perhaps"):
            assert word in logged
