"""A person's view of the frame: inside the practice LMS the tool's iframe grows and shrinks with
the page it shows (the tool posts `lti.frameResize`, the LMS honours it), so only the LMS page
scrolls; and on a 360 px phone no page of the tool or the practice LMS scrolls sideways."""

import pytest

from tests.factories.practice_lms import person
from tests.support.browser import answer_all_correctly

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The iframe as tall as the page it shows (its content box, within a rounding pixel or two), and
# that page with nothing left to scroll inside the frame. The tool and the practice LMS share the
# live server's origin, so the course page can read the frame's document.
FRAME_FITS = """() => {
  const frame = document.getElementById("tool");
  const inner = frame.contentDocument;
  if (!inner || inner.readyState !== "complete" || !inner.body) return null;
  const root = inner.documentElement;
  const measured = {
    frame: frame.clientHeight,
    content: Math.ceil(root.getBoundingClientRect().height),
    scrollHeight: root.scrollHeight,
    clientHeight: root.clientHeight,
  };
  const fits = Math.abs(measured.frame - measured.content) <= 2
    && Math.abs(measured.frame - measured.scrollHeight) <= 2
    && measured.scrollHeight <= measured.clientHeight + 1;
  return fits ? measured : null;
}"""


def wait_until_the_frame_fits(page) -> dict[str, int]:
    return page.wait_for_function(FRAME_FITS, timeout=10_000).json_value()


def widths(page) -> tuple[int, int]:
    return page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


def test_the_tool_frame_in_the_lms_is_as_tall_as_the_page_it_shows(lms, chromium):
    alice = person("alice")
    page = chromium.new_page(viewport={"width": 1366, "height": 760})

    page.goto(f"{lms}/practice-lms/")
    page.get_by_test_id(f"launch-iframe-{alice.pk}").click()
    tool = page.frame_locator("iframe[name=tool]")
    tool.get_by_role("link", name="Start the quiz").wait_for()
    home = wait_until_the_frame_fits(page)

    tool.get_by_role("link", name="Start the quiz").click()
    tool.get_by_role("button", name="Review and submit answers").wait_for()
    quiz = wait_until_the_frame_fits(page)

    # The quiz is several screens tall: the LMS page scrolls, the frame does not.
    assert quiz["frame"] > home["frame"]
    assert quiz["frame"] > 760
    assert page.evaluate("() => document.documentElement.scrollHeight") > quiz["frame"]

    # On to the summary, a short page: the frame shrinks with it.
    tool.get_by_role("button", name="Review and submit answers").click()
    tool.get_by_role("button", name="Submit all and finish").wait_for()
    summary = wait_until_the_frame_fits(page)
    assert summary["frame"] < quiz["frame"]

    tool.get_by_role("button", name="Submit all and finish").click()
    tool.locator("#score").wait_for()
    result = wait_until_the_frame_fits(page)
    assert result["frame"] > summary["frame"]


def test_the_lms_ignores_resize_messages_from_other_windows(lms, chromium):
    alice = person("alice")
    page = chromium.new_page(viewport={"width": 1366, "height": 760})
    page.goto(f"{lms}/practice-lms/?launch={alice.pk}")
    page.frame_locator("iframe[name=tool]").get_by_role("link", name="Start the quiz").wait_for()
    fitted = wait_until_the_frame_fits(page)

    # The course page itself (not the tool's frame) claims a height: nothing changes.
    # A listener added after the course page's runs after it: once it has the message, so has
    # the course page.
    page.evaluate(
        """() => new Promise((resolve) => {
          window.addEventListener("message", () => resolve(), { once: true });
          window.postMessage(JSON.stringify({ subject: "lti.frameResize", height: 4321 }), "*");
        })"""
    )
    assert page.evaluate("() => document.getElementById('tool').clientHeight") == fitted["frame"]


def test_no_page_scrolls_sideways_on_a_phone(lms, chromium):
    alice, irene = person("alice"), person("irene")
    viewport = {"width": 360, "height": 740}
    page = chromium.new_page(viewport=viewport)
    seen: dict[str, tuple[int, int]] = {}

    def check(name: str, target) -> None:
        target.wait_for_load_state()
        seen[name] = widths(target)

    # The student's pages, in a window of their own.
    page.goto(f"{lms}/practice-lms/")
    with page.expect_popup() as popup:
        page.get_by_test_id(f"launch-window-{alice.pk}").click()
    tool = popup.value
    tool.set_viewport_size(viewport)
    tool.get_by_role("link", name="Start the quiz").wait_for()
    check("tool home", tool)
    tool.get_by_role("link", name="Start the quiz").click()
    tool.get_by_role("button", name="Review and submit answers").wait_for()
    check("quiz", tool)
    answer_all_correctly(tool)
    tool.locator("#score").wait_for()
    check("result", tool)

    # The instructor's results page, with Alice's attempt in its table.
    with page.expect_popup() as popup:
        page.get_by_test_id(f"launch-window-{irene.pk}").click()
    results = popup.value
    results.set_viewport_size(viewport)
    results.get_by_role("link", name="Results").click()
    results.get_by_role("heading", name="Answers waiting for review").wait_for()
    check("results", results)

    # The practice LMS: the course page with the tool launched in it, and the gradebook.
    page.goto(f"{lms}/practice-lms/?launch={alice.pk}")
    page.frame_locator("iframe[name=tool]").get_by_role("link", name="Try again").wait_for()
    check("course", page)
    page.goto(f"{lms}/practice-lms/gradebook/")
    check("gradebook", page)

    overflowing = {name: w for name, w in seen.items() if w[0] > w[1]}
    assert overflowing == {}, "scrollWidth > clientWidth"
