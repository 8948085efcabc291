"""Question texts, options and feedback as sanitised rich text, with TeX math shown as MathML.

A stored value is either plain text (everything written before rich text, and whatever an
author types without markup) or HTML. The rule: a value with no tag and no character
reference is plain text and shows exactly as before (escaped, line breaks kept); anything else
is HTML, sanitised by `clean` when it is saved and again when it is shown.

`clean` keeps an allowlist: links (http, https, mailto; rel="noopener noreferrer"), lists,
tables, code and pre, emphasis, sub- and superscripts, paragraphs and line breaks, headings
h3-h6, images, audio and video whose source is one of our own media URLs (/media/q/...), and
`<span class="math">`. Everything else is dropped: scripts with their content, event handlers,
javascript: URLs, iframes, styles.

Math: `\\( … \\)` is inline, `$$ … $$` and `\\[ … \\]` are display math. They become MathML on
the server (latex2mathml), which screen readers read and browsers draw without a script; the
TeX stays as the `alttext` of the `<math>` element. latex2mathml copies `\\text{…}` as is, so
its output goes through an allowlist of MathML elements too.
"""

import html
import re

import latex2mathml.converter
import nh3
from django.utils.safestring import SafeString, mark_safe

# Our media files, content-addressed: /media/q/<sha256>/<file name>.
MEDIA_URL_RE = re.compile(r"^/media/q/[0-9a-f]{64}/[\w.-]{1,200}$")

ALLOWED_TAGS = {
    "a", "p", "br", "em", "strong", "b", "i", "u", "sub", "sup", "code", "pre", "kbd",
    "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "h3", "h4", "h5", "h6", "span", "img", "audio", "video", "source",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "audio": {"src", "controls"},
    "video": {"src", "controls", "width", "height"},
    "source": {"src", "type"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "span": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_MEDIA_TAGS = {"img", "audio", "video", "source"}

MATH_TAGS = {
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup",
    "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
    "mstyle", "mpadded", "mphantom", "menclose", "semantics", "annotation",
}  # fmt: skip
MATH_ATTRIBUTES = {
    "math": {"display", "xmlns"},
    "mo": {"stretchy", "fence", "form", "separator", "lspace", "rspace", "largeop",
           "movablelimits", "minsize", "maxsize", "accent"},
    "mstyle": {"displaystyle", "scriptlevel", "mathvariant"},
    "mi": {"mathvariant"},
    "mspace": {"width"},
    "mtable": {"columnalign", "rowspacing", "columnspacing"},
    "mtd": {"columnalign"},
    "menclose": {"notation"},
    "mover": {"accent"},
    "munder": {"accentunder"},
    "mfrac": {"linethickness"},
}  # fmt: skip

_HTML_LOOK = re.compile(
    r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+\d*);"
)
_MATH = re.compile(r"\\\((?P<inline>.+?)\\\)|\$\$(?P<display>.+?)\$\$|\\\[(?P<block>.+?)\\\]", re.S)
_TAG_SPLIT = re.compile(r"(<[^>]*>)")


def is_html(value: str) -> bool:
    """Whether a stored value is HTML (a tag or a character reference) or plain text."""
    return bool(_HTML_LOOK.search(value))


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag in _MEDIA_TAGS and attribute == "src":
        return value if MEDIA_URL_RE.match(value) else None
    if tag == "span" and attribute == "class":
        return "math" if value.split() == ["math"] else None
    return value


def clean(value: str) -> str:
    """The HTML with only the allowlist kept (a no-op on what `clean` already returned)."""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_attribute_filter,
    )


def clean_field(value: str) -> str:
    """What is stored for an author's value: plain text as is, HTML sanitised."""
    return clean(value) if is_html(value) else value


def images_without_alt(value: str) -> list[str]:
    """The src of every image in sanitised HTML whose alt text is missing or blank."""
    missing = []
    for tag in re.findall(r"<img\b[^>]*>", value):
        alt = re.search(r'\balt="([^"]*)"', tag)
        if alt is None or not html.unescape(alt.group(1)).strip():
            src = re.search(r'\bsrc="([^"]*)"', tag)
            missing.append(html.unescape(src.group(1)) if src else "")
    return missing


def _mathml(tex: str, display: str) -> str | None:
    try:
        converted = latex2mathml.converter.convert(html.unescape(tex).strip(), display=display)
    except Exception:  # any TeX it cannot read stays as TeX
        return None
    safe = nh3.clean(converted, tags=MATH_TAGS, attributes=MATH_ATTRIBUTES)
    alt = html.escape(html.unescape(tex).strip(), quote=True)
    return safe.replace("<math ", f'<math alttext="{alt}" ', 1)


def _math_in_text(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        inline = match.group("inline")
        tex = inline if inline is not None else match.group("display") or match.group("block")
        mathml = _mathml(tex, "inline" if inline is not None else "block")
        return mathml if mathml is not None else match.group(0)

    return _MATH.sub(replace, text)


# What may sit inside a line of text: the parts of a text cut around gaps and drop-downs, and
# labels (a paragraph or a table there would break the line and the label).
INLINE_TAGS = {
    "a", "br", "em", "strong", "b", "i", "u", "sub", "sup", "code", "kbd", "span", "img",
    "audio",
}  # fmt: skip


def plain(value: str | None) -> str:
    """A stored value as plain text, for where markup cannot go (a drop-down's options)."""
    if not value:
        return ""
    if not is_html(value):
        return value
    text = nh3.clean(re.sub(r"<br\s*/?>|</p>", " ", value), tags=set())
    return " ".join(html.unescape(text).split())


def render_inline(value: str | None) -> SafeString:
    """Like `render`, keeping only inline markup: block elements give up their tags (their
    text stays), so a text cut around gaps stays one line."""
    if not value or not is_html(value):
        return render(value)
    body = nh3.clean(
        value,
        tags=INLINE_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_attribute_filter,
    )
    return _with_math(body)


def render(value: str | None) -> SafeString:
    """A stored value as safe HTML: plain text escaped with its line breaks, HTML sanitised;
    TeX math as MathML in both."""
    if not value:
        return mark_safe("")
    if is_html(value):
        body = clean(value)
    else:
        paragraphs = re.split(r"\n{2,}", value.strip("\n"))
        escaped = [html.escape(p, quote=False).replace("\n", "<br>") for p in paragraphs]
        body = "<br><br>".join(escaped) if len(escaped) > 1 else escaped[0]
    return _with_math(body)


def _with_math(body: str) -> SafeString:
    """Sanitised HTML with TeX math turned into MathML, marked safe."""
    # Math only in text between tags, never inside an attribute.
    parts = _TAG_SPLIT.split(body)
    out = [part if part.startswith("<") else _math_in_text(part) for part in parts]
    return mark_safe("".join(out))  # noqa: S308 -- sanitised by nh3 (HTML and MathML) before
