"""Rich text: the sanitiser's allowlist, TeX math as MathML, plain text shown as before."""

from django.template import Context, Template

from lti_quiz.quiz.rich_text import clean, clean_field, images_without_alt, is_html, render

MEDIA = "/media/q/" + "a" * 64 + "/graph.png"


class TestClean:
    def test_scripts_handlers_and_javascript_urls_are_stripped(self):
        html = clean(
            '<p onclick="steal()">Hi<script>alert(1)</script>'
            '<a href="javascript:alert(1)">x</a><img src="x" onerror="alert(1)" alt="a">'
            '<iframe src="https://evil.example"></iframe></p>'
        )

        assert "script" not in html and "alert" not in html
        assert "onclick" not in html and "onerror" not in html
        assert "javascript:" not in html and "iframe" not in html

    def test_links_lists_tables_and_formatting_are_kept(self):
        html = (
            '<p><a href="https://example.org">a</a> <em>b</em> <strong>c</strong> H<sub>2</sub>O'
            " x<sup>2</sup> <code>d</code></p><ul><li>e</li></ul><ol><li>f</li></ol>"
            "<table><tr><th>g</th></tr><tr><td>h</td></tr></table><h3>i</h3><pre>j</pre>"
        )

        cleaned = clean(html)

        for tag in ("<em>", "<strong>", "<sub>", "<sup>", "<code>", "<ul>", "<ol>", "<li>"):
            assert tag in cleaned
        for tag in ("<table>", "<th>", "<td>", "<h3>", "<pre>"):
            assert tag in cleaned
        assert '<a href="https://example.org" rel="noopener noreferrer">a</a>' in cleaned

    def test_images_only_from_our_media_keep_their_source(self):
        ours = clean(f'<img src="{MEDIA}" alt="A graph">')
        theirs = clean('<img src="https://tracker.example/p.png" alt="A pixel">')

        assert f'src="{MEDIA}"' in ours and 'alt="A graph"' in ours
        assert "tracker.example" not in theirs

    def test_audio_and_video_keep_controls_and_our_sources(self):
        html = clean(
            f'<video controls><source src="{MEDIA}" type="video/mp4">'
            '<source src="https://elsewhere.example/v.mp4"></video>'
        )

        assert "<video controls" in html and f'src="{MEDIA}"' in html
        assert "elsewhere.example" not in html

    def test_cleaning_twice_changes_nothing(self):
        once = clean('<p>a &amp; b <a href="https://e.org">l</a><br>c</p>')

        assert clean(once) == once

    def test_plain_text_is_stored_as_it_is(self):
        assert clean_field("a < b and b > c, 2 & 3") == "a < b and b > c, 2 & 3"
        assert not is_html("a < b and b > c")
        assert is_html("<p>x</p>") and is_html("a &amp; b")

    def test_images_without_alt_text_are_found(self):
        html = clean(f'<img src="{MEDIA}"><img src="{MEDIA}" alt=" "><img src="{MEDIA}" alt="ok">')

        assert images_without_alt(html) == [MEDIA, MEDIA]


class TestRender:
    def test_plain_text_is_escaped_with_its_line_breaks(self):
        assert render('a < b & "c"\nnext') == 'a &lt; b &amp; "c"<br>next'

    def test_inline_and_display_math_become_mathml_keeping_the_tex(self):
        html = render(r"<p>Energy \(E = mc^2\) and $$\frac{1}{2}$$ and \[x_1\]</p>")

        assert html.count("<math ") == 3
        assert 'alttext="E = mc^2"' in html and 'display="inline"' in html
        assert "<mfrac>" in html and 'display="block"' in html
        assert "<msub><mi>x</mi><mn>1</mn></msub>" in html

    def test_math_in_plain_text_renders_too(self):
        assert "<msup><mi>x</mi><mn>2</mn></msup>" in render(r"What is \(x^2\) when x = 3?")

    def test_text_inside_math_cannot_carry_markup(self):
        html = render(r"\(\text{<script>alert(1)</script>}\)")

        assert "<script" not in html

    def test_tex_the_converter_cannot_read_stays_as_tex(self):
        assert render(r"\(\begin{nonsense}\)") == r"\(\begin{nonsense}\)"

    def test_the_filter_marks_sanitised_html_safe(self):
        template = Template("{% load rich_text %}{{ value|rich }}")

        shown = template.render(Context({"value": "<p><em>Hi</em><script>x()</script></p>"}))

        assert shown == "<p><em>Hi</em></p>"
