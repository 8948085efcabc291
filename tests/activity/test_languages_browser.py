"""A Spanish learner and a French instructor, as they see the tool from the practice LMS: the
lesson's check, the quiz (panel, numbering, flag, autosave's words, summary) and the result in
Spanish; the results page and its chart in French."""

import pytest

from tests.factories.practice_lms import person
from tests.factories.results import lms_take_quiz
from tests.support.answer_key import SHORT_ANSWER_UNMATCHED
from tests.support.browser import launch_in_window, launch_settings
from tests.support.browserless import lms_launch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_spanish_learner_takes_the_quiz_in_spanish(lms, chromium):
    context = chromium.new_context(locale="en-US")
    page = context.new_page()
    launch_settings(page, lms, locale="es-MX")
    launch_in_window(page, lms, person("alice").pk)

    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("heading", name="Comprobación de fin de lección").wait_for()
    page.get_by_role("link", name="Empezar el cuestionario").click()

    page.get_by_text("Pregunta 1 de 10").wait_for()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Preguntas").is_visible()
    assert page.locator("#answered-count").inner_text() == "0 de 10 respondidas"
    first = page.locator("fieldset.question").first
    first.locator("label.choice").first.click()
    # quiz_nav.js and autosave.js speak the page's words.
    page.locator("#answered-count", has_text="1 de 10 respondidas").wait_for()
    page.locator("#autosave-status", has_text="Guardado").wait_for()
    flag = first.get_by_role("button", name="Marcar para después")
    flag.click()
    assert flag.get_attribute("aria-pressed") == "true"
    panel_first = page.locator("#question-panel .panel-state").first
    assert panel_first.inner_text() == "Pregunta 1, respondida, marcada"

    page.get_by_role("button", name="Revisar y enviar respuestas").click()
    page.get_by_role("heading", name="Resumen de tu intento").wait_for()
    assert page.get_by_role("heading", name="Sin responder: 9 preguntas").is_visible()
    assert page.get_by_role("heading", name="Marcadas para después: 1 pregunta").is_visible()
    page.get_by_role("button", name="Enviar todo y terminar").click()

    page.get_by_role("heading", name="Tu resultado").wait_for()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Tus intentos").is_visible()
    assert page.get_by_role("link", name="Intentar de nuevo").is_visible()
    assert "Your result" not in page.content()
    context.close()


def test_a_french_instructor_reads_the_results_and_chart_in_french(lms, chromium):
    browser, home = lms_launch(lms, person("alice").pk)
    lms_take_quiz(browser, home, short_answer=SHORT_ANSWER_UNMATCHED, wrong=2)
    context = chromium.new_context(locale="en-US", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    launch_settings(page, lms, locale="fr-CA")
    launch_in_window(page, lms, person("irene").pk)

    page.get_by_role("link", name="Résultats").click()
    page.get_by_role("heading", name="Réponses en attente de correction").wait_for()

    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Apprenants").is_visible()
    chart = page.locator("svg.chart")
    assert chart.locator("rect.bar").count() >= 5
    # The bars are drawn: SVG read its (unlocalized) numbers, so each bar has a real height.
    box = chart.locator("rect.bar").first.bounding_box()
    assert box and box["height"] > 5 and box["width"] > 5
    assert chart.locator("text.label").first.text_content() == "Q1"
    assert "," not in (chart.locator("text.label").first.get_attribute("y") or ",")
    context.close()
