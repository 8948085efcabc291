"""categories=banks: each Moodle category path of an import as a sub-bank of the bank imported
into (see `categories`). Levels are matched by title under their parent, as Moodle's
`create_category_path` matches category names; missing levels are created only when a
question is written into them."""

from django.utils.text import slugify
from django.utils.translation import ngettext

from lti_quiz.api.formats.report import Note, ParsedFile, ParsedQuestion
from lti_quiz.quiz.banks import MAX_BANK_SLUG, MAX_BANK_TITLE, bank_create
from lti_quiz.quiz.models import QuestionBank

Path = tuple[str, ...]


def category_paths(parsed: ParsedFile, *, ours: bool) -> dict[Path, list[ParsedQuestion]]:
    """The file's questions by the sub-bank path they go to (`()`: the bank itself), titles
    cut to what a bank title holds. `ours`: our own export, whose first level is the bank."""
    groups: dict[Path, list[ParsedQuestion]] = {}
    for item in parsed.questions:
        path = item.category[1:] if ours else item.category
        path = tuple(level[:MAX_BANK_TITLE] for level in path)
        groups.setdefault(path, []).append(item)
    return groups


def sub_bank_find(bank: QuestionBank, path: Path) -> QuestionBank | None:
    """The existing sub-bank at `path` under `bank` (None when a level is missing)."""
    found: QuestionBank | None = bank
    for title in path:
        found = QuestionBank.objects.filter(parent=found, title=title).first()
        if found is None:
            return None
    return found


def sub_bank_get_or_create(bank: QuestionBank, path: Path, *, user: object = None) -> QuestionBank:
    """The sub-bank at `path` under `bank`, each missing level created under its parent."""
    parent = bank
    for title in path:
        child = QuestionBank.objects.filter(parent=parent, title=title).first()
        if child is None:
            child = bank_create(slug=_free_slug(parent, title), title=title, parent=parent)
        parent = child
    return parent


def _free_slug(parent: QuestionBank, title: str) -> str:
    """`<parent slug>-<title slugified>`, cut to fit, numbered when taken."""
    stem = f"{parent.slug}-{slugify(title) or 'category'}"[:MAX_BANK_SLUG].rstrip("-")
    slug, number = stem, 1
    while QuestionBank.objects.filter(slug=slug).exists():
        number += 1
        suffix = f"-{number}"
        slug = stem[: MAX_BANK_SLUG - len(suffix)] + suffix
    return slug


def sub_bank_notes(
    parsed: ParsedFile, path: Path, count: int, *, exists: bool, dry_run: bool
) -> None:
    """A file-level note per category: where its questions went, or would go."""
    if not path:
        return
    values = {"name": "/".join(path), "count": count}
    if exists:
        message = ngettext(
            "Category %(name)r (%(count)d question): into its existing sub-bank.",
            "Category %(name)r (%(count)d questions): into its existing sub-bank.",
            count,
        )
    elif dry_run:
        message = ngettext(
            "Category %(name)r (%(count)d question): would create its sub-bank.",
            "Category %(name)r (%(count)d questions): would create its sub-bank.",
            count,
        )
    else:
        message = ngettext(
            "Category %(name)r (%(count)d question): into a new sub-bank.",
            "Category %(name)r (%(count)d questions): into a new sub-bank.",
            count,
        )
    parsed.warnings.append(Note("category", "note", message % values))


def sub_banks_below(bank: QuestionBank) -> list[tuple[QuestionBank, Path]]:
    """Every sub-bank under `bank`, depth first by title, with its path of titles below it
    (one query for all sub-banks: a tree of banks is small)."""
    children: dict[int | None, list[QuestionBank]] = {}
    for candidate in QuestionBank.objects.exclude(parent=None).order_by("title", "pk"):
        children.setdefault(candidate.parent_id, []).append(candidate)
    found: list[tuple[QuestionBank, Path]] = []
    seen = {bank.pk}

    def visit(parent: QuestionBank, path: Path) -> None:
        for child in children.get(parent.pk, []):
            if child.pk not in seen:  # bank_validate refuses cycles; never loop on one anyway
                seen.add(child.pk)
                found.append((child, (*path, child.title)))
                visit(child, (*path, child.title))

    visit(bank, ())
    return found
