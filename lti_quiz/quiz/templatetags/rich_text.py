"""`{% load rich_text %}` … `{{ question.text|rich }}`: an author's text as safe rich HTML."""

from django import template
from django.utils.safestring import SafeString

from lti_quiz.quiz.rich_text import plain, render, render_inline

register = template.Library()


@register.filter
def rich(value: str | None) -> SafeString:
    return render(value)


@register.filter
def rich_inline(value: str | None) -> SafeString:
    """Inside a line (a label, a text cut around gaps): inline markup only."""
    return render_inline(value)


@register.filter
def plain_text(value: str | None) -> str:
    """Where no markup can go (a drop-down's options): the text alone, escaped by the page."""
    return plain(value)
