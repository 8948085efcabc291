"""Error pages reduced to the words an administrator needs."""

from lti_quiz.lib.plaintext import html_to_text, one_line

MOODLE_EXCEPTION_PAGE = """<!DOCTYPE html>
<html dir="ltr" lang="en"><head><title>Error | Moodle 4.4</title>
<style>.navbar { color: #fff }</style><script>M.cfg = {"wwwroot": "https://moodle"};</script>
</head><body><nav class="navbar">Skip to main content Home Dashboard</nav>
<div id="page"><div class="errorbox alert"><p class="errormessage">Exception -
 jwks_helper::fix_jwks_alg(): Argument #1 ($jwks) must be of type array, null given</p>
<p>More information about this error</p></div></div>
<footer>Powered by Moodle</footer></body></html>"""


def test_an_html_page_keeps_its_title_and_words_but_no_code_or_furniture():
    text = html_to_text(MOODLE_EXCEPTION_PAGE)

    assert text == (
        "Error | Moodle 4.4: Exception - jwks_helper::fix_jwks_alg(): Argument #1 ($jwks) "
        "must be of type array, null given More information about this error"
    )


def test_entities_are_decoded():
    assert html_to_text("<p>Tom &amp; Jerry&#39;s &lt;quiz&gt;</p>") == "Tom & Jerry's <quiz>"


def test_plain_text_keeps_its_words_on_one_line():
    assert one_line("Refusing score\n  with an\tearlier timestamp", limit=100) == (
        "Refusing score with an earlier timestamp"
    )


def test_a_long_message_is_cut_with_an_ellipsis():
    assert one_line("x" * 50, limit=10) == "x" * 9 + "…"


def test_html_is_recognised_by_content_type_or_doctype():
    assert one_line("<b>Bad</b> gateway", limit=100, content_type="text/html") == "Bad gateway"
    assert one_line("<b>not html</b>", limit=100) == "<b>not html</b>"
    assert one_line("<!doctype html><p>Bad gateway</p>", limit=100) == "Bad gateway"
