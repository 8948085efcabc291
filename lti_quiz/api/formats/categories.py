"""Moodle question categories, kept as tags: never flattened without a trace.

Moodle files a question under a category path (`$course$/top/Unit 1/Week 2`: Moodle XML's
`<question type="category">`, GIFT's `$CATEGORY:` line); every question after it belongs to
it. A bank here has no sub-banks, so an import (categories=tags, the default) tags each
question with its path: the context (`$course$`, `$cat1$`, ...) and `top` left out, each level
slugified, levels joined by dots, prefixed `cat.` ("Unit 1/Week 2" -> `cat.unit-1.week-2`).
Tags allow no "/" and at most MAX_TAG characters: a longer path is cut (and reported).

An export writes the questions of a `cat.` tag under `$course$/top/<bank title>/<levels>`,
so Moodle recreates the tree under the bank's category; our own file read back drops the bank
title again, so the tag comes back as it was.
"""

from collections import Counter

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from lti_quiz.api.formats.report import Note, ParsedFile
from lti_quiz.quiz.question_format import MAX_TAG, MAX_TAGS

PREFIX = "cat."
MODES = ("tags", "banks")
# A bank has no parent bank yet: sub-banks per category would need one.
CATEGORIES_AS_BANKS = _lazy(
    "categories=banks (a bank per Moodle category) is not supported yet: use categories=tags."
)


def category_path(raw: str) -> tuple[str, ...]:
    """A Moodle category string as its levels, without context and `top` ("//" is a "/"
    inside a name)."""
    parts = [p.replace("\x00", "/").strip() for p in raw.replace("//", "\x00").split("/")]
    parts = [p for p in parts if p]
    if parts and parts[0].startswith("$") and parts[0].endswith("$"):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return tuple(parts)


def category_tag(path: tuple[str, ...]) -> str:
    """The tag a category path becomes ("" when no level has a letter or digit)."""
    levels = [slugify(level) for level in path]
    tag = PREFIX + ".".join(level for level in levels if level)
    if tag == PREFIX:
        return ""
    return tag[:MAX_TAG].rstrip(".-")


def category_levels(tags: list[str]) -> list[str]:
    """The category levels an export writes for a question (its first `cat.` tag)."""
    for tag in tags:
        if tag.startswith(PREFIX) and len(tag) > len(PREFIX):
            return tag[len(PREFIX) :].split(".")
    return []


def categories_apply(parsed: ParsedFile, *, ours: bool = False) -> None:
    """Tag every question read under a category; file-level notes say which categories were
    found and what became of them. `ours`: a file we wrote, whose first level is the bank's
    title (see the module's docstring)."""
    counts: Counter[tuple[str, ...]] = Counter()
    for item in parsed.questions:
        path = item.category[1:] if ours else item.category
        if not path:
            continue
        counts[path] += 1
        if item.skip or item.report.errors:
            continue
        tag = category_tag(path)
        if not tag:
            item.report.warn(
                "tags",
                "lost",
                _("The category %(path)r has no letters or digits for a tag.")
                % {"path": "/".join(path)},
            )
            continue
        if "tags" not in item.data:
            item.added_tags = [tag]
        tags = list(item.data.get("tags", []))
        if tag in tags:
            continue
        if len(tags) >= MAX_TAGS:
            item.report.warn(
                "tags", "lost", _("No room for the category tag %(tag)s.") % {"tag": tag}
            )
            continue
        item.data["tags"] = [*tags, tag]
    for path, count in counts.items():
        name = "/".join(path)
        tag = category_tag(path)
        message = (
            ngettext(
                "Category %(name)r (%(count)d question): tagged %(tag)s.",
                "Category %(name)r (%(count)d questions): tagged %(tag)s.",
                count,
            )
            if tag
            else ngettext(
                "Category %(name)r (%(count)d question): no tag can carry it.",
                "Category %(name)r (%(count)d questions): no tag can carry it.",
                count,
            )
        )
        parsed.warnings.append(
            Note("category", "note", message % {"name": name, "count": count, "tag": tag})
        )
        if tag and len(PREFIX + ".".join(slugify(p) for p in path)) > MAX_TAG:
            parsed.warnings.append(
                Note(
                    "category",
                    "changed",
                    _("Category %(name)r is too long for a tag: cut to %(tag)s.")
                    % {"name": name, "tag": tag},
                )
            )
