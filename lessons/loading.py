"""Read and load the lessons in `lessons/content/<slug>/lesson.md` into the database.

Beside `lesson.md` (English), `lesson.<language>.md` is the same lesson in one of the tool's
other languages (`lesson.es.md`, `lesson.fr.md`), in the same format; a language without one
shows the English lesson. Each folder may hold a `quiz.toml` too: the quiz room loads it after
its lesson (quiz/content.py, run by `manage.py load_content`), since a quiz points at its lesson."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from lessons.errors import InvalidLesson
from lessons.models import Lesson
from lessons.services import (
    lesson_create,
    lesson_data,
    lesson_translation_languages,
    lesson_translations_set,
    lesson_update,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"
FRONT_MATTER = "+++"
SECTION_PREFIX = "## "


class ContentError(Exception):
    """A content file that cannot be loaded; the message names the file and the problem."""


@dataclass(frozen=True)
class LoadedLesson:
    lesson: Lesson
    changed: bool


def parse_lesson(text: str) -> dict:
    """lesson.md → {"title", "summary", "meta", "sections": [{"heading", "body"}]}."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER or FRONT_MATTER not in lines[1:]:
        raise ContentError("it must start with TOML front matter between two +++ lines")
    end = lines.index(FRONT_MATTER, 1)
    try:
        front = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"front matter: {exc}") from None
    unknown = set(front) - {"title", "summary", "meta"}
    if unknown or not front.get("title") or not front.get("summary"):
        raise ContentError("front matter takes title and summary (required) and meta")

    sections: list[dict] = []
    for line in lines[end + 1 :]:
        if line.startswith(SECTION_PREFIX):
            sections.append({"heading": line[len(SECTION_PREFIX) :].strip(), "body": []})
        elif sections:
            sections[-1]["body"].append(line)
        elif line.strip():
            raise ContentError(f"text before the first '## ' section heading: {line!r}")
    if not sections:
        raise ContentError("a lesson needs at least one '## ' section")
    for section in sections:
        section["body"] = "\n".join(section["body"]).strip()
    return {
        "title": front["title"],
        "summary": front["summary"],
        "meta": front.get("meta", ""),
        "sections": sections,
    }


def lesson_folders(content_dir: Path = CONTENT_DIR) -> list[Path]:
    """The folders holding a lesson.md, in name order; ContentError when there are none."""
    folders = sorted(path.parent for path in content_dir.glob("*/lesson.md"))
    if not folders:
        raise ContentError(f"no */lesson.md in {content_dir}")
    return folders


def _read(lesson_file: Path) -> dict:
    try:
        return parse_lesson(lesson_file.read_text(encoding="utf-8"))
    except ContentError as exc:
        raise ContentError(f"{lesson_file}: {exc}") from None


def lesson_translations_read(folder: Path) -> dict[str, dict]:
    """{language: lesson} from each `lesson.<language>.md` of the folder."""
    translations = {}
    for path in sorted(folder.glob("lesson.*.md")):
        language = path.name.removeprefix("lesson.").removesuffix(".md")
        if language not in lesson_translation_languages():
            raise ContentError(
                f"{path}: {language!r} is not one of the tool's other languages "
                f"{lesson_translation_languages()}"
            )
        translations[language] = _read(path)
    return translations


def lesson_load(folder: Path) -> LoadedLesson:
    """Create or update the lesson of `folder/lesson.md` (its slug is the folder's name), and
    its versions in other languages."""
    lesson_file = folder / "lesson.md"
    values = _read(lesson_file)
    translations = lesson_translations_read(folder)
    lesson = Lesson.objects.filter(slug=folder.name).first()
    changed = (
        lesson is None
        or any(lesson_data(lesson)[k] != v for k, v in values.items())
        or lesson.translations != translations
    )
    try:
        if lesson is None:
            lesson = lesson_create(data={"slug": folder.name, **values})
        elif changed:
            lesson = lesson_update(lesson=lesson, data=values)
        lesson = lesson_translations_set(lesson=lesson, translations=translations)
    except InvalidLesson as exc:
        raise ContentError(f"{lesson_file}: {exc.message}") from None
    return LoadedLesson(lesson=lesson, changed=changed)
