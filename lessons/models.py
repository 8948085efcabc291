"""Lessons: loaded from the files in `lessons/content/` by `manage.py load_content`."""

from typing import Any

from django.db import models
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from lessons.rendering import render_markdown


class Lesson(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    meta = models.CharField(_("meta line"), max_length=200, blank=True)
    # [{"heading": "The premise", "body": "Markdown"}, ...] in reading order.
    sections = models.JSONField(_("sections"), default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lesson")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def sections_for_display(self) -> list[dict[str, Any]]:
        """Each section's heading (plain text: templates escape it) and its sanitized HTML."""
        return [
            {
                "id": slugify(section["heading"]),
                "heading": section["heading"],
                "html": render_markdown(section["body"]),
            }
            for section in self.sections
        ]

    @property
    def body_html(self) -> SafeString:
        """All sections as `<section><h2>`: headings escaped, bodies sanitized."""
        return format_html_join(
            "\n",
            '<section id="{}">\n<h2>{}</h2>\n{}\n</section>',
            ((s["id"], s["heading"], s["html"]) for s in self.sections_for_display()),
        )
