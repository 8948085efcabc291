"""Lesson HTML is sanitized: raw HTML is shown as text and nothing can run script."""

import pytest

from lessons.models import Lesson
from lessons.rendering import render_markdown, sanitize


def test_markdown_becomes_html():
    html = render_markdown("Some *emphasis*.\n\n- one\n- two")
    assert html == "<p>Some <em>emphasis</em>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"


def test_a_script_tag_is_shown_as_text_not_run():
    html = render_markdown("Hello <script>alert(1)</script>\n\n<script>alert(2)</script>")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_event_handler_attributes_never_reach_the_page():
    html = render_markdown('<img src=x onerror="alert(1)"> <b onclick="alert(2)">bold</b>')
    assert "<img" not in html
    assert "<b " not in html


@pytest.mark.parametrize(
    "markdown",
    ["[click](javascript:alert(1))", "[click](data:text/html,<script>alert(1)</script>)"],
)
def test_links_to_script_urls_lose_their_target(markdown):
    html = render_markdown(markdown)
    assert "javascript:" not in html
    assert "data:" not in html


def test_ordinary_links_are_kept_and_cannot_reach_back_to_the_page():
    html = render_markdown("[docs](https://example.org/a)")
    assert html == '<p><a href="https://example.org/a" rel="noopener noreferrer">docs</a></p>'


def test_the_sanitizer_strips_scripts_and_on_attributes_from_html():
    html = sanitize('<p onclick="x()">hi<script>alert(1)</script><style>p{}</style></p>')
    assert html == "<p>hi</p>"


def test_quotes_and_dashes_come_through_as_written():
    html = render_markdown('Give it one detail from "A — B" and the AI\'s draft.')
    assert html == '<p>Give it one detail from "A — B" and the AI\'s draft.</p>'


def test_section_headings_are_plain_text_for_the_template_to_escape():
    lesson = Lesson(sections=[{"heading": "<b>Premise</b>", "body": "Text."}])
    (section,) = lesson.sections_for_display()
    assert section["heading"] == "<b>Premise</b>"
    assert section["id"] == "bpremiseb"
    assert section["html"] == "<p>Text.</p>"


def test_the_whole_body_escapes_headings_and_keeps_sanitized_sections():
    lesson = Lesson(
        sections=[
            {"heading": "The <premise>", "body": "One <script>x()</script>"},
            {"heading": "Practice", "body": "- step"},
        ]
    )
    assert lesson.body_html == (
        '<section id="the-premise">\n<h2>The &lt;premise&gt;</h2>\n'
        "<p>One &lt;script&gt;x()&lt;/script&gt;</p>\n</section>\n"
        '<section id="practice">\n<h2>Practice</h2>\n<ul>\n<li>step</li>\n</ul>\n</section>'
    )


def test_an_edited_lesson_text_renders_afresh_while_the_same_text_is_rendered_once():
    render_markdown.cache_clear()
    first = render_markdown("A lesson about *tests*.")
    again = render_markdown("A lesson about *tests*.")
    edited = render_markdown("A lesson about *sources*.")
    assert again is first
    assert "<em>sources</em>" in edited
    assert render_markdown.cache_info().misses == 2
