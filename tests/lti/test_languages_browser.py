"""A person's view of languages and times: a Spanish launch from the practice LMS gets a Spanish
page, and local_times.js shows a time in the reader's zone, labelled, keeping the server's text."""

import pytest

from tests.factories.practice_lms import person
from tests.support.browser import launch_in_window, launch_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A_TIME = "2026-01-15T18:00:00Z"
SERVER_TEXT = "15 de enero de 2026 a las 18:00 UTC"
RELABEL = """([datetime, text]) => {
  const time = document.createElement("time");
  time.setAttribute("datetime", datetime);
  time.textContent = text;
  document.querySelector("main").append(time);
  window.ltiQuizLocalTimes(document);
  return [time.textContent, time.title];
}"""


def test_a_spanish_launch_gets_spanish_pages_and_times_in_the_readers_zone(lms, chromium):
    alice = person("alice")
    context = chromium.new_context(locale="en-US", timezone_id="America/Mexico_City")
    page = context.new_page()
    launch_settings(page, lms, locale="es-MX")

    launch_in_window(page, lms, alice.pk)

    assert page.locator("html").get_attribute("lang") == "es"
    # A page of the launch that refuses a student: its chrome speaks Spanish.
    page.goto(page.url.rstrip("/") + "/results/")
    assert page.title().startswith("No se pudo abrir la actividad")
    assert page.locator("html").get_attribute("lang") == "es"

    text, title = page.evaluate(RELABEL, [A_TIME, SERVER_TEXT])

    # 18:00 UTC is noon in Mexico City, in the browser's zone since the launch named none.
    assert "12:00" in text and "18:00" not in text
    assert "GMT-6" in text or "CST" in text, text  # the zone is named
    assert text != SERVER_TEXT
    assert title == SERVER_TEXT
    context.close()


def test_a_time_zone_the_launch_names_is_the_one_times_are_shown_in(lms, chromium):
    alice = person("alice")
    context = chromium.new_context(locale="en-US", timezone_id="America/Mexico_City")
    page = context.new_page()
    launch_settings(page, lms, locale="fr-CA", time_zone="Europe/Paris")

    launch_in_window(page, lms, alice.pk)

    root = page.locator("html")
    assert root.get_attribute("lang") == "fr"
    assert root.get_attribute("data-time-zone") == "Europe/Paris"
    text, _ = page.evaluate(RELABEL, [A_TIME, "15 janvier 2026 18:00 UTC"])
    assert "19:00" in text, text  # Paris, not the browser's Mexico City
    assert "UTC+1" in text or "CET" in text, text
    context.close()
