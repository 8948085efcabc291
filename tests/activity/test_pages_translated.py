"""The activity's pages under a Spanish or French launch: every page a learner or an instructor
opens speaks the launch's language, with no English sentence left over, and the results chart
keeps SVG numbers (a comma-decimal language must not reach its coordinates)."""

import re

import pytest

from tests.factories.results import open_activity, take_quiz
from tests.support.answer_key import SHORT_ANSWER_UNMATCHED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_quiz")]

SPANISH = {"launch_presentation": {"locale": "es-MX"}}
FRENCH = {"launch_presentation": {"locale": "fr-FR"}}

# Key phrases of every activity page, in English: none may show on a Spanish page.
ENGLISH = [
    "Review and submit answers",
    "Submit all and finish",
    "Return to the attempt",
    "Your result",
    "Try again",
    "Question 1 of 10",
    "of 10 answered",
    "Flag for later",
    "Start the quiz",
    "Back to the lesson",
    "Your attempts",
    "Time taken",
    "Waiting for review",
    "Your answer",
    "Not saved",
    "Saving",
    "course gradebook",
    "gradebook gets",
    "Learners",
    "Answers waiting for review",
    "Export CSV",
    "Share of correct answers",
    "Most chosen wrong option",
    "Send again",
    "Submission of",
    "Accepted patterns",
    "Give this score",
]


def english_left(html: str) -> list[str]:
    return [phrase for phrase in ENGLISH if phrase in html]


def lang_of(html: str) -> str:
    return re.search(r'<html lang="([^"]*)"', html)[1]


@pytest.fixture
def spanish_learner(client, platform) -> str:
    return open_activity(client, platform, **SPANISH)


def test_a_spanish_learner_sees_every_page_of_an_attempt_in_spanish(client, spanish_learner):
    home = spanish_learner
    before = client.get(home).content.decode()
    assert lang_of(before) == "es"
    assert "Comprobación de fin de lección" in before and "10 preguntas" in before
    assert "Empezar el cuestionario" in before
    assert english_left(before) == []

    quiz = client.get(home + "quiz/").content.decode()
    assert "Pregunta 1 de 10" in quiz and "0 de 10 respondidas" in quiz
    assert "Revisar y enviar respuestas" in quiz and "Marcar para después" in quiz
    # autosave.js's words come from the page, in Spanish.
    assert 'data-say-saved="Guardado"' in quiz
    assert 'data-say-not-saved="No guardado: %(message)s"' in quiz
    assert english_left(quiz) == []

    summary = client.get(home + "quiz/summary/").content.decode()
    assert "Resumen de tu intento" in summary and "Enviar todo y terminar" in summary
    assert english_left(summary) == []

    take_quiz(client, home, short_answer=SHORT_ANSWER_UNMATCHED)
    result = client.get(home + "attempts/1/").content.decode()
    assert lang_of(result) == "es"
    assert "Tu resultado" in result and "Intentar de nuevo" in result
    assert "Tus intentos" in result and "Pendiente de revisión" in result
    assert english_left(result) == []

    after = client.get(home).content.decode()
    assert "Intento 1" in after and "Intentar de nuevo" in after
    assert english_left(after) == []


def test_a_spanish_instructor_sees_the_results_and_a_learners_exceptions_in_spanish(
    client, platform, spanish_learner
):
    take_quiz(client, spanish_learner, short_answer=SHORT_ANSWER_UNMATCHED)
    instructor = open_activity(client, platform, role="instructor", **SPANISH)

    results = client.get(instructor + "results/").content.decode()
    assert lang_of(results) == "es"
    assert "Respuestas pendientes de revisión" in results and "Exportar CSV" in results
    assert "Patrones aceptados" in results and "Dar esta puntuación" in results
    assert english_left(results) == []

    learner = client.get(instructor + "results/learner/?learner=student-sub-1")
    assert learner.status_code == 200
    assert "Excepciones para" in learner.content.decode()
    assert english_left(learner.content.decode()) == []


def test_the_results_chart_keeps_svg_numbers_under_french(client, platform):
    learner = open_activity(client, platform, **FRENCH)
    take_quiz(client, learner, short_answer=SHORT_ANSWER_UNMATCHED)
    instructor = open_activity(client, platform, role="instructor", **FRENCH)

    html = client.get(instructor + "results/").content.decode()

    assert lang_of(html) == "fr"
    chart = re.search(r'<svg class="chart".*?</svg>', html, re.S)[0]
    assert "Part de bonnes réponses par question" in chart
    numbers = re.findall(r'\b(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', chart)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?%?", n) for n in numbers), numbers
    assert 'viewBox="0 0 ' in chart and "," not in re.search(r'viewBox="([^"]*)"', chart)[1]
