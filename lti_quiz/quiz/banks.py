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


# bank_update's "leave the parent as it is" (None means: no parent, a top-level bank).
KEEP: Any = object()


def bank_validate(
    *,
    slug: Any,
    title: Any,
    instance: QuestionBank | None = None,
    parent: QuestionBank | None = None,
) -> Errors:
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
    if "title" not in errors:
        _check_parent(errors, title=title, parent=parent, instance=instance)
    return errors


def _check_parent(
    errors: Errors, *, title: str, parent: QuestionBank | None, instance: QuestionBank | None
) -> None:
    """A bank is not its own ancestor (no cycle) and its title is unique among its siblings."""
    moved = parent is not None and instance is not None and instance.pk is not None
    if moved and any(bank.pk == instance.pk for bank in parent.path()):  # type: ignore[union-attr]
        errors["parent"] = ["A bank cannot be inside itself or one of its own sub-banks."]
        return
    if parent is not None:
        siblings = QuestionBank.objects.filter(parent=parent, title=title)
        if instance is not None and instance.pk is not None:
            siblings = siblings.exclude(pk=instance.pk)
        if siblings.exists():
            errors["title"] = [f"The bank {parent.title!r} already has a sub-bank {title!r}."]


def bank_create(
    *, slug: str, title: str, parent: QuestionBank | None = None, user: Any = None
) -> QuestionBank:
    errors = bank_validate(slug=slug, title=title, parent=parent)
    if errors:
        raise InvalidBank(errors)
    try:
        with transaction.atomic():
            return QuestionBank.objects.create(slug=slug, title=title, parent=parent)
    except IntegrityError:
        raise InvalidBank({"slug": [slug_taken("question bank", slug)]}) from None


def bank_update(
    *,
    bank: QuestionBank,
    slug: str | None = None,
    title: str | None = None,
    parent: Any = KEEP,
    user: Any = None,
) -> QuestionBank:
    """Change the slug, the title (None: keep) and/or the parent bank (KEEP: keep; None: make
    it a top-level bank)."""
    new_slug = bank.slug if slug is None else slug
    new_title = bank.title if title is None else title
    new_parent = bank.parent if parent is KEEP else parent
    errors = bank_validate(slug=new_slug, title=new_title, instance=bank, parent=new_parent)
    if errors:
        raise InvalidBank(errors)
    new_parent_id = new_parent.pk if new_parent is not None else None
    if (new_slug, new_title, new_parent_id) != (bank.slug, bank.title, bank.parent_id):
        bank.slug, bank.title, bank.parent = new_slug, new_title, new_parent
        try:
            with transaction.atomic():
                bank.save(update_fields=["slug", "title", "parent"])
        except IntegrityError:
            raise InvalidBank({"slug": [slug_taken("question bank", new_slug)]}) from None
    return bank


def bank_delete(*, bank: QuestionBank) -> None:
    """Delete an empty bank no quiz draws from; raises BankNotEmpty otherwise."""
    with transaction.atomic():
        if bank.questions.exists():
            raise BankNotEmpty()
        if bank.children.exists():
            raise BankNotEmpty("The bank has sub-banks: delete or move them first.")
        if bank.drawing_quizzes.exists():
            raise BankNotEmpty(
                "Quizzes draw their questions from this bank: change or delete them first."
            )
        bank.delete()
