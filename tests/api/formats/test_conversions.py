"""The conversions under the formats, checked on many generated inputs: QTI 3 regular
expressions accept exactly what a pattern accepts; text survives HTML, GIFT and XML escaping;
Moodle and Canvas answers become the patterns they mean."""

import re
import string

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from lti_quiz.api.formats import common, gift, moodle_xml, qti12, qti30
from lti_quiz.api.formats.markup import html_from_text, text_from_html
from lti_quiz.api.formats.qti_patterns import pattern_from_regex, regex_from_pattern
from lti_quiz.quiz import patterns
from lti_quiz.quiz.rich_text import is_html
from tests.factories.text_strategies import LINE, RICH, TEXT

WORD = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=6)
PATTERN = st.lists(st.tuples(WORD, st.booleans()), min_size=1, max_size=3).map(
    lambda words: " ".join(w + ("*" if star else "") for w, star in words)
)
SEPARATORS = [" ", "  ", "-", "_", " - ", ", ", ". ", "'", "\u2013", "\n"]


def _python_regex(xsd: str) -> str:
    """The XML Schema regex in Python's dialect (which has no \\p{L} classes)."""
    return xsd.replace(r"[^\p{L}\p{N}]", r"[\W_]").replace(r"[\p{L}\p{N}]", r"[^\W_]")


@st.composite
def pattern_and_answer(draw):
    pattern = draw(PATTERN)
    stems = [w.rstrip("*") for w in pattern.split()]
    pieces = st.one_of(
        st.sampled_from(stems),
        st.sampled_from(stems).map(str.upper),
        st.tuples(st.sampled_from(stems), WORD).map("".join),
        WORD,
    )
    words = draw(st.lists(pieces, max_size=6))
    glue = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
    return pattern, "".join(w + g for w, g in zip(words, glue, strict=True)).strip()


class TestQti30Patterns:
    @settings(max_examples=400, deadline=None)
    @given(pattern_and_answer())
    def test_the_regular_expression_accepts_exactly_what_the_pattern_accepts(self, case):
        pattern, answer = case
        regex = _python_regex(regex_from_pattern(pattern))

        assert bool(re.fullmatch(regex, answer)) == patterns.matches(pattern, answer)

    @given(PATTERN)
    def test_the_pattern_is_read_back_from_its_regular_expression(self, pattern):
        assert pattern_from_regex(regex_from_pattern(pattern)) == " ".join(
            patterns.normalize(pattern).split()
        )

    @pytest.mark.parametrize("regex", ["[Pp]aris", "(.*)test(.*)", "", "[aA][bB"])
    def test_other_regular_expressions_are_not_taken_for_patterns(self, regex):
        assert pattern_from_regex(regex) is None


class TestMoodleWildcards:
    @pytest.mark.parametrize(
        ("answer", "ours", "pattern", "note"),
        [
            ("*shadow traffic*", True, "shadow traffic", ""),
            ("*test**", True, "test*", ""),
            ("*test*", False, "test*", "matched inside words"),
            ("no one", False, "no one", "Moodle accepted exactly"),
            ("Grant*", False, "Grant*", "had to start the answer"),
            ("*", False, None, "accepts any answer"),
            ("Gr*nt", False, None, "* inside a word"),
            ("Point Pleasant, Ohio", False, None, "other than letters"),
        ],
    )
    def test_a_moodle_answer_becomes_the_pattern_it_means(self, answer, ours, pattern, note):
        found, how = common.pattern_from_moodle(answer, ours=ours)

        assert found == pattern
        assert note in how

    @pytest.mark.parametrize(
        ("exact", "pattern"),
        [("Au", "Au"), ("paris, France", "paris France"), ("?!", None), ("  ", None)],
    )
    def test_an_exact_canvas_answer_becomes_a_pattern(self, exact, pattern):
        assert common.pattern_from_exact(exact)[0] == pattern

    def test_canvas_gets_the_exact_answer_closest_to_a_pattern(self):
        assert common.exact_from_pattern("compar* with the  Teacher-model") == (
            "compar with the teacher model"
        )


RICH_FORMATS = [moodle_xml, gift, qti12, qti30]


class TestRichTextSurvives:
    @pytest.mark.parametrize("module", RICH_FORMATS)
    def test_rich_text_comes_back_as_it_was(self, module):
        rich = (
            '<p>A <strong>bold</strong> <a href="https://example.org/" rel="noopener noreferrer">'
            "link</a> and \\(x^2\\) {x} ~ #1</p>"
        )
        question = _question(rich, "plain choice", rich, "plain explanation")

        exported, _ = module.dump(bank={"slug": "b", "title": "B"}, questions=[question])
        parsed = module.load(exported).questions[0]

        assert parsed.data["text"] == rich
        assert parsed.data["choices"][1]["feedback"] == rich
        assert parsed.data["choices"][1]["text"] == "plain choice"
        assert parsed.report.warnings == []

    @settings(max_examples=40, deadline=None)
    @given(text=RICH, choice=RICH, feedback=LINE, explanation=RICH)
    @pytest.mark.parametrize("module", RICH_FORMATS)
    def test_generated_rich_and_plain_texts_come_back_as_they_were(
        self, module, text, choice, feedback, explanation
    ):
        # Plain text beside rich text: written as HTML too, it must come back plain.
        assume(not is_html(feedback))
        question = _question(text, choice, feedback, explanation)

        exported, _ = module.dump(bank={"slug": "b", "title": "B"}, questions=[question])
        parsed = module.load(exported).questions[0]

        assert parsed.report.errors == {}
        assert _texts(parsed.data) == _texts(question)


class TestTextSurvivesEscaping:
    @given(TEXT)
    def test_html_gives_back_the_text(self, text):
        for paragraphs in (True, False):
            assert text_from_html(html_from_text(text, paragraphs=paragraphs)) == (text, set())

    @settings(max_examples=150, deadline=None)
    @given(text=TEXT, choice=LINE, feedback=LINE, explanation=TEXT)
    @example(text="[html] <b", choice="%20% off", feedback="[markdown] *x*", explanation="%5%")
    @example(text="a\\n \\{ \\", choice="=~#{}:", feedback="// not a comment", explanation="####")
    def test_gift_gives_back_every_text(self, text, choice, feedback, explanation):
        # GIFT keeps markup: a text that reads as HTML is rich text (TestRichTextSurvives).
        assume(not any(is_html(t) for t in (text, choice, feedback, explanation)))
        question = _question(text, choice, feedback, explanation)

        exported, _ = gift.dump(bank={"slug": "b", "title": "B"}, questions=[question])
        parsed = gift.load(exported).questions[0]

        assert parsed.report.errors == {}
        assert _texts(parsed.data) == _texts(question)

    @settings(max_examples=100, deadline=None)
    @given(text=TEXT, choice=LINE, feedback=LINE, explanation=TEXT)
    @example(text="]]> <![CDATA[ & <", choice="</text", feedback="&#160", explanation="<")
    @pytest.mark.parametrize("module", [moodle_xml, qti12, qti30])
    def test_xml_formats_give_back_every_text(self, module, text, choice, feedback, explanation):
        # Formats that keep markup: a text that reads as HTML (a tag, a character reference) is
        # rich text, sanitised on the way in (TestRichTextSurvives); plain text must come back
        # exactly.
        if module in RICH_FORMATS:
            assume(not any(is_html(t) for t in (text, choice, feedback, explanation)))
        question = _question(text, choice, feedback, explanation)

        exported, _ = module.dump(bank={"slug": "b", "title": "B"}, questions=[question])
        parsed = module.load(exported).questions[0]

        assert _texts(parsed.data, outcome=True) == _texts(question, outcome=True)


def _question(text: str, choice: str, feedback: str, explanation: str) -> dict:
    return {
        "key": "q",
        "kind": "single_choice",
        "text": text,
        "points": "1.00",
        "explanation": explanation,
        # Where a format carries them: the same awkward texts again.
        "correct_feedback": feedback,
        "partially_correct_feedback": "",
        "incorrect_feedback": explanation,
        "tags": [],
        "status": "active",
        "choices": [
            {"text": f"not {choice}", "is_correct": True, "feedback": ""},
            {"text": choice, "is_correct": False, "feedback": feedback},  # written "~choice"
        ],
        "patterns": [],
    }


def _texts(data: dict, *, outcome: bool = False) -> tuple:
    overall = (data.get("correct_feedback", ""), data.get("incorrect_feedback", ""))
    return (
        data["text"],
        data["explanation"],
        [(c["text"], c["feedback"], c["is_correct"]) for c in data["choices"]],
        *(overall if outcome else ()),
    )
