"""Question banks: create, rename, delete (questions in them: bank.py, which also offers these)."""

from typing import Any

from django.db import IntegrityError, transaction

from lti_quiz.lib.fields import Errors
from lti_quiz.lib.slugs import slug_errors, slug_taken
from lti_quiz.lib.storable import UNSTORABLE, storable
from lti_quiz.quiz.errors import BankNotEmpty, InvalidBank
from lti_quiz.quiz.models import QuestionBank

MAX_BANK_TITLE = 200
MAX_BANK_SLUG = 100


def bank_validate(*, slug: Any, title: Any, instance: QuestionBank | None = None) -> Errors:
    errors: Errors = {}
    problems = slug_errors(
        slug, model=QuestionBank, instance=instance, max_length=MAX_BANK_SLUG, noun="question bank"
    )
    if problems:
        errors["slug"] = problems
    if not isinstance(title, str) or not title.strip():
        errors["title"] = ["This field may not be blank."]
    elif len(title) > MAX_BANK_TITLE:
        errors["title"] = [f"At most {MAX_BANK_TITLE} characters."]
    elif not storable(title):
        errors["title"] = [UNSTORABLE]
    return errors


def bank_create(*, slug: str, title: str, user: Any = None) -> QuestionBank:
    errors = bank_validate(slug=slug, title=title)
    if errors:
        raise InvalidBank(errors)
    try:
        with transaction.atomic():
            return QuestionBank.objects.create(slug=slug, title=title)
    except IntegrityError:
        raise InvalidBank({"slug": [slug_taken("question bank", slug)]}) from None


def bank_update(
    *, bank: QuestionBank, slug: str | None = None, title: str | None = None, user: Any = None
) -> QuestionBank:
    """Change the slug and/or the title (None: keep)."""
    new_slug = bank.slug if slug is None else slug
    new_title = bank.title if title is None else title
    errors = bank_validate(slug=new_slug, title=new_title, instance=bank)
    if errors:
        raise InvalidBank(errors)
    if (new_slug, new_title) != (bank.slug, bank.title):
        bank.slug, bank.title = new_slug, new_title
        try:
            with transaction.atomic():
                bank.save(update_fields=["slug", "title"])
        except IntegrityError:
            raise InvalidBank({"slug": [slug_taken("question bank", new_slug)]}) from None
    return bank


def bank_delete(*, bank: QuestionBank) -> None:
    """Delete an empty bank no quiz draws from; raises BankNotEmpty otherwise."""
    with transaction.atomic():
        if bank.questions.exists():
            raise BankNotEmpty()
        if bank.drawing_quizzes.exists():
            raise BankNotEmpty(
                "Quizzes draw their questions from this bank: change or delete them first."
            )
        bank.delete()
