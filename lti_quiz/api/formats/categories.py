"""Moodle question categories, kept as tags or as sub-banks: never flattened without a trace.

Moodle files a question under a category path (`$course$/top/Unit 1/Week 2`: Moodle XML's
`<question type="category">`, GIFT's `$CATEGORY:` line); every question after it belongs to
it (Moodle's `question/format.php` creates each missing level under its parent, by name).

categories=tags (the default) tags each question with its path: the context (`$course$`,
`$cat1$`, ...) and `top` left out, each level slugified, levels joined by dots, prefixed `cat.`
("Unit 1/Week 2" -> `cat.unit-1.week-2`). Tags allow no "/" and at most MAX_TAG characters: a
longer path is cut (and reported).

categories=banks puts each path into a sub-bank of the bank imported into, level by level, as
Moodle does: a level is the sub-bank of that title under its parent, reused when there is one,
created otherwise (only when a question goes into it: a dry run creates none and says which
it would create).

An export writes the questions of a `cat.` tag, or of a sub-bank, under
`$course$/top/<bank title>/<levels>`, so Moodle recreates the tree under the bank's category;
our own file read back drops the bank title again, so the tag or sub-bank comes back as it was.
"""

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lti_quiz.api.formats.report import Note, ParsedFile
from lti_quiz.quiz.question_format import MAX_TAG, MAX_TAGS

PREFIX = "cat."
MODES = ("tags", "banks")
# The formats that carry categories: their exports take the sub-banks' questions along.
CATEGORY_FORMATS = ("moodle_xml", "gift")


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


def category_levels(question: Mapping[str, Any]) -> list[str]:
    """The category levels an export writes for a question, "/" in a name doubled: its
    sub-bank's path below the exported bank (`category`, set by the export), else its first
    `cat.` tag."""
    if question.get("category"):
        return [level.replace("/", "//") for level in question["category"]]
    for tag in question["tags"]:
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
