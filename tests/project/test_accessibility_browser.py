"""Every page a person can reach, checked by axe-core against the WCAG 2.0/2.1/2.2 A and AA
rules, and for a visible, uncovered focus on its first focus stops, at a desktop width and on a
390 px phone: the student's and the instructor's pages of the
tool as the practice LMS launches them, the tool's refusal and dynamic registration pages, and the
practice LMS's own pages.

A page is one line in PAGES: a name and a function that opens it (from a `Tour`) and returns the
Playwright page showing it, loaded."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.practice_lms.models import FailureSwitch
from tests.factories.practice_lms import person
from tests.factories.results import deliver_grades, lms_take_quiz
from tests.support.answer_key import SHORT_ANSWER_CORRECT, SHORT_ANSWER_UNMATCHED
from tests.support.axe import axe_violations, describe_violations
from tests.support.browserless import lms_launch
from tests.support.focus import focus_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "desktop": {"width": 1366, "height": 900},
    "phone": {"width": 390, "height": 844},
}


@dataclass
class Tour:
    """The practice LMS at `lms`, a chromium, and the window size every page is opened at."""

    lms: str
    browser: object
    viewport: dict[str, int]

    def open(self, path: str, *, until: str | None = None):
        """A new window at `path` (on the live server); `until`: a URL pattern to wait for
        (after the auto-posted forms of a launch)."""
        page = self.browser.new_page(viewport=self.viewport)
        page.goto(f"{self.lms}{path}")
        if until:
            page.wait_for_url(until)
        page.wait_for_load_state("load")
        return page

    def launch(self, who: str, then: str = ""):
        """`who` launches the course's activity in a window of its own; `then`: a path below the
        activity's URL to go on to (the launch id is in that URL)."""
        page = self.open(
            f"/practice-lms/launch/{person(who).pk}/?mode=window", until="**/lti/activity/**"
        )
        if then:
            page.goto(page.url + then)
            page.wait_for_load_state("load")
        return page

    def registration_confirm(self):
        """The tool's dynamic registration page, as the practice LMS's "register by URL" opens
        it in a frame (here: on its own)."""
        tools = self.open("/practice-lms/tools/")
        tools.get_by_role("button", name="Register").click()
        frame = tools.locator("#registration-frame")
        frame.wait_for()
        src = frame.get_attribute("src")
        tools.close()
        return self.open(src.removeprefix(self.lms))


def lms_tools_with_registration(tour: Tour):
    page = tour.open("/practice-lms/tools/")
    page.get_by_role("button", name="Register").click()
    page.frame_locator("#registration-frame").get_by_role("button", name="Register").wait_for()
    return page


def results_after_saving_settings(tour: Tour):
    page = tour.launch("irene", "results/")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator("#done").wait_for()
    return page


def results_after_saving_rules(tour: Tour):
    page = tour.launch("irene", "results/")
    page.get_by_role("button", name="Save review rules and timing").click()
    page.locator("#done").wait_for()
    return page


def results_filtered_by_keyboard(tour: Tour):
    page = tour.launch("irene", "results/")
    page.get_by_label("Show").select_option("submitted")
    page.get_by_label("Sort by").select_option("score")
    page.get_by_role("button", name="Apply").press("Enter")
    page.wait_for_url("**filter=submitted**")
    assert page.locator('th[aria-sort="ascending"]').count() == 1
    return page


def registration_done(tour: Tour):
    page = tour.registration_confirm()
    page.get_by_role("button", name="Register").click()
    page.locator("#registration-state").wait_for()
    return page


# The pages, in the order a demo would meet them. One more page is one more line.
PAGES: list[tuple[str, Callable[[Tour], object]]] = [
    ("student: activity home", lambda tour: tour.launch("alice")),
    ("student: quiz", lambda tour: tour.launch("alice", "quiz/")),
    ("student: quiz summary before submitting", lambda tour: tour.launch("alice", "quiz/summary/")),
    ("student: result", lambda tour: tour.launch("alice", "attempts/1/")),
    (
        "student: result, wrong answers, one waiting for review",
        lambda tour: tour.launch("bob", "attempts/1/"),
    ),
    ("student: activity home, the gradebook refused", lambda tour: tour.launch("chandra")),
    ("instructor: activity home", lambda tour: tour.launch("irene")),
    ("instructor: results, settings, review queue", lambda tour: tour.launch("irene", "results/")),
    ("instructor: results, settings saved", results_after_saving_settings),
    ("instructor: results, filtered and sorted by keyboard", results_filtered_by_keyboard),
    ("instructor: results, review rules saved", results_after_saving_rules),
    (
        "instructor: one learner's extra attempts or time",
        lambda tour: tour.launch("irene", f"results/learner/?learner={person('bob').user_id}"),
    ),
    ("instructor: quiz preview", lambda tour: tour.launch("irene", "quiz/")),
    (
        "instructor: submission review (from the gradebook)",
        lambda tour: tour.open(
            f"/practice-lms/review/{person('bob').pk}/", until="**/lti/activity/**/submission/**"
        ),
    ),
    (
        "instructor: deep-linking picker",
        lambda tour: tour.open(
            f"/practice-lms/deep-link/{person('irene').pk}/", until="**/lti/deep-link/**"
        ),
    ),
    ("tool: refusal (a forged launch id)", lambda tour: tour.open("/lti/activity/forged/")),
    ("tool: registration, confirm", Tour.registration_confirm),
    ("tool: registration, done", registration_done),
    ("tool: registration, refused", lambda tour: tour.open("/lti/register/")),
    ("practice LMS: course", lambda tour: tour.open("/practice-lms/")),
    (
        "practice LMS: course with the tool in its frame",
        lambda tour: tour.open(f"/practice-lms/?launch={person('alice').pk}"),
    ),
    ("practice LMS: gradebook", lambda tour: tour.open("/practice-lms/gradebook/")),
    ("practice LMS: tools, registering", lms_tools_with_registration),
    (
        "practice LMS: error",
        lambda tour: tour.open(f"/practice-lms/launch/{person('alice').pk}/?mode=sideways"),
    ),
]


def course_with_results(live_server_url: str, settings) -> None:
    """Alice all right; Bob two wrong and a short answer waiting for review; Chandra four wrong,
    her score refused by the LMS for good (one try allowed): every button and notice shows."""
    call_command("load_content", verbosity=0)
    call_command("practice_lms", "setup", "--base-url", live_server_url, verbosity=0)
    for who, answer, wrong in (
        ("alice", SHORT_ANSWER_CORRECT, 0),
        ("bob", SHORT_ANSWER_UNMATCHED, 2),
        ("chandra", SHORT_ANSWER_CORRECT, 4),
    ):
        if who == "chandra":
            settings.GRADES_MAX_ATTEMPTS = 1
            FailureSwitch.objects.update(status=503, remaining=1)
        browser, home = lms_launch(live_server_url, person(who).pk)
        lms_take_quiz(browser, home, short_answer=answer, wrong=wrong)
        deliver_grades()
    assert GradeDelivery.objects.filter(state="failed").count() == 1


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_axe_finds_no_wcag_violation_on_any_page(live_server, settings, chromium, width):
    course_with_results(live_server.url, settings)
    tour = Tour(lms=live_server.url, browser=chromium, viewport=VIEWPORTS[width])

    found: dict[str, list[dict]] = {}
    unseen_focus: dict[str, list[str]] = {}
    for name, open_page in PAGES:
        page = open_page(tour)
        where = f"{name} ({width}, {page.url})"
        if violations := axe_violations(page):
            found[where] = violations
        if problems := focus_problems(page):
            unseen_focus[where] = problems
        page.close()

    assert not found, "axe-core found WCAG A/AA violations:\n" + describe_violations(found)
    assert not unseen_focus, "focus not visible (WCAG 2.4.7, 2.4.11):\n" + "\n".join(
        f"{where}:\n  " + "\n  ".join(problems) for where, problems in unseen_focus.items()
    )
