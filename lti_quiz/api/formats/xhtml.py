"""Rich text in XML formats that carry it as XHTML elements (QTI 3.0 item bodies), not as an
escaped HTML string: sanitised HTML -> XHTML elements on export, XHTML elements -> HTML on
import (read through the sanitiser like every imported rich text: markup.rich_read)."""

import xml.etree.ElementTree as ET  # builds our output only: input is read with defusedxml
from html import escape
from html.parser import HTMLParser

from lti_quiz.api.formats.markup import Node

# HTML elements with no content (written <br>, never closed).
_VOID = {"area", "br", "col", "hr", "img", "source", "track", "wbr"}
# QTI elements that only hold content: their content is the text.
_UNWRAPPED = {"qti-content-body"}
# Marks, until `indent`, the elements whose content is an author's HTML.
_RICH = "data-lti-quiz-rich"


def html_from_node(node: Node) -> str:
    """The content of an XML element as an HTML fragment (the element itself left out)."""
    out: list[str] = []

    def walk(current: Node) -> None:
        for child in current.children:
            if isinstance(child, str):
                out.append(escape(child, quote=False))
                continue
            if child.tag in _UNWRAPPED:
                walk(child)
                continue
            attrs = "".join(f' {name}="{escape(value)}"' for name, value in child.attrs.items())
            out.append(f"<{child.tag}{attrs}>")
            if child.tag not in _VOID:
                walk(child)
                out.append(f"</{child.tag}>")

    walk(node)
    return "".join(out)


def append_html(parent: ET.Element, html: str) -> None:
    """Sanitised HTML appended to `parent` as XHTML elements (text, tails, void elements)."""
    parent.set(_RICH, "")
    builder = _Builder(parent)
    builder.feed(html)
    builder.close()


def indent(root: ET.Element, space: str = "  ") -> None:
    """ET.indent, but the author's HTML is left as it is: white space added inside it would
    change the text read back."""
    rich = set()
    for element in root.iter():
        if element.attrib.pop(_RICH, None) is not None:
            rich.add(id(element))

    def walk(element: ET.Element, level: int) -> None:
        if id(element) in rich or not len(element):
            return
        inside = "\n" + space * (level + 1)
        if not element.text or not element.text.strip():
            element.text = inside
        for child in element:
            walk(child, level + 1)
            if not child.tail or not child.tail.strip():
                child.tail = inside
        if not (child.tail or "").strip():
            child.tail = "\n" + space * level

    walk(root, 0)


class _Builder(HTMLParser):
    def __init__(self, parent: ET.Element) -> None:
        super().__init__(convert_charrefs=True)
        self.stack = [parent]
        self.last: ET.Element | None = None  # the element whose tail takes the next text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = ET.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})
        self.last = element
        if tag not in _VOID:
            self.stack.append(element)
            self.last = None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or len(self.stack) == 1:
            return
        # Sanitised HTML is balanced; close up to the element named, whatever comes between.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                self.last = self.stack[depth]
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self.last is not None:
            self.last.tail = (self.last.tail or "") + data
        else:
            current = self.stack[-1]
            current.text = (current.text or "") + data
