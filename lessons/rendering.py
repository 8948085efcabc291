"""Lesson Markdown to safe HTML.

Two layers: raw HTML in the Markdown is escaped (authors write Markdown, and a pasted
`<script>` should show as text, not run), then nh3 keeps only an allowlist of tags, attributes
and URL schemes, so whatever Markdown itself produces cannot carry script either.
"""

from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "a",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(output_format="html")
    # Without these two, Markdown passes raw HTML blocks and inline tags through untouched.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


# A lesson's sections are rendered on every activity page, and Markdown plus nh3 took a quarter
# of that page's time (docs/performance.md). The output depends on the text alone, so each process
# keeps the latest few; an edited lesson is new text and renders afresh.
@lru_cache(maxsize=256)
def render_markdown(text: str) -> SafeString:
    html = sanitize(_markdown().convert(text))
    return mark_safe(html)  # noqa: S308 -- escaped by Markdown, then allowlisted by nh3 above
