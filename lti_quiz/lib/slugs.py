"""The one slug rule, for lessons, quizzes, question banks and question keys.

A slug is what Django's `validate_slug` (a SlugField's own check) accepts: ASCII letters,
digits, hyphens and underscores, at least one.
"""

from typing import TypeGuard

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models

NOT_A_SLUG = "Use letters, digits, hyphens and underscores only."


def is_slug(value: object) -> TypeGuard[str]:
    if not isinstance(value, str):
        return False
    try:
        validate_slug(value)
    except ValidationError:
        return False
    return True


def slug_taken(noun: str, slug: str) -> str:
    return f"A {noun} with slug {slug!r} already exists."


def slug_errors(
    slug: object,
    *,
    model: type[models.Model],
    instance: models.Model | None,
    max_length: int,
    noun: str,
) -> list[str]:
    """What is wrong with `slug` for a new row of `model`, or for `instance`: [] when nothing."""
    if not is_slug(slug):
        return [NOT_A_SLUG]
    if len(slug) > max_length:
        return [f"At most {max_length} characters."]
    taken = model._default_manager.filter(slug=slug)
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    return [slug_taken(noun, slug)] if taken.exists() else []
