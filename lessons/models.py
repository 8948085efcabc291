"""Lessons: loaded from the files in `lessons/content/` by `manage.py load_content`.

A lesson is written in English; `translations` holds other languages' versions of the same
lesson, loaded from `lesson.<language>.md` beside `lesson.md`. A page shows `lesson.localized()`:
the version in the active language when there is one, else the English one, whole (never a
page of mixed languages), with the language it is in for the page's `lang` attribute.
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lessons.rendering import render_markdown


class Lesson(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    meta = models.CharField(_("meta line"), max_length=200, blank=True)
    # [{"heading": "The premise", "body": "Markdown"}, ...] in reading order.
    sections = models.JSONField(_("sections"), default=list)
    # {"es": {"title", "summary", "meta", "sections"}, ...}: the lesson in other languages.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lesson")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def sections_for_display(self) -> list[dict[str, Any]]:
        """Each section's heading (plain text: templates escape it) and its sanitized HTML."""
        return _sections_for_display(self.sections)

    @property
    def body_html(self) -> SafeString:
        """All sections as `<section><h2>`: headings escaped, bodies sanitized."""
        return _body_html(self.sections)

    def localized(self, language: str | None = None) -> "LessonText":
        """The lesson in `language` (default: the active one, `es-mx` finds `es`), else English."""
        wanted = (language or get_language() or SOURCE_LANGUAGE).lower()
        for code in (wanted, wanted.split("-")[0]):
            text = self.translations.get(code) if code != SOURCE_LANGUAGE else None
            if isinstance(text, dict):
                return LessonText(
                    language=code,
                    title=text["title"],
                    summary=text["summary"],
                    meta=text.get("meta", ""),
                    sections=text["sections"],
                )
        return LessonText(
            language=SOURCE_LANGUAGE,
            title=self.title,
            summary=self.summary,
            meta=self.meta,
            sections=self.sections,
        )


SOURCE_LANGUAGE = "en"  # what lesson.md is written in


@dataclass(frozen=True)
class LessonText:
    """One language's version of a lesson, as a page shows it (same names as on Lesson)."""

    language: str
    title: str
    summary: str
    meta: str
    sections: list[dict[str, str]]

    def sections_for_display(self) -> list[dict[str, Any]]:
        return _sections_for_display(self.sections)

    @property
    def body_html(self) -> SafeString:
        return _body_html(self.sections)


def _sections_for_display(sections: list[dict[str, str]]) -> list[dict[str, Any]]:
    return [
        {
            "id": slugify(section["heading"]),
            "heading": section["heading"],
            "html": render_markdown(section["body"]),
        }
        for section in sections
    ]


def _body_html(sections: list[dict[str, str]]) -> SafeString:
    return format_html_join(
        "\n",
        '<section id="{}">\n<h2>{}</h2>\n{}\n</section>',
        ((s["id"], s["heading"], s["html"]) for s in _sections_for_display(sections)),
    )
