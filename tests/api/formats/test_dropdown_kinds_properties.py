"""Property tests: matching, ordering and select-missing-words questions with awkward texts
(markup characters, GIFT's specials, brackets) come back the same from every format that
carries them."""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lti_quiz.api.formats import gift, moodle_xml, qti12, qti30
from lti_quiz.quiz.question_format import question_validate
from lti_quiz.quiz.rich_text import is_html
from tests.factories.text_strategies import LINE

BANK = {"slug": "b", "title": "B"}
# A text no format reads as markup of its own: GIFT cannot write "->" inside a matching prompt,
# and square brackets in a gap text would read as gaps or Canvas blanks.
PLAIN = LINE.filter(lambda s: "->" not in s and "[" not in s and "]" not in s)


def _question(kind: str, text: str, spec: dict) -> dict:
    return {
        "key": "q",
        "kind": kind,
        "text": text,
        "points": "2.00",
        "explanation": "",
        "correct_feedback": "",
        "partially_correct_feedback": "",
        "incorrect_feedback": "",
        "tags": [],
        "status": "active",
        "choices": [],
        "patterns": [],
        "model_answer": "",
        "rejected_patterns": [],
        "spec": spec,
        "hints": [],
    }


@st.composite
def matching(draw):
    prompts = draw(st.lists(LINE, min_size=2, max_size=4, unique=True))
    answers = draw(st.lists(PLAIN, min_size=1, max_size=3, unique=True))
    pairs = [{"prompt": p, "answer": draw(st.sampled_from(answers))} for p in prompts]
    used = {pair["answer"] for pair in pairs}
    distractors = [a for a in answers if a not in used]
    spec = {"pairs": pairs, "distractors": distractors, "shuffle": True}
    return _question("matching", draw(LINE), spec)


@st.composite
def ordering(draw):
    items = draw(st.lists(LINE, min_size=2, max_size=5, unique=True))
    scoring = draw(st.sampled_from(["positions", "adjacent_pairs", "all_or_nothing"]))
    return _question("ordering", draw(LINE), {"items": items, "scoring": scoring})


@st.composite
def gaps(draw):
    texts = draw(st.lists(PLAIN, min_size=2, max_size=4, unique=True))
    choices = [{"text": t, "group": 1, "unlimited": False} for t in texts]
    words = draw(st.lists(PLAIN, min_size=1, max_size=3))
    numbers = draw(st.lists(st.integers(1, len(texts)), min_size=1, max_size=3))
    text = "".join(f"{w} [[{n}]] " for w, n in zip(words, numbers, strict=False)).strip()
    text = text or f"[[{numbers[0]}]]"
    spec = {"choices": choices, "shuffle": True, "source": "gapselect"}
    return _question("select_missing_words", text, spec)


CARRIES = [
    (moodle_xml, matching()),
    (moodle_xml, ordering()),
    (moodle_xml, gaps()),
    (gift, matching()),
    (qti12, matching()),
    (qti12, gaps()),
    (qti30, matching()),
    (qti30, ordering()),
    (qti30, gaps()),
]


@pytest.mark.parametrize(
    ("module", "questions"),
    CARRIES,
    ids=[f"{m.NAME}-{i}" for i, (m, _) in enumerate(CARRIES)],
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_each_format_gives_back_the_question(module, questions, data):
    question = data.draw(questions)
    assert question_validate(question) == {}
    # Every format here keeps markup: a text that reads as HTML is rich text, sanitised on the
    # way in (test_conversions.TestRichTextSurvives); plain text must come back exactly.
    assume(not any(is_html(text) for text in _strings(question)))

    exported, _ = module.dump(bank=BANK, questions=[question])
    parsed = module.load(exported).questions[0]

    assert parsed.report.errors == {}
    assert not parsed.skip
    assert (parsed.data["kind"], parsed.data["text"]) == (question["kind"], question["text"])
    assert parsed.data["spec"] == question["spec"]


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def test_gift_writes_an_arrow_in_a_prompt_as_a_real_arrow_and_says_so():
    spec = {
        "pairs": [{"prompt": "a -> b", "answer": "1"}, {"prompt": "c", "answer": "2"}],
        "distractors": [],
        "shuffle": True,
    }
    exported, [report] = gift.dump(bank=BANK, questions=[_question("matching", "Q", spec)])
    parsed = gift.load(exported).questions[0]
    assert parsed.data["spec"]["pairs"][0] == {"prompt": "a → b", "answer": "1"}
    assert report.fields("changed") == {"spec"}
