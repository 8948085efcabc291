"""Platform storage in a real browser: chromium with third-party cookies blocked, the course page
at http://127.0.0.1 framing the tool at http://localhost (another site, like Canvas's domain and
the tool's). The tool's state cookie never comes back inside that iframe, so the launch only works
through the practice LMS's `post_message_forwarding` frame (lti.put_data / lti.get_data); without
that frame the tool offers a new window instead.
"""

import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from lti_quiz.lti.models import Registration
from lti_quiz.practice_lms.models import Person
from tests.support.answer_key import TITLE
from tests.support.browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    answer_all_correctly,
    require_chromium,
    take_quiz_for_full_marks,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium's switch that blocks third-party cookies as the phase-out does (no exceptions).
BLOCK_THIRD_PARTY_COOKIES = "--test-third-party-cookie-phaseout"


@pytest.fixture
def cookieless_chromium() -> Iterator:
    require_chromium()
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, BLOCK_THIRD_PARTY_COOKIES]
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def course_origin(live_server) -> str:
    """Set up at http://localhost:<port>; the course page is opened at http://127.0.0.1:<port>,
    as a person told to open localhost often does."""
    port = urlsplit(live_server.url).port
    call_command("load_content", verbosity=0)
    call_command("practice_lms", "setup", "--base-url", f"http://localhost:{port}", verbosity=0)
    # Setup tells the tool about 127.0.0.1 as well: nothing here widens what the tool trusts.
    origin = f"http://127.0.0.1:{port}"
    assert origin in Registration.objects.get().frame_origins.split()
    return origin


@pytest.fixture
def alice(course_origin) -> Person:
    return Person.objects.get(email__startswith="alice")


def test_a_student_takes_the_quiz_in_a_cross_site_iframe_with_third_party_cookies_blocked(
    course_origin, alice, cookieless_chromium
):
    page = cookieless_chromium.new_page(viewport={"width": 1200, "height": 1400})

    page.goto(f"{course_origin}/practice-lms/?launch={alice.pk}")
    tool = page.frame_locator("iframe[name=tool]")
    tool.get_by_role("heading", name=TITLE).wait_for()

    # The login state went through the platform's storage frame, not a cookie.
    storage = page.frame(name="post_message_forwarding")
    assert storage is not None
    assert storage.url.startswith("http://localhost:")
    counts = storage.evaluate("() => ({...document.body.dataset})")
    assert counts["putData"] == "2"  # state and nonce, at login
    assert counts["getData"] == "2"  # both read back at launch
    tool_frame = page.frame(name="tool")
    assert tool_frame is not None
    assert tool_frame.url.startswith("http://localhost:")
    cookies = page.context.cookies(["http://localhost"])
    assert [cookie["name"] for cookie in cookies if "state" in cookie["name"]] == []

    take_quiz_for_full_marks(tool)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "platform-storage-iframe.png"), full_page=True)


def test_without_the_storage_frame_the_blocked_cookie_leads_to_a_new_window_offer(
    course_origin, alice, cookieless_chromium
):
    page = cookieless_chromium.new_page(viewport={"width": 1200, "height": 1400})

    page.goto(f"{course_origin}/practice-lms/?launch={alice.pk}&storage=off")
    tool = page.frame_locator("iframe[name=tool]")

    tool.get_by_text("Your browser did not send back the cookie").wait_for()
    assert page.frame(name="post_message_forwarding") is None
    assert tool.get_by_role("heading", name=TITLE).count() == 0

    # The way out: the launch starts again in a window of its own, where the cookie works.
    with page.expect_popup() as popup_info:
        tool.get_by_role("link", name="Open the activity in a new window").click()
    window = popup_info.value
    window.get_by_role("heading", name=TITLE).wait_for()
    assert "/lti/activity/" in window.url
    window.get_by_role("link", name="Start the quiz").click()
    answer_all_correctly(window)
    window.locator("#score").wait_for()
    assert window.locator("#score").inner_text() == "10/10"


def test_when_the_storage_frame_does_not_answer_the_tool_offers_a_new_window(
    course_origin, alice, cookieless_chromium
):
    page = cookieless_chromium.new_page(viewport={"width": 1200, "height": 1400})
    page.route("**/practice-lms/post_message_forwarding", lambda route: route.abort())

    page.goto(f"{course_origin}/practice-lms/?launch={alice.pk}")
    tool = page.frame_locator("iframe[name=tool]")

    link = tool.get_by_role("link", name="Open the activity in a new window")
    link.wait_for()
    assert tool.get_by_text("The activity could not open here").is_visible()
    assert tool.get_by_role("heading", name=TITLE).count() == 0
