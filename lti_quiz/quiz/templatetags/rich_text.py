"""`{% load rich_text %}` … `{{ question.text|rich }}`: an author's text as safe rich HTML."""

from django import template
from django.utils.safestring import SafeString

from lti_quiz.quiz.rich_text import render

register = template.Library()


@register.filter
def rich(value: str | None) -> SafeString:
    return render(value)
