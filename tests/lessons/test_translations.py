"""A lesson in other languages: `lesson.<language>.md` beside `lesson.md`, shown for the active
language, and the English lesson, whole, for a language without its own version."""

import shutil
from pathlib import Path

import pytest
from django.utils import translation

from lessons.errors import InvalidLesson
from lessons.loading import ContentError, lesson_load
from lessons.models import Lesson
from lessons.services import lesson_translations_set
from tests.factories.quiz import SEED_SLUG, load_seed_content

pytestmark = pytest.mark.django_db

SEED_FOLDER = Path(__file__).resolve().parents[2] / "lessons" / "content" / SEED_SLUG


@pytest.fixture
def seed_lesson() -> Lesson:
    load_seed_content()
    return Lesson.objects.get(slug=SEED_SLUG)


def test_the_seed_lesson_is_loaded_in_spanish_and_french(seed_lesson):
    assert set(seed_lesson.translations) == {"es", "fr"}
    assert seed_lesson.localized("es").title.startswith("Compromisos de la destilación")
    assert seed_lesson.localized("fr").sections[0]["heading"] == "Le point de départ"


def test_the_active_language_picks_the_version_and_a_region_finds_its_language(seed_lesson):
    with translation.override("es"):
        text = seed_lesson.localized()

    assert text.language == "es"
    assert "<h2>La premisa</h2>" in text.body_html
    assert seed_lesson.localized("fr-ca").language == "fr"


def test_a_language_without_a_version_gets_the_whole_english_lesson(seed_lesson):
    seed_lesson.translations = {"es": seed_lesson.translations["es"]}

    text = seed_lesson.localized("fr")

    assert text.language == "en"
    assert (text.title, text.summary, text.meta) == (
        seed_lesson.title,
        seed_lesson.summary,
        seed_lesson.meta,
    )
    assert text.body_html == seed_lesson.body_html
    assert seed_lesson.localized("en").title == seed_lesson.title


def test_loading_again_changes_nothing(seed_lesson):
    assert lesson_load(SEED_FOLDER).changed is False


def test_a_file_for_a_language_the_tool_does_not_ship_is_refused(seed_lesson, tmp_path):
    folder = tmp_path / SEED_SLUG
    shutil.copytree(SEED_FOLDER, folder)
    shutil.copy(folder / "lesson.es.md", folder / "lesson.de.md")

    with pytest.raises(ContentError, match=r"lesson\.de\.md: 'de' is not one of"):
        lesson_load(folder)


def test_a_removed_translation_file_removes_that_version(seed_lesson, tmp_path):
    folder = tmp_path / SEED_SLUG
    shutil.copytree(SEED_FOLDER, folder)
    (folder / "lesson.fr.md").unlink()

    loaded = lesson_load(folder)

    assert loaded.changed is True
    assert set(Lesson.objects.get(slug=SEED_SLUG).translations) == {"es"}


def test_a_translation_is_checked_like_a_lesson(seed_lesson):
    with pytest.raises(InvalidLesson, match=r"translations\.es\.title"):
        lesson_translations_set(
            lesson=seed_lesson, translations={"es": {"title": "", "summary": "x", "sections": []}}
        )
