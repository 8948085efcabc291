"""A question with an image and TeX math: the quiz page shows the image (from our media URL)
and the math as MathML, and axe finds no WCAG violation on it."""

import struct
import zlib

import pytest

from lti_quiz.quiz.media import media_store
from lti_quiz.quiz.models import Question
from tests.factories.practice_lms import person
from tests.support.axe import axe_violations, describe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def png(width: int = 4, height: int = 4) -> bytes:
    """A small valid PNG, black."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_a_question_with_an_image_and_math_shows_both(lms, chromium, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    question = Question.objects.get(key="q1")
    media = media_store(bank=question.bank, name="square.png", data=png())
    Question.objects.filter(pk=question.pk).update(
        text=f'<p>{question.text} Energy \\(E = mc^2\\).</p><p><img src="{media.url}" '
        'alt="A black square"></p>'
    )

    page = chromium.new_page()
    page.goto(f"{lms}/practice-lms/launch/{person('alice').pk}/?mode=window")
    page.wait_for_url("**/lti/activity/**")
    page.goto(page.url + "quiz/")
    page.wait_for_load_state("load")

    image = page.get_by_role("img", name="A black square")
    image.wait_for()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 4
    math = page.locator("fieldset .question-text math")
    assert math.get_attribute("alttext") == "E = mc^2"
    assert math.locator("msup").count() == 1
    violations = axe_violations(page)
    assert not violations, describe_violations({"quiz": violations})
