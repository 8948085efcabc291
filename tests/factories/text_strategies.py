"""Hypothesis strategies for question texts, plain and rich, as the import/export property tests
generate them."""

import string
from html import escape
from urllib.parse import quote

from hypothesis import strategies as st

from lti_quiz.api.formats.markup import text_from_html
from lti_quiz.quiz.rich_text import clean_field

# Texts as question_validate accepts them and as an import gives them back: no spaces at the
# ends of lines, at most one empty line in a row, no carriage returns.
LINE = (
    st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp", "Co", "Cn"]
        ),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
TEXT = st.lists(st.lists(LINE, min_size=1, max_size=3).map("\n".join), min_size=1, max_size=3).map(
    "\n\n".join
)


# Rich texts as an author saves them (sanitised): inline markup inside paragraphs and lists,
# with words that need escaping in every format (GIFT's ~ = # { } :, XML's & <).
WORDS = st.text(alphabet=string.ascii_letters + " &<>~=#{}:\\\"'%", min_size=1, max_size=12)
INLINE = st.one_of(
    WORDS.map(escape),
    st.tuples(st.sampled_from(["strong", "em", "code", "sub", "sup"]), WORDS).map(
        lambda t: f"<{t[0]}>{escape(t[1])}</{t[0]}>"
    ),
    WORDS.map(lambda w: f'<a href="https://example.org/{quote(w)}">{escape(w)}</a>'),
)
BLOCK = st.one_of(
    st.lists(INLINE, min_size=1, max_size=3).map(lambda xs: "<p>" + " ".join(xs) + "</p>"),
    st.lists(INLINE, min_size=1, max_size=3).map(
        lambda xs: "<ul>" + "".join(f"<li>{x}</li>" for x in xs) + "</ul>"
    ),
)
RICH = (
    st.lists(BLOCK, min_size=1, max_size=3)
    .map("".join)
    .map(clean_field)
    .filter(lambda html: text_from_html(html)[1])  # richer than paragraphs: stays HTML
)
