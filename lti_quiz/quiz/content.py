"""The content in the repository, loaded: each lesson (lessons room), then the quiz beside it.

`lessons/content/<slug>/lesson.md` and, when there is one, `<slug>/quiz.toml` (the quiz points
at that lesson). All of it in one transaction: a broken file changes nothing.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from lessons.loading import CONTENT_DIR, ContentError, LoadedLesson, lesson_folders, lesson_load
from lti_quiz.quiz.errors import InvalidQuizDefinition
from lti_quiz.quiz.loading import quiz_definition_load


@dataclass(frozen=True)
class Loaded:
    lesson: LoadedLesson
    quiz_slug: str | None = None
    quiz_questions: int = 0
    quiz_changes: int = 0


def content_load(*, content_dir: Path = CONTENT_DIR) -> list[Loaded]:
    with transaction.atomic():
        return [_load_folder(folder) for folder in lesson_folders(content_dir)]


def _load_folder(folder: Path) -> Loaded:
    loaded = lesson_load(folder)
    quiz_file = folder / "quiz.toml"
    if not quiz_file.exists():
        return Loaded(lesson=loaded)
    try:
        definition = tomllib.loads(quiz_file.read_text(encoding="utf-8"))
        quiz, changes = quiz_definition_load(definition=definition, lesson=loaded.lesson)
    except (tomllib.TOMLDecodeError, InvalidQuizDefinition) as exc:
        raise ContentError(f"{quiz_file}: {exc}") from None
    return Loaded(
        lesson=loaded,
        quiz_slug=quiz.slug,
        quiz_questions=quiz.entries.count(),
        quiz_changes=changes,
    )
