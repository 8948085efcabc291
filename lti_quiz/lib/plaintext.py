"""What an error page says, as one line of text an administrator can read.

Platforms answer some failures with a whole HTML page (Moodle's exception page, a proxy's 502
page). Stored or logged as is, that is kilobytes of markup in the results page and the admin;
what a person needs is the page's title and its words, without scripts, styles or navigation.
"""

from html.parser import HTMLParser

# Elements whose text is never the message: code, styling, and the page's furniture.
_SKIPPED = frozenset({"script", "style", "noscript", "template", "nav", "header", "footer", "svg"})


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.words: list[str] = []
        self._skipping: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping.append(tag)
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and tag == self._skipping[-1]:
            self._skipping.pop()
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skipping:
            self.words.append(data)


def looks_like_html(text: str, content_type: str = "") -> bool:
    head = text.lstrip()[:200].lower()
    return "html" in content_type.lower() or head.startswith(("<!doctype", "<html", "<?xml"))


def html_to_text(markup: str) -> str:
    """The title and the visible words of an HTML document, whitespace collapsed."""
    parser = _TextOf()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):  # hopelessly broken markup: keep what was read
        pass
    title = " ".join(" ".join(parser.title).split())
    body = " ".join(" ".join(parser.words).split())
    if title and body.startswith(title):
        return body
    return f"{title}: {body}" if title and body else title or body


def one_line(text: str, *, limit: int, content_type: str = "") -> str:
    """`text` (HTML reduced to its words) on one line, cut to `limit` characters with "…"."""
    if looks_like_html(text, content_type):
        text = html_to_text(text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
