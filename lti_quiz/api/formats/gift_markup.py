"""How GIFT writes a text's format, as Moodle's qformat_gift does (write_questiontext).

A text may start with its format: `[html]`, `[plain]`, `[markdown]` or Moodle's default
`[moodle]` (HTML when it looks like HTML); answers and feedback take the question text's
format unless they name their own. A question with rich text (docs/rich-content.md) is
written `[html]`, every text of it as HTML (plain ones escaped), read back through the
sanitiser; other questions are written as plain text, `[plain]` when one of their texts would
read as HTML. GIFT carries no files: an image keeps the media URL it has here.
"""

from typing import Any

from lti_quiz.api.formats import gift as base
from lti_quiz.api.formats.markup import as_html, html_from_text
from lti_quiz.quiz.rich_text import is_html


def is_rich(q: dict[str, Any]) -> bool:
    """Whether a question has rich text (then all of it is written as HTML)."""
    texts = [q["text"], q["explanation"]] + [
        c[name] for c in q["choices"] for name in ("text", "feedback")
    ]
    return any(is_html(text) for text in texts if text)


def question_text(q: dict[str, Any], *, html: bool) -> str:
    """The question text with its format: [html] for a rich question, [plain] when a plain
    text would read as HTML in Moodle's default format, else nothing (Moodle's default)."""
    if html:
        return "[html]" + base._escape(as_html(q["text"]))
    texts = [q["text"], q["explanation"]] + [v for c in q["choices"] for v in c.values() if v]
    if q["kind"] == "matching":
        texts += [pair["prompt"] for pair in q["spec"]["pairs"]]
    plain = any(needs_plain(t) for t in texts if isinstance(t, str))
    return ("[plain]" if plain else "") + base._escape(q["text"])


def needs_plain(text: str) -> bool:
    """In GIFT's default format a < or & is HTML, and a leading [html] a format name."""
    return "<" in text or "&" in text or bool(base._FORMAT.match(text))


def part(text: str, *, html: bool = False) -> str:
    """An answer, feedback or explanation: escaped (as HTML first in an [html] question), and
    its own format named when it starts with something a reader would take for a format or a
    weight ("[html] ...", "%20% ...")."""
    if html:
        text = as_html(text, paragraphs=False)
    ambiguous = base._FORMAT.match(text) or base._WEIGHT.match(text)
    return (("[html]" if html else "[plain]") if ambiguous else "") + base._escape(text)


def plain(text: str, *, html: bool) -> str:
    """A text that is plain here (a short answer): escaped as HTML too in an [html] question."""
    return base._escape(html_from_text(text, paragraphs=False) if html else text)
