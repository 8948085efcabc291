"""Shared by the formats: untrusted XML read safely with line numbers, HTML <-> plain text.

Question texts here are plain text or sanitised HTML (quiz/rich_text.py). Moodle and Canvas
keep HTML: an export escapes plain text into HTML that turns back into the same text. An
import keeps the HTML of a field that may be rich sanitised (`rich_from_html`, through
`rich_read`), and turns the HTML of a plain field into text, telling the caller which markup
it had to drop (`text_from_html`).
"""

import re
import xml.sax
from collections.abc import Iterator
from html import escape
from html.parser import HTMLParser

import defusedxml.sax
from defusedxml import DefusedXmlException

from lti_quiz.api.formats.report import FileError, NestedTooDeeply, QuestionReport
from lti_quiz.api.nesting import MAX_DEPTH
from lti_quiz.quiz import rich_text


class Node:
    """An XML element: local name (prefix dropped), attributes, children in document order."""

    __slots__ = ("attrs", "children", "line", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], line: int | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.line = line
        self.children: list[Node | str] = []

    def get(self, name: str, default: str = "") -> str:
        return self.attrs.get(name, default)

    def elements(self, tag: str | None = None) -> list["Node"]:
        """Direct child elements, all or those named `tag`."""
        return [c for c in self.children if isinstance(c, Node) and (tag is None or c.tag == tag)]

    def find(self, *path: str) -> "Node | None":
        """The first element down a path of child names."""
        node: Node | None = self
        for tag in path:
            node = next(iter(node.elements(tag)), None) if node else None
        return node

    def iter(self, tag: str) -> Iterator["Node"]:
        """Descendants named `tag`, in document order (not self)."""
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def descendants(self) -> Iterator["Node"]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.descendants()

    def text(self) -> str:
        """All the text inside, markup ignored."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def child_text(self, *path: str, default: str = "") -> str:
        node = self.find(*path)
        return node.text().strip() if node is not None else default


class _TreeBuilder(xml.sax.handler.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.root: Node | None = None
        self._stack: list[Node] = []
        self._locator: xml.sax.xmlreader.Locator | None = None

    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:
        self._locator = locator

    def startElement(self, name: str, attrs: xml.sax.xmlreader.AttributesImpl) -> None:
        line = self._locator.getLineNumber() if self._locator else None
        if len(self._stack) >= MAX_DEPTH:
            # Refused while the parser streams: the readers walk the tree recursively.
            raise NestedTooDeeply(MAX_DEPTH, line=line)
        node = Node(_local(name), {_local(k): v for k, v in attrs.items()}, line)
        if self._stack:
            self._stack[-1].children.append(node)
        else:
            self.root = node
        self._stack.append(node)

    def endElement(self, name: str) -> None:
        self._stack.pop()

    def characters(self, content: str) -> None:
        if not self._stack:
            return
        children = self._stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += content
        else:
            children.append(content)


_DECLARED_ENCODING = re.compile(r"""^(<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")


def parse_xml(text: str) -> Node:
    """The document's root; FileError with a line number when it is not well-formed XML.

    defusedxml refuses entity declarations and external references (billion laughs, XXE);
    elements nested more than MAX_DEPTH deep are refused as the parser meets them.
    """
    # The text is already decoded: whatever encoding the declaration names, it is UTF-8 now.
    data = _DECLARED_ENCODING.sub(r"\1\2UTF-8\2", text.lstrip("\ufeff")).encode("utf-8")
    builder = _TreeBuilder()
    try:
        defusedxml.sax.parseString(data, builder)
    except xml.sax.SAXParseException as exc:
        message = exc.getMessage().rstrip(".")
        line = exc.getLineNumber()
        raise FileError(f"The file is not well-formed XML: {message}.", line=line) from None
    except DefusedXmlException as exc:
        line = getattr(exc, "lineno", None)
        raise FileError(
            "The file declares XML entities or external references, refused for safety.",
            line=line if isinstance(line, int) else None,
        ) from None
    if builder.root is None:
        raise FileError("The file has no XML element.")
    return builder.root


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


# HTML -> plain text -------------------------------------------------------------------------

_PARAGRAPHS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl",
    "blockquote", "pre", "section", "article", "header", "footer", "figure",
}  # fmt: skip
_LINES = {"li", "tr", "dt", "dd", "caption"}
_INVISIBLE = {"script", "style", "head", "title"}
# Markup that only wraps text: dropping it loses nothing a learner sees.
_WRAPPERS = {"span", "font", "body", "html", "tbody", "thead", "tfoot", "td", "th", "bdi", "bdo"}
_BLOCK = "\x00block"
_LINE = "\x00line"
_SPACE_RUN = re.compile(r"[ \t\r\n\f]+")
_HTML_LOOK = re.compile(
    r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+\d*);"
)


class _TextCollector:
    """Events of an HTML fragment in, plain text out, remembering what markup was dropped."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.dropped: set[str] = set()
        self._hidden = 0

    def start(self, tag: str, attrs: dict[str, str | None]) -> None:
        tag = tag.lower()
        if tag in _INVISIBLE:
            self._hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _PARAGRAPHS:
            self.parts.append(_BLOCK)
        elif tag in _LINES:
            self.parts.append(_LINE)
        elif tag == "img":
            self.dropped.add("images")
            alt = (attrs.get("alt") or "").strip()
            if alt:
                self.parts.append(f"[{alt}]")
        elif tag == "a" and attrs.get("href"):
            self.dropped.add("links")
        elif tag not in _WRAPPERS and tag != "a":
            self.dropped.add(f"<{tag}>")

    def end(self, tag: str) -> None:
        tag = tag.lower()
        if tag in _INVISIBLE:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _PARAGRAPHS:
            self.parts.append(_BLOCK)
        elif tag in _LINES:
            self.parts.append(_LINE)

    def data(self, text: str) -> None:
        if not self._hidden:
            self.parts.append(_SPACE_RUN.sub(" ", text))

    def result(self) -> str:
        out = ""
        for part in self.parts:
            if part not in (_BLOCK, _LINE):
                out += part
                continue
            body = out.rstrip(" \n")
            if body:  # a block boundary: a line break, or an empty line between paragraphs
                breaks = out[len(body) :].count("\n")
                out = body + "\n" * max(2 if part == _BLOCK else 1, min(breaks, 2))
        lines = [line.strip(" ") for line in out.replace("\xa0", " ").split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _Parser(HTMLParser):
    def __init__(self, collector: _TextCollector) -> None:
        super().__init__(convert_charrefs=True)
        self.collector = collector

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.collector.start(tag, dict(attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.collector.start(tag, dict(attrs))
        self.collector.end(tag)

    def handle_endtag(self, tag: str) -> None:
        self.collector.end(tag)

    def handle_data(self, data: str) -> None:
        self.collector.data(data)


def text_from_html(html: str) -> tuple[str, set[str]]:
    """Plain text of an HTML fragment, and what markup was dropped ("images", "<b>", ...)."""
    collector = _TextCollector()
    parser = _Parser(collector)
    parser.feed(html)
    parser.close()
    return collector.result(), collector.dropped


def text_from_node(node: Node) -> tuple[str, set[str]]:
    """Plain text of XML content holding XHTML (QTI 3 item bodies), like `text_from_html`."""
    collector = _TextCollector()

    def walk(current: Node) -> None:
        for child in current.children:
            if isinstance(child, str):
                collector.data(child)
            else:
                collector.start(child.tag, dict(child.attrs))
                walk(child)
                collector.end(child.tag)

    walk(node)
    return collector.result(), collector.dropped


def rich_from_html(html: str) -> tuple[str, set[str], set[str]]:
    """An imported HTML fragment as stored here, the markup dropped (its text kept) and what
    was lost with its content.

    HTML that only makes paragraphs and line breaks is plain text (exactly what
    `html_from_text` writes, so our exports come back as they were); anything richer is kept
    as sanitised HTML (quiz/rich_text.py), less what the sanitiser drops: tags outside its
    allowlist, images and media from elsewhere than this tool's media store."""
    text, dropped = text_from_html(html)
    if not dropped:
        return text, set(), set()
    kept = rich_text.clean(html)
    gone = _tags(html) - _tags(kept) - {"html", "body", "div", "font"}
    lost = {f"<{tag}>" for tag in gone & _CONTENT_DROPPED}
    for tag in ("img", "audio", "video"):
        if len(re.findall(rf"<{tag}\b", html, re.I)) > len(re.findall(rf"<{tag}\b", kept)):
            lost.add(f"<{tag}> from elsewhere than this file")
    changed = {f"<{tag}>" for tag in gone - _CONTENT_DROPPED - {"img", "audio", "video", "source"}}
    return kept, changed, lost


# Elements the sanitiser drops with everything inside them.
_CONTENT_DROPPED = {"script", "style", "iframe", "object", "embed", "template", "noscript"}


def rich_read(html: str, report: QuestionReport, field: str) -> str:
    """An imported HTML text as stored here (`rich_from_html`), the report told what the
    sanitiser changed or dropped: the one way every format keeps an imported rich text."""
    text, changed, lost = rich_from_html(html)
    if changed:
        report.warn(field, "changed", f"Markup dropped: {', '.join(sorted(changed))}.")
    if lost:
        report.warn(field, "lost", f"Not kept: {', '.join(sorted(lost))}.")
    return text


def _tags(html: str) -> set[str]:
    return {tag.lower() for tag in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html)}


def looks_like_html(text: str) -> bool:
    return bool(_HTML_LOOK.search(text))


def dropped_note(dropped: set[str]) -> str:
    # Only the fields that are plain text here (prompts, answers) drop markup.
    return "dropped " + ", ".join(sorted(dropped)) + " (this field is plain text here)"


# Plain text -> HTML ---------------------------------------------------------------------------


def as_html(value: str, *, paragraphs: bool = True) -> str:
    """A stored value as HTML for an export: rich text as it is, plain text escaped."""
    return value if rich_text.is_html(value) else html_from_text(value, paragraphs=paragraphs)


def html_from_text(text: str, *, paragraphs: bool = True) -> str:
    """HTML showing exactly `text`, which `text_from_html` turns back into `text`."""
    parts = []
    for paragraph in re.split(r"\n{2,}", text):
        escaped = escape(paragraph, quote=False)
        # HTML collapses runs of spaces: keep them as no-break spaces.
        escaped = re.sub(r" {2,}", lambda m: " " + "&#160;" * (len(m.group()) - 1), escaped)
        escaped = escaped.replace("\n", "<br>")
        parts.append(f"<p>{escaped}</p>" if paragraphs else escaped)
    return ("" if paragraphs else "<br><br>").join(parts)
